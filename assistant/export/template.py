"""A unit's own layout, read from its template .docx: page size and margins, fonts and sizes, line spacing.

For each role (title, chapter, subsection, body) the font is taken from the first paragraph of
that role in the template (its first run, then its style), else from the role's named style
(Normal; 一级标题 or Heading 1; 二级标题 or Heading 2; 公文标题 or Title), which counts for a
heading only when it names a Chinese font (Word's built-in heading styles that nobody set up name
theme fonts only). What the template does not give stays as in GB/T 9704-2012, a heading taking
the body's size. Line spacing is the first body paragraph's, else Normal's, else the document's
default. A file that is no Word document, or whose page or type is out of reason, is refused with
its name and the reason (`LoadError`).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from assistant.errors import LoadError
from assistant.export.blocks import BODY, CHAPTER, SUBSECTION, TITLE, guess_role
from assistant.export.docx import DOCX_ERRORS, STYLE_ROLES
from assistant.export.layout import GBT9704, Font, Layout

ROLE_STYLES = {TITLE: ("公文标题", "Title"), CHAPTER: ("一级标题", "Heading 1"),
               SUBSECTION: ("二级标题", "Heading 2"), BODY: ("Normal",)}
CONTENT_TYPES = "[Content_Types].xml"
TEMPLATE_TYPE = b"wordprocessingml.template.main+xml"  # a .dotx opens as a .docx once named so
DOCUMENT_TYPE = b"wordprocessingml.document.main+xml"
# What a template may set (beyond these it is refused): mm, mm, the type area in mm, pt, pt, lines.
PAGE_MM, MARGIN_MM, TYPE_AREA_MM = (90.0, 600.0), (0.0, 100.0), (60.0, 80.0)
SIZE_PT, LINE_PT, LINE_MULTIPLE = (5.0, 72.0), (5.0, 100.0), (0.5, 5.0)


def read_layout(source: bytes | str | os.PathLike[str], name: str | None = None) -> Layout:
    """The layout of a template .docx (its bytes or its path); LoadError naming the file when it is refused."""
    if isinstance(source, bytes):
        data, name = source, name or "模板"
    else:
        path = Path(source)
        name = name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise LoadError(name, "无法读取这个文件：请检查它是否存在、能否打开") from exc
    document = _open(data, name)
    section = document.sections[0]
    page = {key: round(getattr(section, attr).mm, 1) for key, attr in (
        ("page_width_mm", "page_width"), ("page_height_mm", "page_height"), ("top_mm", "top_margin"),
        ("bottom_mm", "bottom_margin"), ("left_mm", "left_margin"), ("right_mm", "right_margin"))
        if getattr(section, attr) is not None}
    found = _role_paragraphs(document)
    fonts = _fonts(document, found)
    rule, spacing = _spacing(document, found.get(BODY))
    layout = replace(GBT9704, **page, fonts=fonts, line_rule=rule, line_spacing=spacing, source=name)
    _check(layout, name)
    return layout


# --- opening ------------------------------------------------------------------------------------


def _as_document(data: bytes) -> bytes:
    """The bytes of a .docx: a .dotx template gets the document's content type, anything else is kept."""
    stream = io.BytesIO(data)
    if not zipfile.is_zipfile(stream):
        return data
    with zipfile.ZipFile(stream) as source:
        if CONTENT_TYPES not in source.namelist() or TEMPLATE_TYPE not in source.read(CONTENT_TYPES):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item)
                if item.filename == CONTENT_TYPES:
                    content = content.replace(TEMPLATE_TYPE, DOCUMENT_TYPE)
                target.writestr(item, content)
    return out.getvalue()


def _open(data: bytes, name: str) -> Any:
    try:
        return docx.Document(io.BytesIO(_as_document(data)))
    except DOCX_ERRORS as exc:
        raise LoadError(name, "不是有效的 Word 文件（.docx）或已损坏：请用 Word/WPS 打开后另存为 .docx 再上传") from exc


# --- fonts --------------------------------------------------------------------------------------


def _role_paragraphs(document: Any) -> dict[str, Any]:
    """The first paragraph of each role: by its style name, else by its numbering."""
    found: dict[str, Any] = {}
    texts = [p for p in document.paragraphs if p.text.strip()]
    for i, paragraph in enumerate(texts):
        style = paragraph.style.name if paragraph.style is not None else ""
        role = STYLE_ROLES.get(style or "") or guess_role(paragraph.text.strip(), i == 0)
        found.setdefault(role, paragraph)
    return found


def _style_chain(style: Any) -> Iterator[Any]:
    while style is not None:
        yield style
        style = style.base_style


