"""Per-section retrieval: the example passages a section is shown, and the worked example built from them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.checks import check_formulations, check_names
from assistant.corpus.cleaning import mask_placeholders
from assistant.corpus.passage import Passage
from assistant.corpus.structure import split_items
from assistant.domain.draft import Section, SourceRef
from assistant.domain.facts import FactSheet
from assistant.drafting.context import Searcher
from assistant.text import COUNT_SUFFIX, ITEM_START_RE, SUBSECTION_RE, heading_sentence, sentences

MAX_EXAMPLE_FACTS = 5


@dataclass
class WorkedExample:
    """A sample passage recast as a finished exchange: the points it makes, then the passage itself."""

    heading: str
    facts: list[str]
    text: str


def section_query(section: Section) -> str:
    """What to search for: the topic and the facts in the user's words."""
    return " ".join([section.topic, *section.facts])[:300]


def find_examples(searcher: Searcher, section: Section, k: int = 3) -> list[Passage]:
    """The best passages of the section's kind, less those the user pinned (`section.pinned` adds them)."""
    hits = searcher.search(section_query(section), k=k, kind=section.kind)
    found = [h.passage for h in hits]
    pinned_keys = {(p.source, p.heading) for p in section.pinned}
    return [p for p in found if (p.source, p.heading) not in pinned_keys]


def strip_heading(text: str) -> tuple[str, str]:
    """Split '（一）落实党建责任。一是…' into ('落实党建责任', '一是…')."""
    first_line, _, rest = text.partition("\n")
    m = SUBSECTION_RE.match(first_line)
    if not m:
        return "", text
    sentence = heading_sentence(m.group(2))
    body = m.group(2)[len(sentence):].strip()
    return sentence.rstrip("。；"), "\n".join(x for x in (body, rest) if x).strip()


def example_points(body: str) -> list[str]:
    """The points a passage makes: its 一是/二是 lead sentences, else the first clause of each sentence."""
    found = sentences(body.replace("\n", ""))
    leads = [ITEM_START_RE.sub("", s, count=1).strip("。；！？") for s in found if ITEM_START_RE.match(s)]
    if len(leads) >= 2:
        return leads[:MAX_EXAMPLE_FACTS]
    return [re.split(r"[，：]", s)[0].strip("。；！？") for s in found[:MAX_EXAMPLE_FACTS]]


def worked_example(section: Section, passages: list[Passage], all_passages: list[Passage]) -> WorkedExample | None:
    """Build the worked example for a section from its best passage (a whole chapter for problems/plans)."""
    if section.pinned:
        text = section.pinned[0].text
    elif passages:
        best = passages[0]
        if section.kind in ("problems", "plans"):
            same = sorted((p for p in all_passages if p.source == best.source and p.kind == best.kind),
                          key=lambda p: p.position)
            text = "\n".join(p.text for p in same) or best.text
            text = text[: max(section.budget * 2, 300)]
        else:
            text = best.text
    else:
        return None
    heading, body = strip_heading(mask_placeholders(text))
    return WorkedExample(heading=heading, facts=example_points(body), text=body)


def example_items(section: Section, passages: list[Passage]) -> Iterator[WorkedExample]:
    """Items of the passages (pinned first), each as a worked example: its lead point, then its text."""
    texts = [p.text for p in section.pinned] + [p.text for p in passages]
    for text in texts:
        _, body = strip_heading(mask_placeholders(text))
        for item in _items(body):
            lead = heading_sentence(item).strip("。；！？")
            if len(lead) < len(item) * 0.7:  # a lead point and something that elaborates it
                yield WorkedExample(heading="", facts=[lead], text=item)


def _items(body: str) -> list[str]:
    """The items of a passage body without their 一是 markers; a body without items is one item."""
    found = [ITEM_START_RE.sub("", b.text, count=1) for line in body.split("\n") for b in split_items(line)[1]]
    return found or [body.replace("\n", "")]


def source_refs(section: Section, passages: list[Passage]) -> list[SourceRef]:
    """What the section was shown, for the 'based on' view."""
    return list(section.pinned) + [SourceRef(p.source, p.heading, p.text) for p in passages]


EXAMPLE_NUMBER_RE = re.compile(rf"\d+(?:\.\d+)?(?={COUNT_SUFFIX})")
EXAMPLE_DATE_RE = re.compile(r"(?:19|20)\d{2}年(?:上半年|下半年|全年|度|以来)?[，、]?")


def fit_example(text: str, sheet: FactSheet) -> str:
    """A sample passage made safe to imitate: stale formulations, foreign names, its years and figures removed."""
    kept = []
    for line in text.split("\n"):
        fit = [s for s in sentences(line) if not check_formulations(s, sheet) and not check_names(s, sheet)]
        if fit:
            kept.append("".join(fit))
    return EXAMPLE_NUMBER_RE.sub("若干", EXAMPLE_DATE_RE.sub("", "\n".join(kept))).replace("《》", "")
