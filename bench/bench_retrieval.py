"""Retrieval benchmark: quality on the labelled set, ingest throughput, search latency, memory.

Run `python -m bench.bench_retrieval`. Everything happens in a fresh temporary ASSISTANT_HOME:
the samples of corpus/ are chunked (assistant.corpus.chunking.chunk_file), embedded with a cold cache
and upserted into a local chromadb; the labelled queries of retrieval_set.yaml, and the held-out
queries of retrieval_heldout.yaml (never used to tune the search), are scored against
HybridSearcher and, in the same run, against a fixed-window baseline (250-character windows over
the cleaned text, stride 125 so no labelled substring is cut, BM25 on bigrams). "read query" is
the default searcher (near-synonyms and chapter-kind cues of assistant.retrieval.query); "own words only"
is the same searcher with both turned off, as it was before they were added.
Latency is measured on the samples (index-backed searcher, so it includes the index change check)
and on 10,000 synthetic chunks of shuffled sample sentences, whose vectors are precomputed (every
sentence is already in the embedding cache from the ingest), searched by the same HybridSearcher.
Each timed search embeds its query afresh (no query cache).
"""

from __future__ import annotations

import os
import random
import re
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.corpus.chunking import chunk_file
from assistant.corpus.cleaning import clean_text
from assistant.corpus.loading import read_file
from assistant.corpus.passage import Passage
from assistant.resources import CORPUS_DIR
from assistant.retrieval.embeddings import E5Embeddings, split_sentences
from assistant.retrieval.index import ExampleIndex
from assistant.retrieval.search import BM25, HybridSearcher, char_bigrams, jieba_words
from assistant.settings import Settings

SET_PATH = Path(__file__).with_name("retrieval_set.yaml")
HELDOUT_PATH = Path(__file__).with_name("retrieval_heldout.yaml")
WINDOW, STRIDE = 250, 125
SYNTHETIC_CHUNKS = 10_000
KINDS = ["achievements", "problems", "plans"]


def normalise(text: str) -> str:
    """Text without white space, punctuation or placeholder marks, for substring matching."""
    return re.sub(r"[\W_]+", "", text)


@dataclass(frozen=True)
class Target:
    source: str
    text: str

    def found_in(self, text: str, source: str) -> bool:
        return source == self.source and normalise(self.text) in normalise(text)


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    kind: str
    must_find: tuple[Target, ...]

    def recall(self, results: Sequence[tuple[str, str]], k: int) -> float:
        """Entries found among the top k (text, source) results over min(k, entries)."""
        top = results[:k]
        found = sum(any(t.found_in(text, src) for text, src in top) for t in self.must_find)
        return found / min(k, len(self.must_find))


def load_set(path: Path = SET_PATH) -> list[LabelledQuery]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        LabelledQuery(
            q["query"], q.get("kind", ""), tuple(Target(t["source"], t["text"]) for t in q["must_find"])
        )
        for q in data["queries"]
    ]


def check_set(labelled: list[LabelledQuery], passages: list[Passage]) -> None:
    """Every must_find entry must occur in exactly one chunk of its file, or the set is wrong."""
    problems = []
    for q in labelled:
        for t in q.must_find:
            n = sum(t.found_in(p.text, p.source) for p in passages)
            if n != 1:
                problems.append(f"{q.query!r}: {t.source} / {t.text!r} matches {n} chunks")
    if problems:
        raise ValueError("the labelled retrieval sets need fixing:\n" + "\n".join(problems))


def score(labelled: list[LabelledQuery], retrieve: Callable[[str], list[tuple[str, str]]]) -> dict[str, float]:
    r1, r3 = [], []
    for q in labelled:
        results = retrieve(q.query)
        r1.append(q.recall(results, 1))
        r3.append(q.recall(results, 3))
    return {"recall@1": statistics.mean(r1), "recall@3": statistics.mean(r3)}


def windows(files: list[Path]) -> list[tuple[str, str]]:
    """(text, source) windows of WINDOW characters every STRIDE characters of the cleaned text."""
    out = []
    for path in files:
        text = clean_text(read_file(path))
        for start in range(0, max(1, len(text) - WINDOW + STRIDE), STRIDE):
            out.append((text[start : start + WINDOW], path.name))
    return out