def _named_style(document: Any, role: str) -> Any:
    for name in ROLE_STYLES[role]:
        try:
            return document.styles[name]
        except KeyError:
            continue
    return None


def _defaults(document: Any, part: str) -> Any:
    """The document default run (`rPr`) or paragraph (`pPr`) properties, or None."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    holder = defaults.find(qn(f"w:{part}Default")) if defaults is not None else None
    return holder.find(qn(f"w:{part}")) if holder is not None else None


def _run_properties(document: Any, role: str, paragraph: Any) -> list[Any]:
    """The run properties that decide a role's font, strongest first."""
    levels: list[Any] = []
    if paragraph is not None:
        levels += [run._r.rPr for run in paragraph.runs if run.text.strip()][:1]
        levels += [s.element.rPr for s in _style_chain(paragraph.style)]
    style = _named_style(document, role)
    if style is not None and (role == BODY or _east_asia(style.element.rPr)):
        levels += [s.element.rPr for s in _style_chain(style)]
    if role == BODY:
        levels.append(_defaults(document, "rPr"))
    return [rpr for rpr in levels if rpr is not None]


def _east_asia(rpr: Any) -> str | None:
    rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


def _size(rpr: Any) -> float | None:
    sz = rpr.find(qn("w:sz"))
    value = sz.get(qn("w:val")) if sz is not None else None
    return int(value) / 2 if value and value.isdigit() else None


def _fonts(document: Any, found: dict[str, Any]) -> dict[str, Font]:
    """Each role's font; headings without one of their own take the GB/T 9704 face at the body's size."""
    fonts: dict[str, Font] = {}
    for role in (BODY, TITLE, CHAPTER, SUBSECTION):
        levels = _run_properties(document, role, found.get(role))
        default = GBT9704.font(role)
        if role in (CHAPTER, SUBSECTION):
            default = Font(default.face, fonts[BODY].size)
        face = next((f for f in map(_east_asia, levels) if f), default.face)
        size = next((s for s in map(_size, levels) if s), default.size)
        fonts[role] = Font(face, size)
    return fonts


# --- line spacing -------------------------------------------------------------------------------


def _line(ppr: Any) -> tuple[str, float] | None:
    """(rule, value) of a paragraph-properties element's w:spacing, or None when it sets no line."""
    spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
    if spacing is None:
        return None
    line = spacing.get(qn("w:line"))
    if not line or not line.lstrip("-").isdigit():
        return None
    rule = spacing.get(qn("w:lineRule")) or "auto"
    if rule == "auto":
        return "multiple", round(int(line) / 240, 2)
    return ("exact" if rule == "exact" else "at_least"), int(line) / 20


def _spacing(document: Any, body: Any) -> tuple[str, float]:
    """The body's line spacing: its first paragraph's, its style's, Normal's, the default's, else single."""
    levels = []
    if body is not None:
        levels.append(body._p.pPr)
        levels += [s.element.pPr for s in _style_chain(body.style)]
    levels += [s.element.pPr for s in _style_chain(_named_style(document, BODY))]
    levels.append(_defaults(document, "pPr"))
    return next((found for found in map(_line, levels) if found), ("multiple", 1.0))


# --- checking -----------------------------------------------------------------------------------


def _check(layout: Layout, name: str) -> None:
    """LoadError naming the file when its page, margins, sizes or spacing are out of reason."""
    low, high = PAGE_MM
    if not (low <= layout.page_width_mm <= high and low <= layout.page_height_mm <= high):
        raise LoadError(name, f"纸张大小 {layout.page_width_mm:.0f}×{layout.page_height_mm:.0f} 毫米不合常规：请在模板中设置纸张（如 A4）后再上传")
    margins = (layout.top_mm, layout.bottom_mm, layout.left_mm, layout.right_mm)
    width = layout.page_width_mm - layout.left_mm - layout.right_mm
    height = layout.page_height_mm - layout.top_mm - layout.bottom_mm
    low, high = MARGIN_MM
    if not all(low <= m <= high for m in margins) or width < TYPE_AREA_MM[0] or height < TYPE_AREA_MM[1]:
        raise LoadError(name, f"页边距不合常规（版心只剩 {width:.0f}×{height:.0f} 毫米）：请在模板的页面设置中改小页边距后再上传")
    low, high = SIZE_PT
    for font in layout.fonts.values():
        if not low <= font.size <= high:
            raise LoadError(name, f"字号 {font.size:g} 磅不合常规：请检查模板中的字号后再上传")
    low, high = LINE_MULTIPLE if layout.line_rule == "multiple" else LINE_PT
    if not low <= layout.line_spacing <= high:
        raise LoadError(name, f"行距 {layout.line_spacing:g} 不合常规：请检查模板中正文的行距后再上传")
