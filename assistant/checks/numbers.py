"""Numbers in a text (Arabic or Chinese numerals, years, months, dates) and the number checks.

missing_number: a number of the section's facts that the text leaves out.
invented_number: a number, year or date that no text of the fact sheet supports.
Set phrases (“四个意识”, 二十届三中全会), list markers and short quoted slogans are masked first:
their numerals are no quantities.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.checks.formulations import load_formulations
from assistant.checks.sheet import fact_texts
from assistant.domain.draft import Finding
from assistant.domain.facts import FactSheet
from assistant.text import CN_DIGIT_VALUES, CN_UNIT_VALUES, MEASURE_WORDS, parse_cn_number

CN_DIGITS = "".join(CN_DIGIT_VALUES)  # 零〇一二两三四五六七八九
CN_UNITS = "".join(CN_UNIT_VALUES)  # 十百千万亿
ARABIC_NUMBER_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万|千|亿)?\s*(%|％)?")
MEASURED = rf"(?:余|多)?(?:[{MEASURE_WORDS}]|万元|亿元|小时|分钟|年(?![来度级]))"  # 三年的努力 is a figure; 一年来 a phrase
CN_NUMBER_RE = re.compile(rf"([{CN_DIGITS}十][{CN_DIGITS}{CN_UNITS}]*){MEASURED}")
# 上百名, 近亿元, 近百万亩, 百万亩: a figure too (not 千家万户: a round figure alone needs two units)
CN_ROUND_RE = re.compile(rf"(?:(?:上|近|数|逾|超过)([百千万亿]{{1,2}})|([百千][万亿]))(?:[{MEASURE_WORDS}]|元)")
CN_FRACTION_RE = re.compile(rf"([{CN_DIGITS}十百]+)分之([{CN_DIGITS}十百]+)")  # 三分之二, 百分之九十: a share
DOUBLING_RE = re.compile(r"翻(一|两|二)?[倍番]")  # 翻倍, 翻两番: a growth of 100 % or 300 %
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
MONTH_RANGE_RE = re.compile(r"(?<!\d)(\d{1,2})\s*[至到\-—–~]\s*(\d{1,2})\s*月")
MONTH_DAY_RE = re.compile(r"(?<!\d)(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
LIST_MARKER_RE = re.compile(r"[（(]\s*\d{1,2}\s*[)）]|(?:^|(?<=[\n。；：]))\s*\d{1,2}\s*[.、．](?!\d)", re.M)
QUOTED_SLOGAN_RE = re.compile(r"[“‘\"]([^”’\"]{1,12})[”’\"]")
IDIOMATIC_ONE = 1  # 一名党员 / 一次次: a Chinese 一 is never counted as an invented number


@dataclass(frozen=True)
class Number:
    """One number found in a text, with its value normalised (六次 and 6次 are equal)."""

    value: float
    percent: bool
    surface: str  # as written, for messages
    kind: str = "count"  # count / year / span (三年) / month / date
    idiomatic: bool = False  # a Chinese 一: counts when matching facts, never as invented

    @property
    def key(self) -> tuple[float, bool]:
        return (round(self.value, 6), self.percent)


# ---------------------------------------------------------------- extraction


@lru_cache(maxsize=1)
def _fixed_res() -> tuple[re.Pattern[str], ...]:
    """The set phrases and patterns of formulations.yaml whose numerals are no quantities."""
    data = load_formulations()
    phrases = sorted(data.fixed_phrases, key=len, reverse=True)
    return (re.compile("|".join(map(re.escape, phrases))), *data.fixed_patterns)


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    """Blank out every match of `pattern`, keeping offsets."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _mask_non_numbers(text: str) -> str:
    """Blank out what only looks like a number: set phrases, congress names, list markers, slogans."""
    for pattern in _fixed_res():
        text = _mask(text, pattern)
    text = QUOTED_SLOGAN_RE.sub(lambda m: m.group(0) if re.search(r"\d", m.group(1)) else " " * len(m.group(0)), text)
    return _mask(text, LIST_MARKER_RE)


def _year(m: re.Match[str]) -> list[Number]:
    return [Number(float(m.group(1)), False, m.group(0).replace(" ", ""), "year")]


def _month_range(m: re.Match[str]) -> list[Number]:
    return [Number(float(m.group(1)), False, m.group(0), "month"), Number(float(m.group(2)), False, m.group(0), "month")]


def _month_day(m: re.Match[str]) -> list[Number]:
    return [Number(float(m.group(1)), False, m.group(0).replace(" ", ""), "date" if m.group(2) else "month")]


def _arabic(m: re.Match[str]) -> list[Number]:
    scale = CN_UNIT_VALUES[m.group(2)] if m.group(2) else 1
    return [Number(float(m.group(1)) * scale, bool(m.group(3)), m.group(0).strip())]


def _chinese(m: re.Match[str]) -> list[Number]:
    value = parse_cn_number(m.group(1))
    if value is None:
        return []
    kind = "span" if m.group(0).endswith("年") else "count"  # 三年 is licensed by a span of the facts, not by 3次
    return [Number(float(value), False, m.group(0), kind, idiomatic=value == IDIOMATIC_ONE)]


