"""What one drafting run works with besides the draft: the model, the examples, the copy detector, progress."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from assistant.corpus.passage import Passage
from assistant.domain.draft import Section
from assistant.drafting.progress import DraftProgress
from assistant.models.gate import Gate
from assistant.models.request import ChatClient, ChatRequest

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
    own: Gate | None = None  # this run's requests in flight (shared by every copy `replace` makes)

    def __post_init__(self) -> None:
        if self.own is None:
            self.own = Gate(max(1, self.client.concurrency))

    def ask(self, section: Section, request: ChatRequest) -> Generator[str, None, None]:
        """The model's answer to `request`, streamed; the progress hears when the model is busy with
        others' requests (this run's own wait their turn here, unannounced)."""
        gate = self.own
        assert gate is not None

        def stream() -> Generator[str, None, None]:
            with gate:
                yield from self.client.stream(replace(request, on_wait=lambda ahead: self.progress.model_busy(section, ahead)))

        return stream()
