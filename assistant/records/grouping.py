"""A proposal: counted facts grouped under topics of the vocabulary, and the user's edits to it.

Each count goes under its kind's topic (records.yaml), else the topic `tag_topics` gives its
rows, else (given embeddings) the topic nearest in meaning (`nearest`), else the default topic;
counts of one topic make one fact line. Moving a fact, renaming a topic and filling in a
plan are pure functions: each returns a new `Proposal` and leaves the old one as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from assistant.corpus.topics import tag_topics, vocabulary
from assistant.records.counting import Count, LeftOut, fact_line
from assistant.records.nearest import nearest_topic
from assistant.records.reading import SourceRow
from assistant.records.rules import rules

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings


@dataclass(frozen=True)
class ProposedFact:
    """A fact line and the counts (with their rows) it states; a fact the user typed has none."""

    id: str
    text: str
    counts: tuple[Count, ...] = ()

    @property
    def rows(self) -> tuple[SourceRow, ...]:
        """Every row this fact rests on."""
        return tuple(row for count in self.counts for row in count.rows)

    @property
    def typed(self) -> bool:
        return not self.counts


@dataclass(frozen=True)
class ProposedHighlight:
    """A topic and its facts; `plan` is the last period's plan it reports on, when it is a checklist item."""

    topic: str
    facts: tuple[ProposedFact, ...] = ()
    plan: str = ""
    plan_source: str = ""  # where the plan stood: 2025年总结.docx


@dataclass(frozen=True)
class Proposal:
    """The proposed highlights, and every row of the records that was not counted."""

    period: str
    highlights: tuple[ProposedHighlight, ...]
    left_out: tuple[LeftOut, ...] = ()

    @property
    def topics(self) -> list[str]:
        return [h.topic for h in self.highlights]

    @property
    def facts(self) -> list[ProposedFact]:
        return [f for h in self.highlights for f in h.facts]

    def fact(self, fact_id: str) -> ProposedFact:
        """The fact with this id; KeyError if there is none."""
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)


def topic_of(count: Count, embeddings: Embeddings | None = None) -> str:
    """The count's topic: its kind's, else the first `tag_topics` gives its kind and rows, else the
    nearest by `embeddings` when one is near enough, else the default."""
    if count.kind.topic in vocabulary():
        return count.kind.topic
    tagged = tag_topics(" ".join([count.kind.name] + [row.text for row in count.rows]))
    if tagged:
        return tagged[0]
    nearest = nearest_topic(count, embeddings) if embeddings is not None else None
    return nearest or rules().default_topic


def group_counts(counts: Iterable[Count], embeddings: Embeddings | None = None) -> tuple[ProposedHighlight, ...]:
    """One highlight per topic (in vocabulary order), its counts in one fact line."""
    by_topic: dict[str, list[Count]] = {}
    for count in counts:
        by_topic.setdefault(topic_of(count, embeddings), []).append(count)
    order = {t: i for i, t in enumerate(vocabulary())}
    topics = sorted(by_topic, key=lambda t: order.get(t, len(order)))
    return tuple(
        ProposedHighlight(topic, (ProposedFact(f"f{i}", fact_line(by_topic[topic]), tuple(by_topic[topic])),))
        for i, topic in enumerate(topics, 1)
    )


def _keep(highlight: ProposedHighlight) -> bool:
    """A highlight stays while it has facts, or is a plan still to be reported on."""
    return bool(highlight.facts or highlight.plan)


def move_fact(proposal: Proposal, fact_id: str, topic: str) -> Proposal:
    """The proposal with the fact under `topic` (a new highlight at the end if no highlight has it)."""
    fact, topic = proposal.fact(fact_id), topic.strip()
    if not topic:
        return proposal
    highlights = [replace(h, facts=tuple(f for f in h.facts if f.id != fact_id)) for h in proposal.highlights]
    if topic not in [h.topic for h in highlights]:
        highlights.append(ProposedHighlight(topic))
    highlights = [replace(h, facts=h.facts + (fact,)) if h.topic == topic else h for h in highlights]
    return replace(proposal, highlights=tuple(h for h in highlights if _keep(h)))


def rename_topic(proposal: Proposal, old: str, new: str) -> Proposal:
    """The proposal with topic `old` called `new`; when `new` is already a topic, the two are merged."""
    new = new.strip()
    if not new or new == old or old not in proposal.topics:
        return proposal
    moving = next(h for h in proposal.highlights if h.topic == old)
    if new not in proposal.topics:
        return replace(proposal, highlights=tuple(replace(h, topic=new) if h is moving else h
                                                  for h in proposal.highlights))
    merged = []
    for h in proposal.highlights:
        if h is moving:
            continue
        if h.topic == new:
            h = replace(h, facts=h.facts + moving.facts, plan=h.plan or moving.plan,
                        plan_source=h.plan_source or moving.plan_source)
        merged.append(h)
    return replace(proposal, highlights=tuple(merged))


def fill_in(proposal: Proposal, topic: str, lines: Iterable[str]) -> Proposal:
    """The proposal with the user's own fact lines under `topic` (replacing the ones typed before)."""
    texts = [line.strip() for line in lines if line.strip()]
    highlights = []
    for h in proposal.highlights:
        if h.topic == topic:
            typed = tuple(ProposedFact(f"typed:{topic}:{i}", text) for i, text in enumerate(texts, 1))
            h = replace(h, facts=tuple(f for f in h.facts if not f.typed) + typed)
        highlights.append(h)
    return replace(proposal, highlights=tuple(highlights))
