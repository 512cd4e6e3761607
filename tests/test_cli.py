"""The command line: every command documented, JSON search output, one clear line for bad input."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from assistant.cli import build_parser, main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_has_help_and_is_in_the_readme(name):
    parser = subcommands()[name]
    assert parser.description and len(parser.description) > 4
    assert f"assistant {name}" in README or (name == "ui" and "make run" in README)


def test_search_json_prints_one_object_per_query(library, capsys):
    assert main(["search", "组织党员看反腐警示片", "发展新党员", "-k", "2", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["query"] == "组织党员看反腐警示片" and len(first["results"]) == 2
    assert set(first["results"][0]) == {"text", "source", "heading", "kind", "topics", "score"}


def test_a_bad_fact_sheet_is_one_line_naming_the_field(tmp_path, capsys):
    sheet = tmp_path / "facts.yaml"
    sheet.write_text("organization: 某党支部\nperiod: 去年\n", encoding="utf-8")
    assert main(["draft", str(sheet), "-o", str(tmp_path / "out.md")]) == 2
    err = capsys.readouterr().err
    assert "period:" in err and "highlights:" in err and "Traceback" not in err


def test_draft_then_refine_one_section_on_the_command_line(library, scripted, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_PROVIDER", "scripted")
    out, new = tmp_path / "out.md", tmp_path / "new.md"
    assert main(["draft", "examples/qingshan-2024h1.yaml", "-o", str(out)]) == 0
    capsys.readouterr()
    code = main(["refine", str(out), "更精炼一些", "--facts", "examples/qingshan-2024h1.yaml", "--section", "（一）",
                 "-o", str(new)])
    err = capsys.readouterr().err
    assert code == 0 and "理解为：压缩到约" in err
    before, after = out.read_text(encoding="utf-8"), new.read_text(encoding="utf-8")
    work = lambda text: text.split("### （一）")[1].split("###")[0]  # noqa: E731
    assert len(work(after)) < len(work(before)) and "6次" in work(after)
    assert before.split("### （二）")[1] == after.split("### （二）")[1], "the other sections are untouched"
    assert main(["refine", str(out), "更精炼一些", "--facts", "examples/qingshan-2024h1.yaml", "--section", "（九）",
                 "-o", str(new)]) == 2
    assert "找不到小节" in capsys.readouterr().err


def test_refine_writes_nothing_when_figures_are_lost_unless_told(library, scripted, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_PROVIDER", "scripted")
    out, new = tmp_path / "out.md", tmp_path / "new.md"
    assert main(["draft", "examples/qingshan-2024h1.yaml", "-o", str(out)]) == 0
    scripted.default = "一是组织集中学习《中国共产党纪律处分条例》。学习氛围浓厚。二是开展专题研讨，支部书记讲专题党课。研讨深入。"
    refine = ["refine", str(out), "写得更好", "--facts", "examples/qingshan-2024h1.yaml", "--section", "（一）",
              "-o", str(new)]
    capsys.readouterr()
    assert main(refine) == 2 and not new.exists()
    assert "修改稿丢了事实中的数字" in capsys.readouterr().err
    assert main([*refine, "--drop-figures"]) == 1
    assert new.read_text(encoding="utf-8").split("### （一）")[1].split("###")[0].strip().endswith("研讨深入。")
