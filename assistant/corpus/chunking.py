"""Chunk a parsed summary by its own structure into Passages."""

from __future__ import annotations

from pathlib import Path

from assistant.corpus.cleaning import clean_text
from assistant.corpus.loading import read_file
from assistant.corpus.passage import HEADING_SEPARATOR, Passage
from assistant.corpus.structure import Block, ParsedDocument, parse_document
from assistant.corpus.topics import tag_topics
from assistant.errors import LoadError
from assistant.text import sentences

MAX_CHARS = 520  # a subsection longer than this is split into its items
MIN_CHARS = 30  # lead-in text under three times this joins the next chunk


def split_long(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Fall back to sentence boundaries (。；！？) to keep pieces under the limit."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in sentences(text):
        if current and len(current) + len(sentence) > limit:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def _block_units(block: Block) -> list[tuple[str, str]]:
    """(heading path tail, text) units for one subsection: whole, by items, or by sentences."""
    if len(block.text) <= MAX_CHARS:
        return [(block.heading, block.text)]
    if not block.items:
        return [(block.heading, piece) for piece in split_long(block.text)]
    lead = block.text[: block.text.find(block.items[0].text)].strip()
    units = [(block.heading, lead)] if len(lead) > MAX_CHARS // 3 else []
    for i, item in enumerate(block.items):
        text = f"{lead}\n{item.text}" if i == 0 and lead and not units else item.text
        units += [(block.heading + HEADING_SEPARATOR + item.heading, piece) for piece in split_long(text)]
    return units


def chunk_document(doc: ParsedDocument, source: str) -> list[Passage]:
    """Passages of a document: opening, then per chapter its intro and subsections; none crosses a chapter."""
    units: list[tuple[str, str, str]] = []  # (kind, heading path, text)
    opening = "\n".join(doc.opening)
    units += [("opening", doc.title, piece) for piece in split_long(opening)] if opening else []
    for chapter in doc.chapters:
        intro = "\n".join(chapter.intro)
        chapter_units = [(chapter.heading + HEADING_SEPARATOR + tail, text) for b in chapter.subsections for tail, text in _block_units(b)]
        if intro and len(intro) < MIN_CHARS * 3 and chapter_units:
            # A short lead-in ("主要表现在：") belongs with the first subsection.
            chapter_units[0] = (chapter_units[0][0], f"{intro}\n{chapter_units[0][1]}")
        elif intro:
            chapter_units = [(chapter.heading, piece) for piece in split_long(intro)] + chapter_units
        units += [(chapter.kind, heading, text) for heading, text in chapter_units]
    return [
        Passage(
            text=text,
            source=source,
            heading=heading,
            kind=kind,
            position=i,
            topics=tag_topics(text, heading),
            doc_title=doc.title,
            period=doc.period,
            year=doc.year,
            level=doc.level,
        )
        for i, (kind, heading, text) in enumerate(units)
    ]


def chunk_text(raw: str, source: str) -> list[Passage]:
    """Clean, parse and chunk raw text; raise LoadError when nothing but adverts remains."""
    cleaned = clean_text(raw)
    if len(cleaned) < 20:
        raise LoadError(source, "清除广告和水印后没有正文；请检查文件内容")
    return chunk_document(parse_document(cleaned), source)


def chunk_file(path: str | Path) -> list[Passage]:
    """Read, clean, parse and chunk one corpus file; the passage source is the file name."""
    p = Path(path)
    return chunk_text(read_file(p), p.name)
