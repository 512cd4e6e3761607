"""What the checks read from a fact sheet besides its fields."""

from __future__ import annotations

from assistant.domain.facts import FactSheet


def fact_texts(sheet: FactSheet) -> list[str]:
    """The user's texts without the report date (whose digits are no facts)."""
    return [t for t in sheet.all_fact_texts() if not (sheet.date and t == sheet.date.isoformat())]
