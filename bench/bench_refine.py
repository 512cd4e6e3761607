"""`make bench PARTS=refine`: chat refinement with the bundled model, instruction by instruction.

Three sections of a real draft (bench/refine_input.md, written by the bundled model from
examples/qingshan-2024h1.yaml): a work subsection, the problems and the plans. Each instruction of
INSTRUCTIONS is applied to the original section, and the chains to the result of the step before.
Per case: whether the operation was met, the length ratio, every figure kept, no claim finding, seconds.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

from assistant.app.documents import draft_from_file, pick_section
from assistant.app.library import Library
from assistant.checks import check_numbers, check_section
from assistant.domain.draft import Draft, Finding
from assistant.domain.facts import load_fact_sheet
from assistant.drafting.instructions import read_instruction
from assistant.drafting.operations import Items
from assistant.drafting.refine import accept, propose_revision
from assistant.models.providers import get_chat_client
from assistant.settings import Settings
from assistant.text import length

HERE = Path(__file__).resolve().parent
DRAFT = HERE / "refine_input.md"
FACTS = HERE.parent / "examples" / "qingshan-2024h1.yaml"
SECTIONS = ("（一）", "二、", "三、")
INSTRUCTIONS = (
    "更精炼一些", "压缩到200字", "展开写具体一些", "写到600字左右", "加上“开展主题党日6次”", "突出数据",
    "更正式一些", "更朴实一些", "把第二条放到前面", "参考第1条范文", "删去第一条", "写得更有条理",
)
CHAINS = (("更精炼一些", "突出数据", "更正式一些"), ("展开写具体一些", "加上“召开党员大会2次”", "更精炼一些"))
CLAIM_CHECKS = {"invented_title", "invented_activity", "invented_outcome", "meta_text", "latin_word", "wrong_register", "off_kind",
                "invented_number", "invented_name"}


def run(settings: Settings, sections: tuple[str, ...] = SECTIONS) -> dict[str, Any]:
    settings = settings.with_model(provider="local")
    library = Library(settings)
    library.ensure_built()
    ctx = library.context(get_chat_client(settings))
    base = draft_from_file(DRAFT, load_fact_sheet(FACTS))
    cases = []
    for spec in sections:
        for instruction in INSTRUCTIONS:
            cases.append(case(ctx, copy.deepcopy(base), spec, [instruction]))
        for chain in CHAINS:
            cases.append(case(ctx, copy.deepcopy(base), spec, list(chain)))
    met = [c for c in cases if c["met"]]
    shorter = [c["ratio"] for c in cases if c["chain"] == ["更精炼一些"]]
    return {"cases": cases, "met_share": round(len(met) / len(cases), 3),
            "figures_kept_share": round(sum(c["figures_kept"] for c in cases) / len(cases), 3),
            "shorter_ratios": shorter, "slowest_s": max(c["seconds"] for c in cases if len(c["chain"]) == 1)}


def claims(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings if f.check in CLAIM_CHECKS and f.severity == "error"]


def case(ctx: Any, draft: Draft, spec: str, chain: list[str]) -> dict[str, Any]:
    """Apply the instructions one after another (each accepted, figures lost or not); judge the last proposal.

    A claim finding the original section already had is reported as inherited, not against the operation.
    """
    section = pick_section(draft, spec)
    original = section.text
    inherited = claims(check_section(original, section, draft.facts, ctx.matcher))
    started = time.perf_counter()
    for instruction in chain:
        before = section.text
        version = propose_revision(ctx, draft, section, instruction)
        accept(draft, section, version, drop_figures=True)
    seconds = time.perf_counter() - started
    op = read_instruction(chain[-1], length(before))
    missing = [f for f in check_numbers(section.text, section.facts, draft.facts) if f.check == "missing_number"]
    bare = all(not item.rest for item in Items.of(section.text).items)
    new_claims = [m for m in claims(version.findings) if m not in inherited]
    notes = [f.message for f in version.findings if f.check == "operation_missed"]
    return {
        "section": spec, "chain": chain, "understood": op.describe(),
        "met": not notes and not bare and not missing and not new_claims,
        "ratio": round(length(section.text) / max(1, length(before)), 2),
        "ratio_to_original": round(length(section.text) / max(1, length(original)), 2),
        "figures_kept": not missing, "bare": bare, "claims": new_claims,
        "inherited": [m for m in claims(version.findings) if m in inherited],
        "notes": notes, "seconds": round(seconds, 1), "chars": length(section.text),
    }


def table(result: dict[str, Any]) -> str:
    lines = [f"操作达成 {result['met_share']:.0%}，数字保留 {result['figures_kept_share']:.0%}，"
             f"更精炼后为原来的 {'、'.join(f'{r:.0%}' for r in result['shorter_ratios'])}，"
             f"单条要求最长 {result['slowest_s']} 秒"]
    for c in result["cases"]:
        mark = "达成" if c["met"] else "未达成"
        lines.append(f"{c['section']} {' → '.join(c['chain'])}：{mark}，{c['chars']}字（×{c['ratio']}），"
                     f"{'数字全' if c['figures_kept'] else '丢数字'}，{c['seconds']}秒"
                     + (f"；{'；'.join(c['notes'] + c['claims'])}" if c['notes'] or c['claims'] else "")
                     + ("；（原稿已有的问题仍在）" if c["inherited"] else ""))
    return "\n".join(lines)
