import datetime as dt

import pytest

from assistant.domain.facts import load_fact_sheet, parse_fact_sheet, parse_period
from assistant.errors import FactSheetError

EXAMPLE = "examples/qingshan-2024h1.yaml"


def test_example_sheet_loads(tmp_path):
    sheet = load_fact_sheet(EXAMPLE)
    assert sheet.organization == "青山县自然资源局机关党支部"
    assert sheet.parsed_period.label == "2024年上半年"
    assert sheet.report_date == dt.date(2024, 7, 8)
    assert [h.topic for h in sheet.highlights] == ["党纪学习教育", "组织生活", "党建与业务融合"]
    assert sheet.display_title == "青山县自然资源局机关党支部2024年上半年党建工作总结"


def test_yaml_round_trip():
    sheet = load_fact_sheet(EXAMPLE)
    assert parse_fact_sheet(sheet.to_yaml()) == sheet


def test_json_is_accepted():
    sheet = parse_fact_sheet('{"organization": "某局党委", "period": "2023年度", "highlights": [{"topic": "党建", "facts": ["开展活动5次"]}]}')
    assert sheet.parsed_period.is_annual and sheet.parsed_period.next_label == "2024年"


@pytest.mark.parametrize(
    "text, field",
    [
        ("period: 2024年上半年\nhighlights: [{topic: a, facts: [b]}]", "organization"),
        ("organization: 党支部\nperiod: 去年\nhighlights: [{topic: a, facts: [b]}]", "period"),
        ("organization: 党支部\nperiod: 2024年", "highlights"),
        ("organization: 党支部\nperiod: 2024年\nhighlights: [{topic: a, facts: []}]", "highlights[1].facts"),
        ("organization: 党支部\nperiod: 2024年\nhighlights: [{topic: a, facts: [b]}]\ndate: 7月8日", "date"),
        ("organization: 党支部\nperiod: 2024年\nhighlights: [{topic: a, facts: [b]}]\nlength: 十万", "length"),
    ],
)
def test_validation_names_the_field(text, field):
    with pytest.raises(FactSheetError) as err:
        parse_fact_sheet(text)
    assert any(p.startswith(field + ":") for p in err.value.problems), err.value.problems


def test_broken_yaml_names_the_line():
    with pytest.raises(FactSheetError, match=r"第 \d+ 行"):
        parse_fact_sheet("organization: a\nperiod: [2024\n")


@pytest.mark.parametrize(
    "text, year, part, next_label",
    [("2024年上半年", 2024, "上半年", "下半年"), ("2023年度", 2023, "全年", "2024年"), ("2025年", 2025, "全年", "2026年"),
     ("2024年第三季度", 2024, "第三季度", "2025年")],
)
def test_periods(text, year, part, next_label):
    p = parse_period(text)
    assert (p.year, p.part, p.next_label) == (year, part, next_label)