def _round(m: re.Match[str]) -> list[Number]:
    return [Number(float(math.prod(CN_UNIT_VALUES[u] for u in m.group(1) or m.group(2))), False, m.group(0))]


def _doubling(m: re.Match[str]) -> list[Number]:
    return [Number(300.0 if m.group(1) in ("两", "二") else 100.0, True, m.group(0))]


def _fraction(m: re.Match[str]) -> list[Number]:
    whole, part = parse_cn_number(m.group(1)), parse_cn_number(m.group(2))
    return [Number(round(100 * part / whole, 1), True, m.group(0))] if whole and part is not None else []


# In this order; each kind is blanked out before the next is looked for.
_SCANS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], list[Number]]], ...] = (
    (YEAR_RE, _year),
    (MONTH_RANGE_RE, _month_range),
    (MONTH_DAY_RE, _month_day),
    (ARABIC_NUMBER_RE, _arabic),
    (CN_FRACTION_RE, _fraction),
    (DOUBLING_RE, _doubling),
    (CN_ROUND_RE, _round),
    (CN_NUMBER_RE, _chinese),
)


def extract_numbers(text: str) -> list[Number]:
    """Every quantity, year and date in `text` (Arabic or Chinese numerals), normalised by value."""
    text = _mask_non_numbers(unicodedata.normalize("NFKC", text))
    found: list[Number] = []
    for pattern, make in _SCANS:
        found += [n for m in pattern.finditer(text) for n in make(m)]
        text = _mask(text, pattern)
    return found


# ---------------------------------------------------------------- checks


@dataclass(frozen=True)
class _Allowed:
    """What the fact sheet lets a text state: its numbers, years, months and date wordings."""

    keys: frozenset[tuple[float, bool]]
    spans: frozenset[float]
    years: frozenset[int]
    months: frozenset[int]
    facts_joined: str

    @classmethod
    def of(cls, sheet: FactSheet) -> _Allowed:
        texts = fact_texts(sheet)
        known = [n for t in texts for n in extract_numbers(t)]
        period = sheet.parsed_period
        years = {period.year, period.year + 1, sheet.report_date.year} | {int(n.value) for n in known if n.kind == "year"}
        months = period.months(sheet.report_date)
        written_on = f"{sheet.report_date.month}月{sheet.report_date.day}日"  # the 成文日期 of the 落款
        joined = "\n".join([*texts, written_on])
        spans = {n.value for n in known if n.kind == "span"} | {float(y) for y in re.findall(r"(?<![\d.])(\d{1,2})\s*年", joined)}
        return cls(frozenset(n.key for n in known if n.kind != "span"), frozenset(spans), frozenset(years), frozenset(months), joined)

    def allows(self, n: Number) -> bool:
        if n.kind == "year":
            return int(n.value) in self.years
        if n.kind in ("month", "date"):
            return n.surface in self.facts_joined or (n.kind == "month" and int(n.value) in self.months)
        if n.kind == "span":
            return n.value in self.spans
        return n.key in self.keys


def _required_numbers(facts: Iterable[str]) -> dict[tuple[float, bool], Number]:
    """The counts of `facts` (not their years or dates), first wording of each value."""
    numbers: dict[tuple[float, bool], Number] = {}
    for fact in facts:
        for n in extract_numbers(fact):
            if n.kind in ("count", "span"):
                numbers.setdefault(n.key, n)
    return numbers


def _missing_numbers(numbers: list[Number], facts: list[str]) -> list[Finding]:
    present = {n.key for n in numbers}
    findings: list[Finding] = []
    for key, n in _required_numbers(facts).items():
        if key not in present:
            fact = next(f for f in facts if any(x.key == key for x in extract_numbers(f)))
            findings.append(Finding("missing_number", f"事实“{fact}”中的数字“{n.surface}”没有写进正文，请照原样写上"))
    return findings


def _invented_numbers(numbers: list[Number], sheet: FactSheet) -> list[Finding]:
    allowed = _Allowed.of(sheet)
    reported: set[str] = set()
    findings: list[Finding] = []
    for n in numbers:
        if n.surface in reported or n.idiomatic or allowed.allows(n):
            continue
        reported.add(n.surface)
        what = {"year": "年份", "month": "日期", "date": "日期", "span": "年限"}.get(n.kind, "数字")
        numeral = n.surface.rstrip("次名个场项人篇期件份户家条批轮节堂位处所支本册部元天周遍组队张台套类余多万%％年月日")
        findings.append(Finding("invented_number", f"出现事实表中没有的{what}“{n.surface}”，请删除或改用事实表中的数字",
                                span=numeral))
    return findings


def check_numbers(text: str, facts: list[str], sheet: FactSheet) -> list[Finding]:
    """missing_number for `facts`' numbers absent from `text`; invented_number for any the sheet lacks."""
    numbers = extract_numbers(text)
    return _missing_numbers(numbers, facts) + _invented_numbers(numbers, sheet)
