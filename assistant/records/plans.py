"""Last period's plans: the plans chapter of a previous summary or 工作要点 as a checklist to report on.

The chapter is found with the corpus parser (`parse_document`, chapters of kind "plans"); a
document whose title is itself a plan (2025年党建工作要点) is plans throughout. Each subsection
(or, without subsections, each paragraph) gives one plan: the first clause of its heading
sentence, without numbering or closing mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.cleaning import clean_text
from assistant.corpus.loading import read_bytes
from assistant.corpus.structure import Chapter, parse_document
from assistant.domain.period import Period
from assistant.records.grouping import ProposedHighlight
from assistant.records.rules import rules
from assistant.text import SENTENCE_END, chapter_kind, heading_sentence, strip_number

_ITEM_MARK_RE = re.compile(r"^[一二三四五六七八九十]{1,3}是")
_ARABIC_MARK_RE = re.compile(r"^(?:\d+[.、．]|[（(]\d+[）)])\s*")


@dataclass(frozen=True)
class PlanItem:
    """One plan of the last period, and the file it stood in."""

    text: str
    source: str


def _plan_text(sentence: str) -> str:
    """（一）深化党员先锋岗建设。 → 深化党员先锋岗建设; 一是持续加强理论武装，推动… → 持续加强理论武装."""
    text = _ITEM_MARK_RE.sub("", strip_number(sentence.strip()))
    text = _ARABIC_MARK_RE.sub("", text)
    return text.split("，", 1)[0].rstrip(SENTENCE_END + "、：:").strip()


def _chapter_plans(chapter: Chapter) -> list[str]:
    if chapter.subsections:
        return [_plan_text(block.heading) for block in chapter.subsections]
    return [_plan_text(heading_sentence(paragraph)) for paragraph in chapter.intro]


def plans_in(text: str, source: str) -> list[PlanItem]:
    """The plans of a summary's plans chapters (every chapter when the title is a plan), in order."""
    doc = parse_document(clean_text(text))
    whole = bool(doc.title) and chapter_kind(doc.title) == "plans"
    found: list[PlanItem] = []
    for chapter in doc.chapters:
        if whole or chapter.kind == "plans":
            found.extend(PlanItem(t, source) for t in _chapter_plans(chapter) if t and t not in [p.text for p in found])
    return found


def read_plans(data: bytes, name: str) -> list[PlanItem]:
    """The plans of an uploaded summary or 工作要点 (.txt/.md/.docx); LoadError naming a bad file."""
    return plans_in(read_bytes(data, name), name)


def checklist_line(plan: str, period: Period) -> str:
    """去年打算：深化党员先锋岗建设 → 今年做了什么？ (上期 / 本期 for a half year or a quarter)."""
    return rules().checklist["annual" if period.is_annual else "part"].format(plan=plan)


def checklist(plans: list[PlanItem]) -> tuple[ProposedHighlight, ...]:
    """One highlight per plan, named by it, with no facts yet: the user says what was done."""
    return tuple(ProposedHighlight(p.text, (), plan=p.text, plan_source=p.source) for p in plans)
