"""invented_name: places and persons a text names that the fact sheet does not.

Places are …省/市/区/县/镇/乡/村/街道 words that jieba does not know as common words, a place of
the unit's name written with another level (青山市 for 青山县), and the provinces and big cities of
`known_places`; persons are a surname and a given name before a
title (张建国同志). Names in the facts, generic bodies (县委, 党中央) and the facts' 《titles》 pass.
The word lists live in `data/names.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

import yaml

from assistant.checks.sheet import fact_texts
from assistant.checks.words import TITLE_RE, jieba_tags, tokens
from assistant.domain.draft import Finding
from assistant.domain.facts import FactSheet
from assistant.resources import DATA_DIR

DATA_FILE = DATA_DIR / "names.yaml"
UNIT_PLACE_RE = re.compile(r"[\u4e00-\u9fff]{2}(?:街道|[省市区县镇乡村])")
PLACE_CANDIDATE_RE = re.compile(r"(?=([\u4e00-\u9fff]{2}(?:街道|[省市区县镇乡村])))")
COMMON_TAIL_FREQ = 50  # a candidate ending in a non-place word at least this frequent in jieba is no place
COMMON_STEM_FREQ = 100  # a two-character stem at least this frequent in jieba is an ordinary word


@dataclass(frozen=True)
class NameLists:
    """The word lists of `data/names.yaml` (see the comments there)."""

    generic_place_words: frozenset[str]
    known_places: tuple[str, ...]
    person_titles: tuple[str, ...]
    surnames: frozenset[str]
    generic_bodies: tuple[str, ...]
    not_name_chars: frozenset[str]
    person_re: re.Pattern[str]  # two or three characters before a title, at every offset


@lru_cache(maxsize=4)
def load_names(path: Path = DATA_FILE) -> NameLists:
    """Read the data file (cached)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    titles = tuple(raw["person_titles"])
    return NameLists(
        generic_place_words=frozenset(raw["generic_place_words"]),
        known_places=tuple(raw["known_places"]),
        person_titles=titles,
        surnames=frozenset(raw["surnames"]),
        generic_bodies=tuple(raw["generic_bodies"]),
        not_name_chars=frozenset(raw["not_name_chars"]),
        person_re=re.compile(r"(?=([\u4e00-\u9fff]{2,3}?)(?:" + "|".join(titles) + "))"),
    )


def _looks_like_place(candidate: str) -> bool:
    """永川区 yes; 示范区 / 基层村 / 反省 no. Uses jieba's dictionary tags and frequencies."""
    names = load_names()
    stem, tail = candidate[:2], candidate[1:]
    if candidate in names.generic_place_words or any(ch in names.not_name_chars for ch in stem):
        return False
    tags, freq = jieba_tags()
    if tags.get(candidate) == "ns" or tags.get(stem) == "ns":
        return True
    if candidate in tags or (tail in tags and tags[tail] != "ns" and freq.get(tail, 0) >= COMMON_TAIL_FREQ):
        return False
    return stem not in tags or freq.get(stem, 0) < COMMON_STEM_FREQ


def _allowed_name(name: str, facts_joined: str, titles: list[str]) -> bool:
    """A name of the facts, of a generic body, or inside one of the facts' 《titles》."""
    bodies = load_names().generic_bodies
    return name in facts_joined or any(name in g or g in name for g in bodies) or any(name in t for t in titles)


def _places(text: str, words: list[tuple[str, int]], allowed: Callable[[str], bool]) -> list[str]:
    """…区/县/市/镇/村/街道 names starting where a jieba word starts."""
    starts = {start for _, start in words}
    found: list[str] = []
    for m in PLACE_CANDIDATE_RE.finditer(text):
        name = m.group(1)
        if m.start() in starts and _looks_like_place(name) and not allowed(name):
            found.append(name)
    return found


def _unit_places(sheet: FactSheet) -> list[str]:
    """The places that begin the unit's and its superior's names: 青山县, 柳溪镇 and 桃源村 of 青山县柳溪镇桃源村党支部."""
    places: list[str] = []
    for name in (sheet.organization, sheet.superior):
        while m := UNIT_PLACE_RE.match(name):
            places.append(m.group(0))
            name = name[m.end():]
    return places


def _misnamed_places(text: str, sheet: FactSheet, facts_joined: str) -> list[str]:
    """A place of the unit's name written with another level: 青山市 where the unit is in 青山县."""
    found: list[str] = []
    for place in _unit_places(sheet):
        found += [n for n in re.findall(rf"{place[:2]}(?:街道|[省市区县镇乡村])", text) if n not in facts_joined]
    return found


def _known_places(words: list[tuple[str, int]], found: list[str], allowed: Callable[[str], bool]) -> list[str]:
    """Provinces and big cities that start a word and are not part of a name in `found` already."""
    extra: list[str] = []
    for word, _ in words:
        place = next((p for p in load_names().known_places if word.startswith(p)), None)
        if place and not allowed(place) and not any(place in f for f in found + extra):
            extra.append(place)
    return extra


def _persons(text: str, allowed: Callable[[str], bool]) -> list[str]:
    """Surname + given name before a title (张建国同志, 李明书记)."""
    names = load_names()
    found: list[str] = []
    for m in names.person_re.finditer(text):
        name = m.group(1)
        if len(name) == 3 and name[0] not in names.surnames and name[1] in names.surnames:
            name = name[1:]
        if name[0] in names.surnames and not any(ch in names.not_name_chars for ch in name[1:]) and not allowed(name):
            found.append(name)
    return found


def check_names(text: str, sheet: FactSheet) -> list[Finding]:
    """invented_name: places (…区/县/市/镇/村/街道, known provinces and cities) and persons (张某某同志)."""
    facts_joined = "\n".join(fact_texts(sheet))
    titles = [t for t in TITLE_RE.findall(text) if t in facts_joined]
    allowed = partial(_allowed_name, facts_joined=facts_joined, titles=titles)
    words = tokens(text)
    found = _places(text, words, allowed) + _misnamed_places(text, sheet, facts_joined)
    found += _known_places(words, found, allowed)
    found += _persons(text, allowed)
    return [
        Finding("invented_name", f"出现事实表中没有的地名、单位名或人名“{n}”，请删除，只写事实表给出的名称（如“{sheet.organization}”）",
                span=n)
        for n in dict.fromkeys(found)
    ]
