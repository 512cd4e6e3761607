"""Read corpus files into text: .txt/.md in UTF-8, UTF-8 with BOM or GB18030/GBK, and .docx."""

from __future__ import annotations

import zipfile
from pathlib import Path

from charset_normalizer import from_bytes

from assistant.errors import LoadError

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx")
MAX_BYTES = 10 * 1024 * 1024
# Why python-docx could not open a file, in words for people (never the exception's name).
DOCX_FAILURES: tuple[tuple[type[Exception], str], ...] = (
    (zipfile.BadZipFile, "文件已损坏或不完整"),
    (KeyError, "文件里缺少 Word 正文"),
    (ValueError, "文件内容不是 Word 文档"),
    (OSError, "文件无法读取"),
)


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (with or without BOM), else GB18030 (a superset of GBK)."""
    if b"\x00" in data[:4096]:
        raise LoadError(name, "看起来是二进制文件，不是文本；请另存为 .txt（UTF-8）或 .docx 后再导入")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise LoadError(name, "无法识别文字编码；请另存为 UTF-8 编码的 .txt 后再导入")
    return str(best)


def read_docx(data: bytes, name: str) -> str:
    """Paragraph texts of a .docx, one per line (tables included, row by row)."""
    import io

    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
    except tuple(kind for kind, _ in DOCX_FAILURES) as exc:
        why = next(words for kind, words in DOCX_FAILURES if isinstance(exc, kind))
        raise LoadError(name, f"无法打开这个 .docx 文件：{why}；请用 Word 打开后另存为 .docx 再导入") from exc
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("　".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def checked_suffix(data: bytes, name: str, suffixes: tuple[str, ...]) -> str:
    """The file's suffix; LoadError naming it when it is of another type, empty or too large."""
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise LoadError(name, f"不支持的文件类型 {suffix or '（无扩展名）'}；支持 {'、'.join(suffixes)}")
    if not data.strip():
        raise LoadError(name, "文件是空的")
    if len(data) > MAX_BYTES:
        raise LoadError(name, f"文件过大（{len(data) / 1024 / 1024:.1f} MB，上限 10 MB）；请拆分后再导入")
    return suffix


def read_bytes(data: bytes, name: str) -> str:
    """Turn one file's bytes into text; raise LoadError naming the file and the reason."""
    suffix = checked_suffix(data, name, SUPPORTED_SUFFIXES)
    text = read_docx(data, name) if suffix == ".docx" else decode_text(data, name)
    if not text.strip():
        raise LoadError(name, "文件中没有文字")
    return text


def read_file(path: str | Path) -> str:
    """Read a corpus file from disk."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise LoadError(p.name, f"文件过大（{p.stat().st_size / 1024 / 1024:.1f} MB，上限 10 MB）；请拆分后再导入")
        data = p.read_bytes()
    except OSError as exc:
        raise LoadError(p.name, f"无法读取（{exc.strerror}）") from exc
    return read_bytes(data, p.name)


def corpus_files(paths: list[Path]) -> list[Path]:
    """Expand directories into their supported files, sorted; files are kept as given."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            found.append(p)
    return found
