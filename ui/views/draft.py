"""一键成稿: the fact sheet as a form (import/export as YAML) and one button that drafts everything."""

from __future__ import annotations

import streamlit as st

from assistant.app import actions, forms
from assistant.corpus.topics import vocabulary
from assistant.errors import AssistantError
from ui import state
from ui.records_panel import records_panel
from ui.widgets import StatusDraftProgress, findings_list

ws = state.current()
stores = state.stores()
st.title("一键成稿")
st.caption("填写事实表（带 * 的必填），点「一键成稿」逐节起草。只写事实表里有的内容；所有改动自动保存。")

with st.expander("导入 / 导出事实表（YAML）", expanded=ws.draft is None):
    upload = st.file_uploader("导入事实表", type=["yaml", "yml", "json"], key=f"sheet-upload-{ws.upload_nonce}",
                              help="本工具导出的事实表，或照示例事实表写的 YAML / JSON 文件")
    if upload is not None:
        try:
            draft, form = actions.import_sheet(stores, ws.owner, ws.draft, upload.getvalue(), upload.name)
        except AssistantError as exc:
            st.error(str(exc))
        else:
            ws.show(draft, form)
            ws.upload_nonce += 1
            ws.notice = f"已导入 {upload.name}"
            st.rerun()
    st.download_button("导出事实表（YAML）", data=forms.form_to_yaml(ws.form).encode("utf-8"),
                       file_name="事实表.yaml", mime="application/x-yaml", on_click="ignore")
records_panel(ws, stores)

form = ws.form
typed: dict = {}
c1, c2, c3 = st.columns([3, 2, 2])
typed["organization"] = c1.text_input("党组织名称 *", form["organization"], key=ws.form_key("organization"),
                                      placeholder="青山县自然资源局机关党支部")
typed["period"] = c2.text_input("总结时段 *", form["period"], key=ws.form_key("period"), placeholder="2024年上半年")
typed["org_type"] = c3.text_input("组织类型", form["org_type"], key=ws.form_key("org_type"), placeholder="党支部")
c1, c2, c3 = st.columns([3, 2, 2])
typed["members"] = c1.text_input("党员情况", form["members"], key=ws.form_key("members"), placeholder="现有党员28名")
typed["superior"] = c2.text_input("上级党组织", form["superior"], key=ws.form_key("superior"), placeholder="县直机关工委")
typed["date"] = c3.text_input("成文日期", form["date"], key=ws.form_key("date"), placeholder="2024-07-08（可空）")
c1, c2 = st.columns([5, 2])
typed["title"] = c1.text_input("标题（可空，自动生成）", form["title"], key=ws.form_key("title"))
typed["length"] = c2.number_input("目标字数", 500, 20000, int(form.get("length") or ws.target_length), step=500,
                                  key=ws.form_key("length"))

st.subheader("重点工作")
st.caption("每项一个主题（可从范文主题中选，也可自己输入），事实一行一条，数字务必准确。"
           "稿子只写事实能支持的内容，每条事实约成一两句话：要写得充实，就多写几条具体的做法、数字和成效。")
topics = list(vocabulary())
typed["highlights"] = []
remove_at: int | None = None
for i, item in enumerate(form["highlights"]):
    with st.container(border=True):
        c1, c2 = st.columns([6, 1])
        options = topics + ([item["topic"]] if item["topic"] and item["topic"] not in topics else [])
        topic = c1.selectbox(f"工作主题 {i + 1} *", options, index=options.index(item["topic"]) if item["topic"] else None,
                             key=ws.form_key(f"h{i}-topic"), accept_new_options=True, placeholder="选择或输入主题")
        if c2.button("删除", key=ws.form_key(f"h{i}-remove"), disabled=len(form["highlights"]) == 1):
            remove_at = i
        facts = st.text_area("事实（一行一条）*", item["facts"], key=ws.form_key(f"h{i}-facts"), height=100,
                             placeholder="组织集中学习6次\n开展专题研讨3次")
        typed["highlights"].append({"topic": topic or "", "facts": facts})
add = st.button("＋ 增加一项重点工作", key=ws.form_key("add"))

c1, c2 = st.columns(2)
typed["problems"] = c1.text_area("存在的问题（一行一条，可接着写表现和原因）", form["problems"], key=ws.form_key("problems"),
                                 height=110, placeholder="个别党员学习主动性不强，有3名党员缺席集中学习2次以上，主要是工学矛盾突出")
typed["plans"] = c2.text_area("下一步打算（一行一条，可接着写措施和目标）", form["plans"], key=ws.form_key("plans"),
                              height=110, placeholder="推进党员先锋岗创建，年底前新建先锋岗2个")
typed["notes"] = st.text_area("其他说明（可空）", form["notes"], key=ws.form_key("notes"), height=70)

if remove_at is not None or add:
    if remove_at is not None:
        del typed["highlights"][remove_at]
    if add:
        typed["highlights"].append({"topic": "", "facts": ""})
    ws.form = typed
    ws.form_nonce += 1
    ws.draft, ws.form_problems = actions.save_form(stores, ws.owner, ws.draft, typed)
    st.rerun()
if typed != ws.form:
    ws.form = typed
    ws.draft, ws.form_problems = actions.save_form(stores, ws.owner, ws.draft, typed)

if ws.form_problems:
    st.warning("事实表还不完整，补全后才能起草：\n" + "\n".join(f"- {p}" for p in ws.form_problems))

ready = ws.draft is not None and not ws.form_problems
c1, c2 = st.columns([1, 5])
start = c1.button("一键成稿", type="primary", disabled=not ready, key="draft-all")
if c2.button("停止起草", key="draft-stop", help="停下正在进行的起草；已写好的小节都已保存"):
    st.info("已停止起草：已写好的小节已保存，可在「分节修改」中逐节重写。")
if start:
    assert ws.draft is not None
    with st.status("正在起草…（下面逐节显示正在写的内容）", expanded=True) as status:
        try:
            client = state.chat_client(ws)
            progress = StatusDraftProgress(status, ws.draft.sections)
            ws.findings = actions.draft_everything(state.library(), client, stores, ws.owner, ws.draft, progress)
        except AssistantError as exc:
            status.update(label="起草中断（已写好的小节已保存）", state="error")
            st.error(str(exc))
        else:
            progress.show_final(ws.draft.sections)
            flagged = sum(s.flagged for s in ws.draft.sections)
            status.update(label=f"起草完成：{len(ws.draft.sections)} 节" + (f"，{flagged} 节需人工处理" if flagged else ""),
                          state="complete", expanded=False)
            if progress.queue_note:
                st.info(progress.queue_note, icon=":material/hourglass_top:")

if ws.draft is not None and any(s.versions for s in ws.draft.sections):
    findings_list(ws.findings)
    st.page_link("views/sections.py", label="逐节修改 →", icon=":material/edit:")
    with st.expander("全文预览", expanded=True):
        st.markdown(f"### {ws.draft.title}")
        for chapter, sections in ws.draft.chapters():
            if chapter:
                st.markdown(f"**{chapter}**")
            for s in sections:
                if s.heading:
                    st.markdown(f"**{s.heading}**" + ("　:material/warning:" if s.flagged else ""))
                st.markdown(s.text or "（尚未起草）")
