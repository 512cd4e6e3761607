"""Count records by kind within the period; every row not counted is kept with the reason.

A row of a register (a table with a 姓名 column) is one person of the kind its 类别 / 身份 cell
names; any other row is one meeting or activity of the kind its 类型 cell names (else its 内容
cell, else, for free text, the whole line). Counts become fact phrases such as 支委会12次.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.domain.period import Period
from assistant.records.dates import RecordDate, find_date, in_period
from assistant.records.reading import SourceRow
from assistant.records.rules import Kind, find_kind, kind_order


@dataclass(frozen=True)
class Count:
    """How many rows of one kind the period holds, and which rows they are."""

    kind: Kind
    rows: tuple[SourceRow, ...]

    @property
    def n(self) -> int:
        return len(self.rows)

    @property
    def wording(self) -> str:
        """支委会12次 (the verb is added when the fact line is composed)."""
        return self.kind.wording(self.n)


@dataclass(frozen=True)
class LeftOut:
    """A row that was not counted, and why."""

    row: SourceRow
    reason: str


@dataclass(frozen=True)
class Tally:
    counts: tuple[Count, ...]
    left_out: tuple[LeftOut, ...]


def row_kind(row: SourceRow) -> Kind | None:
    """The row's kind: its 类型 cell first, then its 内容 cell; a row without either by its whole text."""
    register = "name" in row.fields
    if not {"kind", "subject"} & row.fields.keys():
        return find_kind(row.text, register=register)
    for role in ("kind", "subject"):
        if kind := find_kind(row.fields.get(role, ""), register=register):
            return kind
    return None


def row_date(row: SourceRow, period: Period) -> RecordDate | None:
    """The row's date: its 日期 cell when the table has one, else the first date in the row."""
    return find_date(row.fields["date"] if "date" in row.fields else row.text, period)


def _reason(row: SourceRow, kind: Kind | None, date: RecordDate | None, period: Period) -> str | None:
    """Why a row is not counted, or None when it is."""
    if kind is None:
        if "name" in row.fields:
            return "没有可识别的身份（如 入党积极分子、发展对象、预备党员），未计入"
        return "没有可识别的会议或活动类型（如 支委会、主题党日、党课），未计入"
    if date is None:
        cell = row.fields.get("date", "")
        if cell:
            return f"日期「{cell}」无法识别，未计入；请写成 2026年3月15日 或 2026-03-15"
        return f"没有日期，无法确定是否在{period.label}内，未计入；请补上日期"
    if not in_period(date, period):
        return f"日期 {date.label} 不在{period.label}内，未计入"
    return None


def tally(rows: Iterable[SourceRow], period: Period) -> Tally:
    """Count the rows of each kind dated within the period; list every other row with its reason."""
    by_kind: dict[str, list[SourceRow]] = {}
    kinds: dict[str, Kind] = {}
    left_out = []
    for row in rows:
        kind = row_kind(row)
        reason = _reason(row, kind, row_date(row, period) if kind else None, period)
        if reason or kind is None:
            left_out.append(LeftOut(row, reason or ""))
            continue
        kinds[kind.name] = kind
        by_kind.setdefault(kind.name, []).append(row)
    order = kind_order()
    counts = tuple(Count(kinds[name], tuple(by_kind[name])) for name in sorted(by_kind, key=order.__getitem__))
    return Tally(counts, tuple(left_out))


def fact_line(counts: Iterable[Count]) -> str:
    """召开支部党员大会3次、支委会12次，开展主题党日活动6次: counts with the same verb share it."""
    by_verb: dict[str, list[str]] = {}
    for count in counts:
        by_verb.setdefault(count.kind.verb, []).append(count.wording)
    return "，".join(verb + "、".join(words) for verb, words in by_verb.items())
