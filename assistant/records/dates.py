"""Dates in records: 2026年3月15日, 2026.3.15, 2026-03-15, 2026/3/15, 3月15日, 二〇二六年三月, and whether a period holds them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.domain.period import Period
from assistant.text import CN_DIGIT_VALUES, parse_cn_number

_CN_YEAR = "[〇零一二三四五六七八九]{4}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
_NUM = rf"(?:\d{{1,2}}|{_CN_SMALL})"
DATE_RE = re.compile(
    # 2026年3月15日, 二〇二六年三月十五日, 2026年3月
    rf"(?P<y1>(?<!\d)\d{{4}}|{_CN_YEAR})\s*年\s*(?P<m1>{_NUM})\s*月(?:\s*(?P<d1>{_NUM})\s*[日号])?"
    # 2026-03-15, 2026.3.15, 2026/3/15, 2026-03
    rf"|(?<!\d)(?P<y2>\d{{4}})\s*[-./]\s*(?P<m2>\d{{1,2}})(?:\s*[-./]\s*(?P<d2>\d{{1,2}}))?(?!\d)"
    # 3月15日, 6月 (the period's year)
    rf"|(?<![\d年〇零一二三四五六七八九十])(?P<m3>{_NUM})\s*月(?:\s*(?P<d3>{_NUM})\s*[日号])?"
)


@dataclass(frozen=True)
class RecordDate:
    """A day, or a month when the record gives no day."""

    year: int
    month: int
    day: int | None = None

    @property
    def label(self) -> str:
        """2026年3月15日, or 2026年6月."""
        return f"{self.year}年{self.month}月" + (f"{self.day}日" if self.day else "")


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(ch in CN_DIGIT_VALUES for ch in text):  # 二〇二六
        return int("".join(str(CN_DIGIT_VALUES[ch]) for ch in text))
    return parse_cn_number(text) or 0


def _valid(year: int, month: int, day: int | None) -> RecordDate | None:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return RecordDate(year, month, day)


def find_date(text: str, period: Period) -> RecordDate | None:
    """The first valid date in `text`; a date without a year takes the period's year."""
    for m in DATE_RE.finditer(text):
        year_text = m.group("y1") or m.group("y2")
        month = m.group("m1") or m.group("m2") or m.group("m3")
        day = m.group("d1") or m.group("d2") or m.group("d3")
        year = _number(year_text) if year_text else period.year
        found = _valid(year, _number(month), _number(day) if day else None)
        if found:
            return found
    return None


def in_period(date: RecordDate, period: Period) -> bool:
    """True when the day (or the month) lies within the period."""
    return date.year == period.year and period.first_month <= date.month <= period.last_month
