"""What one drafting run works with besides the draft: the model, the examples, the copy detector, progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from assistant.corpus.passage import Passage
from assistant.drafting.progress import DraftProgress
from assistant.models.request import ChatClient

if TYPE_CHECKING:
    from assistant.checks.copying import CorpusMatcher
    from assistant.retrieval.search import SearchHit

MAX_REPAIRS = 2  # rewrites of a whole section with the findings fed back, before its plain rendering


class Searcher(Protocol):
    def search(self, query: str, k: int = 5, kind: str | None = None, topic: str | None = None,
               source: str | None = None) -> list[SearchHit]: ...


@dataclass
class DraftContext:
    """Everything drafting needs besides the draft itself."""

    client: ChatClient
    searcher: Searcher
    passages: list[Passage]
    matcher: CorpusMatcher
    progress: DraftProgress = field(default_factory=DraftProgress)
    max_repairs: int = MAX_REPAIRS
