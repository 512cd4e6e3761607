"""The openers an item goes on from (data/continuations.yaml): one per move of its kind, the phrasings
of each move taken in turn by the items in the order of the facts, so that no phrasing stands in every
item and an item's text does not depend on which items were written beside it."""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from typing import Any

import yaml

from assistant.domain.facts import FactSheet
from assistant.resources import DATA_DIR


@lru_cache(maxsize=1)
def continuations() -> dict[str, Any]:
    with open(DATA_DIR / "continuations.yaml", encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def moves(kind: str, asked: bool = False, fact: str = "") -> list[list[str]]:
    """The moves of `kind` in order, each as its phrasings (a move of one phrasing is a string in the
    data): a first draft's, unless `fact` reports a result, or, when the user `asked` for more,
    those that follow them too."""
    data = continuations()
    first = [] if reports_result(kind, fact) else data["openers"].get(kind, [])
    listed = first + (data["asked"].get(kind, []) if asked else [])
    return [[m] if isinstance(m, str) else list(m) for m in listed]


def reports_result(kind: str, fact: str) -> bool:
    """`fact` gives what came of the work (完成…, 已整改13个, 增收46万元), which has no purpose to state."""
    return any(re.search(p, fact) for p in continuations()["results"].get(kind, []))


def clauses(kind: str, asked: bool = False) -> int | None:
    """How many clauses a sentence of `kind` the model writes may have in a first draft; what the
    user `asked` for may have any number (None)."""
    return None if asked else continuations()["clauses"].get(kind)


def position(fact: str, sheet: FactSheet) -> int:
    """Where `fact` stands among the sheet's facts; a fact not on it, a place its wording picks."""
    facts = [f for h in sheet.highlights for f in h.facts] + sheet.problems + sheet.plans
    return facts.index(fact) if fact in facts else zlib.crc32(fact.encode("utf-8"))


def phrasing(move: list[str], at: int, text: str) -> str | None:
    """The phrasing of `move` whose turn it is for the item `at` its position, or the next one whose
    connective (its first two characters, a leading comma aside) `text` does not say already; none if
    it says them all."""
    start = at % len(move)
    return next((p for p in move[start:] + move[:start] if p.lstrip("，")[:2] not in text), None)
