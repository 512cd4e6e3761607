"""The rules of reading records, from `assistant/data/records.yaml`: header words, kinds and their synonyms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from assistant.resources import DATA_DIR

ROLES = ("date", "kind", "subject", "attendance", "name")


@dataclass(frozen=True)
class Kind:
    """A kind of meeting or activity (or, in a register, of person) and how its count is written."""

    name: str
    synonyms: tuple[str, ...]
    topic: str
    verb: str
    phrase: str  # the count's wording, {n} the number: 支委会{n}次
    register: bool = False  # counted from a register of people

    def wording(self, n: int) -> str:
        """支委会12次 (without the verb)."""
        return self.phrase.format(n=n)


@dataclass(frozen=True)
class Rules:
    headers: dict[str, tuple[str, ...]]
    min_header_roles: int
    max_header_row: int
    kinds: tuple[Kind, ...]
    register: tuple[Kind, ...]
    default_topic: str
    checklist: dict[str, str]


def _kinds(raw: list[dict[str, Any]], register: bool) -> tuple[Kind, ...]:
    return tuple(
        Kind(str(k["name"]), tuple(str(s) for s in k["synonyms"]), str(k.get("topic") or ""), str(k["verb"]),
             str(k["phrase"]), register)
        for k in raw
    )


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The rules of records.yaml, read once."""
    with open(DATA_DIR / "records.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return Rules(
        headers={role: tuple(str(w) for w in data["headers"][role]) for role in ROLES},
        min_header_roles=int(data["min_header_roles"]),
        max_header_row=int(data["max_header_row"]),
        kinds=_kinds(data["kinds"], False),
        register=_kinds(data["register"], True),
        default_topic=str(data["default_topic"]),
        checklist={str(k): str(v) for k, v in data["checklist"].items()},
    )


def header_role(cell: str) -> str | None:
    """The role a header cell names: the role of the longest header word it contains."""
    text = "".join(cell.split())
    best: tuple[int, str] | None = None
    for role, words in rules().headers.items():
        for word in words:
            if word in text and (best is None or len(word) > best[0]):
                best = (len(word), role)
    return best[1] if best else None


def find_kind(text: str, *, register: bool = False) -> Kind | None:
    """The kind whose synonym stands first in `text` (the longest at the same place), or None."""
    best: tuple[int, int, Kind] | None = None
    for kind in rules().register if register else rules().kinds:
        for word in kind.synonyms:
            at = text.find(word)
            if at >= 0 and (best is None or (at, -len(word)) < (best[0], -best[1])):
                best = (at, len(word), kind)
    return best[2] if best else None


def kind_order() -> dict[str, int]:
    """Kind name → its place in the data file (meetings first, then the register)."""
    return {k.name: i for i, k in enumerate(rules().kinds + rules().register)}
