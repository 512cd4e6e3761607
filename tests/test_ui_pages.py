"""The workspace as a cadre meets it, under AppTest with the scripted model (tests/fake_model.py):
versions restored and compared, the pin target, placeholders in search, one status everywhere,
the unit's own layout, Chinese on every page; and stopping `assistant ui` with SIGTERM.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.app.status import check_label, describe, section_status, sentences_at_fault
from assistant.app.stores import DraftStore
from assistant.corpus.cleaning import display_placeholders
from assistant.domain.draft import Finding, Section, SectionVersion
from assistant.settings import Settings
from tests import fake_model, test_ui_apptest
from tests.test_export import unit_template
from tests.test_gate import hold
from tests.test_preview import require_libreoffice
from tests.test_ui_apptest import EXAMPLE, REPO, ok, ws_of
from ui.widgets import picker_key

app = test_ui_apptest.app  # the workspace under AppTest with the scripted model and the built index
PLACEHOLDER_SOURCE = "党支部2020年上半年党建工作总结.txt"  # a sample with XX placeholders


def drafted(at: AppTest) -> AppTest:
    """Import the example sheet and draft every section."""
    ws = ws_of(at)
    at.file_uploader(key=f"sheet-upload-{ws.upload_nonce}").set_value(
        ("q.yaml", EXAMPLE.read_bytes(), "application/x-yaml")).run()
    ok(at.run())
    return ok(at.button(key="draft-all").click().run())


def on_section(at: AppTest, key: str) -> AppTest:
    ok(at.switch_page("views/sections.py").run())
    return ok(at.selectbox(key=picker_key(ws_of(at).draft)).set_value(key).run())


def edit(at: AppTest, key: str, text: str) -> AppTest:
    editor = next(t for t in at.text_area if t.key.startswith(f"editor-{ws_of(at).draft.id}-{key}"))
    editor.input(text).run()
    return ok(at.button(key="edit-save").click().run())


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


# --- versions ----------------------------------------------------------------------------------


def test_restore_any_version_keeps_every_version(app: AppTest) -> None:
    at = on_section(drafted(app), "work-1")
    first = ws_of(at).draft.section("work-1").text
    edit(at, "work-1", "支部组织集中学习6次。")
    section = ws_of(at).draft.section("work-1")
    assert len(section.versions) == 2 and section.current == 1

    ok(at.button(key="restore-0").click().run())
    section = ws_of(at).draft.section("work-1")
    assert section.current == 0 and len(section.versions) == 2 and section.text == first
    editor = next(t for t in at.text_area if t.key.startswith(f"editor-{ws_of(at).draft.id}-work-1"))
    assert editor.value == first
    assert at.button(key="restore-0").disabled and not at.button(key="restore-1").disabled
    saved = DraftStore(Settings.from_env().drafts_db).load(ws_of(at).draft.id, ws_of(at).owner).section("work-1")
    assert saved.current == 0 and len(saved.versions) == 2

    history = markdown(at)  # origins and dates as people read them
    assert "版本 1 · 起草 · " in history and "版本 2 · 手改 · " in history
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", history)
    assert not re.search(r"\b(draft|edit)\b|\d{4}-\d{2}-\d{2}T", history)


def test_compare_two_versions_marks_insertions_and_deletions(app: AppTest) -> None:
    at = on_section(drafted(app), "work-1")
    first = ws_of(at).draft.section("work-1").text
    edit(at, "work-1", first.split("。", 1)[1] + "以上为手工补充的一段话。")
    shown = next(m.value for m in at.markdown if "<ins" in m.value or "<del" in m.value)
    removed = first.split("。", 1)[0]
    assert re.search(r"<del[^>]*>[^<]*" + re.escape(removed[-6:]), shown)
    assert re.search(r"<ins[^>]*>[^<]*以上为手工补充的一段话", shown)

    ok(at.selectbox(key="compare-old-work-1-1-2").set_value(1).run())  # a version against itself
    assert any("两个版本的正文相同" in c.value for c in at.caption)


# --- search ------------------------------------------------------------------------------------


def search(at: AppTest, query: str, source: str = "") -> AppTest:
    ok(at.switch_page("views/search.py").run())
    if source:
        at.selectbox(key="search-source").set_value(source).run()
    return ok(at.text_input(key="search-query").input(query).run())


def result_showing(at: AppTest, text: str) -> int:
    """The number of the first search result whose passage shows `text`."""

    def blocks(node) -> Iterator:  # noqa: ANN001
        for child in getattr(node, "children", {}).values():
            if hasattr(child, "children"):
                yield child
                yield from blocks(child)

    for block in blocks(at._tree):
        pins = [b.key for b in block.button if b.key and b.key.startswith("pin-")]
        if len(pins) == 1 and any(text in m.value for m in block.markdown):
            return int(pins[0].removeprefix("pin-"))
    raise AssertionError(f"no result shows {text}")


def test_placeholders_are_displayed_as_a_neutral_mark() -> None:
    assert display_placeholders("现有党员〖XX〗名，〖某某〗〖XX〗同志") == "现有党员……名，……同志"


def test_use_for_section_defaults_to_the_section_the_user_came_from(app: AppTest) -> None:
    at = on_section(drafted(app), "work-2")
    search(at, "组织党员观看警示教育片")
    assert at.selectbox(key="pin-target-0").value == "work-2"
    ok(at.button(key="pin-0").click().run())
    assert len(ws_of(at).draft.section("work-2").pinned) == 1 and not ws_of(at).draft.section("opening").pinned


def test_placeholders_are_shown_neutrally_and_never_reach_a_prompt(app: AppTest) -> None:
    at = on_section(drafted(app), "work-1")
    search(at, "细化三会一课主题党日落实措施", PLACEHOLDER_SOURCE)
    texts = markdown(at)
    assert "〖" not in texts and "……" in texts
    ok(at.button(key=f"pin-{result_showing(at, '……')}").click().run())
    pinned = ws_of(at).draft.section("work-1").pinned
    assert pinned and "〖" in pinned[0].text  # kept marked in the draft, masked for the model

    model = fake_model.current()
    model.history.clear()
    on_section(at, "work-1")
    ok(at.button(key="regenerate").click().run())
    prompts = "\n".join(m["content"] for r in model.history for m in r.messages)
    shown = re.sub(r"〖[^〗]*〗", "", pinned[0].text)
    assert any(part in prompts for part in re.findall(r"[^。；〖〗\d]{12}", shown))  # the pinned passage was used
    assert "〖" not in prompts and "XX" not in prompts.replace("“XX”", "")  # the rules name it, the text has none
    assert "〖" not in markdown(at) + "".join(c.value for c in at.caption)


# --- status ------------------------------------------------------------------------------------


def _section(*versions: SectionVersion) -> Section:
    section = Section("work-1", "achievements", "一、工作", "（一）学习", "学习", ["学习6次"], 300)
    for version in versions:
        section.add_version(version)
    return section


def test_the_status_rule() -> None:
    short = Finding("too_short", "本节只有146字，目标约550字，请结合事实展开写到至少330字（不要编造数字和名称）", "warning")
    invented = Finding("invented_number", "出现事实表中没有的数字“8”，请删除或改用事实表中的数字")
    fallback = Finding("fallback", "第1条模型稿未通过检查（出现“X”），已改用事实的直接表述，请人工润色", "warning")
    assert section_status(_section()) == "未起草"
    assert section_status(_section(SectionVersion("学习6次。", "draft"))) == "通过"
    assert section_status(_section(SectionVersion("学习6次。", "draft", findings=[short]))) == "请核对"
    assert section_status(_section(SectionVersion("学习8次。", "draft", findings=[short, invented]))) == "需修改"
    assert section_status(_section(SectionVersion("学习6次。", "items", findings=[fallback]))) == "需修改"
    assert section_status(_section(SectionVersion("学习6次。", "fallback"))) == "需修改"
    assert describe(short) == "本节约146字，目标约550字，偏短：可在事实中补充做法，或在对话中说“展开”"
    assert describe(Finding("too_short", "（一）学习：" + short.message)) == "（一）学习：本节约146字，目标约550字，偏短：可在事实中补充做法，或在对话中说“展开”"
    assert describe(fallback) == "第1条的模型稿未通过检查，已改用事实的直接表述，请人工润色"
    assert describe(invented) == invented.message
    assert (check_label("too_short"), check_label("no_such_check")) == ("篇幅偏短", "检查提示")


def test_one_status_per_section_everywhere(app: AppTest) -> None:
    at = drafted(app)
    draft = ws_of(at).draft
    for s in draft.sections:  # the drafting status box
        assert f"{s.label}：{section_status(s)}（" in markdown(at), s.label
    at = on_section(at, "work-1")
    edit(at, "work-1", "组织集中学习《中国共产党纪律处分条例》6次。")  # short: a warning
    draft = ws_of(at).draft
    assert section_status(draft.section("work-1")) in ("请核对", "需修改")
    picker = at.selectbox(key=picker_key(draft))
    assert picker.options == [f"{s.label} ［{section_status(s)}］" for s in draft.sections]
    assert any(section_status(draft.section("work-1")) in m.value and "badge" in m.value for m in at.markdown)
    shown = [w.value for w in at.warning] + [e.value for e in at.error]
    assert any(re.search(r"本节约\d+字，目标约\d+字，偏短", w) for w in shown)
    checks = {f.check for s in draft.sections if s.version for f in s.version.findings}
    page = markdown(at) + "".join(shown)
    assert not [c for c in checks if c in page]

    ok(at.switch_page("views/export.py").run())
    lines = markdown(at)
    for s in draft.sections:
        assert f"{section_status(s)}]　{s.label}" in lines, s.label


# --- the unit's own layout -----------------------------------------------------------------------


def test_drafting_says_when_it_queued_behind_another_user(app: AppTest) -> None:
    at = drafted(app)  # the model free: no word of a queue
    assert not [i.value for i in at.info if "排队" in i.value]
    release = threading.Event()
    other = hold(fake_model.current().gate, release)  # another user's request holds the model for a second
    threading.Timer(1.0, release.set).start()
    at = ok(at.button(key="draft-all").click().run())
    other.join()
    notes = [i.value for i in at.info if "排队" in i.value]
    assert notes == ["本机模型同时在为其他用户起草，本次起草排队等候过（前面最多有 1 个请求），所以用时比平常长。"]
    assert any("起草完成" in s.label for s in at.status)


def test_a_revision_that_loses_a_figure_needs_the_users_confirmation(app: AppTest) -> None:
    at = on_section(drafted(app), "work-1")
    before = ws_of(at).draft.section("work-1").text
    fake_model.current().default = "一是组织集中学习《中国共产党纪律处分条例》。学习氛围浓厚。二是开展专题研讨，支部书记讲专题党课。"
    ok(at.chat_input[0].set_value("写得更好").run())
    assert at.button(key="accept").disabled
    assert any("没有写进正文" in w.value for w in [*at.warning, *at.error, *at.markdown])
    ok(at.checkbox(key="drop-figures").check().run())
    ok(at.button(key="accept").click().run())
    section = ws_of(at).draft.section("work-1")
    assert section.text != before and section.text.startswith("一是组织集中学习")
    assert "当前稿未改动" not in markdown(at) + "".join(w.value for w in at.warning)


def test_the_sentence_at_fault_is_marked() -> None:
    text = "一是组织集中学习6次。邀请中央党校专家进行专题讲座。\n党员纪律意识明显增强。"
    findings = [Finding("invented_activity", "“邀请中央党校专家进行专题讲座。”写了事实表没有的“专家”，请删去这句"),
                Finding("understood", "理解为：“更精炼”", "info")]
    assert sentences_at_fault(text, findings) == [
        [("一是组织集中学习6次。", False), ("邀请中央党校专家进行专题讲座。", True)], [("党员纪律意识明显增强。", False)]]


def test_the_sections_page_highlights_the_sentence_a_finding_is_about(app: AppTest) -> None:
    at = on_section(drafted(app), "work-1")
    assert not at.get("html") or all("<mark>" not in h.proto.body for h in at.get("html"))
    text = ws_of(at).draft.section("work-1").text + "支部还邀请中央党校专家进行专题讲座。"
    at = edit(at, "work-1", text)
    marks = [m for h in at.get("html") for m in re.findall(r"<mark>(.*?)</mark>", h.proto.body)]
    assert marks == ["支部还邀请中央党校专家进行专题讲座。"]


def test_export_page_uses_the_unit_template(app: AppTest, tmp_path: Path) -> None:
    at = ok(drafted(app).switch_page("views/export.py").run())
    uploader = lambda: at.file_uploader(key=f"layout-upload-{ws_of(at).upload_nonce}")  # noqa: E731
    uploader().set_value(("坏模板.docx", b"not a zip", "application/octet-stream")).run()
    errors = [e.value for e in at.error]
    assert any("坏模板.docx" in e and "不是有效的 Word 文件" in e for e in errors) and ws_of(at).layout is None
    assert not any("Zip" in e or "Error" in e for e in errors)

    data = unit_template(tmp_path / "省模板.docx").read_bytes()
    ok(uploader().set_value(("省模板.docx", data, "application/octet-stream")).run())
    ok(at.run())
    layout = ws_of(at).layout
    assert (layout.top_mm, layout.left_mm, layout.line_spacing) == (28, 27, 33)
    assert any("当前版式：省模板.docx" in c.value and "固定33磅" in c.value for c in at.caption)
    ok(at.button(key="layout-reset").click().run())
    assert ws_of(at).layout is None and any("GB/T 9704-2012" in c.value for c in at.caption)


def test_export_page_says_what_the_page_preview_needs(app: AppTest, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no LibreOffice
    at = ok(drafted(app).switch_page("views/export.py").run())
    assert any("安装 LibreOffice" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == "page-preview"]


@pytest.mark.slow
def test_export_page_draws_page_one_with_libreoffice(app: AppTest) -> None:
    require_libreoffice()
    at = ok(drafted(app).switch_page("views/export.py").run())
    ok(at.button(key="page-preview").click().run())
    images = at.get("image")
    assert len(images) == 1 and "导出稿第一页" in str(images[0].proto), [w.value for w in at.warning]


def test_preview_ends_with_the_closing(app: AppTest) -> None:
    at = ok(drafted(app).switch_page("views/export.py").run())
    values = [m.value for m in at.markdown]
    assert values[-2:] == ["青山县自然资源局机关党支部", "2024年7月8日"]


# --- Chinese throughout --------------------------------------------------------------------------

# Names people know in Latin letters (compared case-insensitively), and what the workspace's own
# vocabulary needs: file types, 'GB/T 9704', the fonts' GB2312/GBK, 'API key'.
ALLOWED = {"pdf", "word", "wps", "yaml", "yml", "json", "txt", "md", "markdown", "docx", "dotx", "deepseek",
           "openai", "qwen", "ollama", "vllm", "api", "key", "url", "gb", "t", "gbk", "mb", "csv", "xls", "xlsx", "libreoffice"}
TEXT_FIELDS = {"body", "caption", "captions", "content", "help", "label", "message", "options", "placeholder",
               "text", "title", "tooltip", "default_tab_label", "alt"}
NOT_TEXT = [r":material/[a-z_]+:", r":[a-z]+-badge\[", r":[a-z]+\[", r"<[^>]+>", r"https?://\S+",
            r"\*\*|__"]


def proto_texts(message) -> Iterator[str]:  # noqa: ANN001
    """Every human-readable string of an element's protobuf, at any depth."""
    for field, value in message.ListFields():
        items = value if field.is_repeated else [value]
        if field.type == field.TYPE_STRING and field.name in TEXT_FIELDS:
            yield from items
        elif field.type == field.TYPE_MESSAGE:
            for item in items:
                if hasattr(item, "ListFields"):
                    yield from proto_texts(item)


