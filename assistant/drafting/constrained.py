"""Items written by a model whose decoding we control: the fact as the prefilled lead, a guarded
elaboration, several items at once in the local server's slots, streamed in item order."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from assistant.domain.draft import Finding, Section
from assistant.domain.facts import FactSheet
from assistant.drafting.context import DraftContext
from assistant.drafting.generation import item_max_tokens
from assistant.drafting.guard import Judge, bans, guarded_stream, sentence_judge
from assistant.drafting.messages import task
from assistant.drafting.openers import clauses, continuations, moves, phrasing
from assistant.drafting.progress import DraftProgress
from assistant.drafting.purposes import purpose_openers
from assistant.models.request import ChatRequest, Message
from assistant.text import full_stop

MIN_CAP = 16  # tokens: room for one more short sentence
JOIN = "，"  # a phrasing that starts so goes on in the sentence before it
GO_ON_BELOW = 0.8  # an item shorter than this share of its budget is taken on, one opener at a time
ItemWriter = Callable[[DraftContext, int], tuple[str, list[Finding]]]


def lead_of(fact: str) -> str:
    """The item's first sentence: the fact in the user's own words."""
    return fact.rstrip("。；，") + "。"


def elaborate(ctx: DraftContext, one: Section, sheet: FactSheet, messages: list[Message], given: list[str], at: int,
              asked: bool = False, purpose: str = "") -> str:
    """The lead and a guarded elaboration of one item, `at` its position among the facts; a short one
    is taken on (see `go_on`).

    The model writes at most `own_sentences` of the item's kind on its own before the openers take
    over (data/continuations.yaml); when the user `asked` for more, the openers they may ask for
    follow, and a sentence may have any number of clauses. No figure of the section's facts, `given`,
    is written again: the leads give them, each once; nor a closing formula the draft used before
    (`DraftContext.closers`). An official `purpose` (`purposes.official_purposes`) follows a purpose
    opener in place of the model's."""
    lead = lead_of(one.facts[0])
    judge = sentence_judge(one.kind, sheet, given, ctx.closers)
    room = one.budget - len(lead)
    unlicensed = bans(one.kind, sheet)
    banned = (*unlicensed, *continuations()["banned"].get(one.kind, ()), *ctx.closers.used)
    request = ChatRequest(messages, task(one, "item"), prefill=lead, banned=banned,
                          guarded=unlicensed, max_tokens=_cap(room)(0))
    held = HeldStop(ctx.progress, one, lead)
    ctx = replace(ctx, progress=held)
    most = continuations()["own_sentences"].get(one.kind)
    text = lead
    if most != 0:
        text += guarded_stream(ctx, one, request, judge, _cap(room), room=room, most=most,
                               clauses=clauses(one.kind, asked)).text
    text = go_on(ctx, one, request, judge, text, one.budget, at, asked=asked, purpose=purpose)
    held.release()
    return text


def _cap(room: int) -> Callable[[int], int]:
    """The token cap once `written` characters of `room` are written: what is left, plus one sentence."""
    return lambda written: max(MIN_CAP, item_max_tokens(room - written))


def go_on(ctx: DraftContext, one: Section, request: ChatRequest, judge: Judge, text: str, budget: int, at: int,
          until: float = GO_ON_BELOW, asked: bool = False, purpose: str = "") -> str:
    """`text` taken on while it is under `until` of `budget`: one sentence per move of its kind
    (`openers.moves`, more of them when the user `asked` for more), from an opener prefilled (the
    phrasing whose turn it is for the item `at` its position, `openers.phrasing`), and never
    the start of a new item. A phrasing that starts with a comma (，旨在) goes on in the sentence
    `text` ends with, with one clause more. The model may end a round early; nothing it writes
    after a round's first sentence is read. A `purpose` given is written after a purpose opener by
    code, and the model is not asked."""
    text = full_stop(text)
    for move in moves(one.kind, asked, one.facts[0]):
        if len(text) >= until * budget:
            break
        if (opener := phrasing(move, at, text)) is None:  # each connective said already
            continue
        joins = opener.startswith(JOIN) and text.endswith("。")
        base = text.removesuffix("。") if joins else text
        if purpose and opener in purpose_openers():
            text = base + _said(ctx, one, opener + purpose + "。")
            continue
        most_clauses = clauses(one.kind, asked)
        more = replace(request, prefill=base, task=task(one, "continue", current=base),
                       banned=(*dict.fromkeys((*request.banned, *ctx.closers.used)), *continuations()["no_new_item"],
                               *continuations()["after_opener"].get(opener, ())))
        got = guarded_stream(ctx, one, more, judge, _cap(budget - len(text)), opener=opener, room=1,
                             clauses=most_clauses + joins if most_clauses is not None else None).text
        if got:
            text = base + got
    return full_stop(text)


