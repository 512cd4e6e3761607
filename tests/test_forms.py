"""The 一键成稿 form's problems name its fields by their labels on the page; a YAML file's name its keys."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from assistant.app import actions
from assistant.app.forms import empty_form, form_problem, sheet_from_form
from assistant.app.stores import Stores
from assistant.domain.facts import fact_sheet_from_dict
from assistant.errors import FactSheetError
from assistant.settings import Settings
from tests import test_ui_apptest
from tests.test_ui_apptest import ok, ws_of

app = test_ui_apptest.app  # the workspace under AppTest with the scripted model and the built index

FIELD_NAME_RE = re.compile(r"(?<![A-Za-z_])(?:organization|period|highlights|topic|facts|date|length|org_type)(?![A-Za-z_])")


def problems_of(form: dict) -> list[str]:
    with pytest.raises(FactSheetError) as caught:
        sheet_from_form(form)
    return caught.value.problems


def test_an_empty_form_names_its_labels() -> None:
    problems = problems_of(empty_form())
    assert [p.split("：", 1)[0] for p in problems] == ["党组织名称", "总结时段", "重点工作"]
    assert problems[2] == "重点工作：必填，至少一项，每项含工作主题和事实"
    assert not any(FIELD_NAME_RE.search(p) for p in problems), problems


def test_highlights_are_numbered_as_the_form_shows_them() -> None:
    form = empty_form() | {"organization": "青山党支部", "period": "2024年上半年", "date": "7月8日"}
    form["highlights"] = [{"topic": "", "facts": ""}, {"topic": "组织生活", "facts": ""}, {"topic": "", "facts": "召开支委会6次"}]
    assert problems_of(form) == [
        "工作主题 2 的事实：至少写一条事实，例如 组织集中学习6次",  # the blank first item is not counted by the sheet
        "工作主题 3：必填，例如 党纪学习教育",
        "成文日期：应为日期 YYYY-MM-DD，例如 2024-07-08，当前为 '7月8日'",
    ]


def test_the_yaml_messages_keep_the_field_names() -> None:
    data = {"organization": "", "period": "2024年上半年", "highlights": [{"topic": "组织生活", "facts": []}], "length": 1}
    with pytest.raises(FactSheetError) as caught:
        fact_sheet_from_dict(data)
    assert [p.split(":", 1)[0] for p in caught.value.problems] == ["organization", "highlights[1].facts", "length"]
    assert [form_problem(p) for p in caught.value.problems] == [
        "党组织名称：必填，写党组织全称，例如 青山县自然资源局机关党支部",
        "工作主题 1 的事实：至少写一条事实，例如 组织集中学习6次",
        "目标字数：应为 500 到 20000 之间的字数，当前为 1",
    ]
    assert form_problem("事实表应为键值结构（YAML 映射或 JSON 对象）") == "事实表应为键值结构（YAML 映射或 JSON 对象）"


def test_saving_the_form_returns_the_problems_in_the_forms_words(settings: Settings) -> None:
    stores = Stores(settings)
    draft, problems = actions.save_form(stores, "alice-0001", None, empty_form() | {"organization": "青山党支部"})
    assert draft is None
    assert problems == ["总结时段：必填，写年份和时段，例如 2024年上半年、2024年全年、2024年度",
                        "重点工作：必填，至少一项，每项含工作主题和事实"]


def test_the_draft_page_shows_the_labels(app: AppTest) -> None:
    at = ok(app)
    ws = ws_of(at)
    at.text_input(key=ws.form_key("organization")).input("青山县自然资源局机关党支部").run()
    warning = " ".join(w.value for w in ok(at).warning)
    assert "总结时段：必填" in warning and "重点工作：必填" in warning
    assert not FIELD_NAME_RE.search(warning), warning
