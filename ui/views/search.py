"""范文检索: browse the samples by topic or free text, filter by section kind and source, pin a passage.

Placeholders in the samples are shown as a neutral …… (`display_placeholders`); a pinned passage
keeps them marked, and the drafter masks them before any prompt. "用于小节" starts at the section
the user was working on (`ws.section_key`).
"""

from __future__ import annotations

import streamlit as st

from assistant.app import actions
from assistant.corpus.cleaning import display_placeholders
from assistant.errors import AssistantError
from ui import state

KINDS = {"": "全部", "opening": "开头", "basic_info": "基本情况", "achievements": "工作成效", "problems": "问题不足",
         "plans": "工作打算"}
RESULTS = 8

ws = state.current()
stores = state.stores()
library = state.library()
st.title("范文检索")

try:
    counts = [(t, n) for t, n in actions.topic_counts(library) if n]
    documents = library.index.documents()
except AssistantError as exc:
    st.error(str(exc))
    counts, documents = [], {}

topic = st.pills("按主题浏览", [t for t, _ in counts], format_func=lambda t: f"{t} {dict(counts)[t]}", key="search-topic")
c1, c2, c3 = st.columns([4, 2, 3])
query = c1.text_input("关键词", key="search-query", placeholder="例如：组织党员观看警示教育片")
kind = c2.selectbox("章节类别", list(KINDS), format_func=KINDS.get, key="search-kind")
source = c3.selectbox("来源", [""] + sorted(documents), format_func=lambda s: s or "全部范文", key="search-source")

text = query.strip() or (topic or "")
if not text:
    st.caption("选一个主题，或输入关键词。")
else:
    try:
        hits = library.searcher.search(text, k=RESULTS, kind=kind or None, topic=topic or None, source=source or None)
    except AssistantError as exc:
        st.error(str(exc))
        hits = []
    if not hits:
        st.info("没有找到匹配的段落：换个说法，或放宽筛选。")
    sections = ws.draft.sections if ws.draft else []
    for n, hit in enumerate(hits):
        p = hit.passage
        with st.container(border=True):
            st.markdown(f"**{display_placeholders(p.heading) or '（无标题）'}**")
            st.caption(f"{p.source} · {KINDS.get(p.kind, p.kind)} · {'、'.join(p.topics) or '无主题'}")
            st.markdown(display_placeholders(p.text))
            if sections:
                c1, c2 = st.columns([4, 1])
                keys = [s.key for s in sections]
                key = c1.selectbox("用于小节", keys, key=f"pin-target-{n}",
                                   index=keys.index(ws.section_key) if ws.section_key in keys else 0,
                                   format_func=lambda k: ws.draft.section(k).label,
                                   label_visibility="collapsed")
                if c2.button("用于该节", key=f"pin-{n}"):
                    added = actions.pin(stores, ws.owner, ws.draft, key, p)
                    st.toast("已指定为参考，重新生成或修改该节时使用" if added else "该段落已是这一节的参考")
