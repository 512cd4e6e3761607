"""copied_text: text shared with the sample passages beyond the limits.

A section may share at most MAX_SHARED_RUN characters in one run with any passage, and at most
MAX_SHARED_FRACTION of its characters may lie in runs of SHARED_RUN_N or more. Punctuation and
white space are ignored; stock political phrases, the wording code composes the opening from and
the user's own facts never count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.checks.formulations import latest_congress_line, load_formulations
from assistant.checks.sheet import fact_texts
from assistant.corpus.cleaning import PLACEHOLDER_RE
from assistant.domain.draft import Finding
from assistant.domain.facts import FactSheet
from assistant.resources import PROMPTS_DIR
from assistant.text import BREAK, content_chars, content_index

MAX_SHARED_RUN = 40  # characters shared with one corpus passage
MAX_SHARED_FRACTION = 0.15  # of the text in runs of SHARED_RUN_N characters shared with the corpus
SHARED_RUN_N = 13
OPENING_TEMPLATE = PROMPTS_DIR / "plain_section.j2"  # the code-composed opening (drafting.sections)
MIN_TEMPLATE_PHRASE = 8  # characters of the template's own wording that count as a stock phrase
TEMPLATE_TAG_RE = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
PHRASE_SPLIT_RE = re.compile(r"[，。；：、！？“”（）()\s]+")


@lru_cache(maxsize=1)
def composed_phrases() -> tuple[str, ...]:
    """The fixed wording of the code-composed opening: the template's literal phrases of
    MIN_TEMPLATE_PHRASE characters or more, and every congress line `latest_congress_line` can give."""
    literal = TEMPLATE_TAG_RE.sub("|", OPENING_TEMPLATE.read_text(encoding="utf-8"))
    phrases = [p for part in literal.split("|") for p in PHRASE_SPLIT_RE.split(part) if len(p) >= MIN_TEMPLATE_PHRASE]
    committees = load_formulations().committees
    dates = [c.opened for c in committees] + [p.closed for c in committees for p in c.plenums]
    return tuple(dict.fromkeys([*phrases, *filter(None, map(latest_congress_line, dates))]))


def _break_phrases(norm: str, phrases: Iterable[str]) -> str:
    """Replace every occurrence of each phrase (compared on its content characters) inside `norm` by
    BREAK characters; phrases are found in `norm` as given, so overlapping phrases are all broken."""
    broken = list(norm)
    for phrase in phrases:
        p, _ = content_index(phrase)
        start = norm.find(p) if len(p) >= 2 else -1
        while start != -1:
            broken[start : start + len(p)] = BREAK * len(p)
            start = norm.find(p, start + 1)
    return "".join(broken)


@dataclass(frozen=True)
class SharedRun:
    """Characters [start, end) of the query's content characters found in passage `passage`."""

    start: int
    end: int
    passage: int


