"""Progress adapters that draw the library's callbacks into Streamlit elements, and small shared views.

Every place a section's state is shown uses `assistant.app.status` (通过 / 请核对 / 需修改 /
未起草) through `status_mark` / `status_badge`, and findings are shown with `describe`, never by
their check id.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from assistant.app.library import Library
from assistant.app.status import CHECK, PASSED, REVISE, UNWRITTEN, describe, section_status, sentences_at_fault
from assistant.domain.draft import Change, Draft, Finding, Section
from assistant.drafting.progress import DraftProgress
from assistant.errors import AssistantError
from assistant.retrieval.ingest import IngestProgress

STREAM_REDRAW_SECONDS = 0.15
STATUS_LOOKS = {  # status → (badge colour, icon)
    PASSED: ("green", ":material/check_circle:"),
    CHECK: ("orange", ":material/help:"),
    REVISE: ("red", ":material/error:"),
    UNWRITTEN: ("gray", ":material/hourglass_empty:"),
}
# Streamlit's uploader writes "Upload", "Drag and drop files here" (while a file is dragged over it)
# and "10MB per file • TXT" in English and has no setting for them: the size line is hidden (each
# page says the types and the size in its own words) and the other two are relabelled in Chinese.
# The selectors follow the uploader's markup in Streamlit 1.67 (requirements.lock pins it).
CHINESE_UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"]:has(> span > button)::before {
  content: "把文件拖到这里，或"; font-size: 0.875rem; margin-right: 0.5rem; align-self: center; }
[data-testid="stFileUploaderDropzone"] > span > button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] > span > button [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span { font-size: 0; }
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span::after {
  content: "松开鼠标即可上传"; font-size: 0.875rem; }
</style>"""


class StatusDraftProgress(DraftProgress):
    """Each section in place: its heading and state, then its text as it streams, in the page.

    Worker threads (remote sections, local items in slots) are attached to this script run so
    they may update the page.
    """

    def __init__(self, status, sections: list[Section]) -> None:  # noqa: ANN001
        self.status = status
        self.ctx = get_script_run_ctx()
        self.lock = threading.Lock()
        self.total = len(sections)
        self.done = 0
        self.lines = {}
        self.bodies = {}
        for s in sections:
            self.lines[s.key] = status.empty()
            self.bodies[s.key] = status.empty()
            self.lines[s.key].markdown(f":material/hourglass_empty: **{s.label}**：等待")
        self.text: dict[str, str] = {}
        self.redrawn = 0.0
        self.most_ahead = 0  # the longest queue a request of this run waited in (0: it never waited)

    def _attach(self) -> None:
        if get_script_run_ctx() is None and self.ctx is not None:
            add_script_run_ctx(threading.current_thread(), self.ctx)

    def section_started(self, section: Section) -> None:
        self._attach()
        with self.lock:
            self.text[section.key] = ""
            self.lines[section.key].markdown(f":material/edit: **{section.label}**：正在写…")
            self.status.update(label=f"正在起草 {section.label}（已完成 {self.done}/{self.total}）", expanded=True)

    def text_streamed(self, section: Section, delta: str) -> None:
        self._attach()
        with self.lock:
            self.text[section.key] = self.text.get(section.key, "") + delta
            now = time.monotonic()
            if now - self.redrawn < STREAM_REDRAW_SECONDS:
                return
            self.redrawn = now
            self.bodies[section.key].markdown(self.text[section.key])

    def model_busy(self, section: Section, ahead: int) -> None:
        self._attach()
        with self.lock:
            self.most_ahead = max(self.most_ahead, ahead)
            self.lines[section.key].markdown(
                f":material/hourglass_top: **{section.label}**：本机模型正在为其他用户起草，前面还有 {ahead} 个请求，请稍候…")

    @property
    def queue_note(self) -> str:
        """What the run waited for, said once it is over ("" when it never waited)."""
        if not self.most_ahead:
            return ""
        return (f"本机模型同时在为其他用户起草，本次起草排队等候过（前面最多有 {self.most_ahead} 个请求），"
                "所以用时比平常长。")

    def section_retry(self, section: Section, reason: str) -> None:
        self._attach()
        with self.lock:
            self.text[section.key] = ""
            self.lines[section.key].markdown(f":material/autorenew: **{section.label}**：未通过检查，重写中")

    def section_done(self, section: Section) -> None:
        self._attach()
        with self.lock:
            self.done += 1
            self._show(section)
            self.status.update(label=f"正在起草（已完成 {self.done}/{self.total}）", expanded=True)

    def show_final(self, sections: list[Section]) -> None:
        """Each section as the draft ends: code may still have changed one after it was done (a closing
        formula used before in the draft is removed), and with it its status."""
        with self.lock:
            for section in sections:
                if section.key in self.lines and section.versions:
                    self._show(section)

    def _show(self, section: Section) -> None:
        status = section_status(section)
        self.lines[section.key].markdown(f"{STATUS_LOOKS[status][1]} {section.label}：{status}（{len(section.text)} 字）")
        self.bodies[section.key].markdown(section.text)


