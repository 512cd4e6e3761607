"""Parse a cleaned summary into its structure: title, opening, chapters, subsections and items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.text import ITEM_START_RE, SUBSECTION_RE, chapter_kind, heading_sentence, is_chapter_line

YEAR_RE = re.compile(r"(?:19|20)\d{2}")
LEVEL_RE = re.compile(r"机关党委|机关工委|党总支|党支部|党工委|党组(?!织)|党委")
# "在区直机关工委…的领导下" names the body above the writer, not the writer.
SUPERIOR_RE = re.compile(r"在[^，。；]*?(?:领导|指导|带领)下")

@dataclass
class Block:
    """A subsection or item: its heading sentence and full text (heading included)."""

    heading: str
    text: str
    items: list[Block] = field(default_factory=list)


@dataclass
class Chapter:
    heading: str  # the whole heading line, e.g. 一、上半年党建工作落实情况
    kind: str
    intro: list[str] = field(default_factory=list)  # paragraphs before the first subsection
    subsections: list[Block] = field(default_factory=list)


@dataclass
class ParsedDocument:
    title: str
    opening: list[str]
    chapters: list[Chapter]
    period: str  # 上半年 / 下半年 / 全年
    year: int
    level: str


def _level(text: str, *, skip_superior: bool = True) -> str:
    m = LEVEL_RE.search(SUPERIOR_RE.sub("", text) if skip_superior else text)
    return m.group(0) if m else ""


def split_items(paragraph: str) -> tuple[str, list[Block]]:
    """Split a paragraph at 一是/二是 … markers that start a sentence into (lead-in text, items).

    A paragraph with fewer than two markers, not starting with one, has no items.
    """
    starts = [m.start(1) for m in ITEM_START_RE.finditer(paragraph)]
    if len(starts) < 2 and not (starts and starts[0] == 0):
        return paragraph, []
    bounds = starts + [len(paragraph)]
    items = []
    for a, b in zip(bounds, bounds[1:]):
        chunk = paragraph[a:b].strip()
        items.append(Block(heading_sentence(chunk), chunk))
    return paragraph[: starts[0]].strip(), items


def _add_paragraph(chapter: Chapter, line: str) -> None:
    if SUBSECTION_RE.match(line):
        chapter.subsections.append(Block(heading_sentence(line), line, split_items(line)[1]))
        return
    lead, items = split_items(line)
    if chapter.subsections and items and not lead and "。" not in chapter.subsections[-1].text:
        # A bare subsection heading line followed by its items (sample 004).
        block = chapter.subsections[-1]
        block.text += "\n" + line
        block.items.extend(items)
        return
    if items:
        if lead:
            chapter.intro.append(lead)
        chapter.subsections.extend(items)
        return
    if chapter.subsections and "。" not in chapter.subsections[-1].text:
        chapter.subsections[-1].text += "\n" + line
        return
    chapter.intro.append(line)


def _looks_like_title(line: str) -> bool:
    return len(line) <= 60 and "。" not in line and not is_chapter_line(line)


def parse_document(text: str) -> ParsedDocument:
    """Parse cleaned text (one paragraph a line) into a ParsedDocument."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    title = lines.pop(0) if lines and _looks_like_title(lines[0]) else ""
    opening: list[str] = []
    chapters: list[Chapter] = []
    for line in lines:
        if is_chapter_line(line):
            chapters.append(Chapter(line, chapter_kind(line)))
        elif not chapters:
            opening.append(line)
        else:
            _add_paragraph(chapters[-1], line)
    head = title + "".join(opening[:1])
    year = YEAR_RE.search(head)
    first = "".join(opening[:1])
    level = _level(title) or _level(first) or _level(first, skip_superior=False)
    period = "上半年" if "上半年" in title else "下半年" if "下半年" in title else ("上半年" if "上半年" in head else "全年")
    return ParsedDocument(
        title=title,
        opening=opening,
        chapters=chapters,
        period=period,
        year=int(year.group(0)) if year else 0,
        level=level,
    )
