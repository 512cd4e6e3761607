"""Draft a summary section by section: worked-example prompts, streaming, guardrails, repair and fallback."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .draft import Draft, Finding, Section, SectionVersion
from .facts import FactSheet, Highlight
from .formulations import current_formulations, latest_congress_line
from .guardrails import (
    check_draft,
    check_formulations,
    check_names,
    check_section,
    period_start,
    render_findings,
)
from .outline import cn_number
from .passage import Passage
from .progress import DraftProgress
from .prompts import render
from .retrieval import (
    Searcher,
    example_items,
    find_examples,
    source_refs,
    worked_example,
)
from .structure import ITEM_START_RE
from .tidying import SENTENCE_RE, drop_copied, drop_repeats, strip_number, tidy

if TYPE_CHECKING:
    from .guardrails import CorpusMatcher
    from .llm import ChatClient

MAX_REPAIRS = 2
MAX_ITEM_REPAIRS = 1  # an item is short: one rewrite with the findings, then its plain rendering
ITEM_BUDGET = (80, 260)  # characters per 一是 item: below this it is bare, above it the model invents
LONG_ITEM = 150  # an item budget from which the request asks for four or five sentences, not two or three
SHORT_RATIO = 0.6
ANCHOR_CHECKS = ("missing_number", "fact_coverage")  # what writing the fact itself as the lead fixes
SHORT_ITEM_RATIO = 0.45  # an item under this share of its budget is asked to go on, once
REMOTE_WORKERS = 4
EXAMPLE_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?(?=[名个次人项场篇家期批条户件处余多万%])")
EXAMPLE_DATE_RE = re.compile(r"(?:19|20)\d{2}年(?:上半年|下半年|全年|度|以来)?[，、]?")


@dataclass
class DraftContext:
    """Everything drafting needs besides the draft: the model, the examples and the copy detector."""

    client: "ChatClient"
    searcher: Searcher
    passages: list[Passage]
    matcher: "CorpusMatcher"
    progress: DraftProgress = field(default_factory=DraftProgress)
    max_repairs: int = MAX_REPAIRS


def system_message(sheet: FactSheet) -> dict[str, str]:
    """The same for every section of a draft, so a local server can reuse its prompt cache."""
    period = sheet.parsed_period
    facts_text = " ".join(sheet.all_fact_texts())
    return {"role": "system", "content": render(
        "system",
        org_name=sheet.organization,
        period_label=period.label,
        half_year=period.part == "上半年",
        formulations=current_formulations(sheet.report_date, period_start=period_start(period)),
        mentions_epidemic="疫情" in facts_text,
    )}


def section_facts(section: Section, sheet: FactSheet) -> list[str]:
    """The points the model must cover; the opening also gets the unit and its work topics."""
    if section.kind != "opening":
        return list(section.facts)
    topics = "、".join(h.topic for h in sheet.highlights)
    return [f"单位：{sheet.organization}", *section.facts, f"重点工作：{topics}"]


def request(section: Section, sheet: FactSheet, heading: str, facts: list[str], budget: int) -> dict[str, str]:
    return {"role": "user", "content": render(
        "section_request",
        kind=section.kind,
        heading=heading,
        facts=facts,
        budget=budget,
        period_label=sheet.parsed_period.label,
        next_label=sheet.parsed_period.next_label,
    )}


def section_messages(section: Section, sheet: FactSheet, passages: list[Passage], corpus: list[Passage]) -> list[dict[str, str]]:
    """System rules, one worked example (a prior request answered by a sample passage), then the request."""
    messages = [system_message(sheet)]
    example = worked_example(section, passages, corpus)
    if example and (text := fit_example(example.text, sheet)):
        messages.append(request(section, sheet, example.heading or section.heading, example.facts, len(text)))
        messages.append({"role": "assistant", "content": text})
    messages.append(request(section, sheet, strip_number(section.heading), section_facts(section, sheet), section.budget))
    return messages


def fit_example(text: str, sheet: FactSheet) -> str:
    """A sample passage made safe to imitate: stale formulations, foreign names, its years and figures removed."""
    kept = []
    for line in text.split("\n"):
        sentences = [x for x in SENTENCE_RE.split(line) if x.strip()]
        fit = [x for x in sentences if not check_formulations(x, sheet) and not check_names(x, sheet)]
        if fit:
            kept.append("".join(fit))
    return EXAMPLE_NUMBER_RE.sub("若干", EXAMPLE_DATE_RE.sub("", "\n".join(kept))).replace("《》", "")


def stream_text(ctx: DraftContext, section: Section, messages: list[dict[str, str]], max_tokens: int) -> str:
    """Stream one answer, passing each piece to the progress callback."""
    parts: list[str] = []
    for delta in ctx.client.stream(messages, max_tokens=max_tokens):
        parts.append(delta)
        ctx.progress.text_streamed(section, delta)
    return "".join(parts)


def max_tokens_for(budget: int) -> int:
    """Enough tokens for the budget in Chinese (about 1.4 characters a token), with headroom."""
    return int(budget * 1.0) + 64


def item_max_tokens(budget: int) -> int:
    """An item's cap: its budget (about 1.75 characters a token) and one sentence more; a loop stops here."""
    return int(budget / 1.6) + 24


