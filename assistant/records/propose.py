"""From the unit's records (and last period's plans) to a proposal, and from a proposal to a fact sheet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from assistant.domain.period import parse_period
from assistant.errors import FactSheetError
from assistant.records.counting import tally
from assistant.records.grouping import Proposal, group_counts
from assistant.records.plans import PlanItem, checklist, read_plans
from assistant.records.reading import read_all

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

Upload = tuple[str, bytes]  # a file's name and its bytes


def period_of(text: str) -> str:
    """The period as written, checked; FactSheetError naming the field when it is not a period."""
    try:
        parse_period(text)
    except ValueError:
        raise FactSheetError(["period: 必填，写年份和时段，例如 2026年度、2026年上半年"]) from None
    return text.strip()


def propose(files: Iterable[Upload], period: str, *, pasted: str = "", previous: Iterable[Upload] = (),
            embeddings: Embeddings | None = None) -> Proposal:
    """Counted facts grouped by topic, then the last period's plans as a checklist, and the rows left out.

    Every file is read before anything is counted: the first one that cannot be read raises
    LoadError naming it, and nothing is proposed. With `embeddings`, a count whose kind has no
    topic and whose rows no keyword tags goes under the topic nearest in meaning, when one is
    near enough (`records.nearest`); without, under the default topic.
    """
    label = period_of(period)
    rows = read_all(files, pasted)
    plans: list[PlanItem] = [p for name, data in previous for p in read_plans(data, name)]
    counted = tally(rows, parse_period(label))
    return Proposal(label, group_counts(counted.counts, embeddings) + checklist(plans), counted.left_out)


def sheet_highlights(proposal: Proposal) -> list[dict[str, Any]]:
    """The highlights that have facts, as fact-sheet entries (a plan not yet answered is left out)."""
    return [{"topic": h.topic, "facts": [f.text for f in h.facts]} for h in proposal.highlights if h.facts]


def sheet_data(proposal: Proposal, organization: str = "", **fields: Any) -> dict[str, Any]:
    """A mapping `fact_sheet_from_dict` accepts once `organization` is given (other sheet fields may be added)."""
    data: dict[str, Any] = {"organization": organization.strip(), "period": proposal.period}
    data.update({k: v for k, v in fields.items() if v not in (None, "", [])})
    data["highlights"] = sheet_highlights(proposal)
    return data


def open_plans(proposal: Proposal) -> list[str]:
    """The checklist items still without a fact line."""
    return [h.plan for h in proposal.highlights if h.plan and not h.facts]