class CorpusMatcher:
    """Finds text shared with the sample passages, ignoring whitespace and punctuation.

    Every passage's K-grams at offsets that are multiples of STEP are indexed (by hash); a query
    looks up each of its K-grams and extends every hit both ways against the passage itself.
    Every shared run of at least K + STEP - 1 (= 13) characters contains an indexed K-gram, so
    runs of that length are found exactly. Memory is about one dict entry per STEP corpus
    characters: ~50 passages build in milliseconds, 10,000 passages of 500 characters in a few seconds.
    Stock political phrases (formulations.yaml), the opening's composed wording (`composed_phrases`)
    and the caller's `ignore` phrases (the facts) are never counted as shared.
    """

    K = 8
    STEP = 6
    MAX_OCCURRENCES = 32  # hits kept per K-gram; stock K-grams beyond this are ignored

    def __init__(self, passages: Iterable[str], *, stock: Iterable[str] | None = None) -> None:
        data = load_formulations()
        self.stock = tuple(stock) if stock is not None else data.stock_phrases + data.fixed_phrases + composed_phrases()
        self._texts: list[str] = []
        self._index: dict[int, list[tuple[int, int]]] = {}
        for text in passages:
            norm = content_chars(PLACEHOLDER_RE.sub(BREAK, str(text)))
            if len(norm) >= self.K:
                self._add(norm)

    def _add(self, norm: str) -> None:
        """Index one passage's content characters."""
        p = len(self._texts)
        self._texts.append(norm)
        for o in range(0, len(norm) - self.K + 1, self.STEP):
            gram = norm[o : o + self.K]
            if BREAK in gram:
                continue
            hits = self._index.setdefault(hash(gram), [])
            if len(hits) < self.MAX_OCCURRENCES:
                hits.append((p, o))

    def __len__(self) -> int:
        return len(self._texts)

    def _prepare(self, text: str, ignore: Iterable[str]) -> tuple[str, list[int]]:
        norm, index = content_index(text)
        return _break_phrases(norm, [*self.stock, *ignore]), index

    @staticmethod
    def _extend(norm: str, passage: str, i: int, o: int, k: int) -> tuple[int, int]:
        """Grow the match norm[i:i+k] == passage[o:o+k] both ways; never across a BREAK."""
        a, b = i, i + k
        while a > 0 and a - i + o > 0 and norm[a - 1] == passage[a - i + o - 1] and norm[a - 1] != BREAK:
            a -= 1
        while b < len(norm) and b - i + o < len(passage) and norm[b] == passage[b - i + o] and norm[b] != BREAK:
            b += 1
        return a, b

    def _runs(self, norm: str) -> list[SharedRun]:
        runs: list[SharedRun] = []
        reached: dict[tuple[int, int], int] = {}  # (passage, diagonal) → end of the run found on it
        k = self.K
        for i in range(len(norm) - k + 1):
            gram = norm[i : i + k]
            if BREAK in gram:
                continue
            for p, o in self._index.get(hash(gram), ()):
                passage = self._texts[p]
                if passage[o : o + k] != gram or reached.get((p, o - i), -1) > i:
                    continue
                a, b = self._extend(norm, passage, i, o, k)
                reached[(p, o - i)] = b
                runs.append(SharedRun(a, b, p))
        return runs

    def longest_shared_run(self, text: str, *, ignore: Iterable[str] = ()) -> tuple[int, str]:
        """Length (in non-punctuation characters) and text of the longest run shared with one passage."""
        norm, index = self._prepare(text, ignore)
        runs = self._runs(norm)
        if not runs:
            return 0, ""
        best = max(runs, key=lambda r: r.end - r.start)
        return best.end - best.start, text[index[best.start] : index[best.end - 1] + 1]

    def shared_fraction(self, text: str, n: int = SHARED_RUN_N, *, ignore: Iterable[str] = ()) -> float:
        """Share of the text's characters that lie in runs of at least `n` characters found in the corpus.

        Exact for n >= K + STEP - 1 (13); shorter runs may be missed.
        """
        norm, _ = self._prepare(text, ignore)
        if not norm:
            return 0.0
        covered = [False] * len(norm)
        for run in self._runs(norm):
            if run.end - run.start >= n:
                covered[run.start : run.end] = [True] * (run.end - run.start)
        return sum(covered) / len(norm)


def check_copying(text: str, sheet: FactSheet, corpus: CorpusMatcher) -> list[Finding]:
    """copied_text: a run longer than MAX_SHARED_RUN, or too large a share in runs of SHARED_RUN_N."""
    facts = fact_texts(sheet)
    findings: list[Finding] = []
    length, run = corpus.longest_shared_run(text, ignore=facts)
    if length > MAX_SHARED_RUN:
        findings.append(Finding(
            "copied_text",
            f"有一段{length}个字与范文完全相同（“{run}”），超过{MAX_SHARED_RUN}字上限，请用自己的话重写这一段",
        ))
    fraction = corpus.shared_fraction(text, SHARED_RUN_N, ignore=facts)
    if fraction > MAX_SHARED_FRACTION:
        findings.append(Finding(
            "copied_text",
            f"正文有{fraction:.0%}的文字与范文连续{SHARED_RUN_N}字以上相同，超过{MAX_SHARED_FRACTION:.0%}上限，请改写，少照搬范文句子",
        ))
    return findings
