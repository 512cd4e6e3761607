"""A section as its 一是/二是 items, and the operations code does itself: shorten, reorder, remove,
figures first. The model is asked only for prose (assistant/drafting/refine.py)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from assistant.corpus.structure import split_items
from assistant.text import ITEM_START_RE, content_chars, item_marker, length, sentences

DIGIT_RE = re.compile(r"\d")
SAME_FACT = 0.7  # share of a fact's characters an item's lead must contain to be that fact's item


@dataclass
class Item:
    """One 一是 item: its lead sentence (the fact) and the sentences that elaborate it."""

    lead: str
    rest: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.lead + "".join(self.rest)


@dataclass
class Items:
    """A section's text as items; a text without 一是 markers is one item and keeps no markers."""

    intro: str
    items: list[Item]
    numbered: bool = True

    @classmethod
    def of(cls, text: str) -> Items:
        flat = text.replace("\n", "")
        intro, blocks = split_items(flat)
        if not blocks:
            found = sentences(flat)
            return cls("", [Item(found[0], found[1:])] if found else [], numbered=False)
        items = []
        for block in blocks:
            found = sentences(ITEM_START_RE.sub("", block.text, count=1)) or [""]
            items.append(Item(found[0], found[1:]))
        return cls(intro, items)

    @property
    def text(self) -> str:
        if not self.numbered and len(self.items) <= 1:  # one item keeps no marker; a second numbers them both
            return "".join(i.text for i in self.items)
        return self.intro + "".join(item_marker(n) + i.text for n, i in enumerate(self.items, 1))

    def find(self, fact: str) -> int | None:
        """The index of the item whose lead states `fact`."""
        want = content_chars(fact)
        for n, item in enumerate(self.items):
            lead = content_chars(item.lead)
            if want and sum(ch in lead for ch in want) >= SAME_FACT * len(want):
                return n
        return None


def shorten(items: Items, target: int, faulty: Collection[str] = ()) -> Items:
    """Drop elaborating sentences until the text is about `target` long: first those holding a `faulty`
    phrase (words a check found at fault), then the longest item's last one, while that lands nearer.

    Every lead stays, and every item keeps at least one sentence of its elaboration: never bare facts.
    """
    original = length(items.text)
    while length(items.text) > target:
        candidates = [i for i in items.items if len(i.rest) > 1]
        if not candidates:
            break
        flawed = [(i, s) for i in candidates for s in i.rest if any(phrase in s for phrase in faulty)]
        if flawed:
            item, sentence = flawed[0]
            item.rest.remove(sentence)
            continue
        longest = max(candidates, key=lambda i: length(i.text))
        now = length(items.text)
        if now < original and target - (now - length(longest.rest[-1])) > now - target:
            break  # shorter already, and dropping one more lands further off than keeping it
        longest.rest.pop()
    return items


def figures_first(items: Items) -> Items:
    """In each item, a sentence with figures goes first when the lead has none."""
    for item in items.items:
        if DIGIT_RE.search(item.lead):
            continue
        with_figures = next((s for s in item.rest if DIGIT_RE.search(s)), None)
        if with_figures:
            item.rest.remove(with_figures)
            item.rest.insert(0, item.lead)
            item.lead = with_figures
    return items


def reorder(items: Items, instruction: str, index: int | None) -> Items:
    """放到前面 / 放到最后 for item `index` (from 1); 调换顺序 / 顺序颠倒 reverses them."""
    if index and 1 <= index <= len(items.items):
        moved = items.items.pop(index - 1)
        items.items.insert(len(items.items) if ("最后" in instruction or "后面" in instruction) else 0, moved)
    else:
        items.items.reverse()
    return items


def remove(items: Items, fact: str) -> bool:
    """Drop the item of `fact`; False when no item states it."""
    n = items.find(fact)
    if n is None:
        return False
    del items.items[n]
    return True
