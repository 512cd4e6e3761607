"""What a search query in everyday words asks for: the words it implies, and the chapter kind.

The vocabulary lives in data/query_vocabulary.yaml (synonym groups and chapter-kind cues). The
searcher uses the result softly: near-synonyms as extra lexical terms at a lower weight, the
kind as a small score boost. (Boosting passages tagged with the query's topics from
data/topics.yaml was tried too and lost recall on both labelled sets: passages carry at most
three, coarse topics, so the boost lifted loosely related passages over the right one.)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

import yaml

from assistant.resources import DATA_DIR


@dataclass(frozen=True)
class Vocabulary:
    synonyms: tuple[tuple[str, ...], ...]
    kind_cues: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class QueryIntent:
    """A query's reading: words it implies but does not use, and the chapter kind it names
    (None when it names none, or more than one)."""

    expansions: tuple[str, ...]
    kind: str | None


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    with open(DATA_DIR / "query_vocabulary.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return Vocabulary(
        synonyms=tuple(tuple(str(w) for w in group) for group in data["synonyms"]),
        kind_cues={str(k): tuple(str(w) for w in v) for k, v in data["kind_cues"].items()},
    )


def words(text: str) -> frozenset[str]:
    """jieba's words of the text (precise mode)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return frozenset(jieba.lcut(text))


def mentions(query: str, query_words: frozenset[str], term: str) -> bool:
    """A one-character term must be a whole word of the query; a longer one may occur anywhere."""
    return term in query_words if len(term) == 1 else term in query


def expansions(query: str, query_words: frozenset[str]) -> tuple[str, ...]:
    """The other members of every synonym group the query mentions, minus what it already says."""
    found: list[str] = []
    for group in vocabulary().synonyms:
        if any(mentions(query, query_words, w) for w in group):
            found.extend(w for w in group if w not in query and w not in found)
    return tuple(found)


def query_kind(query: str, query_words: frozenset[str]) -> str | None:
    """The one chapter kind whose cue words the query uses, else None."""
    kinds = [k for k, cues in vocabulary().kind_cues.items() if any(mentions(query, query_words, c) for c in cues)]
    return kinds[0] if len(kinds) == 1 else None


def understand(query: str) -> QueryIntent:
    """Read a query: its near-synonyms and the chapter kind it names."""
    query_words = words(query)
    return QueryIntent(expansions(query, query_words), query_kind(query, query_words))
