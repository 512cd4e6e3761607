"""Refine one section from a chat instruction: read as an operation, done item by item, checked.

Code does what code can (shortening, order, removing, figures first, the leads); the model writes
only prose: the elaboration of an added item, a longer or differently toned item, a rewrite.
Every version is kept; a proposal is not applied until accepted.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace

from assistant.checks import CorpusMatcher, check_numbers, check_section
from assistant.checks.claims import drop_failing
from assistant.domain.draft import Draft, Finding, Section, SectionVersion
from assistant.domain.facts import FactSheet
from assistant.drafting.constrained import elaborate, write_in_slots
from assistant.drafting.context import DraftContext
from assistant.drafting.examples import find_examples
from assistant.drafting.generation import checked_generation, max_tokens_for, stream_text
from assistant.drafting.instructions import Operation, read_instruction
from assistant.drafting.item_edits import extend, from_reference, rewrite_prose
from assistant.drafting.items import item_sheet
from assistant.drafting.messages import item_prefix, item_request, refine_request, section_messages, task, user
from assistant.drafting.openers import position
from assistant.drafting.operations import Item, Items, figures_first, remove, reorder, shorten
from assistant.drafting.sections import draft_section
from assistant.drafting.tidying import tidy
from assistant.errors import FiguresLostError
from assistant.models.request import ChatRequest, Message
from assistant.text import length, sentences

TOLERANCE = 0.15  # a length target missed by more than this share is reported
ADDED_ITEM_BUDGET = 120  # characters of an added item: its fact and two sentences, so it answers within 20 s
CODE_OPS = ("shorten", "emphasise_figures", "reorder", "remove_fact")
PROPOSAL_NOTES = ("understood", "operation_missed")  # findings about a proposal, not about its text
BARE_IS_ASKED = ("shorten", "length", "remove_fact")  # operations that may leave an item its fact alone


def propose_revision(ctx: DraftContext, draft: Draft, section: Section, instruction: str) -> SectionVersion:
    """A checked new version of the section, not yet accepted, with what was understood and what fell short.

    The operation is done on a copy of the draft: the facts it adds or removes are checked as the
    version's, kept on it (`facts`) and reach the section and the fact sheet only on `accept`.
    """
    op = read_instruction(instruction, length(section.text))
    ctx.progress.section_started(section)
    trial = deepcopy(draft)
    work = trial.section(section.key)
    text = apply(ctx, trial, work, op)
    shortfall = missed(op, work, text, trial.facts)
    if shortfall and op.kind not in CODE_OPS:  # the model may do better a second time
        text = apply(ctx, trial, work, op)
        shortfall = missed(op, work, text, trial.facts)
    findings = check_section(text, work, trial.facts, ctx.matcher)
    notes = [Finding("understood", op.describe(), "info")]
    if shortfall:
        notes.append(Finding("operation_missed", f"{shortfall}；当前稿未改动，可以换个说法再试", "warning"))
    section.chat += [{"role": "user", "content": instruction}, {"role": "assistant", "content": text}]
    ctx.progress.section_done(section)
    return SectionVersion(text, "refine", instruction=instruction, findings=findings + notes,
                          facts=work.facts if work.facts != section.facts else None)


def apply(ctx: DraftContext, draft: Draft, section: Section, op: Operation) -> str:
    """The section's text after `op`."""
    items = Items.of(section.text)
    if op.kind == "shorten" and op.target:
        return shorten(items, op.target, faulty_phrases(section)).text
    if op.kind == "emphasise_figures":
        return figures_first(items).text
    if op.kind == "reorder":
        return reorder(items, op.instruction, op.index).text
    if op.kind == "remove_fact":
        for fact in op.facts or _fact_at(section, items, op.index):
            remove(items, fact)
            drop_fact(draft, section, fact)
        return items.text
    if op.kind == "add_fact":
        add_user_facts(draft, section, list(op.facts))
    if not ctx.client.constrains:
        return rewrite(ctx, draft, section, op.instruction)
    if op.kind == "reference":
        return from_reference(ctx, draft, section, op)
    if op.kind == "add_fact":
        for fact in op.facts:
            one = replace(section, facts=[fact], budget=ADDED_ITEM_BUDGET)
            prefix = item_prefix(section, draft.facts, [])
            text = elaborate(ctx, one, item_sheet(draft.facts, section, fact), prefix + [
                item_request(section, draft.facts, fact, one.budget)], section.facts, position(fact, draft.facts))
            items.items.append(Item(sentences(text)[0], sentences(text)[1:]))
        return items.text
    share = (op.target or length(section.text)) // max(1, len(items.items))
    facts = [next((f for f in section.facts if items.find(f) == n), item.lead) for n, item in enumerate(items.items)]
    others = ["".join(i.text for i in items.items if i is not item) for item in items.items]

    def edit_item(c: DraftContext, n: int) -> tuple[str, list[Finding]]:
        if op.kind in ("tone", "rewrite"):  # a free rewrite too is the prose's: leads and figures stay
            rewrite_prose(c, draft, section, items.items[n], facts[n], op)
        else:
            extend(c, draft, section, items.items[n], facts[n], share, others[n])
        return items.items[n].text, []

    write_in_slots(ctx, section, len(items.items), edit_item)  # items no longer depend on each other
    return items.text


def faulty_phrases(section: Section) -> list[str]:
    """The words the checks found at fault in the current text (a number left out is no such word)."""
    findings = section.version.findings if section.version else []
    return [f.span for f in findings if f.span and f.severity != "info" and f.check != "missing_number"]


