"""The user's fact sheet: parsing from YAML/JSON and validation that names the field at fault."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.domain.period import Period, parse_period
from assistant.errors import FactSheetError
from assistant.settings import DEFAULT_LENGTH


@dataclass
class Highlight:
    """One area of work: becomes a subsection of the work chapter."""

    topic: str
    facts: list[str]


@dataclass
class FactSheet:
    """Everything the draft may state. Nothing else may be invented."""

    organization: str
    period: str
    highlights: list[Highlight]
    org_type: str = ""
    date: dt.date | None = None
    superior: str = ""
    members: str = ""
    problems: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    notes: str = ""
    length: int = DEFAULT_LENGTH
    title: str = ""

    @property
    def parsed_period(self) -> Period:
        return parse_period(self.period)

    @property
    def report_date(self) -> dt.date:
        return self.date or self.parsed_period.default_date

    @property
    def subject(self) -> str:
        """The unit as the report's sentences name it after the opening: its kind (党支部), else its name."""
        return self.org_type or self.organization

    @property
    def display_title(self) -> str:
        return self.title or f"{self.organization}{self.parsed_period.label}党建工作总结"

    def all_fact_texts(self) -> list[str]:
        """Every piece of text the user gave; numbers and names may come only from here."""
        texts = [self.organization, self.period, self.org_type, self.superior, self.members, self.notes, self.title]
        for h in self.highlights:
            texts.append(h.topic)
            texts.extend(h.facts)
        texts.extend(self.problems)
        texts.extend(self.plans)
        if self.date:
            texts.append(self.date.isoformat())
        return [t for t in texts if t]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return {k: v for k, v in data.items() if v not in (None, "", [])}

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False)


def _text_list(data: dict[str, Any], key: str, problems: list[str]) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        problems.append(f"{key}: 应为文字列表，例如 [{key} 第一条, 第二条]")
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def _highlights(data: dict[str, Any], problems: list[str]) -> list[Highlight]:
    raw = data.get("highlights")
    if not isinstance(raw, list) or not raw:
        problems.append("highlights: 必填，至少一项，每项含 topic（工作主题）和 facts（事实列表）")
        return []
    result = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            problems.append(f"highlights[{i}]: 应为含 topic 和 facts 的一项")
            continue
        topic = str(item.get("topic") or "").strip()
        if not topic:
            problems.append(f"highlights[{i}].topic: 必填，例如 党纪学习教育")
        facts = _text_list(item, "facts", problems)
        if not facts:
            problems.append(f"highlights[{i}].facts: 至少写一条事实，例如 组织集中学习6次")
        result.append(Highlight(topic, facts))
    return result


def _date(value: Any, problems: list[str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(f"date: 应为日期 YYYY-MM-DD，例如 2024-07-08，当前为 {value!r}")
        return None


def _length(value: Any, problems: list[str]) -> int:
    if value in (None, ""):
        return DEFAULT_LENGTH
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    if not 500 <= n <= 20000:
        problems.append(f"length: 应为 500 到 20000 之间的字数，当前为 {value!r}")
        return DEFAULT_LENGTH
    return n


def fact_sheet_from_dict(data: Any) -> FactSheet:
    """Validate a parsed YAML/JSON mapping; raise FactSheetError listing every problem."""
    if not isinstance(data, dict):
        raise FactSheetError(["事实表应为键值结构（YAML 映射或 JSON 对象）"])
    problems: list[str] = []
    organization = str(data.get("organization") or "").strip()
    if not organization:
        problems.append("organization: 必填，写党组织全称，例如 青山县自然资源局机关党支部")
    period = str(data.get("period") or "").strip()
    try:
        parse_period(period)
    except ValueError:
        problems.append("period: 必填，写年份和时段，例如 2024年上半年、2024年全年、2024年度")
    sheet = FactSheet(
        organization=organization,
        period=period,
        highlights=_highlights(data, problems),
        org_type=str(data.get("org_type") or "").strip(),
        date=_date(data.get("date"), problems),
        superior=str(data.get("superior") or "").strip(),
        members=str(data.get("members") or "").strip(),
        problems=_text_list(data, "problems", problems),
        plans=_text_list(data, "plans", problems),
        notes=str(data.get("notes") or "").strip(),
        length=_length(data.get("length"), problems),
        title=str(data.get("title") or "").strip(),
    )
    if problems:
        raise FactSheetError(problems)
    return sheet


def parse_fact_sheet(text: str, source: str = "事实表") -> FactSheet:
    """Parse YAML (or JSON, a subset of YAML) text into a validated FactSheet."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise FactSheetError([f"{source}{where}: 不是有效的 YAML/JSON（{getattr(exc, 'problem', exc)}）"]) from exc
    return fact_sheet_from_dict(data)


def load_fact_sheet(path: str | Path) -> FactSheet:
    """Read and validate a fact sheet file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FactSheetError([f"{p}: 无法读取（{exc}）"]) from exc
    return parse_fact_sheet(text, source=str(p))
