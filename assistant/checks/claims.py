"""Claims the facts do not make: invented documents and activities, words about the writing,
Latin words, a foreign register, a chapter that leaves its kind, restated facts and repeats.

Each finding names the sentence; `drop_failing` lets a caller drop those sentences instead of
rewriting the whole text. The word lists live in data/claims.yaml; the prompts' own wording is
read from the templates themselves, so the check cannot drift from them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import yaml

from assistant.checks.numbers import extract_numbers
from assistant.checks.sheet import fact_texts
from assistant.checks.words import TITLE_RE
from assistant.domain.draft import Finding
from assistant.domain.facts import FactSheet
from assistant.resources import DATA_DIR, PROMPTS_DIR
from assistant.text import content_chars, sentences

LATIN_RE = re.compile(r"[A-Za-z]{2,}")
TEMPLATE_TAG_RE = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
PHRASE_SPLIT_RE = re.compile(r"[，。；：、！？“”（）()\s]+")
MIN_PROMPT_PHRASE = 8  # characters of a template's own wording that, found in a draft, mean it was echoed
REPEAT_RUN = 10  # characters shared by two sentences of one text that count as saying it twice
DRAFT_TEMPLATES = ("plain_section.j2",)  # templates whose output is the draft's own text, not a prompt


@dataclass(frozen=True)
class ClaimRules:
    activities: dict[str, tuple[str, ...]]
    meta_phrases: tuple[str, ...]
    plans_wording: tuple[str, ...]
    remedy_wording: tuple[str, ...]
    register: tuple[str, ...]
    latin_allowed: frozenset[str]


@lru_cache(maxsize=1)
def rules() -> ClaimRules:
    with open(DATA_DIR / "claims.yaml", encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return ClaimRules(
        activities={k: (k, *v) for k, v in raw["activities"].items()},
        meta_phrases=tuple(raw["meta_phrases"]),
        plans_wording=tuple(raw["plans_wording"]),
        remedy_wording=tuple(raw["remedy_wording"]),
        register=tuple(raw["register"]),
        latin_allowed=frozenset(raw["latin_allowed"]),
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


def _sentence_findings(sentence: str, kind: str, facts: str) -> list[Finding]:
    r = rules()
    s = sentence.strip()
    found: list[Finding] = []

    def add(check: str, what: str) -> None:
        found.append(Finding(check, f"“{s}”{what}"))

    if kind != "plans":  # a plan may name a document still to be issued
        for title in TITLE_RE.findall(s):
            if title not in facts:
                add("invented_title", f"提到事实表中没有的文件{title}，请删去这句或改写为事实表给出的内容")
    for activity, licences in r.activities.items():
        if activity in s and not any(w in facts for w in licences):
            add("invented_activity", f"写了事实表没有的“{activity}”，请删去这句")
    for phrase in (*r.meta_phrases, *(p for p in prompt_phrases() if p not in facts)):
        if phrase in s:
            add("meta_text", f"含有关于写作本身的话“{phrase}”，请删去")
            break
    for word in LATIN_RE.findall(s):
        if word not in r.latin_allowed and word not in facts:
            add("latin_word", f"夹有外文“{word}”，请改为中文")
    for phrase in r.register:
        if phrase in s:
            add("wrong_register", f"用了政府或企业的说法“{phrase}”，党建总结请写党组织的工作")
    wording = r.plans_wording if kind == "achievements" else r.remedy_wording if kind == "problems" else ()
    for phrase in wording:
        if phrase in s and phrase not in facts:
            where = "工作成效中不写今后打算" if kind == "achievements" else "存在的问题中只写问题，不写措施"
            add("off_kind", f"用了“{phrase}”：{where}，请删去这句")
            break
    return found


def _repeats(text: str, facts: list[str]) -> list[Finding]:
    """A sentence said twice, or a run of REPEAT_RUN characters shared by two sentences (facts aside)."""
    seen: dict[str, str] = {}
    found: list[Finding] = []
    for line in text.split("\n"):
        for s in sentences(line):
            core = content_chars(s)
            for fact in facts:
                core = core.replace(content_chars(fact), "\x00")
            grams = {core[i : i + REPEAT_RUN] for i in range(len(core) - REPEAT_RUN + 1)} - {""}
            grams = {g for g in grams if "\x00" not in g}
            if clash := next((g for g in grams if g in seen and seen[g] != s), None):
                found.append(Finding("repeated_text", f"“{s.strip()}”重复了前文“{seen[clash].strip()}”的话，请删去重复"))
            for g in grams:
                seen.setdefault(g, s)
    return found


def _restated(text: str, facts: list[str]) -> list[Finding]:
    """A fact's figure written more often than the facts give it: the fact said twice."""
    given = Counter(n.surface for f in facts for n in extract_numbers(f) if n.kind == "count")
    written = Counter(n.surface for n in extract_numbers(text) if n.kind == "count")
    return [Finding("restated_fact", f"“{surface}”写了{written[surface]}次，同一事实只写一次，请删去重复的一句")
            for surface, times in given.items() if written[surface] > times]


def drop_failing(text: str, kind: str, sheet: FactSheet) -> str:
    """The text without its sentences that claim what the facts do not give (line breaks kept)."""
    facts = "\n".join(fact_texts(sheet))
    lines = ["".join(s for s in sentences(line) if not _sentence_findings(s, kind, facts)) for line in text.split("\n")]
    return "\n".join(line for line in lines if line.strip())


def check_claims(text: str, kind: str, facts: list[str], sheet: FactSheet, *, repeats: bool = True) -> list[Finding]:
    """Every claim check on a text of `kind` (a section kind, or "document"), whose own facts are `facts`."""
    joined = "\n".join(fact_texts(sheet))
    findings = [f for line in text.split("\n") for s in sentences(line) for f in _sentence_findings(s, kind, joined)]
    return findings + (_repeats(text, facts) + _restated(text, facts) if repeats else [])
