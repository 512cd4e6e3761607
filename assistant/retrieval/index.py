"""The example index: sample passages and their vectors in chromadb, through langchain-chroma.

A local `PersistentClient` under `Settings.index_dir`, or a Chroma server (`HttpClient`) when
`CHROMA_HOST`/`CHROMA_PORT` are set. Vectors always come from our own embeddings, never from
chromadb's default embedding function (it downloads a model and fails offline).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma

from assistant.corpus.passage import Passage
from assistant.errors import IndexError_
from assistant.retrieval.embeddings import DIM, E5Embeddings
from assistant.settings import Settings

COLLECTION = "dangjian-examples"
_PAGE = 2000


@dataclass(frozen=True)
class Snapshot:
    """Every passage of the index with its vector (rows of `vectors` follow `passages`)."""

    passages: list[Passage]
    vectors: np.ndarray  # (n, 384) float32, L2-normalised
    stamp: tuple[int, str]


class ExampleIndex:
    """Sample passages by document, upserted by stable id."""

    def __init__(self, client: chromadb.ClientAPI, embeddings: E5Embeddings, where: str) -> None:
        self.embeddings = embeddings
        self.where = where
        with self._reachable():
            self.store = Chroma(
                collection_name=COLLECTION,
                embedding_function=embeddings,
                client=client,
                collection_configuration={"hnsw": {"space": "cosine"}},
            )
            self._collection = client.get_collection(COLLECTION, embedding_function=None)
        self._client = client

    @classmethod
    def open(cls, settings: Settings, embeddings: E5Embeddings | None = None) -> ExampleIndex:
        """Open (creating if needed) the index the settings point at."""
        embeddings = embeddings or E5Embeddings(settings.embedding_cache)
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.chroma_host:
            where = f"Chroma 服务 {settings.chroma_host}:{settings.chroma_port}"
            try:
                client = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
                )
            except Exception as exc:  # chromadb raises a bare ValueError when the server is down
                raise IndexError_(
                    f"连不上 {where}（{exc}）。请先启动服务（chroma run --host {settings.chroma_host} "
                    f"--port {settings.chroma_port}），或取消 CHROMA_HOST 改用本地索引。"
                ) from exc
            return cls(client, embeddings, where)
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
        return cls(client, embeddings, f"本地索引 {settings.index_dir}")

    @contextmanager
    def _reachable(self) -> Iterator[None]:
        """Turn transport failures into an error that names the server."""
        try:
            yield
        except IndexError_:
            raise
        except Exception as exc:
            name = type(exc).__name__
            if "Connect" in name or "Timeout" in name or "Could not connect" in str(exc):
                raise IndexError_(
                    f"连不上 {getattr(self, 'where', 'Chroma')}（{exc}）。请确认服务已启动，"
                    "或取消 CHROMA_HOST 改用本地索引。"
                ) from exc
            raise

    def upsert_document(self, source: str, passages: list[Passage]) -> None:
        """Make `source`'s chunks exactly `passages`: upsert the new ones first, then drop the stale."""
        strays = sorted({p.source for p in passages} - {source})
        if strays:
            raise IndexError_(f"{source}: 段落来源不一致（{', '.join(strays)}）；请按文件分别入库。")
        unique = list({p.id: p for p in passages}.values())
        with self._reachable():
            old = self._metadata_of(source)
            changed = [p for p in unique if old.get(p.id) != p.metadata()]
            limit = self._client.get_max_batch_size()
            for start in range(0, len(changed), limit):
                batch = changed[start : start + limit]
                self.embeddings.sentence_vectors([p.text for p in batch])  # cached now for searchers
                self.store.add_texts(
                    [p.text for p in batch], metadatas=[p.metadata() for p in batch], ids=[p.id for p in batch]
                )
            stale = sorted(set(old) - {p.id for p in unique})
            if stale:
                self._collection.delete(ids=stale)
            if changed or stale:
                self._touch()

    def remove_document(self, source: str) -> int:
        """Delete every chunk of `source`; returns how many went."""
        with self._reachable():
            ids = list(self._metadata_of(source))
            if ids:
                self._collection.delete(ids=ids)
                self._touch()
        return len(ids)

    def documents(self) -> dict[str, int]:
        """Source file name → number of chunks."""
        counts: Counter[str] = Counter()
        for meta in self._all(include=["metadatas"])["metadatas"]:
            counts[str(meta.get("source", ""))] += 1
        return dict(sorted(counts.items()))

    def passages(self) -> list[Passage]:
        """All passages, ordered by source then position."""
        got = self._all(include=["documents", "metadatas"])
        found = [Passage.from_metadata(text, meta) for text, meta in zip(got["documents"], got["metadatas"])]
        return sorted(found, key=lambda p: (p.source, p.position))

    def count(self) -> int:
        with self._reachable():
            return int(self._collection.count())

    def stamp(self) -> tuple[int, str]:
        """A cheap fingerprint that changes whenever the index does: (count, revision)."""
        with self._reachable():
            meta = self._client.get_collection(COLLECTION, embedding_function=None).metadata or {}
            return int(self._collection.count()), str(meta.get("revision", ""))

    def snapshot(self) -> Snapshot:
        """All passages with their stored vectors, for in-memory search."""
        stamp = self.stamp()
        got = self._all(include=["documents", "metadatas", "embeddings"])
        rows = [
            (Passage.from_metadata(text, meta), vec)
            for text, meta, vec in zip(got["documents"], got["metadatas"], got["embeddings"])
        ]
        rows.sort(key=lambda r: (r[0].source, r[0].position))
        vectors = (
            np.asarray([v for _, v in rows], dtype=np.float32).reshape(len(rows), DIM)
            if rows
            else np.zeros((0, DIM), dtype=np.float32)
        )
        return Snapshot([p for p, _ in rows], vectors, stamp)

    def _metadata_of(self, source: str) -> dict[str, dict]:
        got = self._collection.get(where={"source": source}, include=["metadatas"])
        return {i: dict(m or {}) for i, m in zip(got["ids"], got["metadatas"] or [])}

    def _all(self, include: list[str]) -> dict[str, list]:
        out: dict[str, list] = {key: [] for key in ["ids", *include]}
        offset = 0
        with self._reachable():
            while True:
                page = self._collection.get(limit=_PAGE, offset=offset, include=include)  # type: ignore[arg-type]
                for key in out:
                    values: Any = page.get(key)
                    out[key].extend(list(values) if values is not None else [])
                if len(page["ids"]) < _PAGE:
                    return out
                offset += _PAGE

    def _touch(self) -> None:
        """Record a new revision so searchers know to reload."""
        self._collection.modify(metadata={"revision": uuid.uuid4().hex})