def page_texts(at: AppTest) -> list[str]:
    """What the page shows: labels, messages, tooltips, options, captions (style sheets left out)."""
    texts: list[str] = []

    def walk(node) -> None:  # noqa: ANN001
        if getattr(node, "type", "") == "html":
            return
        if getattr(node, "proto", None) is not None:
            texts.extend(proto_texts(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return texts


def latin_words(texts: list[str], data: list[str]) -> set[str]:
    """Latin-script words outside ALLOWED; the words of `data` (the model's name, the samples' own text)
    are the user's, not the page's."""
    theirs = {w for item in data for w in re.findall(r"[A-Za-z]+", item)}
    found = set()
    for text in texts:
        for pattern in NOT_TEXT:
            text = re.sub(pattern, " ", text)
        found |= {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in ALLOWED and w not in theirs}
    return found


def test_every_page_is_in_chinese(app: AppTest, tmp_path: Path) -> None:
    at = drafted(app)
    seen: dict[str, list[str]] = {"一键成稿": page_texts(at)}
    edit(on_section(at, "work-1"), "work-1", "组织集中学习《中国共产党纪律处分条例》6次。")
    seen["分节修改"] = page_texts(at)
    search(at, "组织党员观看警示教育片")
    at.pills(key="search-topic").set_value(at.pills(key="search-topic").options[0]).run()
    seen["范文检索"] = page_texts(at)
    ok(at.switch_page("views/corpus.py").run())
    seen["语料库"] = page_texts(at)
    ok(at.switch_page("views/export.py").run())
    at.file_uploader(key=f"layout-upload-{ws_of(at).upload_nonce}").set_value(
        ("省模板.docx", unit_template(tmp_path / "t.docx").read_bytes(), "application/octet-stream")).run()
    seen["导出"] = page_texts(ok(at.run()))
    ok(at.switch_page("views/settings.py").run())
    seen["设置"] = page_texts(at)
    ok(at.radio(key="settings-provider").set_value("openai").run())
    seen["设置（兼容服务）"] = page_texts(at)
    models = (ws_of(at).model, Settings.from_env().model)
    data = [m.model for m in models] + [m.provider for m in models]
    data += [p.read_text(encoding="utf-8") for p in (REPO / "corpus").glob("*.txt")]
    wrong = {page: words for page, texts in seen.items() if (words := latin_words(texts, data))}
    assert not wrong, wrong
    assert all(len(texts) > 5 for texts in seen.values())


def test_the_walk_would_catch_an_english_label() -> None:
    assert latin_words(["上传 Upload", "10MB per file", "版本 1 · draft", "too_short：偏短"], []) == {
        "Upload", "per", "file", "draft", "too", "short"}
    assert not latin_words([":material/edit: **（一）** :green-badge[通过]", "仿宋_GB2312 · GB/T 9704 · API key"], [])


# --- process -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_to_assistant_ui_stops_the_app(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "ASSISTANT_HOME": str(tmp_path / "home"), "ASSISTANT_PROVIDER": "local"}
    # Its own process group, so that whatever it leaves behind can be ended after a failure.
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ui", "--port", str(port)], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            assert process.poll() is None, "assistant ui exited before it served"
            assert time.monotonic() < deadline, "assistant ui did not start within 60 s"
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        deadline = time.monotonic() + 5
        while listening(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not listening(port), f"something still listens on port {port} after SIGTERM"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
