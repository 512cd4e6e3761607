"""Drafting progress callbacks: the CLI and the UI implement them; drafting never imports either."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.domain.draft import Section


class DraftProgress:
    """No-op base: override what you want to show."""

    def section_started(self, section: Section) -> None:
        """A section's drafting began."""

    def text_streamed(self, section: Section, delta: str) -> None:
        """The model produced more text for a section."""

    def model_busy(self, section: Section, ahead: int) -> None:
        """Every place of the model is taken (other users' work): `ahead` requests go first."""

    def section_retry(self, section: Section, reason: str) -> None:
        """The section's text was rejected by the guardrails and is being written again."""

    def section_done(self, section: Section) -> None:
        """A section is finished and checked (its current version holds the findings)."""
