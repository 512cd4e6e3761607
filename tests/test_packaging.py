"""`pip install .` (not editable) ships the prompts, data files and samples: search and draft work from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EMBEDDINGS_CACHE, REPO, copy_sqlite

EXAMPLE = REPO / "examples" / "qingshan-2024h1.yaml"
DRAFT_WITH_SCRIPTED_MODEL = (
    "import sys; from tests import fake_model; fake_model.install(); "
    "from assistant.cli import main; sys.exit(main(sys.argv[1:]))"
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip` builds from the checkout, unpacked as site-packages would hold it."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    site = out / "site"
    with zipfile.ZipFile(next(out.glob("*.whl"))) as wheel:
        wheel.extractall(site)
    return site


def run(site: Path, home: Path, *args: str, provider: str = "local") -> subprocess.CompletedProcess[str]:
    """`assistant ARGS` from the unpacked wheel, outside the checkout (tests/ only for the scripted model)."""
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{REPO}", "ASSISTANT_HOME": str(home),
           "ASSISTANT_PROVIDER": provider}
    code = DRAFT_WITH_SCRIPTED_MODEL if provider == "scripted" else "import sys; from assistant.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=home, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.slow
def test_the_wheel_carries_prompts_data_and_samples(installed: Path) -> None:
    package = installed / "assistant"
    assert sorted(p.name for p in (package / "_prompts").glob("*.j2")) == sorted(p.name for p in (REPO / "prompts").glob("*.j2"))
    assert sorted(p.name for p in (package / "_corpus").iterdir()) == sorted(p.name for p in (REPO / "corpus").iterdir())
    assert {p.name for p in (package / "data").glob("*.yaml")} == {p.name for p in (REPO / "assistant" / "data").glob("*.yaml")}


@pytest.mark.slow
def test_search_and_draft_run_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    if EMBEDDINGS_CACHE.exists():
        copy_sqlite(EMBEDDINGS_CACHE, home / "embedding-cache.sqlite")
    where = subprocess.run([sys.executable, "-c", "import assistant; print(assistant.__file__)"], cwd=home,
                           env={**os.environ, "PYTHONPATH": str(installed)}, capture_output=True, text=True)
    assert where.stdout.startswith(str(installed)), "the test must run the unpacked wheel, not the checkout"
    searched = run(installed, home, "search", "发展党员", "-k", "1", "--json")
    assert searched.returncode == 0, searched.stderr
    hit = json.loads(searched.stdout)["results"][0]
    assert hit["source"].endswith(".txt") and hit["text"]
    drafted = run(installed, home, "draft", str(EXAMPLE), "-o", str(tmp_path / "out.md"), provider="scripted")
    assert drafted.returncode in (0, 1), drafted.stderr
    assert "组织集中学习《中国共产党纪律处分条例》6次" in (tmp_path / "out.md").read_text(encoding="utf-8")
