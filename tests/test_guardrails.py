"""Every guardrail catches its planted defect, and a clean hand-written section passes."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import pytest

from assistant.checks.copying import CorpusMatcher
from assistant.checks.numbers import extract_numbers
from assistant.checks.suite import check_document, check_draft, check_section
from assistant.checks.template import check_placeholders
from assistant.corpus.cleaning import clean_text
from assistant.domain.draft import Finding, Section
from assistant.domain.facts import FactSheet, parse_fact_sheet
from assistant.resources import CORPUS_DIR
from assistant.text import parse_cn_number

SHEET_YAML = """
organization: 青山县自然资源局机关党支部
org_type: 党支部
period: 2024年上半年
date: 2024-07-08
superior: 县直机关工委
highlights:
  - topic: 党纪学习教育
    facts:
      - 组织集中学习《中国共产党纪律处分条例》6次
      - 开展专题研讨3次，支部书记讲专题党课2次
"""

CLEAN = (
    "支部把党纪学习教育作为上半年的重要政治任务，紧扣学纪、知纪、明纪、守纪的目标要求，推动学习教育走深走实。"
    "一是抓好集中学习。坚持原原本本学、逐章逐条学，组织党员集中学习《中国共产党纪律处分条例》6次，"
    "帮助党员准确把握纪律要求，做到心有所畏、言有所戒、行有所止。"
    "二是深化研讨交流。围绕条例重点内容开展专题研讨3次，党员结合岗位职责和自身实际谈认识、谈体会，"
    "查找纪律意识方面的薄弱环节，明确改进方向。"
    "三是上好专题党课。支部书记讲专题党课2次，联系自然资源领域工作实际讲清纪律规矩，"
    "引导党员把遵规守纪落实到日常工作中，进一步增强了党员的纪律意识和规矩意识。"
)
# A sentence of the 市委办公室党总支 sample, 51 characters without punctuation.
COPIED = "牢固树立“抓好党建是本职、不抓党建是失职、抓不好党建是渎职”的责任意识，始终坚持围绕中心、服务大局，坚持全面从严从实。"


@pytest.fixture(scope="module")
def sheet() -> FactSheet:
    return parse_fact_sheet(SHEET_YAML)


@pytest.fixture(scope="module")
def corpus() -> CorpusMatcher:
    paragraphs = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        paragraphs += [p for p in clean_text(path.read_text(encoding="utf-8")).split("\n") if p.strip()]
    return CorpusMatcher(paragraphs)


@pytest.fixture
def section(sheet: FactSheet) -> Section:
    h = sheet.highlights[0]
    return Section("work-1", "achievements", "一、上半年党建工作开展情况及成效", "（一）扎实开展党纪学习教育", h.topic, list(h.facts), 300)


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def checks(findings: list[Finding]) -> set[str]:
    return {f.check for f in errors(findings)}


def test_clean_section_passes(section: Section, sheet: FactSheet, corpus: CorpusMatcher) -> None:
    assert errors(check_section(CLEAN, section, sheet, corpus)) == []


def test_chinese_numerals_count_as_the_facts_numbers(section: Section, sheet: FactSheet, corpus: CorpusMatcher) -> None:
    text = CLEAN.replace("6次", "六次").replace("3次", "三次").replace("2次", "两次")
    assert errors(check_section(text, section, sheet, corpus)) == []


@pytest.mark.parametrize(
    ("defect", "check", "named"),
    [
        (lambda t: t + "全体党员参学率达到98.5%。", "invented_number", "98.5%"),
        (lambda t: t + "累计覆盖党员360人次。", "invented_number", "360"),
        (lambda t: t + "还开展警示教育五次。", "invented_number", "五次"),
        (lambda t: t + "三分之二的党员参加了学习。", "invented_number", "三分之二"),
        (lambda t: t + "带动上百名群众参与。", "invented_number", "上百名"),
        (lambda t: t + "撬动资金近亿元。", "invented_number", "近亿元"),
        (lambda t: t + "守护耕地近百万亩。", "invented_number", "近百万亩"),
        (lambda t: t + "守护耕地百万亩。", "invented_number", "百万亩"),
        (lambda t: t + "志愿服务超过一万小时。", "invented_number", "一万小时"),
        (lambda t: t + "力争村集体经济收入翻倍。", "invented_number", "翻倍"),
        (lambda t: t + "力争通过三年的努力形成品牌。", "invented_number", "三年"),
        (lambda t: t.replace("6次", ""), "missing_number", "6"),
        (lambda t: t.replace("支部书记讲", "XX支部书记讲"), "placeholder", "XX"),
        (lambda t: t + "【单位名称】", "placeholder", "【单位名称】"),
        (lambda t: t + "共发现问题和不足之处  个。", "placeholder", "处  个"),  # digits kept out, spaces left
        (lambda t: t + "群众满意率（%）达到若干%。", "placeholder", "若干%"),
        (lambda t: t + "共发放慰问金和物资若干万元。", "placeholder", "若干万元"),
        (lambda t: t + "累计流转土地面积达  亩。", "placeholder", "达  亩"),
        (lambda t: t + "共走访慰问困难党员和群众，共计人次。", "placeholder", "共计人"),
        (lambda t: t + "共服务了居民群众。", "placeholder", "共服务了居民群众"),
        (lambda t: t + "参与服务的党员达人次。", "placeholder", "达人"),
        (lambda t: t + "力争服务覆盖率达到  ；", "placeholder", "到  "),
        (lambda t: t + "力争服务覆盖率达到；", "placeholder", "达到"),
        (lambda t: t + "力争群众满意率达到  以上。", "placeholder", "到  "),
        (lambda t: t + "共发放慰问品价值约万元。", "placeholder", "约万元"),
        (lambda t: t + "推进“十五五”时期（ ）各项工作。", "placeholder", "（ ）"),
        (lambda t: t + "酷乐文行整理", "watermark", "酷乐文行"),
        (lambda t: t + "深入学习贯彻党的十九届四中全会精神。", "stale_formulation", "十九届四中全会"),
        (lambda t: "一年来，" + t, "period_mismatch", "一年来"),
        (lambda t: t + COPIED, "copied_text", "抓好党建是本职"),
        (lambda t: t + "并赴永川区党性教育基地开展现场教学。", "invented_name", "永川区"),
        (lambda t: t + "张建国同志作交流发言。", "invented_name", "张建国"),
        (lambda t: t + "全面落实青山市委的部署要求。", "invented_name", "青山市"),  # the facts say 青山县
        (lambda t: t.replace("《中国共产党纪律处分条例》", "有关规定"), "fact_coverage", "纪律处分条例"),
    ],
)
def test_each_guardrail_catches_its_defect(defect, check: str, named: str, section: Section, sheet: FactSheet, corpus: CorpusMatcher) -> None:
    findings = [f for f in errors(check_section(defect(CLEAN), section, sheet, corpus)) if f.check == check]
    assert findings, f"{check} not raised"
    assert any(named in f.message for f in findings), [f.message for f in findings]


@pytest.mark.parametrize("sentence", ["共服务了居民群众120人次。", "共同营造了风清气正的良好氛围。", "形成了共建共享的工作格局。",
                                      "中共青山县委的要求得到落实。", "共开展了一系列主题活动。", "服务质量达到新水平。", "达到个人学习目标。", "达成共识。",
                                      "党员的价值观更加坚定。"])
def test_a_total_with_its_figure_or_a_word_with_共_is_no_placeholder(sentence: str, sheet: FactSheet) -> None:
    assert check_placeholders(sentence, sheet) == []


def test_fixed_phrases_and_markers_are_not_numbers() -> None:
    text = (
        "（一）一是增强“四个意识”、坚定“四个自信”、做到“两个维护”，落实“一岗双责”和“三会一课”，"
        "深入学习党的二十大和二十届三中全会精神，推进“十四五”规划，落实中央八项规定精神。1. 二是…"
    )
    assert [n for n in extract_numbers(text) if not n.idiomatic] == []


@pytest.mark.parametrize(("text", "value"), [("六", 6), ("十二", 12), ("二十三", 23), ("两千余", 2000), ("一百二十", 120), ("三万", 30000)])
def test_parse_cn_number(text: str, value: int) -> None:
    assert parse_cn_number(text) == value


@pytest.mark.parametrize(("period", "stale"), [("2026年上半年", True), ("2026年度", True), ("2025年上半年", False)])
def test_plans_may_not_look_to_a_five_year_plan_already_over(period: str, stale: bool, sheet: FactSheet,
                                                             corpus: CorpusMatcher) -> None:
    sheet = replace(sheet, period=period, date=None)
    plans = Section("plans", "plans", "三、工作打算", "", "工作打算", [], 150)
    text = "力争到“十四五”末，支部标准化规范化建设水平全面提升。"
    assert ("period_mismatch" in checks(check_section(text, plans, sheet, corpus))) is stale
    assert "period_mismatch" not in checks(check_section(text.replace("十四五", "十五五"), plans, sheet, corpus))


def test_half_year_plans_must_look_to_the_second_half(sheet: FactSheet, corpus: CorpusMatcher) -> None:
    plans = Section("plans", "plans", "三、下半年工作打算", "", "工作打算", [], 150)
    bad = "明年，支部将持续巩固拓展党纪学习教育成果，坚持把纪律建设摆在更加突出的位置，推动全面从严治党向纵深发展。"
    good = bad.replace("明年", "下半年")
    assert "period_mismatch" in checks(check_section(bad, plans, sheet, corpus))
    assert "period_mismatch" not in checks(check_section(good, plans, sheet, corpus))


def test_too_short_is_a_warning(section: Section, sheet: FactSheet, corpus: CorpusMatcher) -> None:
    findings = check_section(CLEAN[:100], section, sheet, corpus)
    assert any(f.check == "too_short" and f.severity == "warning" for f in findings)


def test_generic_bodies_and_the_sheets_names_are_allowed(section: Section, sheet: FactSheet, corpus: CorpusMatcher) -> None:
    text = CLEAN + "在县委和县直机关工委的指导下，青山县自然资源局机关党支部坚持以习近平新时代中国特色社会主义思想为指导。"
    assert "invented_name" not in checks(check_section(text, section, sheet, corpus))


def test_check_draft_labels_sections_and_finds_unassigned_numbers(section: Section, corpus: CorpusMatcher) -> None:
    sheet = parse_fact_sheet(SHEET_YAML + "members: 现有党员28名，其中预备党员2名\n")
    findings = check_draft([(section, CLEAN + "一年来")], sheet, corpus)
    assert any(f.check == "period_mismatch" and f.message.startswith("（一）扎实开展党纪学习教育：") for f in findings)
    assert any(f.check == "missing_number" and "28" in f.message for f in findings)


def test_check_document(sheet: FactSheet, corpus: CorpusMatcher) -> None:
    doc = "\n".join([
        sheet.display_title,
        "2024年上半年，青山县自然资源局机关党支部在县直机关工委的指导下，坚持以习近平新时代中国特色社会主义思想为指导。",
        "一、上半年党建工作开展情况及成效", "（一）扎实开展党纪学习教育", CLEAN,
        "三、下半年工作打算", "下半年，支部将巩固拓展党纪学习教育成果，推动全面从严治党向纵深发展。",
    ])
    assert errors(check_document(doc, sheet, corpus)) == []
    assert "stale_formulation" in checks(check_document(doc + "\n深入学习贯彻党的十九大精神。", sheet, corpus))
    assert "period_mismatch" in checks(check_document(doc.replace("下半年，支部", "明年，支部"), sheet, corpus))


def test_corpus_matcher_ignores_punctuation_and_stock_phrases(corpus: CorpusMatcher) -> None:
    length, run = corpus.longest_shared_run(COPIED.replace("，", " ").replace("、", ""))
    assert length > 40 and "渎职" in run
    stock = "坚持以习近平新时代中国特色社会主义思想为指导，增强“四个意识”、坚定“四个自信”、做到“两个维护”。"
    assert corpus.shared_fraction(stock) == 0.0
    assert corpus.longest_shared_run(CLEAN)[0] <= 40


def test_corpus_matcher_scales_to_many_passages() -> None:
    rng = random.Random(4)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    passages = ["".join(rng.choices(alphabet, k=400)) for _ in range(10_000)]
    started = time.perf_counter()
    matcher = CorpusMatcher(passages)
    built = time.perf_counter() - started
    probe = "本支部" + passages[1234][100:160] + "认真落实"
    started = time.perf_counter()
    length, run = matcher.longest_shared_run(probe)
    fraction = matcher.shared_fraction(probe)
    queried = time.perf_counter() - started
    assert length == 60 and run == passages[1234][100:160]
    assert fraction == pytest.approx(60 / len(probe))
    assert built < 30 and queried < 1



def test_the_report_date_of_the_closing_is_no_invented_date() -> None:
    from assistant.checks import check_numbers
    from assistant.domain.facts import fact_sheet_from_dict

    sheet = fact_sheet_from_dict({"organization": "某党支部", "period": "2024年上半年", "date": "2024-07-08",
                                  "highlights": [{"topic": "学习", "facts": ["集中学习6次"]}]})
    assert not check_numbers("青山县某党支部\n2024年7月8日", [], sheet)
    assert [f.check for f in check_numbers("2024年7月9日", [], sheet)] == ["invented_number"]


@pytest.mark.parametrize(("fact", "allowed"), [("实施三年行动计划", True), ("连续3年获评先进", True), ("开展专题研讨3次", False)])
def test_a_span_of_years_needs_a_span_of_the_facts(fact: str, allowed: bool) -> None:
    from assistant.checks import check_numbers
    from assistant.domain.facts import fact_sheet_from_dict

    sheet = fact_sheet_from_dict({"organization": "某党支部", "period": "2024年上半年", "date": "2024-07-08",
                                  "highlights": [{"topic": "学习", "facts": [fact]}]})
    findings = [f.check for f in check_numbers("力争通过三年的努力形成品牌。", [], sheet)]
    assert findings == ([] if allowed else ["invented_number"])


def test_only_the_units_own_places_are_checked_for_their_level() -> None:
    from assistant.checks import check_names
    from assistant.domain.facts import fact_sheet_from_dict

    sheet = fact_sheet_from_dict({"organization": "青山县柳溪镇桃源村党支部", "period": "2026年", "superior": "柳溪镇党委",
                                  "highlights": [{"topic": "扎实推进乡村振兴", "facts": ["推动乡村振兴项目3个"]}]})
    assert check_names("推动村集体经济发展，柳溪镇党委和桃源村两委共同推进。", sheet) == []
    assert [f.span for f in check_names("在柳溪乡党委的领导下推进。", sheet)] == ["柳溪乡"]


@pytest.mark.parametrize(("period", "wrong"), [("2025年度", True), ("2025年上半年", False)])
def test_an_annual_report_does_not_speak_of_half_a_year(period: str, wrong: bool, sheet: FactSheet,
                                                        corpus: CorpusMatcher) -> None:
    sheet = replace(sheet, period=period, date=None)
    work = Section("work-1", "achievements", "一、工作开展情况", "", "党纪学习教育", [], 150)
    text = "在过去的半年里，支部党员的纪律意识明显增强。"
    assert ("period_mismatch" in checks(check_section(text, work, sheet, corpus))) is wrong
