"""Command line: ingest, search, topics, draft, check, eval, doctor, ui. Errors become one clear line."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

from .config import REPO_ROOT
from .errors import AssistantError
from .progress import DraftProgress, IngestProgress


def _print_err(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


class BarIngestProgress(IngestProgress):
    """A tqdm bar on stderr, with one line per skipped file."""

    def __init__(self) -> None:
        self.bar = None

    def file_started(self, path: str, index: int, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=total, desc="建立范文索引", unit="篇", file=sys.stderr)
        self.bar.set_postfix_str(path[:20])

    def file_done(self, path: str, chunks: int) -> None:
        self.bar.update(1)

    def file_failed(self, path: str, reason: str) -> None:
        self.bar.update(1)
        self.bar.write(f"跳过 {path}：{reason}", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class BarDraftProgress(DraftProgress):
    """A tqdm bar over sections on stderr."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, desc="起草", unit="节", file=sys.stderr)
        self.chars = 0

    def section_started(self, section) -> None:  # noqa: ANN001
        self.bar.set_postfix_str(section.heading or section.chapter or "开头")

    def text_streamed(self, section, delta: str) -> None:  # noqa: ANN001
        self.chars += len(delta)
        self.bar.set_postfix_str(f"{(section.heading or section.chapter or '开头')[:12]} {self.chars}字")

    def section_retry(self, section, reason: str) -> None:  # noqa: ANN001
        self.bar.write(f"重写 {section.heading or section.chapter or '开头'}：{reason}", file=sys.stderr)

    def section_done(self, section) -> None:  # noqa: ANN001
        self.bar.update(1)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Index sample summaries (default: the bundled corpus and uploads)."""
    from .ingest import ingest
    from .services import Library

    library = Library()
    progress = BarIngestProgress()
    if args.paths:
        report = ingest([Path(p) for p in args.paths], library.index, progress)
    else:
        report = library.reindex(progress)
    progress.close()
    print(f"已索引 {len(report.indexed)} 篇、{report.chunks} 段，跳过 {len(report.failed)} 篇，用时 {report.seconds:.1f} 秒")
    for source in report.removed:
        print(f"已移除 {source}")
    return 1 if report.failed and not report.indexed else 0


def cmd_search(args: argparse.Namespace) -> int:
    """Find example passages by topic or free text."""
    from .services import Library

    library = Library()
    library.ensure_built()
    for query in args.queries:
        hits = library.searcher.search(query, k=args.k, kind=args.kind, topic=args.topic, source=args.source)
        if args.json:
            print(json.dumps({"query": query, "results": [h.to_json() for h in hits]}, ensure_ascii=False))
            continue
        print(f"== {query}")
        for n, hit in enumerate(hits, 1):
            p = hit.passage
            print(f"[{n}] {p.source} · {p.heading} · {p.kind} · {'、'.join(p.topics)} · {hit.score:.4f}")
            print(f"    {p.text[:160]}{'…' if len(p.text) > 160 else ''}")
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    """List the topic vocabulary with how many passages carry each topic."""
    from .services import Library
    from .topics import topic_counts

    library = Library()
    library.ensure_built()
    for topic, count in topic_counts([p.topics for p in library.passages()]):
        print(f"{topic}\t{count}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """Show the active provider, model and data directory, and check that the model answers."""
    from .llm import doctor

    for label, value in doctor():
        print(f"{label}: {value}")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft a summary from a fact sheet into .md or .docx."""
    from .drafter import draft_all
    from .export import draft_to_docx, draft_to_markdown
    from .facts import load_fact_sheet
    from .llm import ModelSettings, get_chat_client
    from .outline import build_outline
    from .services import Library

    if args.provider:
        os.environ["ASSISTANT_PROVIDER"] = args.provider
    sheet = load_fact_sheet(args.facts)
    draft = build_outline(sheet)
    client = get_chat_client(ModelSettings.from_env())
    progress = BarDraftProgress(len(draft.sections))
    findings = draft_all(Library().context(client, progress), draft)
    progress.bar.close()
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".docx":
        draft_to_docx(draft, out)
    else:
        out.write_text(draft_to_markdown(draft), encoding="utf-8")
    flagged = [s for s in draft.sections if s.flagged]
    _print_err(f"已写入 {out}（{sum(len(s.text) for s in draft.sections)} 字）")
    for s in draft.sections:
        v = s.version
        status = "需人工处理" if s.flagged else "通过"
        _print_err(f"  [{status}] {s.heading or s.chapter or '开头'}（{len(s.text)} 字）")
        for f in v.findings if v else []:
            _print_err(f"      - {f.check}: {f.message}")
    for f in findings:
        _print_err(f"  [全文] {f.check}: {f.message}")
    blocking = flagged or [f for f in findings if f.severity == "error"]
    return 1 if blocking else 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check an exported draft against its fact sheet."""
    from .export import read_draft_text
    from .facts import load_fact_sheet
    from .guardrails import check_document
    from .services import Library

    sheet = load_fact_sheet(args.facts)
    title, units = read_draft_text(args.draft)
    text = "\n".join([title] + [f"{h}\n{b}" for h, b in units])
    library = Library()
    library.ensure_built()
    findings = check_document(text, sheet, library.matcher())
    if args.json:
        print(json.dumps({"draft": str(args.draft), "passed": not any(f.severity == "error" for f in findings),
                          "findings": [f.__dict__ for f in findings]}, ensure_ascii=False))
    else:
        for f in findings:
            print(f"[{'错误' if f.severity == 'error' else '提示'}] {f.check}: {f.message}")
        print("检查通过" if not any(f.severity == "error" for f in findings) else "检查未通过")
    return 1 if any(f.severity == "error" for f in findings) else 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Draft the project's evaluation sheets with the active model, beside a naive baseline."""
    from .evaluation import print_table, run_eval

    results = run_eval(Path(args.sheets), baseline=not args.no_baseline)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print_table(results)
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    """Start the Streamlit workspace on 127.0.0.1."""
    app = REPO_ROOT / "ui" / "app.py"
    print(f"党建文稿助手：http://127.0.0.1:{args.port}", flush=True)
    return subprocess.call([sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
                            "--server.address", "127.0.0.1"], cwd=REPO_ROOT)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="党建文稿助手：根据事实表起草党建工作总结")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = add("ingest", cmd_ingest, "把范文（.txt/.md/.docx）清洗、切分并建立索引")
    p.add_argument("paths", nargs="*", help="文件或目录（默认：自带语料 corpus/ 和已上传的范文）")
    p = add("search", cmd_search, "按主题或关键词检索范文段落")
    p.add_argument("queries", nargs="+", help="检索词，例如 组织党员看反腐警示片")
    p.add_argument("-k", type=int, default=5, help="每个检索词返回的段落数（默认 5）")
    p.add_argument("--kind", choices=["opening", "basic_info", "achievements", "problems", "plans"], help="章节类别")
    p.add_argument("--topic", help="主题，见 assistant topics")
    p.add_argument("--source", help="只在这篇范文中检索（文件名）")
    p.add_argument("--json", action="store_true", help="每个检索词输出一行 JSON")
    add("topics", cmd_topics, "列出主题词表及各主题的段落数")
    add("doctor", cmd_doctor, "显示当前模型、数据目录，并检查模型能否应答")
    p = add("draft", cmd_draft, "根据事实表起草总结")
    p.add_argument("facts", help="事实表（YAML 或 JSON）")
    p.add_argument("-o", "--output", required=True, help="输出文件：.md 或 .docx")
    p.add_argument("--provider", choices=["local", "openai"], help="模型来源（默认取 ASSISTANT_PROVIDER，否则 local）")
    p = add("check", cmd_check, "按事实表检查一篇总结（数字、占位符、水印、过时表述、抄袭等）")
    p.add_argument("draft", help="总结文件：.md 或 .docx")
    p.add_argument("--facts", required=True, help="事实表（YAML 或 JSON）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p = add("eval", cmd_eval, "用评测事实表起草并打分，与简单基线对比")
    p.add_argument("--sheets", default=str(REPO_ROOT / "bench" / "sheets"), help="评测事实表目录")
    p.add_argument("--no-baseline", action="store_true", help="不跑基线")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p = add("ui", cmd_ui, "启动网页工作台")
    p.add_argument("--port", type=int, default=8501, help="端口（默认 8501）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except AssistantError as exc:
        _print_err(f"错误：{exc}")
        return 2
    except KeyboardInterrupt:
        _print_err("已中断")
        return 130


if __name__ == "__main__":
    sys.exit(main())
