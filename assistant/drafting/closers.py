"""Each closing formula (claims.yaml `closers`: 有力保障, 坚实的基础 …) once in a draft, kept to in decoding."""

from __future__ import annotations

import threading

from assistant.checks.claims import rules
from assistant.domain.draft import Finding


def closers_in(text: str) -> set[str]:
    """The closing formulas `text` uses."""
    return {c for c in rules().closers if c in text}


class Closers:
    """The closing formulas the draft's sentences have used so far, shared by the items written at once:
    a request bans those used before it starts, and a sentence that uses one claimed meanwhile fails."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._lock = threading.Lock()

    @property
    def used(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(sorted(self._used))

    def claim(self, sentence: str) -> Finding | None:
        """None, and its closers taken, when `sentence` uses none taken before; else what is wrong."""
        found = closers_in(sentence)
        with self._lock:
            if again := next(iter(sorted(found & self._used)), None):
                return Finding("repeated_closer", f"“{sentence.strip()}”又用了“{again}”：这句套话稿中已用过，请换一种说法",
                               span=again)
            self._used.update(found)
        return None
