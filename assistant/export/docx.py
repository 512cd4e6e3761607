"""A draft as a .docx laid out to GB/T 9704-2012, and a .docx read back into blocks.

A4 with the 公文 margins, 22 lines of 28 characters in 三号: the title in 方正小标宋简体 二号,
chapters in 黑体, subsections in 楷体_GB2312, the body in 仿宋_GB2312 with a two-character
indent, and the page number "— N —" in 四号 宋体 on the outer edge of each page.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from assistant.domain.draft import Draft
from assistant.export.blocks import BODY, CHAPTER, HEADING_ROLES, SUBSECTION, TITLE, Block, draft_blocks, guess_roles

ITEM_RE = re.compile(r"^\d{1,2}[.．]")  # a `1.` item, whose lead sentence is set in bold

# GB/T 9704-2012 page and type: A4, 22 lines of 28 characters in 三号.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINE_PT = 29
BODY_PT = 16
INDENT_CHARS = 2
PAGE_NUMBER_FONT, PAGE_NUMBER_PT = "宋体", 14

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
    font: str
    size: float
    bold: bool = False
    centred: bool = False
    indent_chars: int = INDENT_CHARS
    outline_level: int | None = None
    space_after: float = 0  # points


BODY_LOOK = _Look("Normal", "Normal", "仿宋_GB2312", BODY_PT)
LOOKS = {
    TITLE: _Look("公文标题", "DraftTitle", "方正小标宋简体", 22, centred=True, indent_chars=0, space_after=LINE_PT),
    CHAPTER: _Look("一级标题", "DraftChapter", "黑体", BODY_PT, outline_level=0),
    SUBSECTION: _Look("二级标题", "DraftSubsection", "楷体_GB2312", BODY_PT, outline_level=1),
    BODY: BODY_LOOK,
}
ITEM_FONT = "仿宋_GB2312"  # `1.` items: the lead sentence in bold
STYLE_ROLES = {look.style: role for role, look in LOOKS.items() if role != BODY} | {
    "Title": TITLE,
    "Heading 1": CHAPTER,
    "Heading 2": SUBSECTION,
    "Heading 3": SUBSECTION,
}


# --- fonts and paragraph formats ----------------------------------------------------------------


def _set_fonts(rpr_parent: Any, font: str) -> None:
    """Name `font` on a run or style for every script (see `_set_rfonts`)."""
    _set_rfonts(rpr_parent.get_or_add_rPr().get_or_add_rFonts(), font)


def _set_rfonts(rfonts: Any, font: str) -> None:
    """Name `font` for ASCII, hAnsi, East Asian and complex script, dropping theme fonts.

    A theme attribute (w:eastAsiaTheme …) wins over the explicit one, so it must go.
    """
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), font)
    rfonts.set(qn("w:hint"), "eastAsia")


def _format_run(run: Any, font: str, size: float, bold: bool) -> None:
    _set_fonts(run._r, font)
    run.font.size = Pt(size)
    run.font.bold = bold


def _format_paragraph(fmt: Any, ppr: Any, look: _Look) -> None:
    """Alignment, indent and exact spacing, on a paragraph or on a style."""
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if look.centred else WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Pt(look.indent_chars * look.size)
    # Word reads firstLineChars before firstLine; set it too so "2 characters" survives a font change.
    ppr.get_or_add_ind().set(qn("w:firstLineChars"), str(look.indent_chars * 100))
    fmt.line_spacing = Pt(LINE_PT)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(look.space_after)  # the title is followed by one empty line
    if look.outline_level is not None and ppr.find(qn("w:outlineLvl")) is None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(look.outline_level))
        ppr.insert_element_before(level, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


# --- styles and page ----------------------------------------------------------------------------


def _set_up_defaults(styles: Any) -> None:
    """The document defaults name the body font and Chinese, so nothing falls back to a theme font."""
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
    if rpr is None:
        return
    if (rfonts := rpr.find(qn("w:rFonts"))) is not None:
        _set_rfonts(rfonts, BODY_LOOK.font)
    if (lang := rpr.find(qn("w:lang"))) is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _heading_style(styles: Any, look: _Look) -> Any:
    """A new paragraph style for one heading level, based on Normal."""
    style = styles.add_style(look.style_id, WD_STYLE_TYPE.PARAGRAPH)
    style.name = look.style  # the id stays ASCII; Word shows the Chinese name
    style.base_style = styles["Normal"]
    style.next_paragraph_style = styles["Normal"]
    style.quick_style = True
    return style


def _set_up_styles(document: Any) -> None:
    """Normal carries the body's look (so nothing falls back); one style per heading level."""
    styles = document.styles
    _set_up_defaults(styles)
    for role, look in LOOKS.items():
        style = styles["Normal"] if role == BODY else _heading_style(styles, look)
        _set_fonts(style.element, look.font)
        style.font.size = Pt(look.size)
        style.font.bold = look.bold
        _format_paragraph(style.paragraph_format, style.element.get_or_add_pPr(), look)
        if role in HEADING_ROLES:  # a heading stays on the page of the text it heads
            style.paragraph_format.keep_with_next = True


