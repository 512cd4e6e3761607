"""A chat instruction read as an operation on one section: rules over its words, from data/instructions.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from assistant.resources import DATA_DIR
from assistant.text import parse_cn_number

TARGET_RE = re.compile(r"(\d+|[一二三四五六七八九十百千两]+)\s*(?:个)?字")
QUOTED_RE = re.compile(r"[“\"「‘']([^”\"」’']{2,80})[”\"」’']")
ORDINAL_RE = re.compile(r"第\s*(\d+|[一二三四五六七八九十])\s*(?:条|段|个|项)")
NAMES = {
    "add_fact": "加上一条事实", "remove_fact": "删去一条事实", "replace_fact": "替换一条事实",
    "reference": "参考范文改写", "emphasise_figures": "把数据放到每条的开头", "reorder": "调整各条顺序",
    "shorten": "压缩", "expand": "展开写具体", "tone": "调整语气", "length": "调整篇幅", "rewrite": "按要求改写",
}


@dataclass(frozen=True)
class Operation:
    """What the user asked for: a kind, and what it needs (a target length, facts, a tone, an item number)."""

    kind: str  # a key of NAMES
    instruction: str
    target: int | None = None  # characters
    facts: tuple[str, ...] = ()
    tone: str = ""
    index: int | None = None  # 第N条 / 第N条范文, from 1

    def describe(self) -> str:
        """What was understood, for the user: 理解为：压缩到约300字."""
        what = NAMES[self.kind]
        if self.kind in ("shorten", "expand", "length") and self.target:
            what = f"{'压缩' if self.kind == 'shorten' else '写'}到约{self.target}字"
        elif self.facts:
            what += "：" + "；".join(self.facts)
        elif self.tone:
            what = f"语气{self.tone}（{rules()['tones'][self.tone]}）"
        elif self.index:
            what += f"（第{self.index}条）"
        return f"理解为：{what}"


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    with open(DATA_DIR / "instructions.yaml", encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else parse_cn_number(text)


def read_instruction(instruction: str, current_length: int) -> Operation:
    """The operation an instruction asks for; a free rewrite when no rule decides."""
    text = instruction.strip()
    r = rules()
    kind = next((k for k, words in r["operations"].items() if any(w in text for w in words)), None)
    target_match = TARGET_RE.search(text)
    target = _number(target_match.group(1)) if target_match else None
    facts = tuple(m.group(1).strip() for m in QUOTED_RE.finditer(text))
    ordinal = ORDINAL_RE.search(text)
    index = _number(ordinal.group(1)) if ordinal else None
    if kind is None and target:
        kind = "shorten" if target < current_length else "expand"
    if kind == "shorten" and target is None:
        target = round(current_length * r["shorten_keep"])
    if kind == "expand" and target is None:
        target = round(current_length * r["expand_factor"])
    tone = next((t for t in r["tones"] if t in text), "") if kind == "tone" else ""
    return Operation(kind or "rewrite", text, target, facts if kind in ("add_fact", "remove_fact", "replace_fact") else (),
                     tone, index)
