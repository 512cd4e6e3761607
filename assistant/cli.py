"""Command line: ingest, search, topics, draft, check, eval, doctor, ui. Errors become one clear line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from assistant.app.console import DraftConsole, IngestConsole, say
from assistant.domain.draft import Draft
from assistant.errors import AssistantError, ConfigError
from assistant.resources import PACKAGE_DIR
from assistant.settings import Settings
from assistant.text import PASSAGE_KINDS

CHECKOUT_DIR = PACKAGE_DIR.parent  # ui/ and bench/ live beside the package in a source checkout


def write_draft(draft: Draft, out: Path) -> Path:
    """Write the draft as .docx or, for any other suffix, Markdown."""
    from assistant.export import draft_to_docx, draft_to_markdown

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".docx":
        draft_to_docx(draft, out)
    else:
        out.write_text(draft_to_markdown(draft), encoding="utf-8")
    return out


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Index sample summaries (default: the bundled corpus and uploads)."""
    from assistant.app.library import Library
    from assistant.retrieval.ingest import ingest

    library = Library(settings)
    progress = IngestConsole()
    if args.paths:
        report = ingest([Path(p) for p in args.paths], library.index, progress)
    else:
        report = library.reindex(progress)
    progress.close()
    print(f"已索引 {len(report.indexed)} 篇、{report.chunks} 段，跳过 {len(report.failed)} 篇，用时 {report.seconds:.1f} 秒")
    for source in report.removed:
        print(f"已移除 {source}")
    return 1 if report.failed and not report.indexed else 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """Find example passages by topic or free text."""
    from assistant.app.library import Library

    library = Library(settings)
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


def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    """List the topic vocabulary with how many passages carry each topic."""
    from assistant.app.library import Library
    from assistant.corpus.topics import topic_counts

    library = Library(settings)
    library.ensure_built()
    for topic, count in topic_counts([p.topics for p in library.passages()]):
        print(f"{topic}\t{count}")
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    """Show the active provider, model and data directory, and check that the model answers."""
    from assistant.models.doctor import doctor

    for label, value in doctor(settings):
        print(f"{label}: {value}")
    return 0


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    """Draft a summary from a fact sheet into .md or .docx."""
    from assistant.app.library import Library
    from assistant.domain.facts import load_fact_sheet
    from assistant.drafting.outline import build_outline
    from assistant.drafting.sections import draft_all
    from assistant.models.providers import get_chat_client

    if args.provider:
        settings = settings.with_model(provider=args.provider)
    sheet = load_fact_sheet(args.facts)
    draft = build_outline(sheet)
    client = get_chat_client(settings)
    progress = DraftConsole(len(draft.sections))
    findings = draft_all(Library(settings).context(client, progress), draft)
    progress.close()
    out = write_draft(draft, Path(args.output))
    flagged = [s for s in draft.sections if s.flagged]
    say(f"已写入 {out}（{sum(len(s.text) for s in draft.sections)} 字）")
    for s in draft.sections:
        v = s.version
        status = "需人工处理" if s.flagged else "通过"
        say(f"  [{status}] {s.label}（{len(s.text)} 字）")
        for f in v.findings if v else []:
            say(f"      - {f.check}: {f.message}")
    for finding in findings:
        say(f"  [全文] {finding.check}: {finding.message}")
    blocking = bool(flagged) or any(f.severity == "error" for f in findings)
    return 1 if blocking else 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Check an exported draft against its fact sheet."""
    from assistant.app.library import Library
    from assistant.checks import check_document
    from assistant.domain.facts import load_fact_sheet
    from assistant.export import read_draft_text

    sheet = load_fact_sheet(args.facts)
    title, units = read_draft_text(args.draft)
    text = "\n".join([title] + [f"{h}\n{b}" for h, b in units])
    library = Library(settings)
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


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Draft the project's evaluation sheets with the active model, beside a naive baseline."""
    from assistant.app.evaluation import print_table, run_eval
    from assistant.app.library import Library

    results = run_eval(Library(settings), Path(args.sheets), baseline=not args.no_baseline, runs=args.runs)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print_table(results)
    return 0


def cmd_facts(args: argparse.Namespace, settings: Settings) -> int:
    """Propose a fact sheet from the unit's records, each fact with the rows it counts."""
    from assistant.app.records import facts_file, proposal_lines, read_paths
    from assistant.records.propose import propose
    from assistant.retrieval.embeddings import E5Embeddings

    embeddings = E5Embeddings(settings.embedding_cache)  # the model loads only if a count needs it
    proposal = propose(read_paths(args.files), args.period, previous=read_paths(args.plans), embeddings=embeddings)
    print("\n".join(proposal_lines(proposal)))
    text = facts_file(proposal, args.organization or "")
    if text is None:
        say("没有可计入的记录，未写出事实表")
        return 1
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    say(f"已写入 {out}" + ("" if args.organization else "；请先填写其中的 organization（党组织名称）再起草"))
    return 0


