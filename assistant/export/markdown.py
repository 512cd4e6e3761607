"""A draft as Markdown (`#` title, `##` chapters, `###` subsections, the 落款 last), and Markdown or plain text read back."""

from __future__ import annotations

import re

from assistant.domain.draft import Draft
from assistant.export import blocks as roles
from assistant.export.layout import LINE_CHARS, closing_indents, text_width

PREFIX = {roles.TITLE: "# ", roles.CHAPTER: "## ", roles.SUBSECTION: "### ", roles.BODY: ""}
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?$")  # an ATX heading, closing #s dropped
WIDE_SPACE = "\u3000"  # kept by Markdown, one character wide


def closing_padding(draft: Draft) -> dict[str, int]:
    """Full-width spaces before the name and the date, so that on a line of 28 characters they stand
    where GB/T 9704-2012 7.3.5.2 puts them (Markdown has no right alignment)."""
    signature, date = roles.closing_lines(draft)
    signature_right, date_right = closing_indents(signature, date)
    return {role: max(0, round(LINE_CHARS - right - text_width(text)))
            for role, text, right in ((roles.SIGNATURE, signature, signature_right), (roles.DATE, date, date_right))}


def draft_to_markdown(draft: Draft, *, closing: bool = True) -> str:
    """`# title`, `## 一、…` chapters, `### （一）…` subsections, one paragraph per body line, then the 落款.

    The 落款 (organisation, then 成文日期) is two paragraphs padded with full-width spaces to the
    right; `closing=False` leaves it out (the body alone, e.g. to check it).
    """
    out = []
    padding = closing_padding(draft)
    for role, text in roles.draft_blocks(draft, closing=closing):
        if role in roles.CLOSING_ROLES:
            out.append(WIDE_SPACE * padding[role] + text)
            continue
        if role == roles.BODY and text.startswith("#"):
            text = "\\" + text  # keep a body line from reading back as a heading
        out.append(PREFIX[role] + text)
    return "\n\n".join(out) + "\n"


def _heading_role(level: int) -> str:
    return roles.TITLE if level == 1 else roles.CHAPTER if level == 2 else roles.SUBSECTION


def markdown_blocks(text: str) -> list[roles.Block]:
    """The blocks of a Markdown or plain-text draft.

    `#` headings give the roles; a paragraph is its lines joined without spaces (Chinese text is
    hard-wrapped that way). With no `#` heading at all, the numbering decides (`roles.guess_roles`).
    A trailing 落款 (a name line and a date line) is marked either way (`roles.mark_closing`).
    """
    blocks: list[roles.Block] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append((roles.BODY, "".join(paragraph)))
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
    if all(role == roles.BODY for role, _ in blocks):
        return roles.guess_roles(text for _, text in blocks)
    return roles.mark_closing(blocks)
