"""导出: each section's status, the layout (GB/T 9704 or the unit's own template), the .docx and .md, a preview."""

from __future__ import annotations

import io

import streamlit as st

from assistant.app.status import PASSED, REVISE, UNWRITTEN, reason_labels, section_status
from assistant.domain.draft import Draft
from assistant.errors import AssistantError
from assistant.export import GBT9704, draft_to_docx, draft_to_markdown, read_layout
from assistant.export.blocks import closing_lines
from assistant.export.preview import office_program, page_one
from ui import state
from ui.widgets import STATUS_LOOKS, needs_draft

BADGE = {status: f":{colour}-badge[{icon} {status}]" for status, (colour, icon) in STATUS_LOOKS.items()}

ws = state.current()
st.title("导出")


def statuses(draft: Draft) -> None:
    """One line per section: its status, and for the rest what kind of findings to look at."""
    counts = {status: 0 for status in STATUS_LOOKS}
    with st.container(border=True):
        for s in draft.sections:
            status = section_status(s)
            counts[status] += 1
            kinds = "、".join(reason_labels(s.version.findings)) if s.version else ""
            st.markdown(f"{BADGE[status]}　{s.label}" + (f"　（{kinds}）" if kinds else ""))
    if counts[UNWRITTEN]:
        st.warning(f"还有 {counts[UNWRITTEN]} 节没有起草，导出稿中这些小节是空的。")
    if counts[REVISE]:
        st.warning(f"{counts[REVISE]} 节需修改，请在「分节修改」页处理后再定稿。")
    elif counts[PASSED] < len(draft.sections) - counts[UNWRITTEN]:
        st.info("有小节请核对：在「分节修改」页查看提示。")


def layout_picker() -> None:
    """Upload the unit's template .docx; its page, fonts and spacing are used until reset."""
    layout = ws.layout or GBT9704
    st.caption(f"当前版式：{layout.source}（{layout.describe()}）")
    upload = st.file_uploader("上传本单位的 Word 模板（.docx），按其页面、字体字号和行距导出", type=["docx", "dotx"],
                              key=f"layout-upload-{ws.upload_nonce}",
                              help="读取模板的纸张和页边距、正文与各级标题的字体字号、正文行距；没有设定的沿用国家标准。")
    if upload is not None:
        try:
            ws.layout = read_layout(upload.getvalue(), upload.name)
        except AssistantError as exc:
            st.error(f"未能使用这个模板：{exc}")
        else:
            ws.upload_nonce += 1
            ws.notice = f"已使用模板 {upload.name} 的版式"
            st.rerun()
    if ws.layout is not None and st.button("改回国家标准版式（GB/T 9704）", key="layout-reset"):
        ws.layout = None
        st.rerun()


def page_preview(docx: bytes) -> None:
    """Page one of the .docx as LibreOffice draws it, on request (it takes some seconds)."""
    if office_program() is None:
        st.caption("安装 LibreOffice 后，可在这里查看导出稿第一页的版面。")
        return
    if st.button("查看第一页版面", key="page-preview", help="用本机的 LibreOffice 画出导出稿的第一页，需要几秒到十几秒"):
        with st.spinner("正在用 LibreOffice 画第一页…"):
            preview = page_one(docx)
        if preview.png:
            st.image(preview.png, caption="导出稿第一页（LibreOffice 绘制）", width=520)
        else:
            st.warning(preview.reason)


if not needs_draft(ws.draft):
    draft = ws.draft
    assert draft is not None
    st.subheader("各节状态")
    statuses(draft)
    st.subheader("版式")
    layout_picker()
    stream = io.BytesIO()
    draft_to_docx(draft, stream, layout=ws.layout)
    c1, c2 = st.columns(2)
    c1.download_button("下载 Word（.docx）", stream.getvalue(), file_name=f"{draft.title}.docx", type="primary",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="download-docx", on_click="ignore")
    c2.download_button("下载 Markdown（.md）", draft_to_markdown(draft).encode("utf-8"), file_name=f"{draft.title}.md",
                       mime="text/markdown", key="download-md", on_click="ignore")
    st.subheader("预览")
    page_preview(stream.getvalue())
    with st.container(border=True):
        st.markdown(draft_to_markdown(draft, closing=False))
        for line in closing_lines(draft):
            st.markdown(line, text_alignment="right")
