"""The Chinese-text vocabulary every stage shares: numerals, numbering, sentences, measure words, kinds.

One home for each rule: the corpus parser, the checks, the drafter and the exporter all read
these, so a heading the parser accepts is a heading the exporter writes.
"""

from __future__ import annotations

import re
import unicodedata

# --- numerals -----------------------------------------------------------------------------

CN_NUM = "一二三四五六七八九十"
CN_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
# What follows a count: 6次, 28名, 两场 … (a number before one of these is a quantity, not a name).
MEASURE_WORDS = "次名个场项人篇期件份户家条批轮节堂位处所支本册部元天周遍组队张台套类亩吨斤米季"
COUNT_SUFFIX = f"[{MEASURE_WORDS}余多万%％]"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十 (enough for headings and items)."""
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUM[tens - 1] if tens > 1 else "") + "十" + (CN_NUM[ones - 1] if ones else "")


def parse_cn_number(text: str) -> int | None:
    """二十三 → 23, 两千余 → 2000, 一百二十 → 120; None if it is not a numeral."""
    text = text.rstrip("余多")
    if not text:
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGIT_VALUES:
            digit = CN_DIGIT_VALUES[ch] if digit is None else digit * 10 + CN_DIGIT_VALUES[ch]
        elif ch in CN_UNIT_VALUES:
            unit = CN_UNIT_VALUES[ch]
            if unit >= 10_000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


# --- numbering of a summary ------------------------------------------------------------------

CHAPTER_RE = re.compile(rf"^([{CN_NUM}]{{1,3}})[、．.]\s*(.*)$")  # 一、上半年工作情况
SUBSECTION_RE = re.compile(rf"^[（(]([{CN_NUM}]{{1,3}})[）)]\s*(.*)$")  # （一）落实党建责任
ITEM_START_RE = re.compile(rf"(?:(?<=^)|(?<=[。；！？：\n]))([{CN_NUM}]{{1,3}}是)")  # 一是 at a sentence start
# Short lines without sentence punctuation that open a chapter in unnumbered documents.
UNNUMBERED_CHAPTER_RE = re.compile(r"^[^。，；！？]{2,20}(工作|情况|问题|打算|计划|安排|成效|目标|思路)$")
MAX_CHAPTER_HEADING = 40


def is_chapter_line(line: str) -> bool:
    """A chapter heading line: 一、… (short, not 一是) or an unnumbered one such as 下半年工作安排."""
    m = CHAPTER_RE.match(line)
    if m:
        rest = m.group(2)
        return not rest.startswith("是") and len(rest) <= MAX_CHAPTER_HEADING and "。" not in rest.rstrip("。")
    return bool(UNNUMBERED_CHAPTER_RE.match(line))


def strip_number(heading: str) -> str:
    """（一）扎实开展党纪学习教育 → 扎实开展党纪学习教育."""
    m = SUBSECTION_RE.match(heading)
    return m.group(2) if m else heading


def item_marker(n: int) -> str:
    """1 → 一是."""
    return f"{cn_number(n)}是"


def renumber_items(text: str) -> str:
    """Number the items 一是、二是… in the order they stand."""
    count = iter(range(1, 100))
    return ITEM_START_RE.sub(lambda m: item_marker(next(count)), text)


# --- sentences ------------------------------------------------------------------------------

SENTENCE_END = "。；！？"
SENTENCE_RE = re.compile(rf"(?<=[{SENTENCE_END}])")  # split after the mark, keeping it
SENTENCE_OR_LINE_RE = re.compile(rf"(?<=[{SENTENCE_END}\n])")
CLAUSE_RE = re.compile(r"(?<=，)")


def full_stop(text: str) -> str:
    """The text ending with 。 where it ends a clause with ；(a guard may stop there)."""
    return text[:-1] + "。" if text.endswith("；") else text


def sentences(text: str, *, lines: bool = False) -> list[str]:
    """The sentences of a text, each with its closing mark (and, with `lines`, a line break ends one too)."""
    return [s for s in (SENTENCE_OR_LINE_RE if lines else SENTENCE_RE).split(text) if s.strip()]


def heading_sentence(text: str) -> str:
    """The first sentence of a block (up to its mark), or the whole text when it is a bare heading line."""
    m = re.match(rf"^(.*?[{SENTENCE_END}])", text)
    return (m.group(1) if m else text).strip()


# --- chapter kinds ----------------------------------------------------------------------------

SECTION_KINDS = ("opening", "achievements", "problems", "plans")  # what a draft is made of
PASSAGE_KINDS = ("opening", "basic_info", "achievements", "problems", "plans")  # what a sample is made of
# Chapter kinds by their heading words, checked in order.
CHAPTER_KIND_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("problems", re.compile(r"问题|不足|差距|短板")),
    ("plans", re.compile(r"打算|计划|安排|思路|目标|下一步|下步|工作要点")),
    ("basic_info", re.compile(r"基本情况|基本概况|概况")),
    ("achievements", re.compile(r"工作|情况|成效|成绩|总结|做法")),
]


def chapter_kind(heading: str) -> str:
    """Classify a chapter by its heading words."""
    for kind, pattern in CHAPTER_KIND_RULES:
        if pattern.search(heading):
            return kind
    return "achievements"


# --- comparison -------------------------------------------------------------------------------

BREAK = "\x00"  # stands for a character that can never match
_NOT_CONTENT_RE = re.compile(r"[^\w\x00]|_")


def content_chars(text: str) -> str:
    """Letters, digits and CJK only (NFKC, lower case): what two texts are compared on."""
    return _NOT_CONTENT_RE.sub("", unicodedata.normalize("NFKC", text)).lower()


def content_index(text: str) -> tuple[str, list[int]]:
    """`content_chars(text)` computed character by character, with each kept character's index in `text`."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        c = unicodedata.normalize("NFKC", ch)
        if c == BREAK or (len(c) == 1 and c.isalnum()):
            chars.append(c.lower())
            index.append(i)
    return "".join(chars), index


def length(text: str) -> int:
    """Characters without white space: how a section's length is counted."""
    return len(re.sub(r"\s", "", text))
