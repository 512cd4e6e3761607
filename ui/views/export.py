"""导出: the draft as a .docx (GB/T 9704 layout) and as Markdown, with a preview."""

from __future__ import annotations

import io

import streamlit as st

from assistant.export import draft_to_docx, draft_to_markdown
from ui import state
from ui.widgets import needs_draft

ws = state.current()
st.title("导出")

if not needs_draft(ws.draft):
    draft = ws.draft
    assert draft is not None
    missing = [s for s in draft.sections if not s.versions]
    flagged = [s for s in draft.sections if s.flagged]
    if missing:
        st.warning(f"还有 {len(missing)} 节没有起草，导出稿中这些小节是空的。")
    if flagged:
        st.warning(f"{len(flagged)} 节未通过检查，请在「分节修改」页处理后再定稿。")
    markdown = draft_to_markdown(draft)
    stream = io.BytesIO()
    draft_to_docx(draft, stream)
    c1, c2 = st.columns(2)
    c1.download_button("下载 Word（.docx）", stream.getvalue(), file_name=f"{draft.title}.docx", type="primary",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="download-docx", on_click="ignore")
    c2.download_button("下载 Markdown（.md）", markdown.encode("utf-8"), file_name=f"{draft.title}.md",
                       mime="text/markdown", key="download-md", on_click="ignore")
    st.subheader("预览")
    with st.container(border=True):
        st.markdown(markdown)
