"""Word segmentation (jieba, loaded on first use) and 《titles》, shared by the name and coverage checks."""

from __future__ import annotations

import re
from functools import lru_cache

TITLE_RE = re.compile(r"《[^》]{2,40}》")


@lru_cache(maxsize=1)
def jieba_tags() -> tuple[dict[str, str], dict[str, int]]:
    """jieba's part-of-speech tag of each dictionary word and its frequency (loads the dictionary)."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    pseg.lcut("初始化")
    return pseg.dt.word_tag_tab, jieba.dt.FREQ


def tokens(text: str) -> list[tuple[str, int]]:
    """jieba words of `text` with their start offsets."""
    jieba_tags()
    import jieba

    return [(word, start) for word, start, _ in jieba.tokenize(text)]


def tagged_words(text: str) -> list[tuple[str, str]]:
    """jieba words of `text` with their part-of-speech flags."""
    jieba_tags()
    import jieba.posseg as pseg

    return [(w.word, w.flag) for w in pseg.cut(text)]
