"""从材料生成事实表 under AppTest: paste notes, review the counted facts with their rows, move one, accept → the form."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import streamlit as st
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from assistant.app.stores import DraftStore
from assistant.settings import Settings
from tests import fake_model
from tests.test_records_topics import kind_without_topic  # noqa: F401 (a fixture)
from tests.test_ui_apptest import APP, TIMEOUT, copy_library, ok, ws_of

NOTES = """3月15日 支委会 研究发展党员
4月2日 支委会 研究党费收缴
6月 赴廉政教育基地警示教育 全体党员
5月12日 书记讲党课
2025年12月3日 支委会 年度总结
"""
LAST_YEAR = "青山党支部2025年党建工作总结\n一、主要工作\n（一）加强学习。全年学习12次。\n二、2026年工作打算\n（一）深化党员先锋岗建设。\n"


@pytest.fixture
def app(built_library_home: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch):
    copy_library(built_library_home, isolated_home)
    monkeypatch.setenv("ASSISTANT_PROVIDER", fake_model.PROVIDER)
    fake_model.install()
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    yield at.run()
    st.cache_resource.clear()


def propose(at: AppTest, notes: str, period: str) -> AppTest:
    at.text_area(key="records-paste-0").input(notes).run()
    at.text_input(key="records-period-0").input(period).run()
    return ok(at.button(key="records-propose").click().run())


def test_paste_review_move_accept_fills_the_form(app: AppTest) -> None:
    at = ok(app)
    ws = ws_of(at)
    at.text_input(key=ws.form_key("organization")).input("青山县自然资源局机关党支部").run()
    at.file_uploader(key="records-previous-0").set_value(("2025年总结.txt", LAST_YEAR.encode(), "text/plain")).run()
    at = propose(at, NOTES, "2026年上半年")
    proposal = at.session_state["records-panel"].proposal
    assert [(h.topic, [f.text for f in h.facts]) for h in proposal.highlights] == [
        ("理论学习", ["讲授党课1次"]), ("组织生活", ["召开支委会2次"]), ("党风廉政", ["开展警示教育1次"]),
        ("深化党员先锋岗建设", [])]
    shown = "\n".join(c.value for c in at.caption)
    assert "支委会2次：  \n· 粘贴的文字 第1行「3月15日 支委会 研究发展党员」  \n· 粘贴的文字 第2行「4月2日 支委会 研究党费收缴」" in shown
    left = at.dataframe[0].value
    assert list(left["出处"]) == ["粘贴的文字 第5行"] and "不在2026年上半年内" in left["原因"][0]
    assert any(t.label == "上期打算：深化党员先锋岗建设 → 本期做了什么？（2025年总结.txt）" for t in at.text_area)

    lesson = next(f for f in proposal.facts if f.text == "讲授党课1次")
    at.selectbox(key="records-move-fact").set_value(lesson.id).run()
    at.selectbox(key="records-move-topic").set_value("组织生活").run()
    ok(at.button(key="records-move").click().run())
    proposal = at.session_state["records-panel"].proposal
    assert proposal.topics == ["组织生活", "党风廉政", "深化党员先锋岗建设"]
    assert [f.text for f in proposal.highlights[0].facts] == ["召开支委会2次", "讲授党课1次"]
    answer = next(t for t in at.text_area if t.key.startswith("records-answer-"))
    ok(answer.input("新设党员先锋岗3个").run())

    ok(at.button(key="records-accept").click().run())
    ws = ws_of(at)
    assert ws.form["period"] == "2026年上半年"
    assert ws.form["highlights"] == [{"topic": "组织生活", "facts": "召开支委会2次\n讲授党课1次"},
                                     {"topic": "党风廉政", "facts": "开展警示教育1次"},
                                     {"topic": "深化党员先锋岗建设", "facts": "新设党员先锋岗3个"}]
    assert at.text_area(key=ws.form_key("h0-facts")).value == "召开支委会2次\n讲授党课1次"
    assert at.selectbox(key=ws.form_key("h2-topic")).value == "深化党员先锋岗建设"
    assert ws.draft is not None and not ws.form_problems  # a valid sheet: saved as a draft
    saved = DraftStore(Settings.from_env().drafts_db).load(ws.draft.id, ws.owner)
    assert [h.topic for h in saved.facts.highlights] == ["组织生活", "党风廉政", "深化党员先锋岗建设"]
    assert at.session_state["records-panel"].proposal is None


def test_a_bad_upload_is_named_and_nothing_changes(app: AppTest) -> None:
    at = ok(app)
    before = dict(ws_of(at).form)
    buffer = io.BytesIO()
    Workbook().save(buffer)
    at.file_uploader(key="records-files-0").set_value([("台账.xlsx", "不是表格".encode(), "application/octet-stream"),
                                                      ("空表.xlsx", buffer.getvalue(), "application/octet-stream")])
    at = propose(at.run(), NOTES, "2026年度")
    assert any(e.value.startswith("台账.xlsx: 不是有效的 Excel 工作簿") for e in at.error)
    assert at.session_state["records-panel"].proposal is None
    assert ws_of(at).form == before and ws_of(at).draft is None


@pytest.mark.usefixtures("kind_without_topic")
def test_a_kind_without_topic_goes_under_the_nearest_topic(app: AppTest) -> None:
    at = propose(ok(app), "3月5日 会费 按月缴纳党员会费\n4月2日 支委会 研究发展党员\n", "2026年上半年")
    proposal = at.session_state["records-panel"].proposal
    assert [(h.topic, [f.text for f in h.facts]) for h in proposal.highlights] == [
        ("组织生活", ["召开支委会1次"]), ("党费", ["按月收取党员会费1次"])]
