"""`make bench`: retrieval quality and speed, the local model's speed, and the drafting evaluation.

Prints each part's table and writes it to bench/results/latest.json with the machine it ran on; a partial
run (`make bench PARTS=eval`) replaces only its own parts there.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
LATEST = RESULTS / "latest.json"


def machine() -> dict[str, object]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem_kb = next(int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "date": time.strftime("%Y-%m-%d")}


def main() -> int:
    from assistant.app.evaluation import print_table, run_eval
    from assistant.app.library import Library
    from assistant.settings import Settings
    from bench import bench_llm, bench_refine, bench_retrieval

    parts = set(sys.argv[1:]) or {"retrieval", "llm", "eval", "refine"}
    settings = Settings.from_env()
    here = machine()
    print("机器：", here, flush=True)
    results = previous_results()
    if "retrieval" in parts:
        results["retrieval"] = {"machine": here, **bench_retrieval.run()}
        print(bench_retrieval.report(results["retrieval"]), flush=True)
    if "llm" in parts:
        results["llm"] = {"machine": here, **bench_llm.run(settings)}
        print(bench_llm.table(results["llm"]), flush=True)
    if "eval" in parts:
        sheets = run_eval(Library(settings), Path(__file__).resolve().parent / "sheets", runs=3)
        results["eval"] = {"machine": here, "sheets": sheets}
        print_table(results["eval"]["sheets"])
    if "refine" in parts:
        results["refine"] = {"machine": here, **bench_refine.run(settings)}
        print(bench_refine.table(results["refine"]), flush=True)
    RESULTS.mkdir(exist_ok=True)
    LATEST.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"结果已写入 {LATEST}")
    return 0


def previous_results() -> dict[str, dict]:
    """The parts of the last runs, each with its own machine stamp (older files without one are dropped)."""
    try:
        old = json.loads(LATEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {part: value for part, value in old.items() if isinstance(value, dict) and "machine" in value}


if __name__ == "__main__":
    sys.exit(main())
