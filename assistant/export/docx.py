"""A draft as a .docx laid out to GB/T 9704-2012 (or a unit's own `Layout`), and a .docx read back into blocks.

The page and the fonts come from the layout (`assistant.export.layout`): by default A4 with the
公文 margins, 22 lines of 28 characters in 三号, the title in 方正小标宋简体 二号, chapters in 黑体
and subsections in 楷体_GB2312, both bold so they stay distinct where those fonts are missing,
the body in 仿宋_GB2312 with a two-character indent and the lead sentence of each 一是 item in
bold, the 落款 right-aligned at the end (GB/T 9704-2012 7.3.5.2), and the page number "— N —"
in 四号 宋体 on the outer edge of each page.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assistant.domain.draft import Draft
from assistant.export.blocks import (
    BODY,
    CHAPTER,
    DATE,
    HEADING_ROLES,
    SIGNATURE,
    SUBSECTION,
    TITLE,
    Block,
    closing_lines,
    draft_blocks,
    guess_roles,
    lead_spans,
    mark_closing,
)
from assistant.export.layout import GBT9704, Font, Layout, closing_indents
from assistant.export.wordxml import format_run, page_number, set_fonts, set_indent_chars, set_outline_level, set_rfonts

ITEM_RE = re.compile(r"^\d{1,2}[.．]")  # a `1.` item, whose lead sentence is set in bold
INDENT_CHARS = 2
SINGLE_LINE = 1.3  # a single line is about 1.3 times the font size (for spacing a `multiple` layout)
PAGE_NUMBER_GAP_MM = 12  # the page number's dashes sit about 7 mm below the type area

# What reading a .docx can raise for a file that is not a Word document or is damaged.
DOCX_ERRORS: tuple[type[BaseException], ...] = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    SyntaxError,
    OSError,
)


@dataclass(frozen=True)
class _Look:
    """How one kind of paragraph looks."""

    style: str  # the paragraph style's name (its id is the ASCII `style_id`)
    style_id: str
    font: Font
    bold: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    indent_chars: float = INDENT_CHARS
    right_chars: float = 0
    outline_level: int | None = None
    space_before: float = 0  # lines
    space_after: float = 0  # lines


def _looks(layout: Layout) -> dict[str, _Look]:
    right = WD_ALIGN_PARAGRAPH.RIGHT
    return {
        TITLE: _Look("公文标题", "DraftTitle", layout.font(TITLE), align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0,
                     space_after=1),
        CHAPTER: _Look("一级标题", "DraftChapter", layout.font(CHAPTER), bold=True, outline_level=0),
        SUBSECTION: _Look("二级标题", "DraftSubsection", layout.font(SUBSECTION), bold=True, outline_level=1),
        BODY: _Look("Normal", "Normal", layout.font(BODY)),
        SIGNATURE: _Look("发文机关署名", "DraftSignature", layout.font(SIGNATURE), align=right, indent_chars=0,
                         space_before=1),  # 正文下空一行
        DATE: _Look("成文日期", "DraftDate", layout.font(DATE), align=right, indent_chars=0),
    }


STYLE_ROLES = {look.style: role for role, look in _looks(GBT9704).items() if role != BODY} | {
    "Title": TITLE,
    "Heading 1": CHAPTER,
    "Heading 2": SUBSECTION,
    "Heading 3": SUBSECTION,
}


# --- paragraph formats, styles and page ---------------------------------------------------------


def _line_pt(layout: Layout) -> float:
    """One line's height in points."""
    if layout.line_rule == "multiple":
        return layout.line_spacing * SINGLE_LINE * layout.font(BODY).size
    return layout.line_spacing


def _format_paragraph(fmt: Any, ppr: Any, look: _Look, layout: Layout) -> None:
    """Alignment, indents and line spacing, on a paragraph or on a style."""
    fmt.alignment = look.align
    fmt.first_line_indent = Pt(look.indent_chars * look.font.size)
    fmt.right_indent = Pt(look.right_chars * look.font.size)
    set_indent_chars(ppr, look.indent_chars, look.right_chars)
    if layout.line_rule == "multiple":
        fmt.line_spacing = layout.line_spacing
    else:
        fmt.line_spacing = Pt(layout.line_spacing)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY if layout.line_rule == "exact" else WD_LINE_SPACING.AT_LEAST
    fmt.space_before = Pt(look.space_before * _line_pt(layout))
    fmt.space_after = Pt(look.space_after * _line_pt(layout))
    if look.outline_level is not None:
        set_outline_level(ppr, look.outline_level)