def worked_example_text(messages: list[dict[str, str]]) -> str:
    """The sample passage shown as a worked example (the first assistant turn), if any."""
    return next((m["content"] for m in messages[:3] if m["role"] == "assistant"), "")


def write_once(ctx: DraftContext, section: Section, messages: list[dict[str, str]], example: str = "") -> str:
    """Write a section, without sentences copied from a sample; continue once when well short of its budget."""
    raw = stream_text(ctx, section, messages, max_tokens_for(section.budget))
    text = drop_copied(tidy(raw, section), ctx.matcher, section.facts, example)
    if len(text) < SHORT_RATIO * section.budget:
        follow = messages + [
            {"role": "assistant", "content": text},
            {"role": "user", "content": render("continue")},
        ]
        more = tidy(stream_text(ctx, section, follow, max_tokens_for(section.budget - len(text))), section)
        seen: set[str] = set()
        drop_repeats(text, seen)
        text = drop_copied(text + drop_repeats(more, seen), ctx.matcher, section.facts, example)
    return text


def plain_rendering(section: Section, sheet: FactSheet) -> str:
    """A faithful rendering of the facts alone, used when the model's text keeps failing the guardrails."""
    markers = [f"{cn_number(i + 1)}是" for i in range(len(section.facts))]
    topics = "、".join(h.topic for h in sheet.highlights)
    return render(
        "plain_section",
        kind=section.kind,
        facts=[f.rstrip("。；") for f in section.facts],
        markers=markers,
        period_label=sheet.parsed_period.label,
        org_name=sheet.organization,
        superior=sheet.superior,
        topics=topics,
        formulation=latest_congress_line(sheet.report_date),
    )


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def draft_section(ctx: DraftContext, draft: Draft, section: Section) -> SectionVersion:
    """Draft one section, check it, repair it with the findings fed back, and fall back to the facts if needed.

    A section with facts is written one item per fact (a small model writes a good paragraph, not a good page);
    a section without facts is written whole.
    """
    ctx.progress.section_started(section)
    if section.kind == "opening":
        return compose_opening(ctx, draft, section)
    passages = find_examples(ctx.searcher, section)
    section.sources = source_refs(section, passages)
    if section.facts:
        version = write_items(ctx, section, draft.facts, passages)
    else:
        version = write_whole(ctx, section, draft.facts, passages)
    section.add_version(version)
    ctx.progress.section_done(section)
    return version


