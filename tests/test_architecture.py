"""The package layout: imports flow one way through the pipeline, modules stay small, everything ships."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "assistant"
# Lowest first. A module may import its own package and anything in a lower layer, never a higher one.
LAYERS: list[tuple[str, ...]] = [
    ("errors", "resources"),
    ("settings", "text"),
    ("models", "domain"),
    ("corpus",),
    ("retrieval",),
    ("checks",),
    ("records",),
    ("drafting",),
    ("export",),
    ("app",),
    ("cli",),
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}
MAX_LINES = 300


def part_of(module: str) -> str:
    """assistant.checks.numbers → checks; assistant.cli → cli."""
    return module.split(".")[1]


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imported(path: Path) -> set[str]:
    """Every assistant module `path` imports, at the top, inside functions or under TYPE_CHECKING."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: use absolute imports"
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.startswith("assistant.")}


def test_every_module_belongs_to_a_layer() -> None:
    parts = {part_of(m) for m in modules() if m != "assistant"}
    assert parts <= set(RANK), f"add {sorted(parts - set(RANK))} to LAYERS"


def test_no_module_imports_a_higher_stage() -> None:
    wrong = []
    for name, path in modules().items():
        if name == "assistant":
            continue
        here = part_of(name)
        for target in imported(path):
            there = part_of(target)
            if there != here and RANK[there] >= RANK[here]:
                wrong.append(f"{name} imports {target}")
    assert not wrong, wrong


def test_the_layer_check_would_catch_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from assistant.drafting.sections import draft_all\n", encoding="utf-8")
    assert imported(module) == {"assistant.drafting.sections"}
    assert RANK[part_of("assistant.drafting.sections")] > RANK["checks"]


def test_modules_are_small() -> None:
    long = {name: n for name, path in modules().items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long, long


def test_only_settings_reads_the_environment() -> None:
    readers = [name for name, path in modules().items() if re.search(r"os\.environ|os\.getenv|putenv", path.read_text())]
    assert readers == ["assistant.settings"], readers


def test_every_package_ships() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = {name for name, path in modules().items() if path.name == "__init__.py"}
    assert packages <= set(config["packages"]), sorted(packages - set(config["packages"]))
    assert config["package-dir"] == {"assistant._prompts": "prompts", "assistant._corpus": "corpus"}
