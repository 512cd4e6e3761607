"""Refine one section from an instruction and the chat so far; every version is kept."""

from __future__ import annotations

import re

from assistant.checks import CorpusMatcher, check_section
from assistant.domain.draft import Draft, Section, SectionVersion
from assistant.drafting.context import DraftContext
from assistant.drafting.examples import find_examples
from assistant.drafting.generation import checked_generation, max_tokens_for, stream_text
from assistant.drafting.messages import refine_request, section_messages, task
from assistant.drafting.sections import draft_section
from assistant.drafting.tidying import tidy
from assistant.models.request import ChatRequest

QUOTED_RE = re.compile(r"[“\"「‘']([^”\"」’']{2,80})[”\"」’']")
CHAT_TURNS_KEPT = 6


def facts_from_instruction(instruction: str) -> list[str]:
    """Facts the user adds in quotes: 加上"开展主题党日6次" → ['开展主题党日6次']."""
    return [m.group(1).strip() for m in QUOTED_RE.finditer(instruction) if re.search(r"\d|[一二三四五六七八九十]", m.group(1))]


def add_user_facts(draft: Draft, section: Section, facts: list[str]) -> None:
    """Record new facts on the section and on the fact sheet, so the guardrails accept their numbers."""
    for fact in facts:
        if fact in section.facts:
            continue
        section.facts.append(fact)
        if section.kind == "achievements":
            index = int(section.key.split("-")[1]) - 1
            draft.facts.highlights[index].facts.append(fact)
        elif section.kind in ("problems", "plans"):
            getattr(draft.facts, section.kind).append(fact)
        else:
            draft.facts.notes = "；".join(x for x in (draft.facts.notes, fact) if x)


def propose_revision(ctx: DraftContext, draft: Draft, section: Section, instruction: str) -> SectionVersion:
    """A checked new version of the section, not yet accepted; the exchange is added to the section's chat."""
    add_user_facts(draft, section, facts_from_instruction(instruction))
    ctx.progress.section_started(section)
    messages = section_messages(section, draft.facts, find_examples(ctx.searcher, section), ctx.passages)[:-1]
    messages += section.chat[-CHAT_TURNS_KEPT:]
    messages.append(refine_request(section, instruction))
    budget = max(section.budget, len(section.text))
    request = ChatRequest(messages, task(section, "refine", budget=budget, current=section.text, instruction=instruction),
                          max_tokens=max_tokens_for(budget))

    def write(req: ChatRequest) -> tuple[str, str]:
        raw = stream_text(ctx, section, req)
        return raw, tidy(raw, section)

    attempt = checked_generation(ctx, section, request, write=write, repairs=1,
                                 check=lambda text: (text, check_section(text, section, draft.facts, ctx.matcher)))
    section.chat += [{"role": "user", "content": instruction}, {"role": "assistant", "content": attempt.text}]
    ctx.progress.section_done(section)
    return SectionVersion(attempt.text, "refine", instruction=instruction, findings=attempt.findings)


def accept(section: Section, version: SectionVersion) -> None:
    """Make a proposed version current; the earlier ones stay for undo."""
    section.add_version(version)


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
