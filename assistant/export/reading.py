"""Read a draft file (.md, .markdown, .txt or .docx) back into its title and (heading, body) units."""

from __future__ import annotations

import os
from pathlib import Path

from assistant.errors import LoadError
from assistant.export.blocks import Block, Unit, group_units
from assistant.export.docx import DOCX_ERRORS, docx_blocks
from assistant.export.markdown import markdown_blocks

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
DOCX_SUFFIX = ".docx"


def _read_docx(path: Path) -> list[Block]:
    try:
        return docx_blocks(path)
    except DOCX_ERRORS as exc:
        raise LoadError(
            str(path), "不是有效的 .docx 文件或已损坏：请用 Word/WPS 打开后另存为 .docx 再试"
        ) from exc


def _read_text(path: Path) -> list[Block]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(str(path), "不是 UTF-8 编码的文本：请另存为 UTF-8 后再试") from exc
    except OSError as exc:
        raise LoadError(str(path), "无法读取：请检查文件是否存在、有无读取权限") from exc
    return markdown_blocks(text)


def read_draft_text(path: str | os.PathLike[str]) -> tuple[str, list[Unit]]:
    """Read a .md/.txt or .docx draft back into (title, [(heading, body), …]).

    One unit per heading, in document order: ("", opening) when text precedes the first heading,
    then (一、…, its own text — often "" when it has subsections), (（一）…, body), … Bodies are the
    paragraphs joined by newlines, so joining every heading and body gives back the whole text.
    LoadError, naming the file and what to do, when it cannot be read or holds no text.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, DOCX_SUFFIX):
        raise LoadError(str(p), "不支持的文件类型：请提供 .md 或 .docx 文稿")
    if not p.is_file():
        raise LoadError(str(p), "文件不存在：请检查路径")
    blocks = _read_docx(p) if suffix == DOCX_SUFFIX else _read_text(p)
    if not blocks:
        raise LoadError(str(p), "文件中没有文字：请确认选对了文稿")
    return group_units(blocks)
