"""The edits of one item that the model writes: taking it on, rewriting its prose, a reference passage as the example.

Each goes through constrained decoding: the item's text (or its lead) is the prefill and a guard reads the stream.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.checks.numbers import extract_numbers
from assistant.domain.draft import Draft, Section
from assistant.drafting.constrained import go_on
from assistant.drafting.context import DraftContext
from assistant.drafting.guard import bans, guarded_stream, sentence_judge
from assistant.drafting.instructions import Operation, rules
from assistant.drafting.items import item_sheet, write_items
from assistant.drafting.messages import item_prefix, item_request, task, user
from assistant.drafting.openers import position
from assistant.drafting.operations import Item
from assistant.drafting.templates import render
from assistant.models.request import ChatRequest, Message
from assistant.text import length, sentences, strip_number

REACH = 0.95  # an item taken on to a length goes on until this share of it: a sentence more overshoots little


def _item_request(section: Section, draft: Draft, item: Item, fact: str, budget: int,
                  turn: Message) -> tuple[Section, ChatRequest]:
    """The item as a section of one fact, and a request: the section's prefix, then `turn`."""
    one = replace(section, facts=[fact], budget=budget)
    messages = item_prefix(section, draft.facts, []) + [turn]
    unlicensed = bans(section.kind, draft.facts)
    return one, ChatRequest(messages, task(one, "refine", current=item.text), banned=unlicensed, guarded=unlicensed)


def extend(ctx: DraftContext, draft: Draft, section: Section, item: Item, fact: str, budget: int, others: str) -> None:
    """The item taken on from its end, in its own words, up to about `budget` characters; nothing
    the section's `others` items say is said again."""
    one, request = _item_request(section, draft, item, fact, budget, item_request(section, draft.facts, fact, budget))
    judge = sentence_judge(section.kind, item_sheet(draft.facts, section, fact), [*section.facts, fact])
    longer = sentences(go_on(ctx, one, request, lambda s, before: judge(s, others + before), item.text, budget,
                             position(fact, draft.facts), REACH, asked=True))
    item.lead, item.rest = longer[0], longer[1:]


def rewrite_prose(ctx: DraftContext, draft: Draft, section: Section, item: Item, fact: str, op: Operation) -> None:
    """The item's elaboration written again as asked: in a tone, or as a free instruction says.

    The lead and every sentence up to the last one holding a number stay as written (the guard
    bans digits, so the model could not write them again); the model rewrites what follows.
    """
    ask = user(render("item_refine", kind=section.kind, heading=strip_number(section.heading) or section.label, current=item.text,
                      instruction=op.instruction, how=rules()["tones"].get(op.tone, "")))
    one, request = _item_request(section, draft, item, fact, max(length(item.text), 80), ask)
    sheet = item_sheet(draft.facts, section, fact)
    kept_rest = item.rest[: 1 + max((i for i, s in enumerate(item.rest) if extract_numbers(s)), default=-1)]
    prefill = item.lead + "".join(kept_rest)
    room = max(0, int(length(item.text) * 1.2) - length(prefill))
    kept = guarded_stream(ctx, one, replace(request, prefill=prefill), sentence_judge(section.kind, sheet, [*section.facts, fact]),
                          lambda written: max(16, int((room - written) / 1.6)), room=room)
    if kept.text:
        item.rest = kept_rest + sentences(kept.text)


def from_reference(ctx: DraftContext, draft: Draft, section: Section, op: Operation) -> str:
    """The items written again with the pinned (or the N-th shown) passage as the worked example."""
    shown = section.pinned + [s for s in section.sources if s not in section.pinned]
    pick = shown[op.index - 1] if op.index and op.index <= len(shown) else (shown[0] if shown else None)
    guide = replace(section, pinned=[pick] if pick else [], versions=[], current=-1)
    return write_items(ctx, guide, draft.facts, [], asked=True).text
