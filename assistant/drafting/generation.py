"""The one checked-generation loop: ask, clean, check, and feed the findings back while errors remain.

Drafting a section, drafting an item and refining a section all go through `checked_generation`;
they differ only in how an answer is written, how it is checked and what a rewrite is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from assistant.domain.draft import Finding, Section
from assistant.drafting.context import DraftContext
from assistant.drafting.messages import assistant, render_findings, repair_request
from assistant.models.request import ChatRequest, Message

Write = Callable[[ChatRequest], tuple[str, str]]  # request → (the model's answer, the cleaned text)
Check = Callable[[str], tuple[str, list[Finding]]]  # text → (the text, possibly fixed by code; its findings)


@dataclass
class Attempt:
    """The last answer of a checked generation."""

    raw: str
    text: str
    findings: list[Finding]
    messages: list[Message]  # the conversation that produced it, the answer not included


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def max_tokens_for(budget: int) -> int:
    """A section's cap: one token per character of its budget (Qwen writes about 1.4), plus 64."""
    return budget + 64


def item_max_tokens(budget: int) -> int:
    """An item's cap: its budget at 1.6 characters a token, plus one sentence; a loop stops here."""
    return int(budget / 1.6) + 24


def stream_text(ctx: DraftContext, section: Section, request: ChatRequest) -> str:
    """Stream one answer, passing each piece to the progress callback."""
    parts: list[str] = []
    for delta in ctx.ask(section, request):
        parts.append(delta)
        ctx.progress.text_streamed(section, delta)
    return "".join(parts)


def checked_generation(
    ctx: DraftContext, section: Section, request: ChatRequest, *, write: Write, check: Check, repairs: int,
    repair_base: list[Message] | None = None,
) -> Attempt:
    """Write and check; on errors, rewrite with the findings at most `repairs` times.

    A rewrite sees the conversation so far plus the rejected answer, or `repair_base` plus it when given
    (a section's rewrite is shown no sample passage: copying from it is the most common failure).
    """
    messages = list(request.messages)
    for tries in range(repairs + 1):
        raw, text = write(replace(request, messages=messages))
        text, findings = check(text)
        bad = errors(findings)
        if not bad or tries == repairs:
            return Attempt(raw, text, findings, messages)
        ctx.progress.section_retry(section, render_findings(bad))
        base = messages if repair_base is None else repair_base
        messages = base + [assistant(text), repair_request(bad)]
        request = replace(request, task=replace(request.task, action="repair", current=text,
                                                findings=tuple(f.message for f in bad)))
    raise AssertionError("unreachable")