def write_whole(ctx: DraftContext, section: Section, sheet: FactSheet, passages: list[Passage]) -> SectionVersion:
    """The whole section in one answer, repaired with the findings fed back, else its plain rendering."""
    messages = section_messages(section, sheet, passages, ctx.passages)
    example = worked_example_text(messages)
    text = write_once(ctx, section, messages, example)
    findings = check_section(text, section, sheet, ctx.matcher)
    without_example = [messages[0], messages[-1]]
    for _ in range(ctx.max_repairs):
        if not errors(findings):
            break
        ctx.progress.section_retry(section, render_findings(errors(findings)))
        # The rewrite sees no sample passage: copying from it is the most common failure.
        messages = without_example + [
            {"role": "assistant", "content": text},
            {"role": "user", "content": render("repair", findings=render_findings(errors(findings)))},
        ]
        text = write_once(ctx, section, messages, example)
        findings = check_section(text, section, sheet, ctx.matcher)
    if not errors(findings):
        return SectionVersion(text, "draft", findings=findings)
    rejected = "；".join(f.message for f in errors(findings))
    text = plain_rendering(section, sheet)
    findings = check_section(text, section, sheet, ctx.matcher) + [
        Finding("fallback", f"模型稿多次未通过检查（{rejected}），已改用事实的直接表述，请人工润色", "warning")
    ]
    return SectionVersion(text, "fallback", findings=findings)


