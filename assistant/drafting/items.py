"""A section with facts is written one 一是/二是 item per fact, in one conversation, each item checked."""

from __future__ import annotations

from dataclasses import replace

from assistant.checks import CorpusMatcher, check_section
from assistant.checks.claims import drop_failing, drop_restatements
from assistant.corpus.passage import Passage
from assistant.domain.draft import Finding, Section, SectionVersion
from assistant.domain.facts import FactSheet, Highlight
from assistant.drafting.constrained import elaborate, lead_of, write_in_slots
from assistant.drafting.context import DraftContext
from assistant.drafting.generation import Attempt, checked_generation, errors, item_max_tokens, stream_text
from assistant.drafting.messages import (
    assistant,
    continue_request,
    item_budget,
    item_prefix,
    item_request,
    task,
    worked_example_text,
)
from assistant.drafting.openers import position
from assistant.drafting.purposes import official_purposes
from assistant.drafting.templates import render
from assistant.drafting.tidying import drop_copied, drop_repeats, tidy
from assistant.models.request import ChatRequest, Message
from assistant.text import ITEM_START_RE, full_stop, item_marker, sentences

MAX_ITEM_REPAIRS = 1  # an item is short: one rewrite with the findings, then its plain rendering
ANCHOR_CHECKS = ("missing_number", "fact_coverage")  # what writing the fact itself as the lead fixes
SHORT_ITEM_RATIO = 0.45  # an item under this share of its budget is asked to go on, once


def write_items(ctx: DraftContext, section: Section, sheet: FactSheet, passages: list[Passage],
                asked: bool = False) -> SectionVersion:
    """One item per fact, each checked and, if it still fails, written as its plain fact; the section is checked whole.

    A model whose decoding we control writes each item as its fact plus a guarded elaboration, several at
    once, with no worked example unless the user pinned one; any other writes them in one conversation
    after a worked example (the server reuses its cache), repaired with the findings. When the user
    `asked` for it (参考第N条范文), a constrained item goes as far as 展开 takes it.
    """
    if intro := chapter_intro(section, sheet):
        ctx.progress.text_streamed(section, intro)
    # The guard keeps a constrained model to the facts; a worked example only doubles what it reads.
    prefix = item_prefix(section, sheet, [] if ctx.client.constrains else passages)
    example = worked_example_text(prefix)
    ones = [replace(section, facts=[fact], budget=item_budget(section), versions=[], current=-1) for fact in section.facts]
    if ctx.client.constrains:
        purposes = official_purposes(sheet)
        written = write_in_slots(ctx, section, len(ones), lambda c, k: constrained_item(
            c, ones[k], item_sheet(sheet, section, ones[k].facts[0]), prefix + [item_request(section, sheet, ones[k].facts[0], ones[k].budget)],
            example, section.facts, position(ones[k].facts[0], sheet), asked, purposes.get(ones[k].facts[0], "")))
    else:
        written = conversation_items(ctx, section, sheet, ones, prefix, example)
    seen: set[str] = set()
    items: list[str] = []
    notes: list[Finding] = []
    for n, (one, (text, findings)) in enumerate(zip(ones, written), 1):
        if errors(findings):
            notes.append(_fallback_note(n, findings))
            text = lead_of(one.facts[0])
        text = drop_restatements(text, one.facts[0], section.facts)
        items.append(drop_repeats(text, seen, one.facts) or lead_of(one.facts[0]))
    findings = settle(ctx, section, sheet, items, notes, intro)
    origin = "fallback" if len(notes) == len(section.facts) else "draft"
    return SectionVersion(joined(items, intro), origin, findings=findings + notes)


def joined(items: list[str], intro: str = "") -> str:
    """The items numbered 一是, 二是 … after the `intro`; a lone item has no marker (a 一是 with no 二是 is a slip)."""
    return intro + "".join((item_marker(n) if len(items) > 1 else "") + item for n, item in enumerate(items, 1))


def chapter_intro(section: Section, sheet: FactSheet) -> str:
    """What the problems and plans chapters open with, as the samples' do (对照……还存在一些差距和不足，主要是：):
    code's, from the sheet; other sections have none."""
    period = sheet.parsed_period
    return render("chapter_intro", kind=section.kind, subject=sheet.subject, next_label=period.next_label)


def settle(ctx: DraftContext, section: Section, sheet: FactSheet, items: list[str], notes: list[Finding],
           intro: str = "") -> list[Finding]:
    """The section's findings once nothing wrong is left in it: an item that passed alone but fails
    the section's checks (a figure of another item, a phrase of another item) falls back to its fact."""
    findings = check_section(joined(items, intro), section, sheet, ctx.matcher)
    for n, fact in enumerate(section.facts):
        if not errors(findings):
            break
        plain = items[:n] + [lead_of(fact)] + items[n + 1:]
        if len(errors(fewer := check_section(joined(plain, intro), section, sheet, ctx.matcher))) < len(errors(findings)):
            notes.append(_fallback_note(n + 1, findings))
            items[n], findings = lead_of(fact), fewer
    return findings


