"""党建文稿助手 — the Streamlit workspace. Run: `assistant ui` (or `make run`).

The entry file is the router and the shared frame: page setup, first-start indexing with a
progress bar, the six pages, and the sidebar with the drafts list and the active model.
"""

from __future__ import annotations

import sys
from pathlib import Path

UI_DIR = Path(__file__).resolve().parent
if str(UI_DIR.parent) not in sys.path:  # `ui` is not installed: make `ui.state` importable
    sys.path.insert(0, str(UI_DIR.parent))

import streamlit as st  # noqa: E402

from assistant.app import actions  # noqa: E402
from assistant.domain.draft import time_label  # noqa: E402
from assistant.errors import AssistantError  # noqa: E402
from ui import state  # noqa: E402
from ui.widgets import chinese_uploader, ensure_index  # noqa: E402

st.set_page_config(page_title="党建文稿助手", page_icon=":material/edit_note:", layout="wide")

PAGES = [
    st.Page(UI_DIR / "views" / "draft.py", title="一键成稿", icon=":material/edit_note:", url_path="draft", default=True),
    st.Page(UI_DIR / "views" / "sections.py", title="分节修改", icon=":material/edit:", url_path="sections"),
    st.Page(UI_DIR / "views" / "search.py", title="范文检索", icon=":material/search:", url_path="search"),
    st.Page(UI_DIR / "views" / "corpus.py", title="语料库", icon=":material/library_books:", url_path="corpus"),
    st.Page(UI_DIR / "views" / "export.py", title="导出", icon=":material/description:", url_path="export"),
    st.Page(UI_DIR / "views" / "settings.py", title="设置", icon=":material/settings:", url_path="settings"),
]


def sidebar(ws: state.Workspace) -> None:
    """The drafts list (new / open / delete) and the active model."""
    stores = state.stores()
    with st.sidebar:
        st.subheader("我的草稿")
        if st.button("＋ 新建草稿", width="stretch", key="draft-new"):
            ws.show(None, actions.new_form(stores, ws.owner, ws.target_length))
            st.switch_page(PAGES[0])
        drafts = stores.drafts.list(ws.owner)
        if not drafts:
            st.caption("还没有草稿。填好事实表后自动保存。")
        for summary in drafts:
            active = ws.draft is not None and ws.draft.id == summary.id
            cols = st.columns([5, 1])
            label = f"{'▶ ' if active else ''}{summary.title}"
            if cols[0].button(label, key=f"draft-open-{summary.id}", help=f"保存于 {time_label(summary.updated)}",
                              width="stretch", disabled=active):
                ws.show(*actions.open_draft(stores, ws.owner, summary.id))
                st.rerun()
            if cols[1].button("", icon=":material/delete:", key=f"draft-delete-{summary.id}", help="删除这份草稿"):
                actions.delete_draft(stores, ws.owner, summary.id)
                if active:
                    ws.show(*actions.open_draft(stores, ws.owner))
                st.rerun()
        st.divider()
        st.caption(f"模型：{state.model_label(ws.model)}")
        st.caption("草稿自动保存在本机；收藏本页地址即可在其他标签页或重启后找回。")


def main() -> None:
    page = st.navigation(PAGES)
    chinese_uploader()
    try:
        ws = state.current()
    except AssistantError as exc:  # e.g. a broken config.toml: say what to fix instead of a traceback
        st.error(str(exc))
        st.stop()
    try:
        ensure_index(state.library())
    except AssistantError as exc:
        st.error(str(exc))
    state.start_model(ws.model)
    if ws.notice:
        st.toast(ws.notice)
        ws.notice = ""
    page.run()
    try:
        sidebar(ws)
    except AssistantError as exc:
        st.sidebar.error(str(exc))


main()
