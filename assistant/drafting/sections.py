"""Draft a summary section by section: the opening by code, sections with facts item by item, the rest whole.

Every section is checked; a section without facts is rewritten with the findings fed back, and
falls back to a plain rendering (flagged for a person) when it keeps failing.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from assistant.checks import check_draft, check_section
from assistant.checks.claims import drop_failing
from assistant.checks.formulations import latest_congress_line
from assistant.corpus.passage import Passage
from assistant.domain.draft import Draft, Finding, Section, SectionVersion
from assistant.domain.facts import FactSheet
from assistant.drafting.context import DraftContext
from assistant.drafting.examples import find_examples, source_refs
from assistant.drafting.generation import checked_generation, errors, max_tokens_for, stream_text
from assistant.drafting.items import write_items
from assistant.drafting.messages import assistant, continue_request, section_messages, task, worked_example_text
from assistant.drafting.templates import render
from assistant.drafting.tidying import drop_copied, drop_repeats, spare_closers, tidy
from assistant.models.request import ChatRequest
from assistant.text import item_marker

SHORT_RATIO = 0.6  # a whole section under this share of its budget is asked to go on, once


def draft_all(ctx: DraftContext, draft: Draft) -> list[Finding]:
    """Draft every section, as many at once as the client allows, in outline order; check the whole.

    The opening is code's; the first section has a head start (`DraftContext.head_start`). Every
    request starts with the same system message, read once (see `SharedStart`)."""
    sections = [s for s in draft.sections if s.kind != "opening"]
    for section in draft.sections:
        if section.kind == "opening":
            draft_section(ctx, draft, section)
    with ThreadPoolExecutor(max_workers=max(1, ctx.client.concurrency)) as pool:
        first = ctx.head_start(pool, lambda: draft_section(ctx, draft, sections[0])) if sections else None
        list(pool.map(lambda s: draft_section(ctx, draft, s), sections[1:]))
        if first is not None:
            first.result()
    spare_stock_closers(ctx, draft)
    return check_draft([(s, s.text) for s in draft.sections], draft.facts, ctx.matcher)


def spare_stock_closers(ctx: DraftContext, draft: Draft) -> None:
    """Each closing formula once in the draft (see `spare_closers`); a section that lost a sentence is checked again."""
    for section, text in zip(draft.sections, spare_closers([s.text for s in draft.sections]), strict=True):
        if section.version and text != section.text:
            notes = [f for f in section.version.findings if f.check == "fallback"]
            findings = check_section(text, section, draft.facts, ctx.matcher) + notes
            section.versions[section.current] = replace(section.version, text=text, findings=findings)


def draft_section(ctx: DraftContext, draft: Draft, section: Section) -> SectionVersion:
    """Draft one section and make the result its current version."""
    ctx.progress.section_started(section)
    if section.kind == "opening":
        version = compose_opening(ctx, draft, section)
    else:
        passages = find_examples(ctx.searcher, section)
        section.sources = source_refs(section, passages)
        write = write_items if section.facts else write_whole
        version = write(ctx, section, draft.facts, passages)
    section.add_version(version)
    ctx.progress.section_done(section)
    return version


def compose_opening(ctx: DraftContext, draft: Draft, section: Section) -> SectionVersion:
    """The opening is formulaic: composed by code from the facts and the formulations current at the date."""
    text = plain_rendering(section, draft.facts)
    ctx.progress.text_streamed(section, text)
    return SectionVersion(text, "composed", findings=check_section(text, section, draft.facts, ctx.matcher))


def write_whole(ctx: DraftContext, section: Section, sheet: FactSheet, passages: list[Passage]) -> SectionVersion:
    """The whole section in one answer, repaired with the findings fed back, else its plain rendering."""
    messages = section_messages(section, sheet, passages, ctx.passages)
    example = worked_example_text(messages)
    request = ChatRequest(messages, task(section, "section"), max_tokens=max_tokens_for(section.budget))

    def write(req: ChatRequest) -> tuple[str, str]:
        text = write_once(ctx, section, sheet, req, example)
        return text, text

    attempt = checked_generation(
        ctx, section, request, write=write, repairs=ctx.max_repairs, repair_base=[messages[0], messages[-1]],
        check=lambda text: (text, check_section(text, section, sheet, ctx.matcher)),
    )
    if not errors(attempt.findings):
        return SectionVersion(attempt.text, "draft", findings=attempt.findings)
    rejected = "；".join(f.message for f in errors(attempt.findings))
    text = plain_rendering(section, sheet)
    findings = check_section(text, section, sheet, ctx.matcher) + [
        Finding("fallback", f"模型稿多次未通过检查（{rejected}），已改用事实的直接表述，请人工润色", "warning")
    ]
    return SectionVersion(text, "fallback", findings=findings)


def write_once(ctx: DraftContext, section: Section, sheet: FactSheet, request: ChatRequest, example: str = "") -> str:
    """Write a section without copied or unfounded sentences; continue once when well short of its budget."""
    text = drop_failing(tidy(stream_text(ctx, section, request), section), section.kind, sheet)
    text = drop_copied(text, ctx.matcher, section.facts, example)
    if len(text) < SHORT_RATIO * section.budget:
        follow = ChatRequest(request.messages + [assistant(text), continue_request()],
                             task(section, "continue", current=text),
                             max_tokens=max_tokens_for(section.budget - len(text)))
        more = drop_failing(tidy(stream_text(ctx, section, follow), section), section.kind, sheet)
        seen: set[str] = set()
        drop_repeats(text, seen)
        text = drop_copied(text + drop_repeats(more, seen), ctx.matcher, section.facts, example)
    return text


def plain_rendering(section: Section, sheet: FactSheet) -> str:
    """A faithful rendering of the facts alone: the opening, and sections whose model text keeps failing."""
    return render(
        "plain_section",
        kind=section.kind,
        facts=[f.rstrip("。；") for f in section.facts],
        markers=[item_marker(i + 1) for i in range(len(section.facts))],
        period_label=sheet.parsed_period.label,
        org_name=sheet.organization,
        subject=sheet.subject,
        superior=sheet.superior,
        topics="、".join(h.topic for h in sheet.highlights),
        formulation=latest_congress_line(sheet.report_date),
    )
