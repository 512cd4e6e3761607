"""A reporting period (2024年上半年, 2023年度, 2025年第三季度) and its date arithmetic."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PERIOD_RE = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年?\s*(?P<part>上半年|下半年|全年|年度|第[一二三四1-4]季度)?")
QUARTER_DIGITS = "一二三四"
PART_OF_YEAR = ("上半年", "下半年", "第一季度", "第二季度", "第三季度", "第四季度")


@dataclass(frozen=True)
class Period:
    """A reporting period: a year and its part (上半年 / 下半年 / 全年 / 第N季度)."""

    year: int
    part: str

    @property
    def is_annual(self) -> bool:
        return self.part == "全年"

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.is_annual else f"{self.year}年{self.part}"

    @property
    def quarter(self) -> int | None:
        """1–4 for a quarter, else None."""
        if not self.part.startswith("第"):
            return None
        return QUARTER_DIGITS.find(self.part[1]) + 1 or int(self.part[1])

    @property
    def first_month(self) -> int:
        if self.part == "下半年":
            return 7
        return 3 * self.quarter - 2 if self.quarter else 1

    @property
    def last_month(self) -> int:
        if self.part == "上半年":
            return 6
        return 3 * self.quarter if self.quarter else 12

    @property
    def start(self) -> dt.date:
        """The period's first day."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def next_start(self) -> dt.date:
        """The first day after the period: where its plans chapter looks."""
        return dt.date(self.year + 1, 1, 1) if self.last_month == 12 else dt.date(self.year, self.last_month + 1, 1)

    def months(self, report_date: dt.date) -> set[int]:
        """The months a report written on `report_date` may name: the period's, and this year's so far."""
        months = set(range(self.first_month, self.last_month + 1))
        if report_date.year == self.year:
            months |= set(range(1, report_date.month + 1))
        return months

    @property
    def default_date(self) -> dt.date:
        """The day a report for this period is usually written: just after it ends."""
        if self.part == "上半年":
            return dt.date(self.year, 7, 5)
        if self.quarter:
            return dt.date(self.year + (self.quarter == 4), 1 if self.quarter == 4 else self.quarter * 3 + 1, 5)
        return dt.date(self.year + 1, 1, 10)

    @property
    def next_label(self) -> str:
        """What the plans chapter looks ahead to: 下半年 after 上半年, else the next year."""
        return "下半年" if self.part == "上半年" else f"{self.year + 1}年"

    @property
    def done_label(self) -> str:
        """How the work chapter names the period: 上半年, 第三季度, 2024年."""
        return f"{self.year}年" if self.is_annual else self.part


def parse_period(text: str) -> Period:
    """Parse '2024年上半年', '2023年', '2025年度' …; raise ValueError if no year is found."""
    m = PERIOD_RE.search(text or "")
    if not m:
        raise ValueError(text)
    part = m.group("part") or "全年"
    return Period(int(m.group("year")), "全年" if part == "年度" else part)