def bm25_retriever(docs: list[tuple[str, str]], tokenizer: Callable[[str], list[str]]) -> Callable[[str], list]:
    bm25 = BM25([tokenizer(text) for text, _ in docs])

    def retrieve(query: str) -> list[tuple[str, str]]:
        scores = bm25.scores(tokenizer(query))
        return [docs[i] for i in np.argsort(-scores, kind="stable")[:3]]

    return retrieve


def dense_retriever(passages: list[Passage], vectors: np.ndarray, emb: E5Embeddings) -> Callable[[str], list]:
    def retrieve(query: str) -> list[tuple[str, str]]:
        order = np.argsort(-(vectors @ emb.query_vector(query)), kind="stable")[:3]
        return [(passages[i].text, passages[i].source) for i in order]

    return retrieve


def hybrid_retriever(searcher: HybridSearcher) -> Callable[[str], list]:
    return lambda query: [(h.passage.text, h.passage.source) for h in searcher.search(query, k=3)]


def timed_searches(searcher: HybridSearcher, queries: list[str], topics: list[str]) -> list[float]:
    """Milliseconds per search: each query plain and with a kind and a topic filter, each search
    embedding its query afresh (the query cache is emptied before every search)."""
    model = searcher.embeddings.model
    searcher.search("热身", k=5)
    times = []
    for i, q in enumerate(queries):
        for filters in ({}, {"kind": KINDS[i % 3]}, {"topic": topics[i % len(topics)]}):
            searcher.embeddings = E5Embeddings(None, model=model)
            start = time.perf_counter()
            searcher.search(q, k=5, **filters)
            times.append((time.perf_counter() - start) * 1000)
    return times