def _fact_at(section: Section, items: Items, index: int | None) -> list[str]:
    """The fact of item `index` (from 1), or its lead when no fact of the section matches it."""
    if not index or not 1 <= index <= len(items.items):
        return []
    return [next((f for f in section.facts if items.find(f) == index - 1), items.items[index - 1].lead)]


def rewrite(ctx: DraftContext, draft: Draft, section: Section, instruction: str) -> str:
    """The whole section rewritten by the model, the turns that led to the current version in the request."""
    messages = section_messages(section, draft.facts, find_examples(ctx.searcher, section), ctx.passages)[:-1]
    messages += history(section) + [refine_request(section, instruction)]
    budget = max(section.budget, len(section.text))
    request = ChatRequest(messages, task(section, "refine", budget=budget, current=section.text, instruction=instruction),
                          max_tokens=max_tokens_for(budget))

    def write(req: ChatRequest) -> tuple[str, str]:
        raw = stream_text(ctx, section, req)
        return raw, tidy(raw, section)

    attempt = checked_generation(ctx, section, request, write=write, repairs=1,
                                 check=lambda text: (text, check_section(text, section, draft.facts, ctx.matcher)))
    return drop_failing(attempt.text, section.kind, draft.facts)  # a claim still failing: its sentence goes


def history(section: Section) -> list[Message]:
    """The refinements that led to the current version, oldest first: an undone one steers nothing."""
    turns: list[Message] = []
    for version in section.versions[1 : section.current + 1]:
        if version.origin == "refine" and version.instruction:
            turns += [user(version.instruction), {"role": "assistant", "content": version.text}]
    return turns


def missed(op: Operation, section: Section, text: str, sheet: FactSheet) -> str:
    """What the result falls short of, in plain Chinese; "" when the operation was met."""
    before, after = length(section.text), length(text)
    if op.kind in ("shorten", "length") and after >= before:
        return "没有变短"
    if op.kind == "expand" and after <= before:
        return "没有变长"
    if op.target and op.kind in ("shorten", "expand") and abs(after - op.target) > TOLERANCE * op.target:
        return f"目标约{op.target}字，改后{after}字"
    items = Items.of(text)
    if op.kind not in BARE_IS_ASKED and all(not item.rest for item in items.items):
        return "改后只剩事实本身，没有具体内容"
    if op.kind == "add_fact" and any(items.find(f) is None for f in op.facts):
        return "新事实没有写成单独的一条"
    if op.kind == "remove_fact" and (len(items.items) >= len(Items.of(section.text).items)
                                     or any(items.find(f) is not None for f in op.facts)):
        return "要删的那一条还在"
    if op.kind != "remove_fact" and any(f.check == "missing_number" for f in check_numbers(text, section.facts, sheet)):
        return "有事实的数字丢了"
    return ""


def add_user_facts(draft: Draft, section: Section, facts: list[str]) -> None:
    """Record new facts on the section and on the fact sheet, so the checks accept their numbers."""
    for fact in facts:
        if fact in section.facts:
            continue
        section.facts.append(fact)
        _sheet_list(draft, section).append(fact)


def drop_fact(draft: Draft, section: Section, fact: str) -> None:
    """Forget a fact the user removed, on the section and on the fact sheet."""
    for facts in (section.facts, _sheet_list(draft, section)):
        for known in [f for f in facts if f == fact or fact in f]:
            facts.remove(known)


def _take_facts(draft: Draft, section: Section, facts: list[str]) -> None:
    """Give the section `facts`, and the fact sheet's list of them the same additions and removals."""
    sheet = _sheet_list(draft, section)
    sheet[:] = [f for f in sheet if f in facts or f not in section.facts] + [f for f in facts if f not in sheet]
    section.facts = list(facts)


def _sheet_list(draft: Draft, section: Section) -> list[str]:
    """The fact sheet's list that holds this section's facts (the notes list for the opening)."""
    if section.kind == "achievements":
        return draft.facts.highlights[int(section.key.split("-")[1]) - 1].facts
    if section.kind in ("problems", "plans"):
        facts: list[str] = getattr(draft.facts, section.kind)
        return facts
    return []


def lost_figures(version: SectionVersion) -> list[str]:
    """The findings of a proposal that say a figure of the section's facts is gone."""
    return [f.message for f in version.findings if f.check == "missing_number"]


def accept(draft: Draft, section: Section, version: SectionVersion, *, drop_figures: bool = False) -> None:
    """Make a proposed version current; the earlier ones stay for undo.

    A proposal that loses a figure raises FiguresLostError unless `drop_figures`. The facts it
    added or removed now go to the section and the fact sheet. What was understood and what fell
    short are about the proposal, so the accepted version keeps only the checks' findings.
    """
    if (lost := lost_figures(version)) and not drop_figures:
        raise FiguresLostError(lost)
    if version.facts is not None:
        _take_facts(draft, section, version.facts)
    section.add_version(replace(version, findings=[f for f in version.findings if f.check not in PROPOSAL_NOTES]))


def edit(draft: Draft, section: Section, text: str, matcher: CorpusMatcher) -> SectionVersion:
    """Record a hand edit as a new, checked version."""
    version = SectionVersion(text.strip(), "edit", findings=check_section(text.strip(), section, draft.facts, matcher))
    section.add_version(version)
    return version


def regenerate(ctx: DraftContext, draft: Draft, section: Section) -> SectionVersion:
    """Draft the section again from scratch (pinned passages first); the old versions stay."""
    version = draft_section(ctx, draft, section)
    if version.origin == "draft":  # a fallback keeps its origin, so the section stays flagged
        version.origin = "regenerate"
    return version
