"""从材料生成事实表: upload or paste the unit's records, review the counted facts with their rows, accept into the form.

Wiring only: each user action calls one function of `assistant.app.records`. The proposal under
review is this session's own, kept in `st.session_state["records-panel"]`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from assistant.app import records
from assistant.app.stores import Stores
from assistant.corpus.topics import vocabulary
from assistant.errors import AssistantError
from assistant.records.grouping import Proposal, ProposedHighlight
from ui import state
from ui.state import Workspace

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

PANEL_KEY = "records-panel"
RECORD_TYPES = ["xlsx", "docx", "csv", "txt", "md"]
NOTES_EXAMPLE = "3月15日 支委会 研究发展党员\n6月 赴廉政教育基地警示教育 全体党员"


@dataclass
class Panel:
    """The proposal under review, and a nonce that gives the inputs fresh keys after an accept."""

    proposal: Proposal | None = None
    nonce: int = 0


def _panel() -> Panel:
    if PANEL_KEY not in st.session_state:
        st.session_state[PANEL_KEY] = Panel()
    return st.session_state[PANEL_KEY]


def _embeddings() -> Embeddings | None:
    """The library's embeddings (shared, cached on disk), or None when its index cannot be opened:
    a count that neither its kind nor its words place then goes under the default topic."""
    try:
        return state.library().index.embeddings
    except AssistantError:
        return None


def _inputs(ws: Workspace, panel: Panel) -> None:
    """The uploads, the pasted notes and the period; 生成建议 makes the proposal."""
    n = panel.nonce
    files = st.file_uploader("台账、会议或活动记录、发展党员名册（.xlsx / .docx / .csv / .txt / .md）", type=RECORD_TYPES,
                             accept_multiple_files=True, key=f"records-files-{n}")
    pasted = st.text_area("或粘贴记录（一行一条，可直接从表格复制）", key=f"records-paste-{n}", height=100,
                          placeholder=NOTES_EXAMPLE)
    previous = st.file_uploader("上期总结或工作要点（可选：其中的打算列为本期待汇报清单）", type=["docx", "txt", "md"],
                                accept_multiple_files=True, key=f"records-previous-{n}")
    period = st.text_input("总结时段 *（只计本时段内的记录）", str(ws.form.get("period") or ""), key=f"records-period-{n}",
                           placeholder="2026年度")
    if st.button("生成建议", key="records-propose"):
        try:
            panel.proposal = records.propose_facts([(f.name, f.getvalue()) for f in files or []], pasted, period,
                                                   [(f.name, f.getvalue()) for f in previous or []], _embeddings())
        except AssistantError as exc:
            st.error(str(exc))


def _highlight(panel: Panel, h: ProposedHighlight) -> None:
    """A topic with its counted facts, each beside the rows it counts; a plan with a box for what was done."""
    assert panel.proposal is not None
    with st.container(border=True):
        st.markdown(f"**{h.topic}**")
        for fact in (f for f in h.facts if not f.typed):
            left, right = st.columns([2, 3])
            left.markdown(fact.text)
            right.caption("  \n".join(f"{c.wording}：  \n" + "  \n".join(f"· {r.label}「{r.text}」" for r in c.rows)
                                      for c in fact.counts))
        if h.plan:
            typed = "\n".join(f.text for f in h.facts if f.typed)
            answer = st.text_area(records.plan_label(panel.proposal, h), typed, key=f"records-answer-{panel.nonce}-{h.topic}", height=70,
                                  placeholder="一行一条，例如 新设党员先锋岗3个")
            if answer != typed:
                panel.proposal = records.answer_plan(panel.proposal, h.topic, answer)


def _edits(panel: Panel) -> None:
    """Move a fact to another topic; rename a topic."""
    proposal = panel.proposal
    assert proposal is not None
    facts = {f.id: f.text for f in proposal.facts if not f.typed}
    topics = proposal.topics + [t for t in vocabulary() if t not in proposal.topics]
    c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
    fact_id = c1.selectbox("把事实", list(facts), format_func=facts.__getitem__, key="records-move-fact")
    target = c2.selectbox("移到主题", topics, index=None, key="records-move-topic", accept_new_options=True,
                          placeholder="选择或输入主题")
    if c3.button("移动", key="records-move", disabled=not facts):
        if fact_id and target:
            panel.proposal = records.move_fact(proposal, fact_id, target)
            st.rerun()
    c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
    old = c1.selectbox("把主题", proposal.topics, key="records-rename-topic")
    new = c2.text_input("改名为", key="records-rename-to", placeholder="新的主题名称")
    if c3.button("改名", key="records-rename"):
        if old and new.strip():
            panel.proposal = records.rename_topic(proposal, old, new)
            st.rerun()


def _left_out(proposal: Proposal) -> None:
    if proposal.left_out:
        st.caption(f"未计入的记录（{len(proposal.left_out)} 条）")
        st.dataframe([{"出处": i.row.label, "内容": i.row.text, "原因": i.reason} for i in proposal.left_out],
                     hide_index=True, key="records-left-out")


def records_panel(ws: Workspace, stores: Stores) -> None:
    """The expander 从材料生成事实表 of the 一键成稿 page."""
    panel = _panel()
    with st.expander("从材料生成事实表", expanded=panel.proposal is not None):
        st.caption("按会议、活动类型逐条计数（不用模型），每条事实注明来自哪几行；不在本时段内或认不出的记录列在下面并说明原因。")
        _inputs(ws, panel)
        if panel.proposal is None:
            return
        if not panel.proposal.highlights:
            st.warning("没有可计入的记录：请检查日期是否在本时段内、类型是否写明（如 支委会、主题党日、党课）")
        for h in panel.proposal.highlights:
            _highlight(panel, h)
        if panel.proposal.facts:
            _edits(panel)
        _left_out(panel.proposal)
        if st.button("采用，填入事实表", key="records-accept", type="primary", disabled=not panel.proposal.highlights):
            draft, form, problems = records.accept_proposal(stores, ws.owner, ws.draft, ws.form, panel.proposal)
            ws.show(draft, form)
            ws.form_problems = problems
            ws.notice = f"已填入事实表：{len(panel.proposal.highlights)} 项重点工作"
            st.session_state[PANEL_KEY] = Panel(nonce=panel.nonce + 1)
            st.rerun()
