"""Time-bound formulations: what is current at a report's date, and what in a text is stale.

The rules live in `data/formulations.yaml`; this module only reads and applies them.
A formulation is accepted when the report's period overlaps the time it was current (a 2024
annual report may describe 党纪学习教育 of April–July 2024), so callers should pass the
period's first day; without it 1 January of the year reported on is assumed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.domain.draft import Finding
from assistant.resources import DATA_DIR

DATA_FILE = DATA_DIR / "formulations.yaml"
CHECK = "stale_formulation"
ORDINALS = "一二三四五六七"
FAR_FUTURE = dt.date(9999, 12, 31)
FOLLOW_UP_WINDOW = (8, 6)  # characters of the same clause before / after a campaign's or plan's name searched for 巩固 / 成果 …
CLAUSE_END = "，。；！？、\n"
ONGOING_MIN_DAYS = 60  # a campaign is "being carried out" in a period that holds this much of it


@dataclass(frozen=True)
class Plenum:
    term: str  # 二十届
    ordinal: int
    opened: dt.date
    closed: dt.date
    cited: bool  # named in the usual 深入学习贯彻…精神 line (一中、七中 are not)

    @property
    def name(self) -> str:
        return f"{self.term}{ORDINALS[self.ordinal - 1]}中全会"


@dataclass(frozen=True)
class Committee:
    """One 届: its congress, its plenums and when they stopped being current."""

    term: str
    congress: str
    congress_re: re.Pattern[str]
    opened: dt.date
    closed: dt.date
    stale_from: dt.date
    superseded_by: str
    reason: str
    plenums: tuple[Plenum, ...]

    def plenum(self, ordinal: int) -> Plenum | None:
        return next((p for p in self.plenums if p.ordinal == ordinal), None)


@dataclass(frozen=True)
class Formulation:
    """A phrase that is current from one date and stale (or follow-up only) from another."""

    id: str
    label: str
    kind: str  # term / campaign / plan / conditional
    patterns: tuple[re.Pattern[str], ...]
    current_from: dt.date
    not_before: dt.date
    stale_from: dt.date
    follow_up_until: dt.date
    superseded_by: str
    requires_fact: re.Pattern[str] | None
    prompt: str
    prompt_ongoing: str
    reason: str


@dataclass(frozen=True)
class FormulationData:
    committees: tuple[Committee, ...]
    items: tuple[Formulation, ...]
    follow_up_words: tuple[str, ...]
    fixed_phrases: tuple[str, ...]
    fixed_patterns: tuple[re.Pattern[str], ...]
    stock_phrases: tuple[str, ...]


def _date(value: Any, default: dt.date) -> dt.date:
    if value in (None, ""):
        return default
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _committee(raw: dict[str, Any]) -> Committee:
    plenums = tuple(
        Plenum(raw["term"], int(p["ordinal"]), _date(p["opened"], FAR_FUTURE), _date(p["closed"], FAR_FUTURE), bool(p["cited"]))
        for p in raw.get("plenums", [])
    )
    return Committee(
        term=raw["term"],
        congress=raw["congress"],
        congress_re=re.compile(raw["congress_pattern"]),
        opened=_date(raw["opened"], FAR_FUTURE),
        closed=_date(raw["closed"], FAR_FUTURE),
        stale_from=_date(raw.get("stale_from"), FAR_FUTURE),
        superseded_by=raw.get("superseded_by", ""),
        reason=raw.get("reason", ""),
        plenums=plenums,
    )


def _formulation(raw: dict[str, Any]) -> Formulation:
    current_from = _date(raw["current_from"], dt.date.min)
    stale_from = _date(raw.get("stale_from"), FAR_FUTURE)
    return Formulation(
        id=raw["id"],
        label=raw["label"],
        kind=raw.get("kind", "term"),
        patterns=tuple(re.compile(p) for p in raw.get("patterns", [])),
        current_from=current_from,
        not_before=_date(raw.get("not_before"), current_from),
        stale_from=stale_from,
        follow_up_until=_date(raw.get("follow_up_until"), stale_from),
        superseded_by=raw.get("superseded_by", ""),
        requires_fact=re.compile(raw["requires_fact"]) if raw.get("requires_fact") else None,
        prompt=raw.get("prompt", ""),
        prompt_ongoing=raw.get("prompt_ongoing", ""),
        reason=raw.get("reason", ""),
    )


@lru_cache(maxsize=4)
def load_formulations(path: Path = DATA_FILE) -> FormulationData:
    """Read and compile the data file (cached)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return FormulationData(
        committees=tuple(_committee(c) for c in raw["central_committees"]),
        items=tuple(_formulation(f) for f in raw["time_bound"]),
        follow_up_words=tuple(raw.get("follow_up_words", [])),
        fixed_phrases=tuple(dict.fromkeys(raw.get("fixed_phrases", []))),
        fixed_patterns=tuple(re.compile(p) for p in raw.get("fixed_patterns", [])),
        stock_phrases=tuple(raw.get("stock_phrases", [])),
    )


