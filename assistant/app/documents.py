"""A draft file as `assistant draft` writes it, read back into a Draft of its fact sheet; a section by its name."""

from __future__ import annotations

from pathlib import Path

from assistant.domain.draft import Draft, Section, SectionVersion
from assistant.domain.facts import FactSheet
from assistant.drafting.outline import build_outline
from assistant.errors import AssistantError
from assistant.export import read_draft_text
from assistant.text import strip_number


def draft_from_file(path: Path, sheet: FactSheet) -> Draft:
    """The sheet's outline with each section's text taken from the file, matched by heading."""
    draft = build_outline(sheet)
    _, units = read_draft_text(path)
    texts = {heading: body for heading, body in units if body}
    for section in draft.sections:
        body = texts.get(section.heading or section.chapter) if section.kind != "opening" else texts.get("")
        if body:
            section.add_version(SectionVersion(body, "edit", instruction=f"从 {Path(path).name} 读入"))
    return draft


def pick_section(draft: Draft, spec: str) -> Section:
    """The section named by its number (（一）, 二、, 三、), its heading text, or 开头."""
    wanted = spec.strip().rstrip("、")
    for section in draft.sections:
        names = {section.label, strip_number(section.heading), section.heading, section.chapter}
        numbers = {section.heading[:3], section.chapter[:1]} if section.heading else {section.chapter[:1]}
        if wanted in names - {""} or wanted in numbers - {""} or (wanted == "开头" and section.kind == "opening"):
            return section
    known = "、".join(s.heading[:3] if s.heading else (s.chapter[:2] or "开头") for s in draft.sections)
    raise AssistantError(f"找不到小节 {spec!r}：可用 {known}，或写小标题的文字")
