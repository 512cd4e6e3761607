"""The actions on the unit's records: propose facts, edit, accept into the form; the same for the command line.

A proposal is the session's own (the view keeps it); accepting it merges its highlights into
the fact-sheet form and saves the form like any edit (`actions.save_form`). `assistant facts`
prints `proposal_lines` and writes `facts_file`. Nothing here imports Streamlit.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from assistant.app.actions import save_form
from assistant.app.stores import Stores
from assistant.domain.draft import Draft
from assistant.domain.facts import fact_sheet_from_dict
from assistant.domain.period import parse_period
from assistant.errors import LoadError
from assistant.records import grouping
from assistant.records.grouping import Proposal
from assistant.records.plans import checklist_line
from assistant.records.propose import Upload, open_plans, propose, sheet_data, sheet_highlights

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings


def propose_facts(files: list[Upload], pasted: str, period: str, previous: list[Upload],
                  embeddings: Embeddings | None = None) -> Proposal:
    """The proposal from the uploaded records, the pasted notes and last period's summary.

    `embeddings` (the library's) place a count that neither its kind nor its words put under a
    topic. LoadError naming the first file that cannot be read (nothing is proposed then);
    FactSheetError when the period is not one.
    """
    return propose(files, period, pasted=pasted, previous=previous, embeddings=embeddings)


def move_fact(proposal: Proposal, fact_id: str, topic: str) -> Proposal:
    """The proposal with one fact under another topic."""
    return grouping.move_fact(proposal, fact_id, topic)


def rename_topic(proposal: Proposal, old: str, new: str) -> Proposal:
    """The proposal with a topic renamed (merged into `new` when that topic exists)."""
    return grouping.rename_topic(proposal, old, new)


def answer_plan(proposal: Proposal, topic: str, text: str) -> Proposal:
    """The proposal with what the user wrote (one fact a line) for a plan of the checklist."""
    return grouping.fill_in(proposal, topic, text.splitlines())


def plan_label(proposal: Proposal, highlight: grouping.ProposedHighlight) -> str:
    """去年打算：深化党员先锋岗建设 → 今年做了什么？（2025年总结.docx）"""
    line = checklist_line(highlight.plan, parse_period(proposal.period))
    return f"{line}（{highlight.plan_source}）" if highlight.plan_source else line


def merge_into_form(form: dict[str, Any], proposal: Proposal, answers: dict[str, str] | None = None) -> dict[str, Any]:
    """The form with the proposal's highlights added: facts joined to a highlight of the same topic, never twice.

    `answers` holds what the user wrote for each plan of the checklist (topic → lines); a plan
    left unanswered is added with no facts, so the form asks for them. The period is filled in
    when the form has none.
    """
    for topic, text in (answers or {}).items():
        proposal = answer_plan(proposal, topic, text)
    highlights = [dict(h) for h in form.get("highlights", []) if str(h.get("topic") or "").strip() or
                  str(h.get("facts") or "").strip()]
    answered = {h["topic"]: h["facts"] for h in sheet_highlights(proposal)}
    for topic in proposal.topics:
        facts = answered.get(topic, [])
        same = next((h for h in highlights if h.get("topic") == topic), None)
        if same is None:
            highlights.append({"topic": topic, "facts": "\n".join(facts)})
            continue
        have = [line.strip() for line in str(same.get("facts") or "").splitlines() if line.strip()]
        same["facts"] = "\n".join(have + [f for f in facts if f not in have])
    merged = dict(form, highlights=highlights or [{"topic": "", "facts": ""}])
    if not str(form.get("period") or "").strip():
        merged["period"] = proposal.period
    return merged


def accept_proposal(stores: Stores, owner: str, draft: Draft | None, form: dict[str, Any], proposal: Proposal,
                    answers: dict[str, str] | None = None) -> tuple[Draft | None, dict[str, Any], list[str]]:
    """Merge the proposal into the form and save it: the draft (new once the sheet is valid), form, problems."""
    merged = merge_into_form(form, proposal, answers)
    draft, problems = save_form(stores, owner, draft, merged)
    return draft, merged, problems


# --- the command line ------------------------------------------------------------------------


def read_paths(paths: list[str]) -> list[Upload]:
    """Files from disk as (name, bytes); LoadError naming one that cannot be read."""
    uploads = []
    for path in map(Path, paths):
        try:
            uploads.append((path.name, path.read_bytes()))
        except FileNotFoundError as exc:
            raise LoadError(str(path), "文件不存在；请检查路径和文件名") from exc
        except IsADirectoryError as exc:
            raise LoadError(str(path), "是文件夹，不是文件；请给出其中的文件") from exc
        except PermissionError as exc:
            raise LoadError(str(path), "没有读取这个文件的权限；请检查文件权限，或先复制到自己的目录") from exc
        except OSError as exc:
            raise LoadError(str(path), "无法读取这个文件；请检查它是否被别的程序占用，或复制一份再试") from exc
    return uploads


def proposal_lines(proposal: Proposal) -> list[str]:
    """The proposal for a terminal: each fact under its topic with the rows it counts, then the rows left out."""
    lines = []
    for h in proposal.highlights:
        for fact in h.facts:
            lines.append(f"[{h.topic}] {fact.text}")
            for count in fact.counts:
                lines.append(f"    {count.wording}：")
                lines.extend(f"      {row.label}：{row.text}" for row in count.rows)
        if h.plan and not h.facts:
            lines.append(f"[待汇报] {plan_label(proposal, h)}")
    if proposal.left_out:
        lines.append(f"未计入的记录（{len(proposal.left_out)} 条）：")
        lines.extend(f"    {item.row.label}：{item.row.text} —— {item.reason}" for item in proposal.left_out)
    return lines


def facts_file(proposal: Proposal, organization: str) -> str | None:
    """The fact-sheet YAML (validated when the organization is given), open plans as comments; None without facts."""
    data = sheet_data(proposal, organization)
    if not data["highlights"]:
        return None
    if organization.strip():
        text = fact_sheet_from_dict(data).to_yaml()
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    period = parse_period(proposal.period)
    return text + "".join(f"# {checklist_line(plan, period)}\n" for plan in open_plans(proposal))
