"""The openers an item goes on from (data/continuations.yaml): one per move of its kind, each
phrasing of a move as seldom in a draft as the others, so that no phrasing stands in every item."""

from __future__ import annotations

import threading
import zlib
from collections import Counter
from functools import lru_cache
from typing import Any

import yaml

from assistant.resources import DATA_DIR


@lru_cache(maxsize=1)
def continuations() -> dict[str, Any]:
    with open(DATA_DIR / "continuations.yaml", encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def moves(kind: str) -> list[list[str]]:
    """The moves of `kind` in order, each as its phrasings (a move of one phrasing is a string in the data)."""
    return [[m] if isinstance(m, str) else list(m) for m in continuations()["openers"].get(kind, [])]


class Openers:
    """How often the draft's items have taken each phrasing so far, shared by the items written at once."""

    def __init__(self) -> None:
        self._taken: Counter[str] = Counter()
        self._lock = threading.Lock()

    def take(self, move: list[str], fact: str, text: str) -> str | None:
        """The phrasing of `move` the draft has taken least, ties broken at a place `fact` picks, now
        taken once more; none whose connective (its first two characters) `text` says already."""
        start = zlib.crc32(fact.encode("utf-8")) % len(move)
        fresh = [p for p in move[start:] + move[:start] if p[:2] not in text]
        if not fresh:
            return None
        with self._lock:
            pick = min(fresh, key=lambda p: self._taken[p])
            self._taken[pick] += 1
        return pick