def _set_up_page(document: Any) -> None:
    """A4 portrait with the 公文 margins; page numbers right on odd pages, left on even ones."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    # The page number's dashes sit about 7 mm below the text block.
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 5)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


# --- page numbers -------------------------------------------------------------------------------


def _field_char(kind: str) -> Any:
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    return fld


def _instruction(text: str) -> Any:
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = text
    return instr


def _page_number(paragraph: Paragraph, alignment: WD_ALIGN_PARAGRAPH) -> None:
    """The page number "— N —" in 四号 宋体 with a PAGE field, one character in from the outer edge."""
    fmt = paragraph.paragraph_format
    fmt.alignment = alignment
    fmt.first_line_indent = Pt(0)
    paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "0")
    side = Pt(PAGE_NUMBER_PT)
    fmt.left_indent, fmt.right_indent = (side, Pt(0)) if alignment == WD_ALIGN_PARAGRAPH.LEFT else (Pt(0), side)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(0)

    def run(text: str = "", element: Any = None) -> None:
        r = paragraph.add_run(text)
        _format_run(r, PAGE_NUMBER_FONT, PAGE_NUMBER_PT, False)
        if element is not None:
            r._r.append(element)

    run("— ")
    run(element=_field_char("begin"))
    run(element=_instruction(" PAGE "))
    run(element=_field_char("separate"))
    run("1")  # shown until the field is updated
    run(element=_field_char("end"))
    run(" —")


# --- writing ------------------------------------------------------------------------------------


def _item_lead(text: str) -> tuple[str, str]:
    """Split a `1.` item into its bold lead sentence (through the first 。) and the rest."""
    if not ITEM_RE.match(text):
        return "", text
    end = text.find("。")
    return (text, "") if end < 0 else (text[: end + 1], text[end + 1 :])


def _add_block(document: Any, role: str, text: str) -> None:
    look = LOOKS[role]
    paragraph = document.add_paragraph(style=document.styles[look.style])
    _format_paragraph(paragraph.paragraph_format, paragraph._p.get_or_add_pPr(), look)
    lead, rest = _item_lead(text) if role == BODY else ("", text)
    if lead:
        _format_run(paragraph.add_run(lead), ITEM_FONT, look.size, True)
    if rest:
        _format_run(paragraph.add_run(rest), look.font, look.size, look.bold)


def draft_to_docx(draft: Draft, path_or_stream: str | os.PathLike[str] | IO[bytes]) -> None:
    """Write the draft as a GB/T 9704-2012 .docx: A4, 公文 margins, fonts and sizes, page numbers.

    The fonts are named in the file whether or not this machine has them.
    """
    document = docx.Document()
    _set_up_styles(document)
    _set_up_page(document)
    document.core_properties.title = draft.title
    body = document.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    for role, text in draft_blocks(draft):
        _add_block(document, role, text)
    target = os.fspath(path_or_stream) if isinstance(path_or_stream, os.PathLike) else path_or_stream
    document.save(target)


# --- reading ------------------------------------------------------------------------------------


def docx_blocks(path: Path) -> list[Block]:
    """The blocks of a .docx: roles from paragraph styles, else from numbering (a foreign file).

    Raises one of DOCX_ERRORS when the file is not a readable Word document.
    """
    marked: list[tuple[str | None, str]] = []
    for paragraph in docx.Document(str(path)).paragraphs:
        text = paragraph.text.strip()
        if text:
            name = paragraph.style.name if paragraph.style is not None else ""
            marked.append((STYLE_ROLES.get(name or ""), text))
    if not any(role for role, _ in marked):
        return guess_roles(text for _, text in marked)
    return [(role or BODY, text) for role, text in marked]
