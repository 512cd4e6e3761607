"""Each closing formula (claims.yaml `closers`: 有力的组织保障, 奠定了坚实基础 …) once in a draft, kept to in
decoding, and in decoding each purpose's object (`purpose_objects`: 政治素养, 纪律意识 …) once too, and no
wording of one item's sentence in another's (`checks.repeats`)."""

from __future__ import annotations

import threading

from assistant.checks.claim_rules import Closer, rules
from assistant.checks.repeats import repeats
from assistant.domain.draft import Finding


def closers_in(text: str, purposes: bool = False) -> dict[Closer, str]:
    """The closing formulas `text` uses (and, with `purposes`, the purposes' objects), each with its wording there."""
    among = rules().closers + (rules().purpose_objects if purposes else ())
    return {c: m.group(0) for c in among if (m := c.pattern.search(text))}


class Closers:
    """The closing formulas the draft's sentences have used so far, and the sentences, shared by the
    items written at once: a request bans the formulas used before it starts, and a sentence that uses
    one claimed meanwhile, or says again what another item's sentence said, fails."""

    def __init__(self) -> None:
        self._used: set[Closer] = set()
        self._said: list[str] = []
        self._lock = threading.Lock()

    @property
    def used(self) -> tuple[str, ...]:
        """The words that keep the closers used so far out of decoding."""
        with self._lock:
            return tuple(sorted({w for c in self._used for w in c.ban}))

    def claim(self, sentence: str) -> Finding | None:
        """None, and its closers and wording taken, when `sentence` uses none taken before; else what is wrong."""
        found = closers_in(sentence, purposes=True)
        with self._lock:
            if again := next((wording for c, wording in found.items() if c in self._used), None):
                return Finding("repeated_closer", f"“{sentence.strip()}”又用了“{again}”：这句套话稿中已用过，请换一种说法",
                               span=again)
            if said := repeats(sentence, "".join(self._said), []):
                return said
            self._used.update(found)
            self._said.append(sentence)
        return None
