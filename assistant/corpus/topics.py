"""The controlled topic vocabulary and tagging of text with it."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import yaml

from assistant.resources import DATA_DIR

MAX_TOPICS_PER_PASSAGE = 3


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, list[str]]:
    """Topic name → keywords, in the data file's order."""
    with open(DATA_DIR / "topics.yaml", encoding="utf-8") as f:
        return {str(k): [str(w) for w in v] for k, v in yaml.safe_load(f).items()}


def tag_topics(text: str, heading: str = "") -> list[str]:
    """The topics a passage is about: keyword hits, heading hits counting triple; at most three."""
    scores: Counter[str] = Counter()
    for topic, words in vocabulary().items():
        score = sum(text.count(w) for w in words) + 3 * sum(heading.count(w) for w in words)
        if topic in heading or topic in text:
            score += 3
        if score:
            scores[topic] = score
    return [t for t, _ in scores.most_common(MAX_TOPICS_PER_PASSAGE)]


def topic_counts(topic_lists: list[list[str]]) -> list[tuple[str, int]]:
    """Every vocabulary topic with how many passages carry it, in vocabulary order."""
    counts = Counter(t for topics in topic_lists for t in topics)
    return [(t, counts.get(t, 0)) for t in vocabulary()]