def cmd_refine(args: argparse.Namespace, settings: Settings) -> int:
    """Refine one section of a draft file by an instruction; print what was understood and the checks."""
    from assistant.app.documents import draft_from_file, pick_section
    from assistant.app.library import Library
    from assistant.domain.facts import load_fact_sheet
    from assistant.drafting.refine import accept, propose_revision
    from assistant.models.providers import get_chat_client

    draft = draft_from_file(Path(args.draft), load_fact_sheet(args.facts))
    section = pick_section(draft, args.section)
    progress = DraftConsole(1)
    version = propose_revision(Library(settings).context(get_chat_client(settings), progress), draft, section,
                               args.instruction)
    progress.close()
    for f in version.findings:
        say(f.message if f.check == "understood" else f"  [{'错误' if f.severity == 'error' else '提示'}] {f.message}")
    accept(draft, section, version, drop_figures=args.drop_figures)  # FiguresLostError: nothing written
    out = write_draft(draft, Path(args.output))
    say(f"已写入 {out}（{section.label}：{len(section.text)} 字）")
    missed = any(f.check == "operation_missed" for f in version.findings)
    return 1 if missed or not version.passed else 0


def cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    """Start the Streamlit workspace on 127.0.0.1; this process becomes Streamlit, so a signal stops it."""
    app = CHECKOUT_DIR / "ui" / "app.py"
    if not app.is_file():
        raise ConfigError(f"找不到网页工作台 {app}：工作台从源码目录运行，请在项目目录中执行 make run")
    print(f"党建文稿助手：http://127.0.0.1:{args.port}", flush=True)
    os.chdir(CHECKOUT_DIR)
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
               "--server.address", "127.0.0.1"]
    os.execv(sys.executable, command)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="党建文稿助手：根据事实表起草党建工作总结")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace, Settings], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = add("ingest", cmd_ingest, "把范文（.txt/.md/.docx）清洗、切分并建立索引")
    p.add_argument("paths", nargs="*", help="文件或目录（默认：自带语料 corpus/ 和已上传的范文）")
    p = add("search", cmd_search, "按主题或关键词检索范文段落")
    p.add_argument("queries", nargs="+", help="检索词，例如 组织党员看反腐警示片")
    p.add_argument("-k", type=int, default=5, help="每个检索词返回的段落数（默认 5）")
    p.add_argument("--kind", choices=PASSAGE_KINDS, help="章节类别")
    p.add_argument("--topic", help="主题，见 assistant topics")
    p.add_argument("--source", help="只在这篇范文中检索（文件名）")
    p.add_argument("--json", action="store_true", help="每个检索词输出一行 JSON")
    add("topics", cmd_topics, "列出主题词表及各主题的段落数")
    add("doctor", cmd_doctor, "显示当前模型、数据目录，并检查模型能否应答")
    p = add("draft", cmd_draft, "根据事实表起草总结")
    p.add_argument("facts", help="事实表（YAML 或 JSON）")
    p.add_argument("-o", "--output", required=True, help="输出文件：.md 或 .docx")
    p.add_argument("--provider", help="模型来源：local 或 openai（默认取 ASSISTANT_PROVIDER，否则 local）")
    p = add("check", cmd_check, "按事实表检查一篇总结（数字、占位符、水印、过时表述、抄袭等）")
    p.add_argument("draft", help="总结文件：.md 或 .docx")
    p.add_argument("--facts", required=True, help="事实表（YAML 或 JSON）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p = add("eval", cmd_eval, "用评测事实表起草并打分，与简单基线对比")
    p.add_argument("--sheets", default=str(CHECKOUT_DIR / "bench" / "sheets"), help="评测事实表目录")
    p.add_argument("--no-baseline", action="store_true", help="不跑基线")
    p.add_argument("--runs", type=int, default=1, help="前三张事实表各起草几次，看波动（默认 1）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p = add("facts", cmd_facts, "从本单位台账、记录和上期总结生成事实表（按类型计数，注明出处）")
    p.add_argument("files", nargs="+", help="台账或记录：.xlsx、.docx、.csv、.txt、.md")
    p.add_argument("--period", required=True, help="总结时段，例如 2026年度、2026年上半年")
    p.add_argument("--organization", help="党组织名称（写入事实表）")
    p.add_argument("--plans", nargs="*", default=[], help="上期总结或工作要点（.txt/.md/.docx），其打算列为待汇报清单")
    p.add_argument("-o", "--output", required=True, help="输出的事实表（YAML）")
    p = add("refine", cmd_refine, "按一句修改要求改写总结中的一节（更精炼、展开、加上“…”、突出数据、更正式…）")
    p.add_argument("draft", help="总结文件：assistant draft 写出的 .md 或 .docx")
    p.add_argument("instruction", help="修改要求，例如 更精炼一些、压缩到300字、加上“开展主题党日6次”")
    p.add_argument("--facts", required=True, help="事实表（YAML 或 JSON）")
    p.add_argument("--section", required=True, help="小节：（一）、二、、三、、开头，或小标题文字")
    p.add_argument("-o", "--output", required=True, help="输出文件：.md 或 .docx")
    p.add_argument("--drop-figures", action="store_true",
                   help="修改稿丢了事实中的数字也照样写出（默认不写出，退出码 1）")
    p = add("ui", cmd_ui, "启动网页工作台")
    p.add_argument("--port", type=int, default=8501, help="端口（默认 8501）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args, Settings.from_env()))
    except AssistantError as exc:
        say(f"错误：{exc}")
        return 2
    except KeyboardInterrupt:
        say("已中断")
        return 130


if __name__ == "__main__":
    sys.exit(main())
