"""A GBNF grammar for text that holds none of a list of words, for llama.cpp's constrained sampling.

A logit bias bans tokens, not words: 一致认可 is 一致 + 认可, no token begins with it, and a bias on
either half would ban it everywhere. The grammar is the words' automaton (Aho–Corasick): a state is
the longest start of a word that the text ends with; a character that would complete a word has no
transition, any other leads on. Every state may end the text.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

ROOT = 0


@dataclass
class _Node:
    children: dict[str, int] = field(default_factory=dict)
    fail: int = ROOT
    bad: bool = False  # the text ending here holds a word


class WordAutomaton:
    """Which state a text is in after each character, and which characters would complete a word."""

    def __init__(self, words: Iterable[str]) -> None:
        self.nodes = [_Node()]
        for word in dict.fromkeys(w for w in words if w):
            self._add(word)
        self._link()
        self.alphabet = sorted({c for n in self.nodes for c in n.children})

    def _add(self, word: str) -> None:
        node = ROOT
        for char in word:
            if char not in self.nodes[node].children:
                self.nodes.append(_Node())
                self.nodes[node].children[char] = len(self.nodes) - 1
            node = self.nodes[node].children[char]
        self.nodes[node].bad = True

    def _link(self) -> None:
        queue = deque(self.nodes[ROOT].children.values())
        while queue:
            node = queue.popleft()
            for char, child in self.nodes[node].children.items():
                self.nodes[child].fail = self.step(self.nodes[node].fail, char) if node != ROOT else ROOT
                self.nodes[child].bad |= self.nodes[self.nodes[child].fail].bad
                queue.append(child)

    def step(self, node: int, char: str) -> int:
        """The state after `char` in state `node`."""
        while node != ROOT and char not in self.nodes[node].children:
            node = self.nodes[node].fail
        return self.nodes[node].children.get(char, ROOT)

    def state_after(self, text: str) -> int:
        """The state at the end of `text`; where `text` itself holds a word, the longest start of a
        word that it ends with and that holds none."""
        node = ROOT
        for char in text:
            node = self.step(node, char)
            while self.nodes[node].bad:
                node = self.nodes[node].fail
        return node

    def holds_word(self, text: str) -> bool:
        node = ROOT
        for char in text:
            node = self.step(node, char)
            if self.nodes[node].bad:
                return True
        return False


def _char(c: str) -> str:
    """A character as GBNF writes it inside a literal or a class: CJK as itself, the rest escaped."""
    return c if "\u4e00" <= c <= "\u9fff" else f"\\u{ord(c):04X}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08X}"


def avoiding(words: tuple[str, ...], after: str = "") -> str:
    """A grammar for any text after `after` that holds none of `words` (a word begun in `after` too)."""
    automaton, states = _states(words)
    return f"root ::= s{automaton.state_after(after)}\n{states}"


@lru_cache(maxsize=64)
def _states(words: tuple[str, ...]) -> tuple[WordAutomaton, str]:
    """The automaton of `words` and one GBNF rule per state that holds no word."""
    automaton = WordAutomaton(words)
    rules = []
    for n, node in enumerate(automaton.nodes):
        if node.bad:
            continue
        leads, excluded = [], ""
        for char in automaton.alphabet:
            target = automaton.step(n, char)
            if automaton.nodes[target].bad or target != ROOT:
                excluded += _char(char)
            if not automaton.nodes[target].bad and target != ROOT:
                leads.append(f'"{_char(char)}" s{target}')
        rules.append(f"s{n} ::= ([^{excluded}] s{ROOT}{''.join(' | ' + lead for lead in leads)})?")
    return automaton, "\n".join(rules) + "\n"
