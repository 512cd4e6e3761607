"""A draft as a stream of (role, text) blocks, the one shape every writer and reader goes through.

Roles: the title, a chapter heading (一、), a subsection heading (（一）), a body paragraph, and
the 落款 at the end: the organisation's name (SIGNATURE) and the 成文日期 (DATE). Writers turn
a draft into blocks; readers turn a file into blocks and `group_units` turns those into
(title, [(heading, body), …]), leaving the 落款 out of every body.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from assistant.domain.draft import Draft
from assistant.text import CHAPTER_RE, ITEM_START_RE, SUBSECTION_RE

TITLE, CHAPTER, SUBSECTION, BODY = "title", "chapter", "subsection", "body"
SIGNATURE, DATE = "signature", "date"
HEADING_ROLES = (CHAPTER, SUBSECTION)
CLOSING_ROLES = (SIGNATURE, DATE)
MAX_HEADING_CHARS = 40  # a numbered paragraph whose first sentence is longer is body text
MAX_GUESSED_TITLE_CHARS = 60
MAX_SIGNATURE_CHARS = 40
# A 成文日期 standing alone: 2024年7月8日 (GB/T 9704-2012 7.3.5.4), or in Chinese numerals.
DATE_LINE_RE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
SIGNATURE_LINE_RE = re.compile(r"^[^。，；：！？、]+$")

Block = tuple[str, str]  # (role, text)
Unit = tuple[str, str]  # (heading, body)


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a text, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def chinese_date(date: dt.date) -> str:
    """A 成文日期 as GB/T 9704-2012 writes it: Arabic numerals, the year in full, no leading zeros."""
    return f"{date.year}年{date.month}月{date.day}日"


def closing_lines(draft: Draft) -> tuple[str, str]:
    """The 落款 of a draft: the organisation's name and the report date in Chinese form."""
    return draft.facts.organization, chinese_date(draft.facts.report_date)


def draft_blocks(draft: Draft, *, closing: bool = True) -> Iterator[Block]:
    """The draft as (role, text) blocks in reading order; each chapter heading once; the 落款 last."""
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
    if closing:
        signature, date = closing_lines(draft)
        yield SIGNATURE, signature
        yield DATE, date


def lead_spans(text: str) -> list[tuple[str, bool]]:
    """A body paragraph as (text, bold) runs: each 一是/二是 item's lead sentence is bold.

    The lead runs from the marker through the first 。 after it, and never into the next item.
    """
    starts = [m.start(1) for m in ITEM_START_RE.finditer(text)]
    spans: list[tuple[str, bool]] = []
    at = 0
    for i, start in enumerate(starts):
        limit = starts[i + 1] if i + 1 < len(starts) else len(text)
        stop = text.find("。", start, limit)
        end = limit if stop < 0 else stop + 1
        if start > at:
            spans.append((text[at:start], False))
        spans.append((text[start:end], True))
        at = end
    if at < len(text):
        spans.append((text[at:], False))
    return spans


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


def guess_role(text: str, first: bool) -> str:
    """The role a paragraph of an unmarked document starts with: numbering decides, a short first line is the title."""
    split = _heading_split(text)
    if split:
        return split[0][0]
    if first and len(text) <= MAX_GUESSED_TITLE_CHARS and "。" not in text:
        return TITLE
    return BODY


def guess_roles(texts: Iterable[str]) -> list[Block]:
    """Roles for text with no marked headings: numbering decides, a short first line is the title.

    A closing date line (and the short line above it) at the end is the 落款 (`mark_closing`).
    """
    blocks: list[Block] = []
    for i, text in enumerate(texts):
        split = _heading_split(text)
        if split:
            blocks.extend(split)
        else:
            blocks.append((guess_role(text, i == 0), text))
    return mark_closing(blocks)


def mark_closing(blocks: list[Block]) -> list[Block]:
    """The blocks with a trailing 落款 marked: a date line last, and the short name line before it.

    Only body blocks are taken; a document that does not end with a date keeps its roles.
    """
    if not blocks or blocks[-1][0] != BODY or not DATE_LINE_RE.match(blocks[-1][1]):
        return blocks
    marked = blocks[:-1] + [(DATE, blocks[-1][1])]
    if len(marked) >= 2:
        role, text = marked[-2]
        if role == BODY and len(text) <= MAX_SIGNATURE_CHARS and SIGNATURE_LINE_RE.match(text):
            marked[-2] = (SIGNATURE, text)
    return marked


def group_units(blocks: Iterable[Block]) -> tuple[str, list[Unit]]:
    """(title, [(heading, body), …]): one unit per heading, ("", opening) for text before the first.

    The title is a TITLE block that comes before any other text; a body is its paragraphs
    joined by newlines. The 落款 (SIGNATURE and DATE blocks) belongs to no unit.
    """
    title = ""
    units: list[Unit] = []
    heading = ""
    body: list[str] = []
    for role, text in blocks:
        if role in CLOSING_ROLES:
            continue
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