def _set_up_defaults(styles: Any, body: Font) -> None:
    """The document defaults name the body font and Chinese, so nothing falls back to a theme font."""
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
    if rpr is None:
        return
    if (rfonts := rpr.find(qn("w:rFonts"))) is not None:
        set_rfonts(rfonts, body.face)
    if (lang := rpr.find(qn("w:lang"))) is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _new_style(styles: Any, look: _Look) -> Any:
    """A new paragraph style for one role, based on Normal."""
    style = styles.add_style(look.style_id, WD_STYLE_TYPE.PARAGRAPH)
    style.name = look.style  # the id stays ASCII; Word shows the Chinese name
    style.base_style = styles["Normal"]
    style.next_paragraph_style = styles["Normal"]
    style.quick_style = True
    return style


def _set_up_styles(document: Any, looks: dict[str, _Look], layout: Layout) -> None:
    """Normal carries the body's look (so nothing falls back); one style per other role."""
    styles = document.styles
    _set_up_defaults(styles, layout.font(BODY))
    for role, look in looks.items():
        style = styles["Normal"] if role == BODY else _new_style(styles, look)
        set_fonts(style.element, look.font.face)
        style.font.size = Pt(look.font.size)
        style.font.bold = look.bold
        _format_paragraph(style.paragraph_format, style.element.get_or_add_pPr(), look, layout)
        if role in HEADING_ROLES or role == SIGNATURE:  # a heading stays with its text, the name with the date
            style.paragraph_format.keep_with_next = True


def _set_up_page(document: Any, layout: Layout) -> None:
    """The layout's page and margins; page numbers right on odd pages, left on even ones."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(layout.page_width_mm), Mm(layout.page_height_mm)
    section.top_margin, section.bottom_margin = Mm(layout.top_mm), Mm(layout.bottom_mm)
    section.left_margin, section.right_margin = Mm(layout.left_mm), Mm(layout.right_mm)
    section.footer_distance = Mm(max(layout.bottom_mm - PAGE_NUMBER_GAP_MM, 5))
    document.settings.odd_and_even_pages_header_footer = True
    page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


# --- writing ------------------------------------------------------------------------------------


def _runs(text: str) -> list[tuple[str, bool]]:
    """A body paragraph as (text, bold) runs: a `1.` item's lead sentence, or each 一是 item's, in bold."""
    if not ITEM_RE.match(text):
        return lead_spans(text)
    end = text.find("。")
    return [(text, True)] if end < 0 else [(text[: end + 1], True), (text[end + 1 :], False)]


def _add_block(document: Any, look: _Look, role: str, text: str, layout: Layout) -> None:
    paragraph = document.add_paragraph(style=document.styles[look.style])
    _format_paragraph(paragraph.paragraph_format, paragraph._p.get_or_add_pPr(), look, layout)
    for part, bold in _runs(text) if role == BODY else [(text, look.bold)]:
        if part:
            format_run(paragraph.add_run(part), look.font.face, look.font.size, bold)


def draft_to_docx(draft: Draft, path_or_stream: str | os.PathLike[str] | IO[bytes], layout: Layout | None = None) -> None:
    """Write the draft as a .docx in `layout` (GB/T 9704-2012 by default): page, fonts, spacing, 落款, page numbers.

    The fonts are named in the file whether or not this machine has them.
    """
    layout = layout or GBT9704
    looks = _looks(layout)
    document = docx.Document()
    _set_up_styles(document, looks, layout)
    _set_up_page(document, layout)
    document.core_properties.title = draft.title
    body = document.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    signature_right, date_right = closing_indents(*closing_lines(draft))
    looks[SIGNATURE] = replace(looks[SIGNATURE], right_chars=signature_right)
    looks[DATE] = replace(looks[DATE], right_chars=date_right)
    for role, text in draft_blocks(draft):
        _add_block(document, looks[role], role, text, layout)
    target = os.fspath(path_or_stream) if isinstance(path_or_stream, os.PathLike) else path_or_stream
    document.save(target)


# --- reading ------------------------------------------------------------------------------------


def docx_blocks(path: Path) -> list[Block]:
    """The blocks of a .docx: roles from paragraph styles, else from numbering (a foreign file).

    A trailing 落款 typed as plain paragraphs is recognised too (`mark_closing`). Raises one of
    DOCX_ERRORS when the file is not a readable Word document.
    """
    marked: list[tuple[str | None, str]] = []
    for paragraph in docx.Document(str(path)).paragraphs:
        text = paragraph.text.strip()
        if text:
            name = paragraph.style.name if paragraph.style is not None else ""
            marked.append((STYLE_ROLES.get(name or ""), text))
    if not any(role for role, _ in marked):
        return guess_roles(text for _, text in marked)
    return mark_closing([(role or BODY, text) for role, text in marked])
