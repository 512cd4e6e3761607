"""Export a draft to Markdown or to a .docx laid out to GB/T 9704-2012, and read either back.

Both directions go through one stream of blocks (title, chapter 一、, subsection （一）, body
paragraph), so what `draft_to_markdown`/`draft_to_docx` write, `read_draft_text` reads back.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Iterator
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

from .draft import Draft
from .errors import LoadError

TITLE, CHAPTER, SUBSECTION, BODY = "title", "chapter", "subsection", "body"

CHAPTER_RE = re.compile(r"^[一二三四五六七八九十]{1,3}、")
SUBSECTION_RE = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
ITEM_RE = re.compile(r"^\d{1,2}[.．]")
MAX_HEADING_CHARS = 40

# GB/T 9704-2012 page and type: A4, 22 lines of 28 characters in 三号.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINE_PT = 29
BODY_PT = 16
INDENT_CHARS = 2


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
PAGE_NUMBER_FONT, PAGE_NUMBER_PT = "宋体", 14
STYLE_ROLES = {look.style: role for role, look in LOOKS.items() if role != BODY} | {
    "Title": TITLE,
    "Heading 1": CHAPTER,
    "Heading 2": SUBSECTION,
    "Heading 3": SUBSECTION,
}


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _blocks(draft: Draft) -> Iterator[tuple[str, str]]:
    """The draft as (role, text) blocks in reading order."""
    if draft.title:
        yield TITLE, draft.title
    for chapter, sections in draft.chapters():
        if chapter:
            yield CHAPTER, chapter
        for section in sections:
            if section.heading:
                yield SUBSECTION, section.heading
            for paragraph in _paragraphs(section.text):
                yield BODY, paragraph


# --- Markdown -------------------------------------------------------------------------------

_MD_PREFIX = {TITLE: "# ", CHAPTER: "## ", SUBSECTION: "### ", BODY: ""}


def draft_to_markdown(draft: Draft) -> str:
    """`# title`, `## 一、…` chapters, `### （一）…` subsections, one paragraph per body line."""
    out = []
    for role, text in _blocks(draft):
        if role == BODY and text.startswith("#"):
            text = "\\" + text  # keep a body line from reading back as a heading
        out.append(_MD_PREFIX[role] + text)
    return "\n\n".join(out) + "\n"


def _markdown_blocks(text: str) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append((BODY, "".join(paragraph)))  # Chinese hard-wrapped lines join without spaces
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        heading = re.match(r"^(#{1,6})\s+(.*?)(?:\s+#+)?$", line)
        if heading:
            end_paragraph()
            level = len(heading.group(1))
            role = TITLE if level == 1 else CHAPTER if level == 2 else SUBSECTION
            blocks.append((role, heading.group(2)))
        elif not line:
            end_paragraph()
        else:
            paragraph.append(line[1:] if line.startswith("\\#") else line)
    end_paragraph()
    if not any(role != BODY for role, _ in blocks):
        return _guess_roles(text for _, text in blocks)
    return blocks


# --- .docx ----------------------------------------------------------------------------------


def _set_fonts(rpr_parent: Any, font: str) -> None:
    """Name `font` for ASCII, hAnsi, East Asian and complex script, dropping theme fonts.

    A theme attribute (w:eastAsiaTheme …) wins over the explicit one, so it must go.
    """
    rfonts = rpr_parent.get_or_add_rPr().get_or_add_rFonts()
    _set_rfonts(rfonts, font)


def _set_rfonts(rfonts: Any, font: str) -> None:
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


def _set_up_styles(document: Any) -> None:
    """Normal carries the body's look (so nothing falls back); one style per heading level."""
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if rfonts is not None:
            _set_rfonts(rfonts, BODY_LOOK.font)
        lang = rpr.find(qn("w:lang")) if rpr is not None else None
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
    for role, look in LOOKS.items():
        if role == BODY:
            style = styles["Normal"]
        else:
            style = styles.add_style(look.style_id, WD_STYLE_TYPE.PARAGRAPH)
            style.name = look.style  # the id stays ASCII; Word shows the Chinese name
            style.base_style = styles["Normal"]
            style.next_paragraph_style = styles["Normal"]
            style.quick_style = True
        _set_fonts(style.element, look.font)
        style.font.size = Pt(look.size)
        style.font.bold = look.bold
        _format_paragraph(style.paragraph_format, style.element.get_or_add_pPr(), look)
        if role in (CHAPTER, SUBSECTION):
            style.paragraph_format.keep_with_next = True