def item_budget(section: Section) -> int:
    low, high = ITEM_BUDGET
    return max(low, min(high, section.budget // max(1, len(section.facts))))


def item_request(section: Section, sheet: FactSheet, fact: str, budget: int) -> dict[str, str]:
    """The request for one item. Its length is said in sentences: a figure in the request ends up in the text."""
    return {"role": "user", "content": render(
        "item_request", kind=section.kind, heading=strip_number(section.heading), fact=fact,
        length_hint="两三句话" if budget < LONG_ITEM else "四五句话", next_label=sheet.parsed_period.next_label,
    )}


def item_prefix(section: Section, sheet: FactSheet, passages: list[Passage]) -> list[dict[str, str]]:
    """System rules and one sample item of about the item budget, answered as a worked example.

    The prefix is shared by every item of the section, so the server computes it once.
    """
    messages = [system_message(sheet)]
    low, high = ITEM_BUDGET
    for example in example_items(section, passages):
        text = fit_example(example.text, sheet).replace("\n", "")
        if low <= len(text) <= high and text.startswith(example.facts[0][:4]):
            return messages + [item_request(section, sheet, example.facts[0], len(text)),
                               {"role": "assistant", "content": text}]
    return messages


def item_sheet(sheet: FactSheet, section: Section, fact: str) -> FactSheet:
    """The sheet as one item sees it: the unit and this fact; another fact's figures are not its to use."""
    return replace(sheet, highlights=[Highlight(section.topic, [fact])], problems=[], plans=[], notes="")


def write_items(ctx: DraftContext, section: Section, sheet: FactSheet, passages: list[Passage]) -> SectionVersion:
    """One item per fact, in one conversation (the server reuses its cache); each checked, repaired or rendered plain."""
    messages = item_prefix(section, sheet, passages)
    example_text = messages[-1]["content"] if len(messages) > 1 else ""
    budget = item_budget(section)
    seen: set[str] = set()
    items: list[str] = []
    notes: list[Finding] = []
    for n, fact in enumerate(section.facts, 1):
        marker = f"{cn_number(n)}是"
        one = Section(section.key, section.kind, section.chapter, section.heading, section.topic, [fact], budget)
        messages.append(item_request(section, sheet, fact, budget))
        raw, text, findings = write_item(ctx, one, item_sheet(sheet, section, fact), messages, seen, example_text)
        if errors(findings):
            rejected = "；".join(f.message for f in errors(findings))
            notes.append(Finding("fallback", f"第{n}条模型稿未通过检查（{rejected}），已改用事实的直接表述，请人工润色", "warning"))
            text = fact.rstrip("。；") + "。"
        drop_repeats(text, seen)  # later items must not say it again
        messages.append({"role": "assistant", "content": raw})
        items.append(marker + text)
    text = "".join(items)
    origin = "fallback" if len(notes) == len(section.facts) else "draft"
    return SectionVersion(text, origin, findings=check_section(text, section, sheet, ctx.matcher) + notes)


def write_item(
    ctx: DraftContext, one: Section, sheet: FactSheet, messages: list[dict[str, str]], seen: set[str], example: str
) -> tuple[str, str, list[Finding]]:
    """(raw answer, tidied item text, findings) for one item, after at most MAX_ITEM_REPAIRS rewrites."""
    attempt = list(messages)
    for tries in range(MAX_ITEM_REPAIRS + 1):
        raw = stream_text(ctx, one, attempt, item_max_tokens(one.budget))
        text, findings = anchored(tidy_item(raw, one, set(seen), ctx.matcher, example), one, sheet, ctx.matcher)
        if not errors(findings) or tries == MAX_ITEM_REPAIRS:
            break
        ctx.progress.section_retry(one, render_findings(errors(findings)))
        attempt += [{"role": "assistant", "content": raw},
                    {"role": "user", "content": render("repair", findings=render_findings(errors(findings)))}]
    # Only achievements go on: asked for more, a problem drifts into remedies and a plan into results.
    if one.kind == "achievements" and not errors(findings) and len(text) < SHORT_ITEM_RATIO * one.budget:
        text = extend_item(ctx, one, sheet, attempt + [{"role": "assistant", "content": raw}], text, seen, example)
    return raw, text, findings


def item_findings(text: str, one: Section, sheet: FactSheet, matcher: "CorpusMatcher") -> list[Finding]:
    return [f for f in check_section(text, one, sheet, matcher) if f.check != "too_short"]


def anchored(text: str, one: Section, sheet: FactSheet, matcher: "CorpusMatcher") -> tuple[str, list[Finding]]:
    """The item with its findings; when all it lacks is its own fact, the fact leads it, as items do."""
    findings = item_findings(text, one, sheet, matcher)
    if errors(findings) and all(f.check in ANCHOR_CHECKS for f in errors(findings)):
        lead = one.facts[0].rstrip("。；") + "。"
        rest = SENTENCE_RE.split(text, maxsplit=1)[-1] if text.startswith(one.facts[0][:4]) else text
        candidate = lead + rest
        if not errors(fixed := item_findings(candidate, one, sheet, matcher)):
            return candidate, fixed
    return text, findings


def extend_item(
    ctx: DraftContext, one: Section, sheet: FactSheet, messages: list[dict[str, str]], text: str, seen: set[str], example: str
) -> str:
    """A short item asked once to go on; the addition is kept only if the whole still passes."""
    follow = messages + [{"role": "user", "content": render("continue")}]
    more = stream_text(ctx, one, follow, item_max_tokens(one.budget - len(text)))
    seen_so_far = set(seen)
    drop_repeats(text, seen_so_far)
    longer = text + tidy_item(more, one, seen_so_far, ctx.matcher, example)
    return text if errors(check_section(longer, one, sheet, ctx.matcher)) else longer


def tidy_item(raw: str, one: Section, seen: set[str], matcher: "CorpusMatcher", example: str) -> str:
    """One item's text: tidied, on one line, without its own marker, repeats or copied sentences."""
    text = tidy(raw, one).replace("\n", "")
    text = drop_copied(drop_repeats(text, seen, one.facts), matcher, one.facts, example)
    return ITEM_START_RE.sub("", text).strip()  # the item's marker is the system's; inner ones go


def compose_opening(ctx: DraftContext, draft: Draft, section: Section) -> SectionVersion:
    """The opening is formulaic: composed by code from the facts and the formulations current at the date."""
    text = plain_rendering(section, draft.facts)
    ctx.progress.text_streamed(section, text)
    version = SectionVersion(text, "composed", findings=check_section(text, section, draft.facts, ctx.matcher))
    section.add_version(version)
    ctx.progress.section_done(section)
    return version


def draft_all(ctx: DraftContext, draft: Draft) -> list[Finding]:
    """Draft every section (in parallel for remote services, in order for the local model); check the whole."""
    if ctx.client.is_local:
        for section in draft.sections:
            draft_section(ctx, draft, section)
    else:
        with ThreadPoolExecutor(max_workers=REMOTE_WORKERS) as pool:
            list(pool.map(lambda s: draft_section(ctx, draft, s), draft.sections))
    return whole_draft_findings(ctx, draft)


def whole_draft_findings(ctx: DraftContext, draft: Draft) -> list[Finding]:
    return check_draft([(s, s.text) for s in draft.sections], draft.facts, ctx.matcher)
