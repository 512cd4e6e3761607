"""Every page of the workspace under AppTest, with the scripted model (tests/fake_model.py).

The scripted model is registered as the `scripted` provider and `ASSISTANT_PROVIDER=scripted`
selects it, as it would a real one; the example index is copied from the session's built one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant.app.stores import DraftStore
from assistant.settings import Settings
from tests import fake_model
from ui.widgets import picker_key

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "ui" / "app.py"
EXAMPLE = REPO / "examples" / "qingshan-2024h1.yaml"
TIMEOUT = 90


def copy_library(built: Path, home: Path, *, index: bool = True) -> None:
    """Give `home` the built example index (or only the embedding cache, to build it fast)."""
    home.mkdir(parents=True, exist_ok=True)
    for f in built.glob("embedding-cache.sqlite*"):
        shutil.copy(f, home / f.name)
    if index:
        shutil.copytree(built / "index", home / "index")


@pytest.fixture
def app(built_library_home: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch):
    copy_library(built_library_home, isolated_home)
    monkeypatch.setenv("ASSISTANT_PROVIDER", fake_model.PROVIDER)
    fake_model.install()
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    yield at.run()
    st.cache_resource.clear()


def ws_of(at: AppTest):
    return at.session_state["workspace"]


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def fill_form(at: AppTest) -> None:
    """Type a fact sheet into the form, field by field."""
    ws = ws_of(at)
    at.text_input(key=ws.form_key("organization")).input("青山县自然资源局机关党支部").run()
    at.text_input(key=ws.form_key("period")).input("2024年上半年").run()
    at.selectbox(key=ws.form_key("h0-topic")).set_value("党风廉政").run()
    at.text_area(key=ws.form_key("h0-facts")).input("组织集中学习6次\n开展专题研讨3次").run()
    at.button(key=ws.form_key("add")).click().run()
    ws = ws_of(at)  # adding a highlight rebuilds the form widgets
    at.selectbox(key=ws.form_key("h1-topic")).set_value("党建与业务融合").run()
    at.text_area(key=ws.form_key("h1-facts")).input("成立党员先锋岗3个").run()
    at.text_area(key=ws.form_key("problems")).input("个别党员学习主动性不强").run()
    at.text_area(key=ws.form_key("plans")).input("推进党员先锋岗创建").run()
    at.number_input(key=ws.form_key("length")).set_value(1500).run()
    ok(at)


def test_form_draft_edit_chat_accept_undo_export(app: AppTest, isolated_home: Path) -> None:
    at = ok(app)
    assert at.title[0].value == "一键成稿"
    fill_form(at)
    ws = ws_of(at)
    assert ws.draft is not None and not ws.form_problems
    store = DraftStore(Settings.from_env().drafts_db)
    saved = store.load(ws.draft.id, ws.owner)  # the sheet was autosaved as the user typed
    assert [h.topic for h in saved.facts.highlights] == ["党风廉政", "党建与业务融合"]

    ok(at.button(key="draft-all").click().run())
    draft = ws_of(at).draft
    assert all(len(s.versions) == 1 for s in draft.sections)
    assert any("起草完成" in s.label for s in at.status)
    assert store.load(draft.id, ws.owner).section("work-1").text == draft.section("work-1").text

    ok(at.switch_page("views/sections.py").run())
    at.selectbox(key=picker_key(draft)).set_value("work-1").run()
    editor = next(t for t in at.text_area if t.key.startswith(f"editor-{draft.id}-work-1"))
    ok(editor.input(editor.value + "\n以上为手工补充的一段话。").run())
    ok(at.button(key="edit-save").click().run())
    section = ws_of(at).draft.section("work-1")
    assert [v.origin for v in section.versions] == ["draft", "edit"]

    ok(at.chat_input[0].set_value("语气更正式一些").run())
    assert fake_model.REVISION_MARK in ws_of(at).pending["work-1"].text
    assert [m.name for m in at.chat_message][-2:] == ["user", "assistant"]
    ok(at.button(key="accept").click().run())
    section = ws_of(at).draft.section("work-1")
    assert [v.origin for v in section.versions] == ["draft", "edit", "refine"] and section.current == 2
    ok(at.button(key="undo").click().run())
    assert ws_of(at).draft.section("work-1").current == 1

    reloaded = store.load(draft.id, ws.owner).section("work-1")  # versions, position and chat all saved
    assert len(reloaded.versions) == 3 and reloaded.current == 1 and reloaded.chat[0]["content"] == "语气更正式一些"

    ok(at.switch_page("views/export.py").run())
    assert [b.key for b in at.get("download_button")] == ["download-docx", "download-md"]
    preview = "\n".join(m.value for m in at.markdown)
    assert draft.title in preview and "以上为手工补充的一段话" in preview


def test_import_yaml_fills_form_and_bad_yaml_names_field(app: AppTest) -> None:
    at = ok(app)
    at.file_uploader[0].set_value(("bad.yaml", b"organization: x\nperiod: sometime\n", "application/x-yaml")).run()
    assert any("period" in e.value for e in at.error) and ws_of(at).draft is None
    at.file_uploader[0].set_value(("q.yaml", EXAMPLE.read_bytes(), "application/x-yaml")).run()
    ok(at.run())
    ws = ws_of(at)
    assert ws.draft is not None and ws.draft.facts.organization == "青山县自然资源局机关党支部"
    assert at.text_input(key=ws.form_key("organization")).value == "青山县自然资源局机关党支部"
    assert at.query_params["owner"] == ws.owner and at.query_params["draft"] == ws.draft.id


def test_same_owner_reopens_drafts_in_a_new_session(app: AppTest) -> None:
    at = ok(app)
    at.file_uploader[0].set_value(("q.yaml", EXAMPLE.read_bytes(), "application/x-yaml")).run()
    ok(at.run())
    owner, draft_id = ws_of(at).owner, ws_of(at).draft.id
    second = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    second.query_params["owner"] = owner
    ok(second.run())
    assert ws_of(second).draft.id == draft_id
    stranger = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    assert ws_of(stranger).owner != owner and ws_of(stranger).draft is None


def test_search_page_pins_a_passage(app: AppTest) -> None:
    at = ok(app)
    at.file_uploader[0].set_value(("q.yaml", EXAMPLE.read_bytes(), "application/x-yaml")).run()
    ok(at.switch_page("views/search.py").run())
    assert at.get("button_group"), "the topic browser is shown"
    ok(at.text_input(key="search-query").input("组织党员观看警示教育片").run())
    ok(at.selectbox(key="search-kind").set_value("achievements").run())
    assert at.button(key="pin-0")
    at.selectbox(key="pin-target-0").set_value("work-1").run()
    ok(at.button(key="pin-0").click().run())
    pinned = ws_of(at).draft.section("work-1").pinned
    assert len(pinned) == 1 and pinned[0].source.endswith(".txt")


def test_bad_upload_shows_error_and_changes_nothing(app: AppTest, isolated_home: Path) -> None:
    at = ok(app)
    at.file_uploader[0].set_value(("q.yaml", EXAMPLE.read_bytes(), "application/x-yaml")).run()
    before_draft = ws_of(at).draft.to_dict()
    ok(at.switch_page("views/corpus.py").run())
    before_docs = dict(at.dataframe[0].value.itertuples(index=False))
    at.file_uploader[0].set_value([("空.txt", b"   \n", "text/plain"), ("乱码.docx", b"not a zip", "application/octet-stream")])
    ok(at.run())
    errors = [e.value for e in at.error]
    assert any("空.txt" in e for e in errors) and any("乱码.docx" in e for e in errors)
    assert dict(at.dataframe[0].value.itertuples(index=False)) == before_docs
    assert not (isolated_home / "corpus").exists() or not any((isolated_home / "corpus").iterdir())
    assert ws_of(at).draft.to_dict() == before_draft


def test_good_upload_and_remove(app: AppTest) -> None:
    at = ok(app.switch_page("views/corpus.py").run())
    sample = "党支部2024年上半年工作总结\n一、主要工作\n（一）加强理论学习。支部坚持每月集中学习，开展专题研讨。\n二、存在问题\n学习深度不够。\n三、下步打算\n持续加强学习。\n"
    at.file_uploader[0].set_value(("新范文.txt", sample.encode(), "text/plain"))
    ok(at.run())
    assert "新范文.txt" in list(at.dataframe[0].value["范文"])
    at.selectbox(key="corpus-remove-pick").set_value("新范文.txt").run()
    ok(at.button(key="corpus-remove").click().run())
    assert "新范文.txt" not in list(at.dataframe[0].value["范文"])


def test_first_start_builds_index_with_progress(built_library_home: Path, isolated_home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    copy_library(built_library_home, isolated_home, index=False)
    monkeypatch.setenv("ASSISTANT_PROVIDER", fake_model.PROVIDER)
    fake_model.install()
    st.cache_resource.clear()
    at = ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    assert at.get("progress"), "a progress bar is shown while the index is built"
    ok(at.switch_page("views/corpus.py").run())
    assert len(at.dataframe[0].value) >= 5
    st.cache_resource.clear()


def test_settings_key_stays_in_session(app: AppTest, isolated_home: Path) -> None:
    secret = "sk-test-" + "7" * 24
    at = ok(app.switch_page("views/settings.py").run())
    at.radio(key="settings-provider").set_value("openai").run()
    at.text_input(key="settings-base-url").input("https://api.example.com/v1").run()
    at.text_input(key="settings-model").input("deepseek-chat").run()
    at.text_input(key="settings-key").input(secret).run()
    ok(at.button(key="settings-save").click().run())
    ws = ws_of(at)
    assert ws.model.provider == "openai" and ws.model.api_key == secret
    assert secret not in repr(ws.model)
    ok(at.switch_page("views/draft.py").run())
    at.file_uploader[0].set_value(("q.yaml", EXAMPLE.read_bytes(), "application/x-yaml")).run()
    ok(at.run())
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), f"the key was written to {path}"
    assert "deepseek-chat" in "".join(c.value for c in at.sidebar.caption)


def test_sidebar_new_open_delete(app: AppTest) -> None:
    at = ok(app)
    at.file_uploader[0].set_value(("q.yaml", EXAMPLE.read_bytes(), "application/x-yaml")).run()
    ok(at.run())
    first = ws_of(at).draft.id
    ok(at.button(key="draft-new").click().run())
    assert ws_of(at).draft is None
    ok(at.button(key=f"draft-open-{first}").click().run())
    assert ws_of(at).draft.id == first
    ok(at.button(key=f"draft-delete-{first}").click().run())
    assert ws_of(at).draft is None
    assert not [b for b in at.button if b.key == f"draft-open-{first}"]