def _ym(d: dt.date) -> str:
    return f"{d.year}年{d.month}月"


def _overlap_days(start: dt.date, end: dt.date, lo: dt.date, hi: dt.date) -> int:
    """Days shared by [start, end] and [lo, hi)."""
    return max(0, (min(end, hi - dt.timedelta(days=1)) - max(start, lo)).days + 1)


def _period_start(date: dt.date, period_start: dt.date | None) -> dt.date:
    """The period's first day; by default 1 January of the year reported on (the previous one in Jan–Feb)."""
    if period_start is not None:
        return period_start
    return dt.date(date.year - 1 if date.month <= 2 else date.year, 1, 1)


def latest_congress_line(date: dt.date) -> str:
    """'深入学习贯彻党的二十大和二十届三中全会精神' for the congress and latest cited plenum by `date`."""
    data = load_formulations()
    held = [c for c in data.committees if c.opened <= date]
    if not held:
        return ""
    committee = held[-1]
    plenums = [p for p in committee.plenums if p.cited and p.closed <= date]
    if plenums:
        return f"深入学习贯彻{committee.congress}和{plenums[-1].name}精神"
    return f"深入学习贯彻{committee.congress}精神"


def current_formulations(date: dt.date, *, period_start: dt.date | None = None) -> list[str]:
    """Short lines for a prompt: the formulations current for a report written on `date`."""
    data = load_formulations()
    start = _period_start(date, period_start)
    lines: list[str] = []
    for item in data.items:
        if item.kind == "campaign":
            if _overlap_days(start, date, item.current_from, item.stale_from) >= ONGOING_MIN_DAYS:
                end = item.stale_from - dt.timedelta(days=1)
                lines.append(f"{item.prompt_ongoing or '扎实开展' + item.label}（{_ym(item.current_from)}至{_ym(end)}）")
            elif item.stale_from <= date and start <= item.follow_up_until:
                lines.append(item.superseded_by)
        elif item.prompt and _overlap_days(start, date, item.current_from, item.stale_from) > 0:
            lines.append(item.prompt)
        if item.id == "guiding_thought" and (congress := latest_congress_line(date)):
            lines.append(congress)
    return lines


def _finding(message: str, span: str = "") -> Finding:
    return Finding(CHECK, message, "error", span=span)


def _plenum_mentions(text: str, committee: Committee) -> list[tuple[str, int]]:
    """(phrase, ordinal) for 二十届三中全会, 十九届二中、三中、四中全会, 二十届中央委员会第三次全体会议."""
    term = re.escape(committee.term)
    found: list[tuple[str, int]] = []
    for m in re.finditer(term + r"(?:中央委员会)?((?:[一二三四五六七]中[、，,和及与]?)+)全会", text):
        for ch in re.findall(r"([一二三四五六七])中", m.group(1)):
            found.append((m.group(0), ORDINALS.index(ch) + 1))
    for m in re.finditer(term + r"中央委员会第([一二三四五六七])次全体会议", text):
        found.append((m.group(0), ORDINALS.index(m.group(1)) + 1))
    return found


