"""The conversation a section is drafted in: the rules, a worked example, and each request, with its Task.

Every message is rendered from a template in prompts/; every request also carries a `Task`, the
same request as data, which is what a scripted test model answers from.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.checks.formulations import current_formulations
from assistant.corpus.passage import Passage
from assistant.domain.draft import Finding, Section
from assistant.domain.facts import FactSheet
from assistant.drafting.examples import example_items, fit_example, worked_example
from assistant.drafting.templates import render
from assistant.models.request import Message, Task
from assistant.text import strip_number

ITEM_BUDGET = (80, 300)  # characters per 一是 item: below this it is bare, above it the model invents
EXAMPLE_LENGTH = (80, 200)  # characters of a worked example item: short, as every item's prompt reads it
LONG_ITEM = 150  # an item budget from which the request asks for four or five sentences, not two or three


def user(content: str) -> Message:
    return {"role": "user", "content": content}


def assistant(content: str) -> Message:
    return {"role": "assistant", "content": content}


def shared_rules() -> Message:
    """The system message's start, the same for every unit and date (prompts/rules.j2)."""
    return {"role": "system", "content": render("rules")}


def system_message(sheet: FactSheet) -> Message:
    """The same for every section of a draft, so a local server can reuse its prompt cache."""
    period = sheet.parsed_period
    facts_text = " ".join(sheet.all_fact_texts())
    return {"role": "system", "content": render(
        "system",
        org_name=sheet.organization,
        period_label=period.label,
        half_year=period.part == "上半年",
        formulations=current_formulations(sheet.report_date, period_start=period.start),
        mentions_epidemic="疫情" in facts_text,
    )}


def section_facts(section: Section, sheet: FactSheet) -> list[str]:
    """The points the model must cover; the opening also gets the unit and its work topics."""
    if section.kind != "opening":
        return list(section.facts)
    topics = "、".join(h.topic for h in sheet.highlights)
    return [f"单位：{sheet.organization}", *section.facts, f"重点工作：{topics}"]


def task(section: Section, action: str, facts: Iterable[str] | None = None, budget: int | None = None,
         **fields: str | tuple[str, ...]) -> Task:
    """The Task of a request about `section` (its own facts and budget unless given)."""
    return Task(action, kind=section.kind, heading=strip_number(section.heading),
                facts=tuple(section.facts if facts is None else facts),
                budget=section.budget if budget is None else budget, **fields)  # type: ignore[arg-type]


def section_request(section: Section, sheet: FactSheet, heading: str, facts: list[str], budget: int) -> Message:
    """The request for a whole section."""
    return user(render(
        "section_request", kind=section.kind, heading=heading, facts=facts, budget=budget,
        period_label=sheet.parsed_period.label, next_label=sheet.parsed_period.next_label,
    ))


def section_messages(section: Section, sheet: FactSheet, passages: list[Passage], corpus: list[Passage]) -> list[Message]:
    """System rules, one worked example (a prior request answered by a sample passage), then the request."""
    messages = [system_message(sheet)]
    example = worked_example(section, passages, corpus)
    if example and (text := fit_example(example.text, sheet)):
        messages.append(section_request(section, sheet, example.heading or section.heading, example.facts, len(text)))
        messages.append(assistant(text))
    facts = section_facts(section, sheet)
    messages.append(section_request(section, sheet, strip_number(section.heading), facts, section.budget))
    return messages


def item_budget(section: Section) -> int:
    low, high = ITEM_BUDGET
    return max(low, min(high, section.budget // max(1, len(section.facts))))


def item_request(section: Section, sheet: FactSheet, fact: str, budget: int) -> Message:
    """The request for one item. Its length is said in sentences: a figure in the request ends up in the text."""
    return user(render(
        "item_request", kind=section.kind, heading=strip_number(section.heading), fact=fact,
        length_hint="两三句话" if budget < LONG_ITEM else "四五句话", next_label=sheet.parsed_period.next_label,
    ))


def item_prefix(section: Section, sheet: FactSheet, passages: list[Passage]) -> list[Message]:
    """System rules and one short sample item (EXAMPLE_LENGTH), answered as a worked example.

    The prefix is shared by every item of the section, so the server computes it once.
    """
    messages = [system_message(sheet)]
    low, high = EXAMPLE_LENGTH
    for example in example_items(section, passages):
        text = fit_example(example.text, sheet).replace("\n", "")
        if low <= len(text) <= high and text.startswith(example.facts[0][:4]):
            return messages + [item_request(section, sheet, example.facts[0], len(text)), assistant(text)]
    return messages


def worked_example_text(messages: list[Message]) -> str:
    """The sample passage shown as a worked example (the first assistant turn), if any."""
    return next((m["content"] for m in messages[:3] if m["role"] == "assistant"), "")


def render_findings(findings: Iterable[Finding]) -> str:
    """A numbered list for the repair prompt: errors first, warnings marked （提示）."""
    ordered = sorted(findings, key=lambda f: f.severity != "error")
    return "\n".join(
        f"{i}. {'' if f.severity == 'error' else '（提示）'}{f.message}" for i, f in enumerate(ordered, 1)
    )


def repair_request(findings: list[Finding]) -> Message:
    return user(render("repair", findings=render_findings(findings)))


def continue_request() -> Message:
    return user(render("continue"))


def refine_request(section: Section, instruction: str) -> Message:
    return user(render("refine", heading=section.label, current=section.text, instruction=instruction,
                       facts=section.facts))
