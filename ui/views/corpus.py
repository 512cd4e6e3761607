"""语料库: the indexed samples with their chunk counts and which are the unit's own; upload, re-index, remove."""

from __future__ import annotations

import streamlit as st

from assistant.app import actions
from assistant.errors import AssistantError
from ui import state
from ui.widgets import BarIngestProgress

ws = state.current()
library = state.library()
st.title("语料库")
st.caption("范文越贴近本单位，起草越好。支持 .txt、.md、.docx，单个文件不超过 10 MB。")

own = st.checkbox("本单位材料（作为本单位文风参考，不算抄袭）", key="corpus-own",
                  help="本单位以前的总结、工作要点等：检索和起草时优先参考，沿用其中的表述不算抄袭")
uploads = st.file_uploader("上传范文", type=["txt", "md", "docx"], accept_multiple_files=True,
                           key=f"corpus-upload-{ws.upload_nonce}", max_upload_size=10)
if uploads:
    added, failed = [], []
    for f in uploads:
        try:
            chunks = actions.upload_sample(library, f.name, f.getvalue(), own=own)
        except AssistantError as exc:
            failed.append(str(exc))
        else:
            added.append(f"{f.name}（{chunks} 段）")
    ws.upload_nonce += 1  # empty the uploader so the files are not added again
    if added:
        ws.notice = ("已加入本单位材料：" if own else "已加入：") + "、".join(added)
    if failed:
        for message in failed:
            st.error(f"未能加入 {message}")
    else:
        st.rerun()

try:
    documents = library.index.documents()
except AssistantError as exc:
    st.error(str(exc))
    documents = {}
st.subheader(f"已索引 {len(documents)} 篇、{sum(documents.values())} 段")
own_names = actions.own_samples(library) & set(documents)
rows = [{"范文": name, "段落数": n} for name, n in sorted(documents.items())]
if own_names:  # the column appears once the unit has own documents
    rows = [{**row, "本单位材料": "是" if row["范文"] in own_names else ""} for row in rows]
st.dataframe(rows, hide_index=True, width="stretch")

c1, c2 = st.columns([3, 1])
victim = c1.selectbox("删除范文", [""] + sorted(documents), format_func=lambda s: s or "选择要删除的范文",
                      key="corpus-remove-pick", label_visibility="collapsed")
if c2.button("删除", key="corpus-remove", disabled=not victim):
    try:
        actions.remove_sample(library, victim)
    except AssistantError as exc:
        st.error(str(exc))
    else:
        ws.notice = f"已删除 {victim}"
        st.rerun()

if st.button("重建索引", key="corpus-reindex", help="重新读取自带范文和上传的范文"):
    try:
        report = library.reindex(BarIngestProgress("重建索引"))
    except AssistantError as exc:
        st.error(str(exc))
    else:
        st.success(f"已索引 {len(report.indexed)} 篇、{report.chunks} 段，用时 {report.seconds:.1f} 秒")
        for name, reason in report.failed.items():
            st.warning(f"已跳过 {name}：{reason}")
