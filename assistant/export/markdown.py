"""A draft as Markdown (`#` title, `##` chapters, `###` subsections), and Markdown or plain text read back."""

from __future__ import annotations

import re

from assistant.domain.draft import Draft
from assistant.export.blocks import BODY, CHAPTER, SUBSECTION, TITLE, Block, draft_blocks, guess_roles

PREFIX = {TITLE: "# ", CHAPTER: "## ", SUBSECTION: "### ", BODY: ""}
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?$")  # an ATX heading, closing #s dropped


def draft_to_markdown(draft: Draft) -> str:
    """`# title`, `## 一、…` chapters, `### （一）…` subsections, one paragraph per body line."""
    out = []
    for role, text in draft_blocks(draft):
        if role == BODY and text.startswith("#"):
            text = "\\" + text  # keep a body line from reading back as a heading
        out.append(PREFIX[role] + text)
    return "\n\n".join(out) + "\n"


def _heading_role(level: int) -> str:
    return TITLE if level == 1 else CHAPTER if level == 2 else SUBSECTION


def markdown_blocks(text: str) -> list[Block]:
    """The blocks of a Markdown or plain-text draft.

    `#` headings give the roles; a paragraph is its lines joined without spaces (Chinese text is
    hard-wrapped that way). With no `#` heading at all, the numbering decides (`guess_roles`).
    """
    blocks: list[Block] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append((BODY, "".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if heading := HEADING_RE.match(line):
            end_paragraph()
            blocks.append((_heading_role(len(heading.group(1))), heading.group(2)))
        elif not line:
            end_paragraph()
        else:
            paragraph.append(line[1:] if line.startswith("\\#") else line)
    end_paragraph()
    if all(role == BODY for role, _ in blocks):
        return guess_roles(text for _, text in blocks)
    return blocks
