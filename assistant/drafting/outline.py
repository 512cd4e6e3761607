"""The outline of a summary, composed by code from the fact sheet: numbering and headings are never the model's."""

from __future__ import annotations

from functools import lru_cache

import yaml

from assistant.domain.draft import Draft, Section
from assistant.domain.facts import FactSheet
from assistant.resources import DATA_DIR
from assistant.text import cn_number

# Share of the target length each part of the summary gets; the work chapter is split among highlights.
# The opening is composed by code and takes what it needs (about 170 characters).
BUDGET_SHARES = {"opening": 0.06, "achievements": 0.58, "problems": 0.16, "plans": 0.20}
MIN_SECTION_BUDGET = 150


@lru_cache(maxsize=1)
def _heading_rules() -> dict:
    with open(DATA_DIR / "headings.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def subsection_heading(topic: str) -> str:
    """A heading phrase for a topic: 党纪学习教育 → 扎实开展党纪学习教育, 师德师风 → 持续加强师德师风建设."""
    rules = _heading_rules()
    topic = topic.strip().rstrip("。")
    topic += next((noun for field, noun in rules["nouns"].items() if topic.endswith(field)), "")
    if topic.endswith(tuple(rules["campaign_endings"])) and not topic.startswith(("开展", rules["campaign_verb"])):
        return rules["campaign_verb"] + topic
    if any(topic.startswith(v) for v in rules["leading_verbs"]):
        return topic
    verb = next((r["verb"] for r in rules["verb_rules"] if r["keyword"] in topic), rules["default_verb"])
    return verb + topic


def chapter_headings(sheet: FactSheet) -> dict[str, str]:
    """The three chapter headings, worded for the period."""
    period = sheet.parsed_period
    return {
        "achievements": f"一、{period.done_label}党建工作开展情况及成效",
        "problems": "二、存在的问题及原因" if any("原因" in p or "由于" in p for p in sheet.problems) else "二、存在的问题和不足",
        "plans": f"三、{period.next_label}工作打算",
    }


def build_outline(sheet: FactSheet) -> Draft:
    """A Draft with empty sections: opening, one subsection per highlight, problems, plans."""
    length = sheet.length
    headings = chapter_headings(sheet)
    per_highlight = max(MIN_SECTION_BUDGET, int(length * BUDGET_SHARES["achievements"] / len(sheet.highlights)))
    opening_facts = [f for f in (sheet.members, sheet.notes) if f]
    sections = [
        Section("opening", "opening", "", "", "开篇", opening_facts, max(MIN_SECTION_BUDGET, int(length * BUDGET_SHARES["opening"])))
    ]
    for i, h in enumerate(sheet.highlights, 1):
        sections.append(
            Section(
                f"work-{i}", "achievements", headings["achievements"],
                f"（{cn_number(i)}）{subsection_heading(h.topic)}", h.topic, list(h.facts), per_highlight,
            )
        )
    sections.append(Section("problems", "problems", headings["problems"], "", "存在的问题", list(sheet.problems),
                            max(MIN_SECTION_BUDGET, int(length * BUDGET_SHARES["problems"]))))
    sections.append(Section("plans", "plans", headings["plans"], "", "工作打算", list(sheet.plans),
                            max(MIN_SECTION_BUDGET, int(length * BUDGET_SHARES["plans"]))))
    return Draft(facts=sheet, title=sheet.display_title, sections=sections)
