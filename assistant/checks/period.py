"""Wording tied to the reporting period: period_mismatch and stale_formulation.

period_mismatch: annual wording (一年来, 全年共…) in a summary of part of a year, half-year wording
(在过去的半年里) in an annual one, and a plans chapter that looks to the wrong period (明年 after
上半年, 下半年 after a whole year).
stale_formulation: see `formulations.stale_formulations`.
"""

from __future__ import annotations

import re

from assistant.checks.formulations import load_formulations, stale_formulations
from assistant.checks.sheet import fact_texts
from assistant.domain.draft import Finding
from assistant.domain.facts import FactSheet
from assistant.domain.period import Period

ANNUAL_SCOPE_RE = re.compile(r"一年来|一年以来|全年(?:共|累计|开展|组织|召开|完成|举办|发展|收缴)|本年度共|年度内共")
HALF_SCOPE_RE = re.compile(r"(?:过去的?|这)半年(?:里|来|中|以来)?|半年(?:来|以来)|上半年以来")  # in an annual report
# Parts whose annual wording is an error; in a 下半年 summary it is only a warning.
# (Not domain.period.PART_OF_YEAR, which holds 下半年 too.)
HALF_YEAR_PARTS = ("上半年", "第一季度", "第二季度", "第三季度", "第四季度")
PLANS_HORIZON_WRONG = {
    "上半年": r"明年|来年|下一年|{next_year}年",
    "全年": r"下半年",
}


def check_formulations(text: str, sheet: FactSheet) -> list[Finding]:
    """stale_formulation for the sheet's report date and period; the facts' own phrases pass."""
    facts_text = "\n".join(fact_texts(sheet))
    return stale_formulations(text, sheet.report_date, facts_text, period_start=sheet.parsed_period.start)


def _annual_wording(text: str, period: Period) -> list[Finding]:
    severity = "error" if period.part in HALF_YEAR_PARTS else "warning"
    return [
        Finding(
            "period_mismatch",
            f"这是{period.label}的总结，不能用“{phrase}”（那是全年总结的说法），请改为“{period.part}”或“今年以来”",
            severity,
            span=phrase,
        )
        for phrase in dict.fromkeys(m.group(0) for m in ANNUAL_SCOPE_RE.finditer(text))
    ]


def _half_year_wording(text: str, period: Period) -> list[Finding]:
    return [
        Finding("period_mismatch", f"这是{period.label}的总结，不能用“{phrase}”（那是半年总结的说法），请改为“一年来”", span=phrase)
        for phrase in dict.fromkeys(m.group(0) for m in HALF_SCOPE_RE.finditer(text))
    ]


def _plans_horizon(text: str, period: Period) -> list[Finding]:
    wrong = PLANS_HORIZON_WRONG.get(period.part, "")
    if not wrong:
        return []
    return [
        Finding("period_mismatch", f"工作打算应针对“{period.next_label}”，不能写“{phrase}”，请改为“{period.next_label}”", span=phrase)
        for phrase in dict.fromkeys(re.findall(wrong.format(next_year=period.year + 1), text))
    ]


def _plans_plan_period(text: str, sheet: FactSheet) -> list[Finding]:
    """A five-year plan that is over before the plans' period begins (“十四五”末 in plans for 2027)."""
    period, facts_text = sheet.parsed_period, "\n".join(fact_texts(sheet))
    return [
        Finding("period_mismatch", f"工作打算针对“{period.next_label}”，{item.reason}，不能再写“{m.group(0)}”，请改为{item.superseded_by}",
                span=m.group(0))
        for item in load_formulations().items if item.kind == "plan" and item.stale_from <= period.next_start
        for pattern in item.patterns if (m := pattern.search(text)) and not pattern.search(facts_text)
    ]


def check_period(text: str, sheet: FactSheet, kind: str) -> list[Finding]:
    """period_mismatch: annual wording in a half-year report and half-year wording in an annual one;
    plans that look to the wrong period."""
    period = sheet.parsed_period
    if kind == "plans":
        return _plans_horizon(text, period) + _plans_plan_period(text, sheet)
    return _half_year_wording(text, period) if period.is_annual else _annual_wording(text, period)
