"""From the unit's own records to a fact sheet: files the tests write, counted exactly, every row accounted for."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from assistant.app.records import facts_file, merge_into_form
from assistant.cli import main
from assistant.corpus.topics import vocabulary
from assistant.domain.facts import fact_sheet_from_dict, load_fact_sheet
from assistant.domain.period import parse_period
from assistant.errors import FactSheetError, LoadError
from assistant.records.counting import Count
from assistant.records.dates import RecordDate, find_date
from assistant.records.grouping import fill_in, move_fact, rename_topic, topic_of
from assistant.records.plans import checklist_line, plans_in
from assistant.records.propose import open_plans, propose, sheet_data
from assistant.records.reading import SourceRow, read_records
from assistant.records.rules import Kind, rules

Y2026 = parse_period("2026年度")


def ledger_xlsx() -> bytes:
    """A 台账 of 三会一课 with mixed date forms and rows of 2025, and a register of new members."""
    book = Workbook()
    sheet = book.active
    sheet.title = "三会一课"
    sheet.append(["青山党支部2026年三会一课台账"])
    sheet.append(["序号", "会议时间", "会议类型", "会议内容", "参会人数"])
    sheet.append([1, dt.datetime(2026, 1, 15), "支委会", "研究年度工作计划", 7])  # an Excel date cell
    sheet.append([2, "2026年2月20日", "支部党员大会", "传达上级会议精神", 28])
    sheet.append([3, "2026.3.15", "支委会", "研究发展党员", 7])
    sheet.append([4, "2026/4/8", "主题党日", "赴红色教育基地参观", 25])
    sheet.append([5, "2026-05-12", "党课", "书记讲专题党课", 26])
    sheet.append([6, 46275, "支委会", "研究发展对象", 7])  # 2026-09-10 as a bare Excel day number
    sheet.append([7, "6月18日", "主题党日活动", "志愿服务进社区", 20])
    sheet.append([8, dt.datetime(2025, 12, 20), "支委会", "年度总结", 7])
    sheet.append([9, "2025年11月5日", "党员大会", "民主评议党员", 27])
    sheet.append([10, None, "支委会", "研究预算", 7])
    sheet.append([11, "2026-02-30", "支委会", "日期写错", 7])
    sheet.append([12, "2026-07-01", "座谈会", "征求意见", 12])
    register = book.create_sheet("发展党员")
    register.append(["姓名", "类别", "确定时间"])
    register.append(["张三", "入党积极分子", "2026-03-01"])
    register.append(["李四", "入党积极分子", "2026年3月1日"])
    register.append(["王五", "接收预备党员", dt.datetime(2026, 6, 28)])
    register.append(["赵六", "发展对象", "2025-10-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def records_docx() -> bytes:
    """A Word file: a title, one note as a paragraph and a table of study records."""
    doc = Document()
    doc.add_paragraph("2026年上半年党支部活动记录")
    doc.add_paragraph("3月15日 支委会 研究发展党员")
    table = doc.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["日期", "形式", "主题", "参加人数"]):
        cell.text = text
    for row in [("2026年1月10日", "集中学习", "学习党章", "20"), ("2026年3月5日", "研讨交流", "党纪学习教育", "18"),
                ("2026年7月3日", "集中学习", "学习全会精神", "21"), ("2026年4月9日", "其他", "观看警示教育片", "22")]:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


NOTES = "3月15日 支委会 研究发展党员\n\n6月 赴廉政教育基地警示教育 全体党员\n支委会 研究预算\n2026年9月1日 党小组会 学习条例\n"


def highlights(proposal) -> dict[str, list[str]]:
    return {h.topic: [f.text for f in h.facts] for h in proposal.highlights}


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("2026年3月15日", RecordDate(2026, 3, 15)), ("2026.3.15", RecordDate(2026, 3, 15)),
    ("2026-03-15", RecordDate(2026, 3, 15)), ("2026/3/15", RecordDate(2026, 3, 15)),
    ("3月15日 支委会", RecordDate(2026, 3, 15)), ("6月 警示教育", RecordDate(2026, 6)),
    ("二〇二六年三月十五日", RecordDate(2026, 3, 15)), ("十二月三日", RecordDate(2026, 12, 3)),
    ("2026年6月", RecordDate(2026, 6)), ("2025-12-20 00:00:00", RecordDate(2025, 12, 20)),
    ("2026-02-30", None), ("支委会 研究预算", None), ("完成登记1.2万件", None),
])
def test_dates_in_the_usual_forms(text, expected):
    assert find_date(text, Y2026) == expected


# --- an .xlsx 台账 --------------------------------------------------------------------------


def test_xlsx_ledger_counted_by_kind_within_the_period():
    proposal = propose([("台账.xlsx", ledger_xlsx())], "2026年度")
    assert highlights(proposal) == {
        "理论学习": ["讲授党课1次"],
        "组织生活": ["召开支部党员大会1次、支委会3次，开展主题党日活动2次"],
        "发展党员": ["发展党员1名，确定入党积极分子2名"],
    }
    left = [(item.row.label, item.reason) for item in proposal.left_out]
    assert left == [
        ("台账.xlsx · 三会一课 第10行", "日期 2025年12月20日 不在2026年内，未计入"),
        ("台账.xlsx · 三会一课 第11行", "日期 2025年11月5日 不在2026年内，未计入"),
        ("台账.xlsx · 三会一课 第12行", "没有日期，无法确定是否在2026年内，未计入；请补上日期"),
        ("台账.xlsx · 三会一课 第13行", "日期「2026-02-30」无法识别，未计入；请写成 2026年3月15日 或 2026-03-15"),
        ("台账.xlsx · 三会一课 第14行", "没有可识别的会议或活动类型（如 支委会、主题党日、党课），未计入"),
        ("台账.xlsx · 发展党员 第5行", "日期 2025年10月1日 不在2026年内，未计入"),
    ]


def test_each_count_keeps_the_rows_it_counted():
    proposal = propose([("台账.xlsx", ledger_xlsx())], "2026年度")
    fact = next(f for f in proposal.facts if f.text.startswith("召开"))
    counted = {c.kind.name: [(r.row, r.fields["date"]) for r in c.rows] for c in fact.counts}
    assert counted == {
        "支部党员大会": [(4, "2026年2月20日")],
        "支委会": [(3, "2026-01-15"), (5, "2026.3.15"), (8, "2026-09-10")],
        "主题党日": [(6, "2026/4/8"), (9, "6月18日")],
    }
    row = fact.counts[1].rows[0]
    assert row == SourceRow("台账.xlsx", "三会一课", 3, "1　2026-01-15　支委会　研究年度工作计划　7",
                            {"date": "2026-01-15", "kind": "支委会", "subject": "研究年度工作计划", "attendance": "7"})
    assert len(fact.rows) == 6 == sum(c.n for c in fact.counts)
    register = next(f for f in proposal.facts if f.text.startswith("发展"))
    assert [(r.where, r.row, r.fields["name"]) for r in register.rows] == [
        ("发展党员", 4, "王五"), ("发展党员", 2, "张三"), ("发展党员", 3, "李四")]


def test_half_year_leaves_out_the_second_half():
    proposal = propose([("台账.xlsx", ledger_xlsx())], "2026年上半年")
    assert highlights(proposal)["组织生活"] == ["召开支部党员大会1次、支委会2次，开展主题党日活动2次"]
    assert ("台账.xlsx · 三会一课 第8行", "日期 2026年9月10日 不在2026年上半年内，未计入") in [
        (i.row.label, i.reason) for i in proposal.left_out]


# --- a .docx with a records table, pasted notes ----------------------------------------------


def test_docx_table_and_paragraphs():
    proposal = propose([("记录.docx", records_docx())], "2026年上半年")
    assert highlights(proposal) == {
        "理论学习": ["组织集中学习1次，开展专题研讨1次"],
        "组织生活": ["召开支委会1次"],
        "党风廉政": ["开展警示教育1次"],
    }
    labels = {f.text: [r.label for r in f.rows] for f in proposal.facts}
    assert labels["组织集中学习1次，开展专题研讨1次"] == ["记录.docx · 表1 第2行", "记录.docx · 表1 第3行"]
    assert labels["召开支委会1次"] == ["记录.docx · 正文 第2段"]
    assert labels["开展警示教育1次"] == ["记录.docx · 表1 第5行"]  # 其他 in 形式, the kind read from 主题
    assert [(i.row.label, i.reason) for i in proposal.left_out] == [
        ("记录.docx · 正文 第1段", "没有可识别的会议或活动类型（如 支委会、主题党日、党课），未计入"),
        ("记录.docx · 表1 第4行", "日期 2026年7月3日 不在2026年上半年内，未计入")]


def test_pasted_notes_one_record_a_line():
    proposal = propose([], "2026年上半年", pasted=NOTES)
    assert highlights(proposal) == {"组织生活": ["召开支委会1次"], "党风廉政": ["开展警示教育1次"]}
    assert [f.rows[0].label for f in proposal.facts] == ["粘贴的文字 第1行", "粘贴的文字 第3行"]
    assert [(i.row.row, i.reason) for i in proposal.left_out] == [
        (4, "没有日期，无法确定是否在2026年上半年内，未计入；请补上日期"),
        (5, "日期 2026年9月1日 不在2026年上半年内，未计入"),
    ]


def test_pasted_spreadsheet_rows_and_markdown_tables_have_headers():
    pasted = "日期\t类型\t内容\n2026/5/8\t党员大会\t选举\n"
    markdown = "# 记录\n\n| 时间 | 活动 | 人数 |\n|---|---|---|\n| 2026-06-01 | 主题党日 | 20 |\n"
    proposal = propose([("记录.md", markdown.encode())], "2026年度", pasted=pasted)
    rows = [(r.source, r.row, r.fields) for f in proposal.facts for r in f.rows]
    assert rows == [("粘贴的文字", 2, {"date": "2026/5/8", "kind": "党员大会", "subject": "选举"}),
                    ("记录.md", 5, {"date": "2026-06-01", "kind": "主题党日", "attendance": "20"})]


# --- bad files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name, data, reason", [
    ("台账.xlsx", "日期,类型\n2026-03-15,支委会\n".encode(), "不是有效的 Excel 工作簿"),
    ("空.txt", b"  \n", "文件是空的"),
    ("坏.docx", b"not a zip", "不是有效的 Word 文档"),
    ("旧台账.xls", b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
    ("记录.pdf", b"%PDF-1.4", "不支持的文件类型 .pdf"),
    ("二进制.txt", b"\x00\x01\x02abc", "二进制"),
])
def test_a_bad_file_is_refused_with_its_name_and_reason(name, data, reason):
    with pytest.raises(LoadError) as caught:
        propose([("台账.xlsx", ledger_xlsx()), (name, data)], "2026年度")
    assert caught.value.path == name and reason in caught.value.reason
    assert str(caught.value).startswith(f"{name}: ")


def test_an_empty_workbook_is_refused():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(LoadError, match="没有可读的记录"):
        read_records(buffer.getvalue(), "空表.xlsx")


def test_a_wrong_period_names_the_field():
    with pytest.raises(FactSheetError, match="period"):
        propose([], "去年", pasted=NOTES)


def test_cli_writes_nothing_when_a_file_is_bad(tmp_path: Path, capsys):
    good, bad, out = tmp_path / "台账.xlsx", tmp_path / "坏.xlsx", tmp_path / "facts.yaml"
    good.write_bytes(ledger_xlsx())
    bad.write_text("这其实是文字", encoding="utf-8")
    assert main(["facts", str(good), str(bad), "--period", "2026年度", "-o", str(out)]) == 2
    assert "坏.xlsx" in capsys.readouterr().err and not out.exists()


# --- grouping and the user's edits --------------------------------------------------------------


def test_every_kind_has_a_topic_of_the_vocabulary_and_each_word_one_kind():
    for group in (rules().kinds, rules().register):
        words = [w for k in group for w in k.synonyms]
        assert len(words) == len(set(words))
        assert all(k.topic in vocabulary() for k in group)
    assert rules().default_topic in vocabulary()


def test_a_kind_without_topic_goes_where_its_rows_are_tagged():
    kind = Kind("读书分享会", ("读书分享会",), "", "开展", "读书分享会{n}次")
    row = SourceRow("笔记.txt", "", 1, "3月2日 读书分享会 学习贯彻新思想")
    assert topic_of(Count(kind, (row,))) == "理论学习"
    assert topic_of(Count(kind, (SourceRow("笔记.txt", "", 2, "4月1日 读书分享会"),))) == rules().default_topic


def test_move_and_rename_are_pure():
    proposal = propose([("台账.xlsx", ledger_xlsx())], "2026年度")
    before = highlights(proposal)
    lesson = next(f for f in proposal.facts if f.text == "讲授党课1次")
    moved = move_fact(proposal, lesson.id, "主题教育")
    assert highlights(proposal) == before
    assert highlights(moved) == {"组织生活": before["组织生活"], "发展党员": before["发展党员"], "主题教育": ["讲授党课1次"]}
    assert moved.fact(lesson.id).rows == lesson.rows  # the rows go with it
    renamed = rename_topic(moved, "组织生活", "严格落实三会一课制度")
    assert renamed.topics == ["严格落实三会一课制度", "发展党员", "主题教育"]
    merged = rename_topic(renamed, "主题教育", "发展党员")
    assert highlights(merged)["发展党员"] == ["发展党员1名，确定入党积极分子2名", "讲授党课1次"]
    assert rename_topic(merged, "没有这个主题", "x") is merged


# --- last period's plans ---------------------------------------------------------------------

SUMMARY_2025 = """青山党支部2025年党建工作总结
2025年，支部坚持以党的建设为统领，扎实推进各项工作。
一、主要工作
（一）加强理论学习。全年组织集中学习12次。
二、存在的问题
学习深度不够。
三、2026年工作打算
（一）深化党员先锋岗建设。持续擦亮品牌。
（二）严格落实三会一课制度，推动组织生活规范化、制度化、常态化，不断提升组织力。
"""
POINTS_2026 = "青山党支部2026年党建工作要点\n一、加强政治建设\n一是持续加强理论武装，推动学习贯彻走深走实。二是严肃党内政治生活。\n二、加强组织建设\n（一）规范发展党员工作。\n"


def test_plans_chapter_becomes_a_checklist():
    assert [p.text for p in plans_in(SUMMARY_2025, "2025年总结.txt")] == ["深化党员先锋岗建设", "严格落实三会一课制度"]
    assert [p.text for p in plans_in(POINTS_2026, "要点.txt")] == ["持续加强理论武装", "严肃党内政治生活", "规范发展党员工作"]
    assert checklist_line("深化党员先锋岗建设", Y2026) == "去年打算：深化党员先锋岗建设 → 今年做了什么？"
    assert checklist_line("深化党员先锋岗建设", parse_period("2026年下半年")) == "上期打算：深化党员先锋岗建设 → 本期做了什么？"


def test_open_plans_stay_out_of_the_sheet_until_answered():
    proposal = propose([], "2026年度", pasted="3月15日 支委会 研究发展党员",
                       previous=[("2025年总结.txt", SUMMARY_2025.encode())])
    assert proposal.topics == ["组织生活", "深化党员先锋岗建设", "严格落实三会一课制度"]
    assert [h.plan_source for h in proposal.highlights] == ["", "2025年总结.txt", "2025年总结.txt"]
    assert open_plans(proposal) == ["深化党员先锋岗建设", "严格落实三会一课制度"]
    answered = fill_in(proposal, "深化党员先锋岗建设", ["新设党员先锋岗3个", ""])
    sheet = fact_sheet_from_dict(sheet_data(answered, "青山党支部"))
    assert [(h.topic, h.facts) for h in sheet.highlights] == [
        ("组织生活", ["召开支委会1次"]), ("深化党员先锋岗建设", ["新设党员先锋岗3个"])]
    assert "召开支委会1次" in sheet.to_yaml()
    text = facts_file(proposal, "青山党支部")
    assert text is not None and text.endswith("# 去年打算：严格落实三会一课制度 → 今年做了什么？\n")


def test_accepting_merges_into_the_form_once():
    proposal = propose([], "2026年上半年", pasted=NOTES, previous=[("要点.txt", POINTS_2026.encode())])
    form = {"organization": "青山党支部", "period": "", "length": 3000, "problems": "", "plans": "",
            "highlights": [{"topic": "组织生活", "facts": "开展谈心谈话5次"}]}
    merged = merge_into_form(form, proposal, {"持续加强理论武装": "开展读书班1期"})
    assert merged["period"] == "2026年上半年" and form["highlights"][0]["facts"] == "开展谈心谈话5次"
    assert merged["highlights"] == [
        {"topic": "组织生活", "facts": "开展谈心谈话5次\n召开支委会1次"}, {"topic": "党风廉政", "facts": "开展警示教育1次"},
        {"topic": "持续加强理论武装", "facts": "开展读书班1期"}, {"topic": "严肃党内政治生活", "facts": ""},
        {"topic": "规范发展党员工作", "facts": ""}]
    assert merge_into_form(merged, proposal, {"持续加强理论武装": "开展读书班1期"}) == merged


# --- the command line -------------------------------------------------------------------------


def test_cli_facts_writes_a_sheet_and_prints_the_rows(tmp_path: Path, capsys):
    ledger, out = tmp_path / "台账.xlsx", tmp_path / "out" / "facts.yaml"
    ledger.write_bytes(ledger_xlsx())
    summary = tmp_path / "2025年总结.txt"
    summary.write_text(SUMMARY_2025, encoding="utf-8")
    args = ["facts", str(ledger), "--period", "2026年度", "--organization", "青山党支部", "--plans", str(summary)]
    assert main(args + ["-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "[组织生活] 召开支部党员大会1次、支委会3次，开展主题党日活动2次" in printed
    assert "      台账.xlsx · 三会一课 第3行：1　2026-01-15　支委会　研究年度工作计划　7" in printed
    assert "台账.xlsx · 三会一课 第10行：8　2025-12-20　支委会　年度总结　7 —— 日期 2025年12月20日 不在2026年内，未计入" in printed
    assert "[待汇报] 去年打算：深化党员先锋岗建设 → 今年做了什么？（2025年总结.txt）" in printed
    sheet = load_fact_sheet(out)
    assert sheet.organization == "青山党支部" and [h.topic for h in sheet.highlights] == ["理论学习", "组织生活", "发展党员"]


def test_cli_facts_without_organization_asks_for_it(tmp_path: Path, capsys):
    out = tmp_path / "facts.yaml"
    notes = tmp_path / "笔记.txt"
    notes.write_text(NOTES, encoding="utf-8")
    assert main(["facts", str(notes), "--period", "2026年上半年", "-o", str(out)]) == 0
    assert "organization" in capsys.readouterr().err
    with pytest.raises(FactSheetError, match="organization"):
        load_fact_sheet(out)
    notes.write_text("2026年9月1日 党小组会 学习条例\n", encoding="utf-8")
    assert main(["facts", str(notes), "--period", "2027年度", "-o", str(tmp_path / "none.yaml")]) == 1
    assert not (tmp_path / "none.yaml").exists()
