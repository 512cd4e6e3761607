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