class BarIngestProgress(IngestProgress):
    """A progress bar over the files being indexed; skipped files are listed."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = st.progress(0.0, text=label)
        self.total = 1
        self.count = 0

    def file_started(self, path: str, index: int, total: int) -> None:
        self.total = max(total, 1)
        self.bar.progress((index - 1) / self.total, text=f"{self.label}：{index}/{total} {path}")

    def file_done(self, path: str, chunks: int) -> None:
        self.count += 1
        self.bar.progress(self.count / self.total, text=f"{self.label}：{path}（{chunks} 段）")

    def file_failed(self, path: str, reason: str) -> None:
        self.count += 1
        st.warning(f"已跳过 {path}：{reason}")


def ensure_index(library: Library) -> None:
    """Build the example index on first start, with a progress bar."""
    if library.index.count():
        return
    note = st.empty()
    note.info("首次启动：正在建立范文索引，请稍候…")
    report = library.ensure_built(BarIngestProgress("建立范文索引"))
    note.success("范文索引已建立。")
    if report is not None and report.failed:
        st.warning("部分范文未能索引：" + "；".join(f"{k}：{v}" for k, v in report.failed.items()))


def findings_list(findings: list[Finding]) -> None:
    """Each finding in plain Chinese: errors red, warnings orange, notes (what a request was read as) blue."""
    for f in findings:
        {"error": st.error, "warning": st.warning}.get(f.severity, st.info)(describe(f))


def marked_text(text: str, findings: list[Finding]) -> None:
    """The text with the sentences the findings are about highlighted; nothing when no sentence is."""
    lines = sentences_at_fault(text, findings)
    if not any(marked for line in lines for _, marked in line):
        return
    shown = "<br>".join("".join(f"<mark>{html.escape(s)}</mark>" if marked else html.escape(s) for s, marked in line)
                        for line in lines)
    with st.container(border=True):
        st.caption("标出的是上面提示所指的句子")
        st.html(f'<div style="line-height:1.8">{shown}</div>')


def status_mark(section: Section) -> str:
    """The section's status in brackets, for option lists: ［通过］, ［请核对］, ［需修改］ or ［未起草］."""
    return f"［{section_status(section)}］"


def picker_key(draft: Draft) -> str:
    """The 小节 picker's key: it changes with any section's status, so the closed picker never shows a stale one.

    (Streamlit keeps a keyed selectbox's option labels while its key stays the same.)
    """
    return f"section-pick-{draft.id}-" + "".join(section_status(s) for s in draft.sections)


def status_badge(section: Section) -> None:
    """The section's status as a coloured badge."""
    status = section_status(section)
    colour, icon = STATUS_LOOKS[status]
    st.badge(status, icon=icon, color=colour)


def changes_html(changes: list[Change]) -> str:
    """A comparison as HTML: deletions in red <del>, insertions in green <ins>, the text escaped."""
    tags = {"delete": '<del style="color:#b42318">{}</del>', "insert": '<ins style="color:#067647">{}</ins>',
            "equal": "{}"}
    return "".join(tags[kind].format(html.escape(text).replace("\n", "<br>")) for kind, text in changes)


def chinese_uploader() -> None:
    """Label Streamlit's file uploader in Chinese on this page (see CHINESE_UPLOADER_CSS)."""
    st.html(CHINESE_UPLOADER_CSS)


def needs_draft(draft: Draft | None) -> bool:
    """Show a hint and return True when there is no draft yet."""
    if draft is None:
        st.info("还没有草稿：请先在「一键成稿」页填写事实表（或导入 YAML）。")
        return True
    return False


def run_with_status(label: str, failed: str, done: str, section: Section,
                    action: Callable[[DraftProgress], object]) -> None:
    """Run one section action under a status box with live progress; rerun on success, show the error otherwise."""
    with st.status(label, expanded=True) as status:
        try:
            action(StatusDraftProgress(status, [section]))
        except AssistantError as exc:
            status.update(label=failed, state="error")
            st.error(str(exc))
        else:
            status.update(label=done, state="complete")
            st.rerun()