def _fallback_note(n: int, findings: list[Finding]) -> Finding:
    rejected = "；".join(f.message for f in errors(findings))
    return Finding("fallback", f"第{n}条模型稿未通过检查（{rejected}），已改用事实的直接表述，请人工润色", "warning")


def conversation_items(ctx: DraftContext, section: Section, sheet: FactSheet, ones: list[Section],
                       prefix: list[Message], example: str) -> list[tuple[str, list[Finding]]]:
    """Items one after another in one conversation: each request sees the items before it."""
    messages = list(prefix)
    seen: set[str] = set()
    written = []
    for one in ones:
        messages.append(item_request(section, sheet, one.facts[0], one.budget))
        raw, text, findings = write_item(ctx, one, item_sheet(sheet, section, one.facts[0]), messages, seen, example)
        drop_repeats(lead_of(one.facts[0]) if errors(findings) else text, seen)  # later items must not say it again
        messages.append(assistant(raw))
        written.append((text, findings))
    return written


def constrained_item(ctx: DraftContext, one: Section, sheet: FactSheet, messages: list[Message],
                     example: str, given: list[str], at: int, asked: bool = False, purpose: str = "") -> tuple[str, list[Finding]]:
    """One item by constrained decoding, `at` its position among the facts: its fact as the lead, the
    elaboration guarded (as far as when the user `asked` for more: a passage pinned), its official
    `purpose` if it has one; no rewrite."""
    raw = elaborate(ctx, one, sheet, messages, given, at, asked, purpose)
    text = drop_copied(tidy(raw, one).replace("\n", ""), ctx.matcher, one.facts, example)
    text = full_stop(text)
    return anchored(ITEM_START_RE.sub("", text).strip(), one, sheet, ctx.matcher)


def item_sheet(sheet: FactSheet, section: Section, fact: str) -> FactSheet:
    """The sheet as one item sees it: the unit and this fact; another fact's figures are not its to use."""
    return replace(sheet, highlights=[Highlight(section.topic, [fact])], problems=[], plans=[], notes="")


def write_item(
    ctx: DraftContext, one: Section, sheet: FactSheet, messages: list[Message], seen: set[str], example: str
) -> tuple[str, str, list[Finding]]:
    """(raw answer, tidied item text, findings) for one item, after at most MAX_ITEM_REPAIRS rewrites."""
    request = ChatRequest(list(messages), task(one, "item"), max_tokens=item_max_tokens(one.budget))

    def write(req: ChatRequest) -> tuple[str, str]:
        raw = stream_text(ctx, one, req)
        return raw, tidy_item(raw, one, sheet, set(seen), ctx.matcher, example)

    attempt = checked_generation(ctx, one, request, write=write, check=lambda t: anchored(t, one, sheet, ctx.matcher),
                                 repairs=MAX_ITEM_REPAIRS)
    text = attempt.text
    # Only achievements go on: asked for more, a problem drifts into remedies and a plan into results.
    if one.kind == "achievements" and not errors(attempt.findings) and len(text) < SHORT_ITEM_RATIO * one.budget:
        text = extend_item(ctx, one, sheet, attempt, seen, example)
    return attempt.raw, text, attempt.findings


def item_findings(text: str, one: Section, sheet: FactSheet, matcher: CorpusMatcher) -> list[Finding]:
    return [f for f in check_section(text, one, sheet, matcher) if f.check != "too_short"]


def anchored(text: str, one: Section, sheet: FactSheet, matcher: CorpusMatcher) -> tuple[str, list[Finding]]:
    """The item with its findings; when all it lacks is its own fact, the fact leads it, as items do."""
    findings = item_findings(text, one, sheet, matcher)
    if errors(findings) and all(f.check in ANCHOR_CHECKS for f in errors(findings)):
        lead = one.facts[0].rstrip("。；") + "。"
        rest = "".join(sentences(text)[1:]) if text.startswith(one.facts[0][:4]) else text
        candidate = lead + rest
        if not errors(fixed := item_findings(candidate, one, sheet, matcher)):
            return candidate, fixed
    return text, findings


def extend_item(ctx: DraftContext, one: Section, sheet: FactSheet, attempt: Attempt, seen: set[str], example: str) -> str:
    """A short item asked once to go on; the addition is kept only if the whole still passes."""
    text = attempt.text
    follow = attempt.messages + [assistant(attempt.raw), continue_request()]
    request = ChatRequest(follow, task(one, "continue", current=text), max_tokens=item_max_tokens(one.budget - len(text)))
    more = stream_text(ctx, one, request)
    seen_so_far = set(seen)
    drop_repeats(text, seen_so_far)
    longer = text + tidy_item(more, one, sheet, seen_so_far, ctx.matcher, example)
    return text if errors(check_section(longer, one, sheet, ctx.matcher)) else longer


def tidy_item(raw: str, one: Section, sheet: FactSheet, seen: set[str], matcher: CorpusMatcher, example: str) -> str:
    """One item's text: tidied, on one line, without its own marker, repeats, copied or unfounded sentences."""
    text = drop_failing(tidy(raw, one).replace("\n", ""), one.kind, sheet)
    text = drop_copied(drop_repeats(text, seen, one.facts), matcher, one.facts, example)
    return ITEM_START_RE.sub("", text).strip()  # the item's marker is the system's; inner ones go
