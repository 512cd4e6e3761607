"""The rules of the claim checks, read from data/claims.yaml, and the prompts' own wording, read from prompts/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from assistant.resources import DATA_DIR, PROMPTS_DIR

TEMPLATE_TAG_RE = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
PHRASE_SPLIT_RE = re.compile(r"[，。；：、！？“”（）()\s]+")
MIN_PROMPT_PHRASE = 8  # characters of a template's own wording that, found in a draft, mean it was echoed
DRAFT_TEMPLATES = ("plain_section.j2", "chapter_intro.j2")  # templates whose output is the draft's own text, not a prompt
# 如A、B等 or A、B等形式 (each thing listed is 2 to 8 characters; the first may carry the verb before it)
ENUMERATION = r"(?:如|例如|比如|包括)((?:[\u4e00-\u9fff]{{2,8}}、)+[\u4e00-\u9fff]{{2,8}})等|((?:[\u4e00-\u9fff]{{2,8}}、)+[\u4e00-\u9fff]{{2,8}})等(?:多种|各类|各种|一系列)?(?:{})"


@dataclass(frozen=True)
class Closer:
    """A closing formula (有力的组织保障) and the words that keep it out of decoding once used."""

    pattern: re.Pattern[str]
    ban: tuple[str, ...]


@dataclass(frozen=True)
class ClaimRules:
    activities: dict[str, tuple[str, ...]]
    meta_phrases: tuple[str, ...]
    meta_allowed: tuple[str, ...]
    plans_wording: tuple[str, ...]
    conclusions: tuple[str, ...]
    remedy_wording: tuple[str, ...]
    remedy_patterns: tuple[re.Pattern[str], ...]
    register: tuple[str, ...]
    damaging: tuple[str, ...]
    first_person: tuple[str, ...]
    latin_allowed: frozenset[str]
    branch_only_not: tuple[str, ...]
    closers: tuple[Closer, ...]
    purpose_objects: tuple[Closer, ...]
    dangling_starts: dict[str, tuple[str, ...]]
    rates: tuple[str, ...]
    not_rates: tuple[str, ...]
    reaction_patterns: tuple[re.Pattern[str], ...]
    corrections: dict[str, str]
    whole_body: dict[str, tuple[str, ...]]
    enumeration: re.Pattern[str]
    misconduct: tuple[str, ...]
    empty_outcomes: tuple[str, ...]
    widening: tuple[str, ...]
    widening_alike: dict[str, tuple[str, ...]]
    blame_patterns: tuple[re.Pattern[str], ...]
    deadline_patterns: tuple[re.Pattern[str], ...]
    institutions: tuple[str, ...]
    fields: dict[str, tuple[re.Pattern[str], tuple[str, ...]]]  # field → (its markers, its words)
    effect_claim: re.Pattern[str]  # an achieved effect: its verb, then the object word in group 1


@lru_cache(maxsize=1)
def rules() -> ClaimRules:
    with open(DATA_DIR / "claims.yaml", encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return ClaimRules(
        activities={k: (k, *v) for k, v in raw["activities"].items()},
        meta_phrases=tuple(raw["meta_phrases"]),
        meta_allowed=tuple(raw["meta_allowed"]),
        plans_wording=tuple(raw["plans_wording"]),
        conclusions=tuple(raw["conclusions"]),
        remedy_wording=tuple(raw["remedy_wording"]),
        remedy_patterns=tuple(re.compile(p) for p in raw["remedy_patterns"]),
        register=tuple(raw["register"]),
        damaging=tuple(raw["damaging"]),
        first_person=tuple(raw["first_person"]),
        latin_allowed=frozenset(raw["latin_allowed"]),
        branch_only_not=tuple(raw["branch_only_not"]),
        closers=tuple(Closer(re.compile(c["pattern"]), tuple(c["ban"])) for c in raw["closers"]),
        purpose_objects=tuple(Closer(re.compile(re.escape(w)), (w,)) for w in raw["purpose_objects"]),
        dangling_starts={k: tuple(v) for k, v in raw["dangling_starts"].items()},
        rates=tuple(raw["rates"]),
        not_rates=tuple(raw["not_rates"]),
        reaction_patterns=tuple(re.compile(p) for p in raw["reaction_patterns"]),
        corrections=dict(raw["corrections"]),
        whole_body={k: tuple(v) for k, v in raw["whole_body"].items()},
        enumeration=re.compile(ENUMERATION.format("|".join(raw["enumeration_nouns"]))),
        misconduct=tuple(raw["misconduct"]),
        empty_outcomes=tuple(raw["empty_outcomes"]),
        widening=tuple(raw["widening"]),
        widening_alike={k: tuple(v) for k, v in raw["widening_alike"].items()},
        blame_patterns=tuple(re.compile(p) for p in raw["blame_patterns"]),
        deadline_patterns=tuple(re.compile(p) for p in raw["deadline_patterns"]),
        institutions=tuple(raw["institutions"]),
        fields={k: (re.compile("|".join(v["markers"])), tuple(v["words"])) for k, v in raw["fields"].items()},
        effect_claim=re.compile(raw["effect_verbs"] + r"[^，。；]{0,16}?(" + "|".join(raw["effect_objects"]) + ")"),
    )


def _phrases(template: str) -> set[str]:
    literal = TEMPLATE_TAG_RE.sub("|", template)
    return {p for part in literal.split("|") for p in PHRASE_SPLIT_RE.split(part) if len(p) >= MIN_PROMPT_PHRASE}


@lru_cache(maxsize=1)
def prompt_phrases() -> tuple[str, ...]:
    """The literal wording of every prompt in prompts/ (phrases of MIN_PROMPT_PHRASE characters or more),
    less what the draft's own templates write."""
    prompts: set[str] = set()
    drafts: set[str] = set()
    for path in sorted(PROMPTS_DIR.glob("*.j2")):
        (drafts if path.name in DRAFT_TEMPLATES else prompts).update(_phrases(path.read_text(encoding="utf-8")))
    return tuple(sorted(prompts - drafts))