def percentiles(ms: list[float]) -> dict[str, float]:
    return {"p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95))}


def synthetic_passages(passages: list[Passage], n: int, seed: int = 7) -> list[Passage]:
    """n chunks of 3–8 sample sentences in random order, spread over 200 made-up documents."""
    rng = random.Random(seed)
    sentences = sorted({s for p in passages for s in split_sentences(p.text) if len(s) > 8 and s[-1] in "。；！？"})
    topics = sorted({t for p in passages for t in p.topics})
    out = []
    for i in range(n):
        text = "".join(rng.sample(sentences, rng.randint(3, 8)))
        out.append(
            Passage(
                text=text,
                source=f"合成样本{i % 200:03d}.txt",
                heading=f"合成章节{i % 7}",
                kind=KINDS[i % 3],
                position=i // 200,
                topics=rng.sample(topics, 2),
            )
        )
    return out


def run(corpus_dir: Path = CORPUS_DIR, synthetic_chunks: int = SYNTHETIC_CHUNKS) -> dict[str, Any]:
    """Measure everything in a fresh temporary home; returns the figures as a dict."""
    labelled, heldout = load_set(), load_set(HELDOUT_PATH)
    files = sorted(p for p in corpus_dir.iterdir() if p.suffix in {".txt", ".md", ".docx"})
    results: dict[str, Any] = {"queries": len(labelled), "heldout_queries": len(heldout), "files": len(files)}
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        settings = Settings(home=Path(tmp))
        emb = E5Embeddings(settings.embedding_cache)
        emb.query_vector("热身")  # load the model outside the timings

        # Ingest with a cold embedding cache.
        index = ExampleIndex.open(settings, emb)
        start = time.perf_counter()
        chunks = 0
        for path in files:
            passages = chunk_file(path)
            index.upsert_document(path.name, passages)
            chunks += len(passages)
        seconds = time.perf_counter() - start
        results["ingest"] = {"chunks": chunks, "seconds": seconds, "chunks_per_s": chunks / seconds}

        snap = index.snapshot()
        check_set(labelled, snap.passages)
        check_set(heldout, snap.passages)
        searcher = HybridSearcher(index)
        plain = {"expansion_weight": 0.0, "kind_boost": 0.0}  # the query's own words only
        retrievers = {
            "hybrid (dense + BM25 bigrams), read query": hybrid_retriever(searcher),
            "hybrid, query's own words only": hybrid_retriever(HybridSearcher.from_passages(snap.passages, emb, **plain)),
            "hybrid, BM25 jieba words, read query": hybrid_retriever(
                HybridSearcher.from_passages(snap.passages, emb, tokenizer=jieba_words)
            ),
            "dense only, best sentence": hybrid_retriever(
                HybridSearcher.from_passages(snap.passages, emb, weights=(1.0, 0.0), **plain)
            ),
            "dense, one vector per passage": dense_retriever(snap.passages, snap.vectors, emb),
            "BM25 bigrams only": bm25_retriever([(p.text, p.source) for p in snap.passages], char_bigrams),
            "baseline: 250-char windows, BM25": bm25_retriever(windows(files), char_bigrams),
        }
        results["quality"] = {name: score(labelled, r) for name, r in retrievers.items()}
        results["quality_heldout"] = {name: score(heldout, r) for name, r in retrievers.items()}

        queries = [q.query for q in labelled]
        topics = sorted({t for p in snap.passages for t in p.topics})
        embed_ms = []
        for q in queries:  # the part of a search no index size changes
            start = time.perf_counter()
            emb.model.query(q)
            embed_ms.append((time.perf_counter() - start) * 1000)
        results["query_embedding"] = percentiles(embed_ms)
        results["latency_samples"] = percentiles(timed_searches(searcher, queries, topics))

        # Re-ingest into a second index with the warm cache: the cost of chunking and Chroma alone.
        warm = ExampleIndex.open(Settings(home=Path(tmp) / "warm"), emb)
        start = time.perf_counter()
        for path in files:
            warm.upsert_document(path.name, chunk_file(path))
        results["ingest"]["warm_chunks_per_s"] = chunks / (time.perf_counter() - start)

        # 10,000 synthetic chunks made of sample sentences, whose vectors are already cached.
        synth = synthetic_passages(snap.passages, synthetic_chunks)
        calls = emb.model_calls
        start = time.perf_counter()
        big = HybridSearcher.from_passages(synth, emb)
        build = time.perf_counter() - start
        assert emb.model_calls == calls, "synthetic sentences should all come from the cache"
        results["synthetic"] = {
            "chunks": len(synth),
            "sentences": sum(len(split_sentences(p.text)) for p in synth),
            "build_s": build,
            **percentiles(timed_searches(big, queries, topics)),
        }
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["cpus"] = os.cpu_count()
    results["load_average_1min"] = os.getloadavg()[0]  # other work on the machine skews the timings
    return results


def report(results: dict[str, Any]) -> str:
    lines = [
        f"Labelled queries: {results['queries']}, held-out queries: {results['heldout_queries']},"
        f" over {results['files']} sample files",
        "",
        f"{'':<44} {'labelled':>19} {'held-out':>19}",
        f"{'method':<44} {'recall@1':>9} {'recall@3':>9} {'recall@1':>9} {'recall@3':>9}",
    ]
    for name, q in results["quality"].items():
        h = results["quality_heldout"][name]
        lines.append(
            f"{name:<44} {q['recall@1']:>9.1%} {q['recall@3']:>9.1%} {h['recall@1']:>9.1%} {h['recall@3']:>9.1%}"
        )
    ing, lat, syn = results["ingest"], results["latency_samples"], results["synthetic"]
    lines += [
        "",
        f"ingest: {ing['chunks']} chunks in {ing['seconds']:.1f} s = {ing['chunks_per_s']:.2f} chunks/s with a cold"
        f" embedding cache, {ing['warm_chunks_per_s']:.0f} chunks/s warm",
        f"search latency, samples ({ing['chunks']} chunks): p50 {lat['p50_ms']:.1f} ms, p95 {lat['p95_ms']:.1f} ms",
        f"search latency, synthetic ({syn['chunks']} chunks, {syn['sentences']} sentences): p50 {syn['p50_ms']:.1f} ms,"
        f" p95 {syn['p95_ms']:.1f} ms (searcher built in {syn['build_s']:.1f} s)",
        f"  of which embedding the query: p50 {results['query_embedding']['p50_ms']:.1f} ms,"
        f" p95 {results['query_embedding']['p95_ms']:.1f} ms",
        f"peak memory (max RSS): {results['peak_rss_mb']:.0f} MB",
        f"machine: {results['cpus']} CPUs, 1-minute load average {results['load_average_1min']:.1f} at the end",
    ]
    return "\n".join(lines)


def main() -> None:
    print(report(run()))


if __name__ == "__main__":
    main()
