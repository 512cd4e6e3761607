"""Time-bound formulations: what the prompt names for a date, and what the checker flags."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.checks.formulations import (
    current_formulations,
    latest_congress_line,
    load_formulations,
    stale_formulations,
)

H1_2024 = (dt.date(2024, 7, 8), dt.date(2024, 1, 1))


def stale(text: str, date: dt.date, start: dt.date, facts: str = "") -> list[str]:
    findings = stale_formulations(text, date, facts, period_start=start)
    assert all(f.check == "stale_formulation" and f.severity == "error" for f in findings)
    return [f.message for f in findings]


@pytest.mark.parametrize(
    ("date", "line"),
    [
        (dt.date(2020, 7, 5), "深入学习贯彻党的十九大和十九届四中全会精神"),
        (dt.date(2022, 7, 5), "深入学习贯彻党的十九大和十九届六中全会精神"),
        (dt.date(2022, 12, 1), "深入学习贯彻党的二十大精神"),  # 一中全会 is never named
        (dt.date(2024, 7, 8), "深入学习贯彻党的二十大和二十届二中全会精神"),  # 三中 opens 2024-07-15
        (dt.date(2024, 7, 19), "深入学习贯彻党的二十大和二十届三中全会精神"),
        (dt.date(2025, 10, 24), "深入学习贯彻党的二十大和二十届四中全会精神"),
        (dt.date(2026, 11, 22), "深入学习贯彻党的二十大和二十届五中全会精神"),
    ],
)
def test_latest_congress_line(date: dt.date, line: str) -> None:
    assert latest_congress_line(date) == line


def test_current_formulations_for_a_2024_half_year_report() -> None:
    lines = current_formulations(*H1_2024[:1], period_start=H1_2024[1])
    assert lines[0] == "坚持以习近平新时代中国特色社会主义思想为指导"
    assert "深入学习贯彻党的二十大和二十届二中全会精神" in lines
    assert any(line.startswith("扎实开展党纪学习教育") for line in lines)
    assert "巩固拓展学习贯彻习近平新时代中国特色社会主义思想主题教育成果" in lines
    assert any("十四五" in line for line in lines)
    assert not any("十五五" in line or "八项规定" in line for line in lines)


def test_current_formulations_after_campaigns_end() -> None:
    lines = current_formulations(dt.date(2026, 1, 10), period_start=dt.date(2025, 1, 1))
    assert "巩固拓展党纪学习教育成果" in lines
    assert any(line.startswith("扎实开展深入贯彻中央八项规定精神学习教育") for line in lines)
    assert any("十四五" in line for line in lines) and any("十五五" in line for line in lines)


def test_the_nineteenth_committee_is_stale_in_2024() -> None:
    messages = stale("深入学习贯彻党的十九大和十九届四中全会精神", *H1_2024)
    assert any("十九大" in m for m in messages)
    assert any("十九届四中全会" in m and "二十大" in m for m in messages)


def test_abbreviated_plenum_lists_are_read() -> None:
    messages = stale("学习十九届二中、三中、四中全会精神", *H1_2024)
    assert len(messages) == 1 and "十九届二中全会、十九届三中全会、十九届四中全会" in messages[0]


def test_a_plenum_cannot_be_mentioned_before_it_opens() -> None:
    assert any("才召开" in m for m in stale("学习二十届三中全会精神", *H1_2024))
    assert stale("学习二十届三中全会精神", dt.date(2024, 7, 20), dt.date(2024, 1, 1)) == []
    assert any("尚未召开" in m for m in stale("学习二十届六中全会精神", dt.date(2026, 11, 22), dt.date(2026, 1, 1)))
    assert any("才召开" in m for m in stale("党的二十大精神", dt.date(2022, 7, 5), dt.date(2022, 1, 1)))


def test_current_formulations_pass() -> None:
    text = "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大和二十届二中全会精神，扎实开展党纪学习教育"
    assert stale(text, *H1_2024) == []
    assert stale("“十四五”规划实施", *H1_2024) == []


def test_campaign_only_as_follow_up_after_it_ends() -> None:
    date, start = dt.date(2025, 7, 5), dt.date(2025, 1, 1)
    assert stale("持续巩固拓展党纪学习教育成果", date, start) == []
    messages = stale("扎实开展党纪学习教育", date, start)
    assert messages and "巩固拓展党纪学习教育成果" in messages[0]
    # an annual 2024 report describes the campaign of April–July 2024 as work done
    assert stale("扎实开展党纪学习教育", dt.date(2025, 1, 10), dt.date(2024, 1, 1)) == []
    # before it starts it cannot be mentioned at all
    assert stale("扎实开展党纪学习教育", dt.date(2023, 7, 5), dt.date(2023, 1, 1))
    # long after, even follow-up wording is stale
    assert stale("巩固拓展“不忘初心、牢记使命”主题教育成果", *H1_2024)


def test_poverty_epidemic_and_plans() -> None:
    assert stale("坚决打赢脱贫攻坚战", *H1_2024)
    assert stale("巩固拓展脱贫攻坚成果同乡村振兴有效衔接", *H1_2024) == []
    assert stale("坚决打赢脱贫攻坚战", dt.date(2020, 7, 5), dt.date(2020, 1, 1)) == []
    assert stale("推动农村社会和谐稳定，实现全面小康", *H1_2024), "全面建成小康社会 was declared on 2021-07-01"
    assert stale("推动农村社会和谐稳定，实现全面小康", dt.date(2020, 7, 5), dt.date(2020, 1, 1)) == []
    assert stale("统筹推进新冠肺炎疫情防控", *H1_2024)
    assert stale("统筹推进疫情防控", dt.date(2020, 7, 5), dt.date(2020, 1, 1), facts="参与社区疫情防控值守20次") == []
    assert stale("完成“十三五”目标", *H1_2024)
    assert stale("谋划“十五五”", *H1_2024)
    assert stale("谋划“十五五”", dt.date(2025, 7, 5), dt.date(2025, 1, 1)) == []
    h1_2026 = dt.date(2026, 7, 5), dt.date(2026, 1, 1)
    assert stale("推进“十四五”规划实施", *h1_2026), "2026 is the first year of the 15th plan"
    assert stale("在“十四五”圆满收官的基础上开好局", *h1_2026) == []


def test_events_of_past_years_need_a_fact() -> None:
    assert stale("在庆祝建党百年大会上组织党员学习。", *H1_2024), "the centenary was 2021-07-01"
    assert stale("组织党员进行“四史”学习讨论。", *H1_2024)
    assert stale("为实现第二个百年奋斗目标而团结奋斗。", *H1_2024) == []
    assert stale("为实现“两个一百年”奋斗目标贡献力量。", *H1_2024), "the first centenary goal was met on 2021-07-01"
    assert stale("为实现“两个一百年”奋斗目标贡献力量。", dt.date(2020, 7, 5), dt.date(2020, 1, 1)) == []
    assert stale("坚持学党史、悟思想、办实事、开新局。", dt.date(2026, 7, 5), dt.date(2026, 1, 1)), "the slogan of 2021"
    assert stale("坚持学党史、悟思想、办实事、开新局。", dt.date(2021, 7, 5), dt.date(2021, 1, 1)) == []
    assert stale("组织收看庆祝建党百年大会直播。", dt.date(2021, 7, 5), dt.date(2021, 1, 1), facts="组织收看建党百年大会直播1次") == []


def test_the_users_own_facts_are_never_flagged() -> None:
    assert stale("开展党史学习教育回头看", *H1_2024, facts="开展党史学习教育回头看1次") == []


def test_data_file_is_consistent() -> None:
    data = load_formulations()
    for committee in data.committees:
        dates = [(p.opened, p.closed) for p in committee.plenums]
        assert all(a <= b for a, b in dates) and dates == sorted(dates)
        assert committee.closed < committee.stale_from
    for item in data.items:
        assert item.current_from < item.stale_from <= item.follow_up_until or item.kind != "campaign"
        assert item.reason, item.id
