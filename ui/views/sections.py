"""分节修改: each section in an editor, a chat that proposes revisions, versions (undo, restore, compare), sources."""

from __future__ import annotations

import streamlit as st

from assistant.app import actions
from assistant.corpus.cleaning import display_placeholders
from assistant.domain.draft import Draft, Section
from assistant.drafting.refine import lost_figures
from ui import state
from ui.widgets import (
    changes_html,
    findings_list,
    marked_text,
    needs_draft,
    picker_key,
    run_with_status,
    status_badge,
    status_mark,
)


def version_line(section: Section, i: int, *, of_all: bool = False) -> str:
    """版本 2 · 对话修改 · 2026年12月1日 15:02 · 要求：… (版本 2/3 … with `of_all`)."""
    v = section.versions[i]
    number = f"{i + 1}/{len(section.versions)}" if of_all else str(i + 1)
    return f"版本 {number} · {v.origin_label} · {v.created_label}" + (f" · 要求：{v.instruction}" if v.instruction else "")


def history(draft: Draft, section: Section) -> None:
    """Every version, newest first, each with a button that makes it current again."""
    for i, v in reversed(list(enumerate(section.versions))):
        c1, c2 = st.columns([5, 1])
        c1.markdown(("▶ " if i == section.current else "") + f"**{version_line(section, i)}**")
        if c2.button("恢复此版", key=f"restore-{i}", disabled=i == section.current,
                     help="把这一版设为当前正文；其他版本都保留"):
            actions.restore(stores, ws.owner, draft, section.key, i)
            ws.notice = f"已恢复版本 {i + 1}"
            st.rerun()
        st.caption(v.text[:160] + ("…" if len(v.text) > 160 else ""))


def comparison(section: Section) -> None:
    """Two versions side by side as one text: deletions struck through in red, insertions underlined in green."""
    numbers = list(range(len(section.versions)))
    # By default the current version against the one before it (or, for the first, the latest).
    pair = (section.current - 1, section.current) if section.current > 0 else (0, numbers[-1])
    suffix = f"{section.key}-{section.current}-{len(numbers)}"  # fresh defaults when the versions change
    c1, c2 = st.columns(2)
    old = c1.selectbox("原版本", numbers, index=pair[0], key=f"compare-old-{suffix}",
                       format_func=lambda i: version_line(section, i))
    new = c2.selectbox("对比版本", numbers, index=pair[1], key=f"compare-new-{suffix}",
                       format_func=lambda i: version_line(section, i))
    changes = section.compare(old, new)
    if all(kind == "equal" for kind, _ in changes):
        st.caption("两个版本的正文相同。")
    else:
        st.caption("红色删除线为删去的文字，绿色下划线为新增的文字。")
        st.markdown(changes_html(changes), unsafe_allow_html=True)


ws = state.current()
stores = state.stores()
st.title("分节修改")

