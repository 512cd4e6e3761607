"""The grammar that keeps banned words out of a local model's text, read back as llama.cpp would walk it."""

from __future__ import annotations

import random
import re

import pytest

from assistant.models.grammar import avoiding

RULE_RE = re.compile(r"^(\w+) ::= (.*)$")
WORDS = ("一致认可", "高度评价", "认可度", "取得的成效", "我县", "政府和社会")


def accepts(grammar: str, text: str) -> bool:
    """Walk `text` through a grammar of the form `avoiding` writes: one state per rule, each a choice of
    a character class or a literal character, each followed by the next state."""
    rules = {m.group(1): m.group(2) for line in grammar.splitlines() if (m := RULE_RE.match(line))}
    state = rules["root"].strip()
    for char in text:
        body = rules[state]
        for option in body.strip("()?").split(" | "):
            match, target = option.rsplit(" ", 1)
            if match.startswith("[^"):
                hit = char not in _decoded(match[2:-1])
            else:
                hit = char == _decoded(match.strip('"'))
            if hit:
                state = target
                break
        else:
            return False
    return True


def _decoded(text: str) -> str:
    return re.sub(r"\\u([0-9A-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


@pytest.mark.parametrize(("text", "held"), [
    ("这项工作得到了一致认可。", True),
    ("这项工作取得了一致认识，认真落实。", False),
    ("高度认可度", True),  # a word inside another's start
    ("取得的成就和成效", False),
    ("我县", True),
    ("政府和社区", False),
    ("", False),
])
def test_the_grammar_takes_a_text_exactly_when_it_holds_no_word(text: str, held: bool) -> None:
    assert accepts(avoiding(WORDS), text) is not held


def test_random_texts_agree_with_a_plain_search() -> None:
    chars = "".join(sorted(set("".join(WORDS)))) + "的。，\n"
    rng = random.Random(7)
    grammar = avoiding(WORDS)
    for _ in range(3000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 12)))
        assert accepts(grammar, text) is not any(w in text for w in WORDS), text


def test_a_word_begun_in_the_prefill_is_kept_out_too() -> None:
    grammar = avoiding(WORDS, after="党员群众一致认")
    assert not accepts(grammar, "可。") and accepts(grammar, "真学习。")
    # a word the prefill holds is not the answer's, but a word it begins still is: 一致认可 + 度 = 认可度
    assert accepts(avoiding(WORDS, after="一致认可"), "高") and not accepts(avoiding(WORDS, after="一致认可"), "度")


def test_characters_outside_chinese_are_escaped() -> None:
    grammar = avoiding(("：", "\n", '"'))
    assert accepts(grammar, "目标明确。") and not accepts(grammar, "目标：") and not accepts(grammar, "甲\n乙")
    assert '"\n' not in grammar and "\\u000A" in grammar