def _committee_findings(text: str, date: dt.date, start: dt.date, facts_text: str) -> list[Finding]:
    findings: list[Finding] = []
    current = latest_congress_line(date)
    for c in load_formulations().committees:
        for m in c.congress_re.finditer(text):
            phrase = m.group(0)
            if phrase in facts_text:
                continue
            if date < c.opened:
                findings.append(_finding(f"出现“{phrase}”，但{c.congress}{_ym(c.opened)}才召开，{date.isoformat()}的报告不能提及，请删除", phrase))
            elif not _overlap_days(start, date, c.opened, c.stale_from):
                findings.append(_finding(f"出现过时提法“{phrase}”：{c.reason}。请改为“{current}”", phrase))
        stale: dict[str, list[str]] = {}
        for phrase, ordinal in _plenum_mentions(text, c):
            if phrase in facts_text:
                continue
            plenum = c.plenum(ordinal)
            name = f"{c.term}{ORDINALS[ordinal - 1]}中全会"
            if plenum is None or date < plenum.opened:
                when = f"{_ym(plenum.opened)}才召开" if plenum else "尚未召开"
                findings.append(_finding(f"出现“{phrase}”，但{name}{when}，{date.isoformat()}的报告不能提及，请删除，改写“{current}”", phrase))
            elif not _overlap_days(start, date, plenum.opened, c.stale_from):
                stale.setdefault(phrase, []).append(name)
        for phrase, names in stale.items():
            findings.append(_finding(f"出现过时提法“{phrase}”（{'、'.join(names)}）：{c.reason}。请改为“{current}”", phrase))
    return findings


def _has_follow_up(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    """True when the clause around text[start:end] words it as follow-up (巩固拓展…成果)."""
    before, after = FOLLOW_UP_WINDOW
    left = text[max(0, start - before) : start]
    right = text[end : end + after]
    left = left[max((left.rfind(c) for c in CLAUSE_END), default=-1) + 1 :]
    cut = [i for i in (right.find(c) for c in CLAUSE_END) if i >= 0]
    right = right[: min(cut)] if cut else right
    return any(w in left + text[start:end] + right for w in words)


def _q(phrase: str) -> str:
    return phrase if phrase.startswith("“") else f"“{phrase}”"


def _item_finding(item: Formulation, m: re.Match[str], text: str, date: dt.date, start: dt.date, facts_text: str) -> Finding | None:
    phrase = m.group(0)
    if item.requires_fact is not None:
        if item.requires_fact.search(facts_text):
            return None
        return _finding(f"出现“{phrase}”，但事实表没有提到{item.label.replace('防控', '')}，{item.reason}，请{item.superseded_by}", phrase)
    if date < item.not_before:
        return _finding(f"出现“{phrase}”，但{item.label}从{_ym(item.current_from)}起才有，{date.isoformat()}的报告不能提及，请删除", phrase)
    if _overlap_days(start, date, item.current_from, item.stale_from):
        return None
    if item.kind == "plan" and start < item.current_from:  # 谋划“十五五” in its last year of preparation
        return None
    if item.kind in ("campaign", "plan") and start <= item.follow_up_until:
        if _has_follow_up(text, m.start(), m.end(), load_formulations().follow_up_words):
            return None
        end = item.stale_from - dt.timedelta(days=1)
        return _finding(
            f"“{phrase}”已于{_ym(end)}结束（{item.reason}），不能写成正在开展，请改为{_q(item.superseded_by)}"
        )
    return _finding(f"出现过时提法“{phrase}”：{item.reason}。{date.year}年的报告应改为{_q(item.superseded_by)}或删除", phrase)


def stale_formulations(
    text: str, date: dt.date, facts_text: str = "", *, period_start: dt.date | None = None
) -> list[Finding]:
    """Findings for formulations in `text` that are stale or not yet current at `date`.

    Phrases that appear verbatim in `facts_text` are the user's own and are never flagged.
    """
    start = _period_start(date, period_start)
    findings = _committee_findings(text, date, start, facts_text)
    for item in load_formulations().items:
        for pattern in item.patterns:
            for m in pattern.finditer(text):
                if m.group(0) in facts_text and item.requires_fact is None:
                    continue
                if (finding := _item_finding(item, m, text, date, start, facts_text)) is not None:
                    findings.append(finding)
    unique: dict[str, Finding] = {}
    for f in findings:
        unique.setdefault(f.message, f)
    return list(unique.values())
