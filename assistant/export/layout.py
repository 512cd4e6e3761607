"""The page and type of an exported .docx: GB/T 9704-2012 by default, or a unit's own (`template`).

GB/T 9704-2012: A4, margins 37/35/28/26 mm (top, bottom, left, right), 22 lines of 28 characters
in 三号 (16 pt) at an exact 29 pt line; the title in 方正小标宋简体 二号, chapters in 黑体,
subsections in 楷体_GB2312, the body in 仿宋_GB2312. The 落款 of a document without a seal
follows 7.3.5.2 (`closing_indents`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.export.blocks import BODY, CHAPTER, SUBSECTION, TITLE

LINE_CHARS = 28  # characters per line of the GB/T 9704 type area
SIGNATURE_RIGHT_CHARS = 2  # 7.3.5.2: the name 右空二字
DATE_SHIFT_CHARS = 2  # 7.3.5.2: the date's first character two to the right of the name's
LINE_RULES = ("exact", "at_least", "multiple")


@dataclass(frozen=True)
class Font:
    """A typeface by name and its size in points."""

    face: str
    size: float


def _gbt9704_fonts() -> dict[str, Font]:
    return {
        TITLE: Font("方正小标宋简体", 22),
        CHAPTER: Font("黑体", 16),
        SUBSECTION: Font("楷体_GB2312", 16),
        BODY: Font("仿宋_GB2312", 16),
    }


@dataclass(frozen=True)
class Layout:
    """Page size, margins, the font of each role and the line spacing of an exported .docx.

    `line_spacing` is in points for the `exact` and `at_least` rules, a multiple of a single line
    for `multiple`. `source` names where the layout came from, for people.
    """

    page_width_mm: float = 210
    page_height_mm: float = 297
    top_mm: float = 37
    bottom_mm: float = 35
    left_mm: float = 28
    right_mm: float = 26
    line_spacing: float = 29
    line_rule: str = "exact"
    fonts: dict[str, Font] = field(default_factory=_gbt9704_fonts)
    source: str = "GB/T 9704-2012"

    def font(self, role: str) -> Font:
        """The font of a role; the 落款 is set in the body font."""
        return self.fonts.get(role) or self.fonts[BODY]

    def describe(self) -> str:
        """The layout in one line for people, e.g. 页边距 上37 下35 左28 右26 毫米 · 行距 固定29磅 · 正文 仿宋_GB2312 16磅."""
        spacing = f"{self.line_spacing:g}倍" if self.line_rule == "multiple" else (
            f"{'最小' if self.line_rule == 'at_least' else '固定'}{self.line_spacing:g}磅")
        body = self.font(BODY)
        return (f"页边距 上{self.top_mm:g} 下{self.bottom_mm:g} 左{self.left_mm:g} 右{self.right_mm:g} 毫米"
                f" · 行距 {spacing} · 正文 {body.face} {body.size:g}磅")


GBT9704 = Layout()


def text_width(text: str) -> float:
    """The width of a line in characters: a Chinese character is one, an ASCII digit or letter half."""
    return sum(0.5 if ord(ch) < 0x7F else 1.0 for ch in text)


def closing_indents(signature: str, date: str) -> tuple[float, float]:
    """How far (in characters) the name and the date stand from the right margin, per GB/T 9704-2012 7.3.5.2.

    Without a seal the name is set 右空二字 and the date on the line below with its first character
    two characters to the right of the name's; a date longer than that is set 右空二字 and the name
    moves left as much.
    """
    name, day = text_width(signature), text_width(date)
    date_right = max(float(SIGNATURE_RIGHT_CHARS), name - day - DATE_SHIFT_CHARS + SIGNATURE_RIGHT_CHARS)
    return date_right + day + DATE_SHIFT_CHARS - name, date_right
