"""Reading a query in everyday words: near-synonyms from the vocabulary, and the chapter kind it names."""

from __future__ import annotations

from assistant.retrieval.query import understand, vocabulary


def test_everyday_words_imply_the_official_ones() -> None:
    intent = understand("党员多，集中过组织生活难")
    assert {"党的活动", "集体", "不易"} <= set(intent.expansions)
    assert "组织生活" not in intent.expansions  # the query says it already
    assert "发展党员" in understand("发展新党员").expansions


def test_kind_cues() -> None:
    assert understand("支部委员业务忙，抓党建精力不够").kind == "problems"
    assert understand("下一步怎么抓党建品牌").kind == "plans"
    assert understand("党费收缴").kind is None
    assert understand("下半年解决党员作用发挥不够的问题").kind is None  # both kinds: no lean


def test_one_character_words_match_whole_words_only() -> None:
    assert understand("集中过组织生活难").kind == "problems"
    assert understand("走访慰问困难党员").kind is None  # 难 inside 困难
    assert understand("帮企业解决复工难题").kind is None
    assert "不易" not in understand("走访慰问困难党员").expansions


def test_vocabulary_is_a_real_vocabulary() -> None:
    groups = vocabulary().synonyms
    assert len(groups) >= 40
    assert all(len(g) >= 2 and len(set(g)) == len(g) for g in groups)
    assert set(vocabulary().kind_cues) == {"problems", "plans"}
