"""`assistant eval`: draft the evaluation fact sheets with the active model, beside a naive baseline."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from assistant.app.library import Library
from assistant.checks import check_document
from assistant.domain.draft import Draft, Finding, Section
from assistant.domain.facts import FactSheet, load_fact_sheet
from assistant.drafting.outline import build_outline
from assistant.drafting.progress import DraftProgress
from assistant.drafting.sections import draft_all
from assistant.drafting.templates import render
from assistant.export import draft_to_markdown
from assistant.models.providers import get_chat_client
from assistant.models.request import ChatRequest, Task

GUARDRAIL_CHECKS = ("missing_number", "invented_number", "placeholder", "watermark", "invented_name",
                    "stale_formulation", "period_mismatch", "copied_text", "fact_coverage")
BASELINE_EXAMPLES = 3


class Timer(DraftProgress):
    """Records when the first text arrived."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.first_text: float | None = None

    def text_streamed(self, section: Section, delta: str) -> None:
        if self.first_text is None and delta.strip():
            self.first_text = time.perf_counter() - self.started


def check_results(findings: list[Finding]) -> dict[str, bool]:
    """Each guardrail: True when it found no error."""
    failed = {f.check for f in findings if f.severity == "error"}
    return {check: check not in failed for check in GUARDRAIL_CHECKS}


def evaluate_sheet(library: Library, sheet: FactSheet) -> dict[str, Any]:
    """Draft one sheet with the full pipeline; report guardrails, length and timings."""
    client = get_chat_client(library.settings)
    draft: Draft = build_outline(sheet)
    timer = Timer()
    draft_all(library.context(client, timer), draft)
    text = draft_to_markdown(draft)
    findings = check_document(text, sheet, library.matcher())
    return {
        "checks": check_results(findings),
        "flagged_sections": [s.key for s in draft.sections if s.flagged],
        "fallbacks": [f"{s.key}: {f.message}" for s in draft.sections if s.version
                      for f in s.version.findings if f.check == "fallback"],
        "chars": sum(len(s.text) for s in draft.sections),
        "first_text_s": round(timer.first_text or 0.0, 2),
        "wall_s": round(time.perf_counter() - timer.started, 1),
        "findings": [f"{f.check}: {f.message}" for f in findings if f.severity == "error"],
    }


def evaluate_baseline(library: Library, sheet: FactSheet) -> dict[str, Any]:
    """The naive way: examples pasted into one prompt, no worked example, no guardrails."""
    client = get_chat_client(library.settings)
    query = " ".join(h.topic for h in sheet.highlights)
    examples = [h.passage.text for h in library.searcher.search(query, k=BASELINE_EXAMPLES)]
    prompt = render("naive_baseline", org_name=sheet.organization, title=sheet.display_title, length=sheet.length,
                    examples=examples, facts=sheet.all_fact_texts())
    started = time.perf_counter()
    first: float | None = None
    parts: list[str] = []
    request = ChatRequest([{"role": "user", "content": prompt}], Task("baseline", budget=sheet.length),
                          max_tokens=sheet.length)
    for delta in client.stream(request):
        if first is None and delta.strip():
            first = time.perf_counter() - started
        parts.append(delta)
    text = "".join(parts)
    findings = check_document(text, sheet, library.matcher())
    return {
        "checks": check_results(findings),
        "chars": len(text),
        "first_text_s": round(first or 0.0, 2),
        "wall_s": round(time.perf_counter() - started, 1),
    }


def run_eval(library: Library, sheets_dir: Path, baseline: bool = True) -> list[dict[str, Any]]:
    """Evaluate every sheet in the directory with the library's settings."""
    library.ensure_built()
    results = []
    for path in sorted(sheets_dir.glob("*.yaml")):
        sheet = load_fact_sheet(path)
        row: dict[str, Any] = {"sheet": path.name, "highlights": len(sheet.highlights), "system": evaluate_sheet(library, sheet)}
        if baseline:
            row["baseline"] = evaluate_baseline(library, sheet)
        results.append(row)
    return results


def print_table(results: list[dict[str, Any]]) -> None:
    """One block per sheet: each guardrail for the system and the baseline, characters and timings."""
    for row in results:
        print(f"== {row['sheet']}（{row['highlights']} 个重点）")
        runs = [("本系统", row["system"])] + ([("基线", row["baseline"])] if "baseline" in row else [])
        header = "检查项".ljust(20) + "".join(name.ljust(10) for name, _ in runs)
        print(header)
        for check in GUARDRAIL_CHECKS:
            print(check.ljust(20) + "".join(("通过" if r["checks"][check] else "未通过").ljust(10) for _, r in runs))
        for label, key in (("字数", "chars"), ("首字用时(s)", "first_text_s"), ("总用时(s)", "wall_s")):
            print(label.ljust(20) + "".join(str(r[key]).ljust(10) for _, r in runs))
        if row["system"]["flagged_sections"]:
            print("需人工处理的小节：", "、".join(row["system"]["flagged_sections"]))
        for reason in row["system"].get("fallbacks", []):
            print("  ·", reason)
        for f in row["system"]["findings"]:
            print("  -", f)
