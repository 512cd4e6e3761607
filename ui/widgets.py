"""Progress adapters that draw the library's callbacks into Streamlit elements, and small shared views."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from assistant.app.library import Library
from assistant.domain.draft import Draft, Finding, Section
from assistant.drafting.progress import DraftProgress
from assistant.errors import AssistantError
from assistant.retrieval.ingest import IngestProgress

STREAM_REDRAW_SECONDS = 0.15


class StatusDraftProgress(DraftProgress):
    """One line per section (waiting / writing / rewriting / done) and the text as it streams.

    Remote models draft sections in worker threads: those threads are attached to this
    script run so they may update the page.
    """

    def __init__(self, status, sections: list[Section]) -> None:  # noqa: ANN001
        self.status = status
        self.ctx = get_script_run_ctx()
        self.lock = threading.Lock()
        self.total = len(sections)
        self.done = 0
        self.lines = {s.key: status.empty() for s in sections}
        self.stream_box = status.empty()
        self.text: dict[str, str] = {}
        self.redrawn = 0.0
        for s in sections:
            self.lines[s.key].markdown(f":material/hourglass_empty: {s.label}")

    def _attach(self) -> None:
        if get_script_run_ctx() is None and self.ctx is not None:
            add_script_run_ctx(threading.current_thread(), self.ctx)

    def section_started(self, section: Section) -> None:
        self._attach()
        with self.lock:
            self.text[section.key] = ""
            self.lines[section.key].markdown(f":material/edit: **{section.label}**：正在写…")
            self.status.update(label=f"正在起草 {section.label}（已完成 {self.done}/{self.total}）")

    def text_streamed(self, section: Section, delta: str) -> None:
        self._attach()
        with self.lock:
            self.text[section.key] = self.text.get(section.key, "") + delta
            now = time.monotonic()
            if now - self.redrawn < STREAM_REDRAW_SECONDS:
                return
            self.redrawn = now
            text = self.text[section.key]
            self.lines[section.key].markdown(f":material/edit: **{section.label}**：{len(text)} 字")
            self.stream_box.caption(text[-300:])

    def section_retry(self, section: Section, reason: str) -> None:
        self._attach()
        with self.lock:
            self.text[section.key] = ""
            self.lines[section.key].markdown(f":material/autorenew: **{section.label}**：未通过检查，重写中（{reason}）")

    def section_done(self, section: Section) -> None:
        self._attach()
        with self.lock:
            self.done += 1
            mark = ":material/warning:" if section.flagged else ":material/check_circle:"
            self.lines[section.key].markdown(f"{mark} {section.label}（{len(section.text)} 字）")
            self.status.update(label=f"正在起草（已完成 {self.done}/{self.total}）")


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
    for f in findings:
        (st.error if f.severity == "error" else st.warning)(f"{f.check}：{f.message}")


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
