"""The files that ship with the package: prompt templates, data files and the bundled samples.

In a source checkout they are the repository's `prompts/`, `corpus/` and `assistant/data/`
folders; an installed wheel carries the first two inside the package as `_prompts/` and
`_corpus/` (pyproject.toml maps the folders to those names).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(installed: str, checkout: str) -> Path:
    """The folder inside an installed package, else the checkout's top-level folder."""
    inside = PACKAGE_DIR / installed
    return inside if inside.is_dir() else PACKAGE_DIR.parent / checkout


PROMPTS_DIR = _shipped("_prompts", "prompts")
CORPUS_DIR = _shipped("_corpus", "corpus")
DATA_DIR = PACKAGE_DIR / "data"
