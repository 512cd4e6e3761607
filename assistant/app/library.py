"""The shared, read-mostly resources a session works with: the index, the searcher and the copy detector.

The CLI builds one; the UI caches one per process. Nothing here holds a user's data or key.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.corpus.passage import Passage
from assistant.drafting.progress import DraftProgress
from assistant.retrieval.ingest import IngestProgress, IngestReport, default_corpus_paths, ingest
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.checks import CorpusMatcher
    from assistant.drafting.context import DraftContext
    from assistant.models.request import ChatClient
    from assistant.retrieval.index import ExampleIndex
    from assistant.retrieval.search import HybridSearcher


class Library:
    """The example index with its searcher and copy detector, built on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._matcher: tuple[object, CorpusMatcher] | None = None

    @cached_property
    def index(self) -> ExampleIndex:
        from assistant.retrieval.index import ExampleIndex

        return ExampleIndex.open(self.settings)

    @cached_property
    def searcher(self) -> HybridSearcher:
        from assistant.retrieval.search import HybridSearcher

        return HybridSearcher(self.index)

    def ensure_built(self, progress: IngestProgress | None = None) -> IngestReport | None:
        """Index the bundled and uploaded samples if the index is empty (first start)."""
        with self._lock:
            if self.index.count():
                return None
            return ingest(default_corpus_paths(self.settings), self.index, progress)

    def reindex(self, progress: IngestProgress | None = None) -> IngestReport:
        """Re-read every sample; documents whose files are gone are removed."""
        with self._lock:
            return ingest(default_corpus_paths(self.settings), self.index, progress, prune=True)

    def passages(self) -> list[Passage]:
        return self.index.passages()

    def matcher(self) -> CorpusMatcher:
        """The copy detector over every indexed passage but the unit's own (reusing its own wording is
        not copying), rebuilt when the index changes."""
        from assistant.checks import CorpusMatcher

        stamp = self.index.stamp()
        with self._lock:
            if self._matcher is None or self._matcher[0] != stamp:
                self._matcher = (stamp, CorpusMatcher(p.text for p in self.passages() if not p.own))
            return self._matcher[1]

    def context(self, client: ChatClient, progress: DraftProgress | None = None) -> DraftContext:
        """What the drafter needs for one run."""
        from assistant.drafting.context import DraftContext

        self.ensure_built()
        return DraftContext(client, self.searcher, self.passages(), self.matcher(), progress or DraftProgress())
