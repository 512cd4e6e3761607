"""A draft as a stream of (role, text) blocks, the one shape every writer and reader goes through.

Roles: the title, a chapter heading (一、), a subsection heading (（一）) and a body paragraph.
Writers turn a draft into blocks; readers turn a file into blocks and `group_units` turns those
into (title, [(heading, body), …]).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from assistant.domain.draft import Draft
from assistant.text import CHAPTER_RE, SUBSECTION_RE

TITLE, CHAPTER, SUBSECTION, BODY = "title", "chapter", "subsection", "body"
HEADING_ROLES = (CHAPTER, SUBSECTION)
MAX_HEADING_CHARS = 40  # a numbered paragraph whose first sentence is longer is body text
MAX_GUESSED_TITLE_CHARS = 60

Block = tuple[str, str]  # (role, text)
Unit = tuple[str, str]  # (heading, body)


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a text, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def draft_blocks(draft: Draft) -> Iterator[Block]:
    """The draft as (role, text) blocks in reading order; each chapter heading once."""
    if draft.title:
        yield TITLE, draft.title
    for chapter, sections in draft.chapters():
        if chapter:
            yield CHAPTER, chapter
        for section in sections:
            if section.heading:
                yield SUBSECTION, section.heading
            for paragraph in paragraphs(section.text):
                yield BODY, paragraph


def _heading_split(text: str) -> list[Block] | None:
    """A 一、/（一） paragraph as a heading, plus its run-in body when the heading ends in 。.

    Chapter numbers may be followed by 、, ． or . (`assistant.text.CHAPTER_RE`).
    """
    for role, pattern in ((CHAPTER, CHAPTER_RE), (SUBSECTION, SUBSECTION_RE)):
        if pattern.match(text):
            head, _, rest = text.partition("。")
            if len(head) <= MAX_HEADING_CHARS:
                return [(role, head)] + ([(BODY, rest.strip())] if rest.strip() else [])
    return None


def guess_roles(texts: Iterable[str]) -> list[Block]:
    """Roles for text with no marked headings: numbering decides, a short first line is the title."""
    blocks: list[Block] = []
    for i, text in enumerate(texts):
        split = _heading_split(text)
        if split:
            blocks.extend(split)
        elif i == 0 and len(text) <= MAX_GUESSED_TITLE_CHARS and "。" not in text:
            blocks.append((TITLE, text))
        else:
            blocks.append((BODY, text))
    return blocks


def group_units(blocks: Iterable[Block]) -> tuple[str, list[Unit]]:
    """(title, [(heading, body), …]): one unit per heading, ("", opening) for text before the first.

    The title is a TITLE block that comes before any other text; a body is its paragraphs
    joined by newlines.
    """
    title = ""
    units: list[Unit] = []
    heading = ""
    body: list[str] = []
    for role, text in blocks:
        if role == TITLE and not title and not units and not body:
            title = text
        elif role in HEADING_ROLES:
            if heading or body:
                units.append((heading, "\n".join(body)))
            heading, body = text, []
        else:
            body.append(text)
    if heading or body:
        units.append((heading, "\n".join(body)))
    return title, units
