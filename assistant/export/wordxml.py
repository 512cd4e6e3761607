"""Small WordprocessingML helpers for the .docx writer: a font on every script, and the page number field."""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

PAGE_NUMBER_FONT, PAGE_NUMBER_PT = "宋体", 14  # 四号


def set_fonts(rpr_parent: Any, font: str) -> None:
    """Name `font` on a run or style for every script (see `set_rfonts`)."""
    set_rfonts(rpr_parent.get_or_add_rPr().get_or_add_rFonts(), font)


def set_rfonts(rfonts: Any, font: str) -> None:
    """Name `font` for ASCII, hAnsi, East Asian and complex script, dropping theme fonts.

    A theme attribute (w:eastAsiaTheme …) wins over the explicit one, so it must go.
    """
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), font)
    rfonts.set(qn("w:hint"), "eastAsia")


def format_run(run: Any, font: str, size: float, bold: bool) -> None:
    set_fonts(run._r, font)
    run.font.size = Pt(size)
    run.font.bold = bold


def set_indent_chars(ppr: Any, first_line: float = 0, right: float = 0) -> None:
    """Indents counted in characters (Word reads these before the absolute ones, so they survive a font change)."""
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(round(first_line * 100)))
    if right:
        ind.set(qn("w:rightChars"), str(round(right * 100)))


def set_outline_level(ppr: Any, level: int) -> None:
    """The paragraph's level in Word's navigation pane (0 for 一、, 1 for （一）)."""
    if ppr.find(qn("w:outlineLvl")) is None:
        element = OxmlElement("w:outlineLvl")
        element.set(qn("w:val"), str(level))
        ppr.insert_element_before(element, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _field_char(kind: str) -> Any:
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    return fld


def _instruction(text: str) -> Any:
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = text
    return instr


def page_number(paragraph: Paragraph, alignment: WD_ALIGN_PARAGRAPH) -> None:
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
        format_run(r, PAGE_NUMBER_FONT, PAGE_NUMBER_PT, False)
        if element is not None:
            r._r.append(element)

    run("— ")
    run(element=_field_char("begin"))
    run(element=_instruction(" PAGE "))
    run(element=_field_char("separate"))
    run("1")  # shown until the field is updated
    run(element=_field_char("end"))
    run(" —")