def _set_up_page(document: Any) -> None:
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
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages: right
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)  # even: left


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

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        _format_run(r, PAGE_NUMBER_FONT, PAGE_NUMBER_PT, False)
        return r

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None)):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            r._r.append(instr)
    run("1")
    end = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end._r.append(fld)
    run(" —")


def _add_block(document: Any, role: str, text: str) -> None:
    look = LOOKS[role]
    paragraph = document.add_paragraph(style=document.styles[look.style])
    _format_paragraph(paragraph.paragraph_format, paragraph._p.get_or_add_pPr(), look)
    lead, rest = _item_lead(text) if role == BODY else ("", text)
    if lead:
        _format_run(paragraph.add_run(lead), ITEM_FONT, look.size, True)
    if rest:
        _format_run(paragraph.add_run(rest), look.font, look.size, look.bold)


def _item_lead(text: str) -> tuple[str, str]:
    """Split a `1.` item into its bold lead sentence (through the first 。) and the rest."""
    if not ITEM_RE.match(text):
        return "", text
    end = text.find("。")
    return (text, "") if end < 0 else (text[: end + 1], text[end + 1 :])


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
    for role, text in _blocks(draft):
        _add_block(document, role, text)
    target = os.fspath(path_or_stream) if isinstance(path_or_stream, os.PathLike) else path_or_stream
    document.save(target)


# --- Reading back ---------------------------------------------------------------------------


def _heading_split(text: str) -> list[tuple[str, str]] | None:
    """A 一、/（一） paragraph as a heading, plus its run-in body when the heading ends in 。."""
    for role, pattern in ((CHAPTER, CHAPTER_RE), (SUBSECTION, SUBSECTION_RE)):
        if pattern.match(text):
            head, _, rest = text.partition("。")
            if len(head) <= MAX_HEADING_CHARS:
                return [(role, head)] + ([(BODY, rest.strip())] if rest.strip() else [])
    return None


def _guess_roles(paragraphs: Iterable[str]) -> list[tuple[str, str]]:
    """Roles for text with no marked headings: numbering decides, a short first line is the title."""
    blocks: list[tuple[str, str]] = []
    for i, text in enumerate(paragraphs):
        split = _heading_split(text)
        if split:
            blocks.extend(split)
        elif i == 0 and len(text) <= 60 and "。" not in text:
            blocks.append((TITLE, text))
        else:
            blocks.append((BODY, text))
    return blocks


def _docx_blocks(document: Any) -> list[tuple[str, str]]:
    marked: list[tuple[str | None, str]] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if text:
            name = paragraph.style.name if paragraph.style is not None else ""
            marked.append((STYLE_ROLES.get(name), text))
    if not any(role for role, _ in marked):
        return _guess_roles(text for _, text in marked)
    return [(role or BODY, text) for role, text in marked]


def _units(blocks: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    title = ""
    units: list[tuple[str, str]] = []
    heading = ""
    body: list[str] = []

    def flush() -> None:
        if heading or body:
            units.append((heading, "\n".join(body)))

    for role, text in blocks:
        if role == TITLE and not title and not units and not body:
            title = text
        elif role in (CHAPTER, SUBSECTION):
            flush()
            heading, body = text, []
        else:
            body.append(text)
    flush()
    return title, units


def read_draft_text(path: str | os.PathLike[str]) -> tuple[str, list[tuple[str, str]]]:
    """Read a .md/.txt or .docx draft back into (title, [(heading, body), …]).

    One unit per heading, in document order: ("", opening) when text precedes the first heading,
    then (一、…, its own text — often "" when it has subsections), (（一）…, body), … Bodies are the
    paragraphs joined by newlines, so joining every heading and body gives back the whole text.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".md", ".markdown", ".txt", ".docx"):
        raise LoadError(str(p), "不支持的文件类型：请提供 .md 或 .docx 文稿")
    if not p.is_file():
        raise LoadError(str(p), "文件不存在：请检查路径")
    if suffix == ".docx":
        try:
            blocks = _docx_blocks(docx.Document(str(p)))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError, OSError) as exc:
            raise LoadError(
                str(p), f"不是有效的 .docx 文件或已损坏（{exc}）：请用 Word/WPS 打开后另存为 .docx 再试"
            ) from exc
    else:
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError(str(p), "不是 UTF-8 编码的文本：请另存为 UTF-8 后再试") from exc
        except OSError as exc:
            raise LoadError(str(p), f"无法读取（{exc}）：请检查文件权限") from exc
        blocks = _markdown_blocks(text)
    if not blocks:
        raise LoadError(str(p), "文件中没有文字：请确认选对了文稿")
    return _units(blocks)