def _said(ctx: DraftContext, one: Section, sentence: str) -> str:
    """`sentence`, written by code, shown as the model's are."""
    ctx.started.set()
    ctx.progress.text_streamed(one, sentence)
    return sentence


class HeldStop(DraftProgress):
    """Streams an item's lead at once but for its full stop, which waits until what follows shows
    whether it goes on in the lead's sentence (，旨在……) or starts its own."""

    def __init__(self, progress: DraftProgress, section: Section, lead: str) -> None:
        self.progress, self.section, self.held = progress, section, True
        progress.text_streamed(section, lead.removesuffix("。"))

    def text_streamed(self, section: Section, delta: str) -> None:
        if self.held and delta:
            self.held = False
            delta = delta if delta.startswith(JOIN) else "。" + delta
        self.progress.text_streamed(section, delta)

    def release(self) -> None:
        """The item is done: its lead's full stop, if still held."""
        if self.held:
            self.held = False
            self.progress.text_streamed(self.section, "。")

    def model_busy(self, section: Section, ahead: int) -> None:
        self.progress.model_busy(section, ahead)

    def section_retry(self, section: Section, reason: str) -> None:
        self.progress.section_retry(section, reason)


def write_in_slots(ctx: DraftContext, section: Section, count: int, write: ItemWriter) -> list[tuple[str, list[Finding]]]:
    """`write(ctx, k)` for items 0…count-1, as many at once as the client allows, text streamed in item order.

    The run's first item has a head start (`DraftContext.head_start`).
    """
    if count == 0:
        return []
    order = InOrder(ctx.progress, section, count)

    def one(k: int) -> tuple[str, list[Finding]]:
        try:
            return write(replace(ctx, progress=order.proxy(k)), k)
        finally:
            order.finish(k)

    with ThreadPoolExecutor(max_workers=max(1, min(ctx.client.concurrency, count))) as pool:
        first = ctx.head_start(pool, lambda: one(0))
        return [first.result(), *pool.map(one, range(1, count))]


class InOrder:
    """Passes items' streamed text to the section's progress in item order, whatever order they are written in."""

    def __init__(self, progress: DraftProgress, section: Section, count: int) -> None:
        self.progress, self.section = progress, section
        self.buffers: list[list[str]] = [[] for _ in range(count)]
        self.done = [False] * count
        self.next = 0
        self.lock = threading.Lock()

    def proxy(self, k: int) -> DraftProgress:
        order = self

        class Item(DraftProgress):
            def text_streamed(self, section: Section, delta: str) -> None:
                order.emit(k, delta)

            def section_retry(self, section: Section, reason: str) -> None:
                order.progress.section_retry(order.section, reason)

            def model_busy(self, section: Section, ahead: int) -> None:
                order.progress.model_busy(order.section, ahead)

        return Item()

    def emit(self, k: int, delta: str) -> None:
        with self.lock:
            if k == self.next:
                self.progress.text_streamed(self.section, delta)
            else:
                self.buffers[k].append(delta)

    def finish(self, k: int) -> None:
        with self.lock:
            self.done[k] = True
            while self.next < len(self.done) and self.done[self.next]:
                self.next += 1
                if self.next < len(self.done):
                    for delta in self.buffers[self.next]:
                        self.progress.text_streamed(self.section, delta)
                    self.buffers[self.next].clear()
