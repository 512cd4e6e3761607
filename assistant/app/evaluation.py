"""`assistant eval`: draft the evaluation fact sheets with the active model, beside a naive baseline."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from assistant.app.accounting import account, counters, generation_rate
from assistant.app.actions import warm_up
from assistant.app.library import Library
from assistant.checks import check_document
from assistant.domain.draft import Draft, Finding, Section
from assistant.domain.facts import FactSheet, load_fact_sheet
from assistant.drafting.constrained import lead_of
from assistant.drafting.items import chapter_intro
from assistant.drafting.outline import build_outline
from assistant.drafting.progress import DraftProgress
from assistant.drafting.sections import draft_all
from assistant.drafting.templates import render
from assistant.export import draft_to_markdown
from assistant.models.local_server import LocalServer
from assistant.models.providers import get_chat_client
from assistant.models.request import ChatRequest, Task

GUARDRAIL_CHECKS = ("missing_number", "invented_number", "placeholder", "watermark", "invented_name",
                    "stale_formulation", "period_mismatch", "copied_text", "fact_coverage", "invented_title",
                    "invented_activity", "invented_outcome", "meta_text", "latin_word", "wrong_register", "off_kind", "dangling_start")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
BASELINE_EXAMPLES = 3


def local_server(library: Library) -> LocalServer | None:
    """The running local server when the settings draft with the bundled model."""
    if not library.settings.model.is_local:
        return None
    from assistant.models.local_server import get_local_server

    return get_local_server(library.settings)


class Timer(DraftProgress):
    """Records when the first text arrived, and the first text the model wrote (not a code-written lead or intro)."""

    def __init__(self, sheet: FactSheet) -> None:
        self.sheet = sheet
        self.started = time.perf_counter()
        self.first_text: float | None = None
        self.first_model_text: float | None = None

    def text_streamed(self, section: Section, delta: str) -> None:
        now = time.perf_counter() - self.started
        if self.first_text is None and delta.strip():
            self.first_text = now
        by_code = (section.kind == "opening" or delta in {"。", chapter_intro(section, self.sheet)}
                   or any(delta == lead_of(f).removesuffix("。") for f in section.facts))  # its stop streams later
        if self.first_model_text is None and delta.strip() and not by_code:
            self.first_model_text = now


def check_results(findings: list[Finding]) -> dict[str, bool]:
    """Each guardrail: True when it found no error."""
    failed = {f.check for f in findings if f.severity == "error"}
    return {check: check not in failed for check in GUARDRAIL_CHECKS}


def evaluate_sheet(library: Library, sheet: FactSheet, rate: float = 0.0) -> dict[str, Any]:
    """Draft one sheet with the full pipeline; report every check, length, timings and, locally, the tokens."""
    client = get_chat_client(library.settings)
    draft: Draft = build_outline(sheet)
    server = local_server(library)
    before = counters(server) if server else {}
    timer = Timer(sheet)
    draft_all(library.context(client, timer), draft)
    wall = time.perf_counter() - timer.started
    text = draft_to_markdown(draft)
    findings = check_document(text, sheet, library.matcher())
    section_errors = [f for s in draft.sections if s.version for f in s.version.findings if f.severity == "error"]
    return {
        "tokens": account(server, before, draft, wall, rate).to_dict() if server else {},
        "cjk_chars": len(CJK_RE.findall(text)),
        "first_model_text_s": round(timer.first_model_text or 0.0, 2),
        "section_findings": [f"{f.check}: {f.message}" for f in section_errors],
        "checks": check_results(findings),
        "flagged_sections": [s.key for s in draft.sections if s.flagged],
        "short_sections": [s.key for s in draft.sections if s.version and any(f.check == "too_short" for f in s.version.findings)],
        "fallbacks": [f"{s.key}: {f.message}" for s in draft.sections if s.version
                      for f in s.version.findings if f.check == "fallback"],
        "chars": sum(len(s.text) for s in draft.sections),
        "first_text_s": round(timer.first_text or 0.0, 2),
        "wall_s": round(wall, 1),
        "findings": [f"{f.check}: {f.message}" for f in findings if f.severity == "error"],
        "markdown": text,  # to read the draft as a cadre would
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


def run_eval(library: Library, sheets_dir: Path, baseline: bool = True, runs: int = 1,
             repeated: int = 3) -> list[dict[str, Any]]:
    """Evaluate every sheet in the directory; the first `repeated` sheets `runs` times each, for the spread."""
    library.ensure_built()
    server = local_server(library)
    rate = generation_rate(server) if server else 0.0
    warm_up(get_chat_client(library.settings))  # as the workspace does while its form is filled in
    results = []
    for n, path in enumerate(sorted(sheets_dir.glob("*.yaml"))):
        sheet = load_fact_sheet(path)
        times = runs if n < repeated else 1
        done = [evaluate_sheet(library, sheet, rate) for _ in range(times)]
        row: dict[str, Any] = {"sheet": path.name, "highlights": len(sheet.highlights), "system": done[0],
                               "runs": done, "generation_tok_s": round(rate, 1)}
        if baseline:
            row["baseline"] = evaluate_baseline(library, sheet)
        results.append(row)
    return results


def spread(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:g}" if low == high else f"{low:g}–{high:g}"


def print_table(results: list[dict[str, Any]]) -> None:
    """One block per sheet: each check for the system and the baseline, length, timings, tokens; spreads over runs."""
    for row in results:
        runs = row.get("runs", [row["system"]])
        print(f"== {row['sheet']}（{row['highlights']} 个重点，{len(runs)} 次）")
        columns = [("本系统", row["system"])] + ([("基线", row["baseline"])] if "baseline" in row else [])
        print("检查项".ljust(20) + "".join(name.ljust(10) for name, _ in columns))
        for check in GUARDRAIL_CHECKS:
            print(check.ljust(20) + "".join(("通过" if r["checks"].get(check, True) else "未通过").ljust(10)
                                            for _, r in columns))
        for label, key in (("字数", "chars"), ("汉字数", "cjk_chars"), ("首字用时(s)", "first_text_s"),
                           ("模型首字用时(s)", "first_model_text_s"), ("总用时(s)", "wall_s")):
            print(label.ljust(20) + spread([r.get(key, 0) for r in runs]))
        tokens = [r["tokens"] for r in runs if r.get("tokens")]
        if tokens:
            print("tokens（读/缓存/生成/保留/丢弃）".ljust(20) + " / ".join(
                spread([t[k] for t in tokens]) for k in ("read", "cached", "generated", "kept", "discarded")))
            print(f"总用时/下限（生成 {row.get('generation_tok_s', 0)} tok/s）".ljust(20)
                  + spread([t["wall_over_floor"] for t in tokens]))
        for r in runs:
            if r["flagged_sections"]:
                print("需人工处理的小节：", "、".join(r["flagged_sections"]))
            if r.get("short_sections"):
                print("篇幅偏短的小节（请核对）：", "、".join(r["short_sections"]))
            for item in r.get("fallbacks", []) + r.get("section_findings", []) + r["findings"]:
                print("  ·", item)
