"""The official purpose of a field of work (data/purposes.yaml), written by code after a work fact's
purpose opener (`purpose_openers`) in place of the model's: each formula once a draft, for the first
fact it fits."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from assistant.domain.facts import FactSheet
from assistant.drafting.openers import moves, reports_result
from assistant.resources import DATA_DIR


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with open(DATA_DIR / "purposes.yaml", encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def official_purposes(sheet: FactSheet) -> dict[str, str]:
    """Each work fact of `sheet` that has an official purpose, and that purpose. Rule by rule, in the
    data's order, a purpose goes to the first fact, in the sheet's order, that has none yet, reports no
    result, and whose own wording the rule matches, else whose topic it does."""
    year = sheet.parsed_period.year
    found: dict[str, str] = {}
    for rule in _data()["rules"]:
        if "years" in rule and not rule["years"][0] <= year <= rule["years"][1]:
            continue
        free = [(h.topic, f) for h in sheet.highlights for f in h.facts
                if f not in found and not reports_result("achievements", f)]
        fits = [f for _, f in free if re.search(rule["when"], f)] or [f for t, f in free if re.search(rule["when"], t)]
        if fits:
            found[fits[0]] = rule["purpose"]
    return found


def purpose_openers() -> tuple[str, ...]:
    """The phrasings a first draft's work item states its purpose with (目的在于, ，旨在): its kind's
    first-draft openers (data/continuations.yaml)."""
    return tuple(p for move in moves("achievements") for p in move)
