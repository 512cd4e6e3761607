"""Clean what the model wrote: markdown, echoed labels, headings, repeats, cut-off and copied sentences."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.checks.claim_rules import Closer
from assistant.checks.numbers import extract_numbers
from assistant.domain.draft import Section
from assistant.drafting.closers import closers_in
from assistant.text import (
    CLAUSE_RE,
    ITEM_START_RE,
    SENTENCE_RE,
    SUBSECTION_RE,
    is_chapter_line,
    renumber_items,
    sentences,
    strip_number,
)

if TYPE_CHECKING:
    from assistant.checks import CorpusMatcher

COPIED_SENTENCE_SHARE = 0.3  # a sentence with more of it in runs shared with a sample is the sample's, not ours
MIN_FRAGMENT = 8  # characters a sentence must keep after its repeated clauses go
MARKDOWN_RE = re.compile(r"[#*`>]+|^\s*(?:[-•·]|\d+[.、）)](?!\d))\s*")
LEADING_LABEL_RE = re.compile(r"^(正文|回答|改写后|修改后)[:：]\s*")
# The request's own words echoed: 本节小标题：…。, and labels such as 具体做法：…, 要达到的目标：…
ECHOED_LABEL_RE = re.compile(r"本节小标题[:：][^。\n]*。?|(具体做法|具体措施|取得的成效|具体表现|要达到的目标|主要成效)[:：]\s*")


def tidy(text: str, section: Section) -> str:
    """Remove what the model should not have written: markdown, headings, repeats, a cut-off last sentence.

    Numbering is the system's: a model-made （一） becomes an item, and items are renumbered 一是、二是….
    """
    lines = [ECHOED_LABEL_RE.sub("", LEADING_LABEL_RE.sub("", MARKDOWN_RE.sub("", ln))).strip() for ln in text.strip().split("\n")]
    heading = strip_number(section.heading)
    lines = [ln for ln in lines if ln and ln not in (section.heading, heading, section.chapter) and not is_chapter_line(ln)]
    if lines and heading and strip_number(lines[0]).startswith(heading):
        lines[0] = strip_number(lines[0])[len(heading):].lstrip("。，：")
    lines = [SUBSECTION_RE.sub(lambda m: "一是" + m.group(2), ln) for ln in lines if ln]
    body = renumber_items(drop_repeats("\n".join(lines), facts=section.facts))
    if body and body[-1] not in "。！？”；：" and "。" in body:
        body = body[: body.rfind("。") + 1]
    return body


def drop_repeats(text: str, seen: set[str] | None = None, facts: list[str] | None = None) -> str:
    """Remove sentences and clauses already written, whatever their item number (small models loop)."""
    seen = set() if seen is None else seen
    lines = []
    for line in text.split("\n"):
        kept = [s for s in (_new_clauses(sentence, seen, facts or []) for sentence in SENTENCE_RE.split(line)) if s]
        if kept:
            lines.append("".join(kept))
    return "\n".join(lines)


def _new_clauses(sentence: str, seen: set[str], facts: list[str]) -> str:
    """The clauses of a sentence not seen before; the sentence keeps its closing mark.

    A sentence cut down to a few characters goes whole (通过这些活动。 says nothing), unless they are a fact's.
    """
    clauses = [c for c in CLAUSE_RE.split(sentence) if c.strip()]
    kept = []
    for clause in clauses:
        key = ITEM_START_RE.sub("", clause.strip()).rstrip("，。；！？")
        if len(key) > 6 and key in seen:
            continue
        seen.add(key)
        kept.append(clause)
    core = ITEM_START_RE.sub("", "".join(kept)).strip("，。；！？ ")
    if len(kept) < len(clauses) and len(core) < MIN_FRAGMENT and not any(core in fact for fact in facts):
        return ""
    text = "".join(kept)
    if text and sentence.rstrip()[-1:] in "。；！？" and text[-1] == "，":
        text = text[:-1] + sentence.rstrip()[-1]
    return text


def drop_copied(text: str, matcher: CorpusMatcher, facts: list[str], example: str = "") -> str:
    """Remove sentences taken from a sample (they report the sample's work, not the user's); renumber items."""

    def copied(sentence: str) -> bool:
        core = ITEM_START_RE.sub("", sentence.strip(), count=1).strip("。；！？，")
        return (len(core) >= 4 and core in example) or matcher.shared_fraction(sentence, ignore=facts) > COPIED_SENTENCE_SHARE

    lines = []
    for line in text.split("\n"):
        kept = [s for s in SENTENCE_RE.split(line) if s.strip() and not copied(s)]
        if kept:
            lines.append("".join(kept))
    return renumber_items("\n".join(lines))


def spare_closers(texts: list[str]) -> list[str]:
    """Each closing formula (claims.yaml `closers`) once in the whole draft: a later sentence that
    uses one again goes, unless it leads its item or line or holds a figure."""
    used: set[Closer] = set()
    spared = []
    for text in texts:
        lines = []
        for line in text.split("\n"):
            kept = ""
            for s in sentences(line):
                closers = closers_in(s).keys()
                if closers & used and kept and not ITEM_START_RE.match(s.strip()) and not extract_numbers(s):
                    continue
                used |= closers
                kept += s
            lines.append(kept)
        spared.append("\n".join(lines))
    return spared
