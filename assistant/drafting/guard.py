"""Constrained decoding for a local model: a guard that reads the stream sentence by sentence.

The request is sent with the lead written by code as the assistant prefill and with a logit bias
against what the facts do not license; the unlicensed words no token begins with are watched in
the stream. At the first sentence that still fails a check, or the first such word, the guard stops
the request, keeps the text up to the last clean sentence and resumes from there, with the words at
fault banned for sure (a grammar); no token is spent on text that would be thrown away.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from assistant.checks import check_formulations, check_names, check_numbers, check_period, check_placeholders
from assistant.checks.claims import dangling, restates, sentence_findings, unlicensed_words
from assistant.checks.repeats import repeats, repeats_so_far, same_start
from assistant.domain.draft import Finding, Section
from assistant.domain.facts import FactSheet
from assistant.drafting.closers import Closers
from assistant.drafting.context import DraftContext
from assistant.drafting.openers import continuations
from assistant.models.request import ChatRequest
from assistant.text import ITEM_START_RE, SENTENCE_END

DIGITS = tuple("0123456789")  # Qwen writes numbers digit by digit: banning these bans every Arabic number
# An elaboration never starts numbering again ("一是" is one token); 二是 stays free to end the item.
# A colon opens a label (目标：). The local model's bias names every token that begins with a word, so
# 我 keeps out 我局, 我县, 我们, 我会 and 我国 too (自我 stays free); 我们 and 我会 are listed for clients
# that ban by string. 例如 / 比如 bring in an example the
# facts never gave; 首先 … 最后 a sequence of steps it never took; 这次 / 此次 one event of a fact that
# may count several; 此外 more that it never did; 一方面 a second side it never gives. An item is one
# paragraph: a line break (。\n is a token too) would start the next.
ALWAYS_BANNED = (*DIGITS, "\n", "《", "一是", "：", "我", "我们", "我会", "例如", "比如", "譬如",
                 "首先", "其次", "再次", "最后", "这次", "此次", "本次", "此外", "一方面")
MAX_RESUMES = 2
ITEM_END = "item_end"  # not a fault: the model began the next item or paragraph, so this one is done
SENTENCE_DONE_RE = re.compile(rf"^(.*?[{SENTENCE_END}])", re.S)


def _next_sentence(pending: str, clauses: int | None) -> tuple[str, str, bool] | None:
    """(the first sentence of `pending`, what follows it, whether it was cut), once it is done: at its
    end mark, or at the comma that closes its `clauses`-th clause once another begins (the sentence
    ends there, and what follows is not read)."""
    if clauses is not None and (cut := re.match(rf"^((?:[^，{SENTENCE_END}]*，){{{clauses}}})(?=[^{SENTENCE_END}])", pending)):
        return cut.group(1)[:-1] + "。", "", True
    if done := SENTENCE_DONE_RE.match(pending):
        return done.group(1), pending[done.end():], False
    return None


def _fragment(sentence: str) -> list[Finding]:
    """A sentence cut at its clauses (its opener aside) that is only framing (根据党组织要求，结合实际。): it
    says nothing done."""
    parts = [p for p in re.split("[，。]", sentence) if p]
    framing = continuations()["framing_starts"]
    if all(p.startswith(tuple(framing)) for p in parts):
        first = next(w for w in framing if parts[0].startswith(w))
        return [Finding("fragment", f"“{sentence}”只有状语，没有说做什么", span=first)]
    return []


Judge = Callable[[str, str], list[Finding]]  # (a sentence, or its start, and the text before it) → what is wrong


@dataclass
class Guarded:
    """What a guarded generation kept."""

    text: str = ""
    sentences: int = 0


def item_end() -> Finding:
    return Finding(ITEM_END, "下一条开始了：这一条到此为止")


def bans(kind: str, sheet: FactSheet) -> tuple[str, ...]:
    """What a local model may not write in a text of `kind` for this sheet: never text about the
    writing, nor the unit's or its superior's name (a reader changed every one: the body is the
    subject already, and the model misspelt it)."""
    names = tuple(n for n in (sheet.organization, sheet.superior) if n)
    return (*ALWAYS_BANNED, *names, *unlicensed_words(kind, sheet))


def sentence_judge(kind: str, sheet: FactSheet, facts: list[str], closers: Closers | None = None) -> Judge:
    """The sentence-level checks: claims, numbers and names the facts do not give, stale formulations,
    a figure of `facts` given again, and anything said before (the unit's name may be said again).
    No two sentences of an item start alike; of a sentence still being written (no end mark yet),
    only that and a wording said before are judged. With `closers`, a clean sentence takes its
    closing formulas, and fails if another item took one first."""
    named = [*facts, sheet.organization]

    def judge(sentence: str, before: str) -> list[Finding]:
        if (again := same_start(sentence, before)) is not None:
            return [again]
        if not sentence.rstrip().endswith(tuple(SENTENCE_END)):  # still being written: what it cannot undo
            return [again] if (again := repeats_so_far(sentence, before, named)) else []
        if restates(sentence, facts):
            return [Finding("restated_fact", f"“{sentence}”把事实又说了一遍")]
        if (again := repeats(sentence, before, named) or dangling(sentence, before)) is not None:
            return [again]
        if ITEM_START_RE.match(sentence.strip()) or "\n" in sentence.strip():
            return [item_end()]
        numbers = [f for f in check_numbers(sentence, [], sheet) if f.check == "invented_number"]
        found = (sentence_findings(sentence, kind, sheet) + numbers + check_names(sentence, sheet)
                 + check_formulations(sentence, sheet) + check_period(sentence, sheet, kind) + check_placeholders(sentence, sheet))
        if not found and closers is not None and (again := closers.claim(sentence)):
            return [again]
        return found

    return judge


def guarded_stream(ctx: DraftContext, section: Section, request: ChatRequest, judge: Judge,
                   cap: Callable[[int], int], resumes: int = MAX_RESUMES, room: int | None = None,
                   opener: str = "", most: int | None = None, clauses: int | None = None) -> Guarded:
    """The text the model writes after `request.prefill`, every sentence passing `judge`.

    Reading stops at the first sentence end once `room` characters are written, or once `most`
    sentences are, so no token is spent on a sentence that would be cut. A sentence that reaches
    more than `clauses` clauses ends at the last of them, and so does the answer. `cap(n)`, the
    token cap once n characters are written, only ends a run-away answer; an unfinished last
    sentence is dropped. An `opener` (同时，) is prefilled as the start of the first sentence and
    judged with it; it goes if that sentence does.
    """
    kept = Guarded()
    banned, guarded = list(request.banned), request.guarded
    for _ in range(resumes + 1):
        start = "" if kept.text else opener
        attempt = replace(request, prefill=request.prefill + kept.text + start, banned=tuple(banned), guarded=guarded,
                          max_tokens=cap(len(kept.text)))
        faults = _stream_sentences(ctx, section, attempt, judge, kept, request.prefill, room, start, most, clauses)
        if faults is None or any(f.check == ITEM_END for f in faults):
            return kept
        spans = {f.span for f in faults if f.span}
        banned += [s for s in spans if s not in banned]
        guarded = tuple(w for w in guarded if w not in spans)  # a word the model wrote is kept out for sure
    return kept


def _stream_sentences(ctx: DraftContext, section: Section, request: ChatRequest, judge: Judge, kept: Guarded,
                      start: str, room: int | None, opener: str, most: int | None, clauses: int | None) -> list[Finding] | None:
    """Stream until the answer ends, fills `room`, has `most` sentences or a sentence past `clauses`
    clauses (None), or a sentence fails (its findings); clean sentences go to `kept`. The answer goes
    on from `opener`, the start of its first sentence."""
    stream = ctx.ask(section, request)
    pending = opener
    try:
        for delta in stream:
            pending += delta
            while done := _next_sentence(pending, clauses):
                sentence, pending, cut = done
                if faults := (cut and _fragment(sentence.removeprefix(opener))) or judge(sentence, start + kept.text):
                    return faults
                kept.text += sentence
                kept.sentences += 1
                ctx.started.set()
                ctx.progress.text_streamed(section, sentence)
                if cut or (room is not None and len(kept.text) >= room) or (most is not None and kept.sentences >= most):
                    return None
            if "\n" in pending or ITEM_START_RE.match(pending.lstrip()):  # the next item or paragraph: stop now
                return [item_end()]
            if word := next((w for w in request.guarded if w in pending), None):  # a word the grammar left to us
                return [Finding("unlicensed_word", f"写了事实不支持的“{word}”", span=word)]
            if pending != opener and (faults := judge(pending, start + kept.text)):  # failing already
                return faults
    finally:
        stream.close()  # stops the server's generation when we leave early
    return None