if not needs_draft(ws.draft):
    draft = ws.draft
    assert draft is not None
    keys = [s.key for s in draft.sections]
    if ws.section_key not in keys:
        ws.section_key = keys[0]

    def badge(key: str) -> str:
        s = draft.section(key)
        return f"{s.label} {status_mark(s)}"

    ws.section_key = st.selectbox("小节", keys, index=keys.index(ws.section_key), format_func=badge,
                                  key=picker_key(draft))
    key = ws.section_key
    section = draft.section(key)
    left, right = st.columns([3, 2], gap="large")

    with left:
        if section.heading:
            st.markdown(f"**{section.chapter}**　{section.heading}")
        elif section.chapter:
            st.markdown(f"**{section.chapter}**")
        version = section.version
        if version is None:
            st.info("这一节还没有起草：点下面的「重新生成本节」，或回「一键成稿」页起草全文。")
        else:
            st.caption(version_line(section, section.current, of_all=True))
            status_badge(section)
            findings_list(version.findings)
            marked_text(section.text, version.findings)
        text = st.text_area("正文", section.text, height=320, key=f"editor-{draft.id}-{key}-{section.current}-{len(section.versions)}")
        c1, c2, c3, c4 = st.columns(4)
        if c1.button("保存修改", key="edit-save", type="primary", disabled=text.strip() == section.text.strip()):
            actions.edit_section(state.library(), stores, ws.owner, draft, key, text)
            st.rerun()
        if c2.button("撤销", icon=":material/undo:", key="undo", disabled=section.current <= 0):
            actions.undo(stores, ws.owner, draft, key)
            st.rerun()
        if c3.button("重做", icon=":material/redo:", key="redo", disabled=section.current >= len(section.versions) - 1):
            actions.redo(stores, ws.owner, draft, key)
            st.rerun()
        if c4.button("重新生成本节", key="regenerate"):
            run_with_status(f"正在重写 {section.label}…", "重写失败", "已重写", section,
                            lambda progress: actions.regenerate_section(
                                state.library(), state.chat_client(ws), stores, ws.owner, draft, key, progress))

        with st.expander(f"版本历史（{len(section.versions)}）"):
            history(draft, section)
        if len(section.versions) >= 2:
            with st.expander("比较两个版本"):
                comparison(section)
        with st.expander(f"参考范文（{len(section.sources)}）· 指定参考（{len(section.pinned)}）"):
            for i, ref in enumerate(section.pinned):
                c1, c2 = st.columns([5, 1])
                c1.markdown(f":material/push_pin: **{ref.heading or '（无标题）'}** · {ref.source}")
                if c2.button("取消", key=f"unpin-{i}"):
                    actions.unpin(stores, ws.owner, draft, key, i)
                    st.rerun()
            for ref in section.sources:
                st.markdown(f"**{ref.heading or '（无标题）'}** · {ref.source}")
                text = display_placeholders(ref.text)
                st.caption(text[:200] + ("…" if len(text) > 200 else ""))
            if not section.sources and not section.pinned:
                st.caption("起草后这里列出写作时参考的范文段落；可在「范文检索」页把段落指定给本节。")

    with right:
        st.markdown("**对话修改**")
        st.caption("说出要怎样改，例如：压缩到200字；语气更正式；加上“开展主题党日6次”。新数字请放在引号里。")
        chat_box = st.container(height=420)
        with chat_box:
            for message in section.chat:
                with st.chat_message(message["role"]):
                    st.markdown(message["content"])
        proposal = ws.pending.get(key)
        if proposal is not None:
            st.markdown("**修改稿待确认**")
            findings_list(proposal.findings)
            marked_text(proposal.text, proposal.findings)
            lost = lost_figures(proposal)
            drop = lost and st.checkbox("修改稿丢了上面所说的数字，我确认不要这些数字", key="drop-figures")
            c1, c2 = st.columns(2)
            if c1.button("接受修改稿", key="accept", type="primary", disabled=bool(lost) and not drop,
                         help="修改稿丢了事实中的数字：确认不要这些数字后才能接受" if lost else None):
                actions.accept_revision(stores, ws.owner, draft, key, ws.pending.pop(key), drop_figures=bool(drop))
                st.rerun()
            if c2.button("放弃", key="reject"):
                ws.pending.pop(key)
                actions.reject_revision(stores, ws.owner, draft, key)
                st.rerun()
        instruction = st.chat_input("修改要求…", key=f"chat-{draft.id}-{key}", disabled=section.version is None)
        if instruction:
            with chat_box:
                with st.chat_message("user"):
                    st.markdown(instruction)
                with st.chat_message("assistant"):

                    def propose(progress) -> None:  # noqa: ANN001
                        ws.pending[key] = actions.propose(state.library(), state.chat_client(ws), stores,
                                                            ws.owner, draft, key, instruction, progress)

                    run_with_status("正在修改…", "修改失败", "修改稿已生成", section, propose)
