"""What one drafting run works with besides the draft: the model, the examples, the copy detector, progress."""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol, TypeVar

from assistant.corpus.passage import Passage
from assistant.domain.draft import Section
from assistant.drafting.closers import Closers
from assistant.drafting.progress import DraftProgress
from assistant.models.gate import Gate
from assistant.models.request import ChatClient, ChatRequest, Message
from assistant.text import SENTENCE_END

if TYPE_CHECKING:
    from assistant.checks.copying import CorpusMatcher
    from assistant.retrieval.search import SearchHit

T = TypeVar("T")
HEAD_START_POLL_S = 0.05
MAX_REPAIRS = 2  # rewrites of a whole section with the findings fed back, before its plain rendering


class Searcher(Protocol):
    def search(self, query: str, k: int = 5, kind: str | None = None, topic: str | None = None,
               source: str | None = None) -> list[SearchHit]: ...


class SharedStart:
    """A run's requests all start with its system message: the first request tells the client, which a
    local server reads once for all its slots, before any request is sent."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._told = False

    def tell(self, client: ChatClient, messages: list[Message]) -> None:
        with self._lock:  # the others wait until the server holds it
            if not self._told:
                self._told = True
                if messages and messages[0]["role"] == "system":
                    client.share(messages[:1])


@dataclass
class DraftContext:
    """Everything drafting needs besides the draft itself. Copies made by `replace` share the run's
    places (`own`), its shared start, whether it has `started` and the `closers` it used."""

    client: ChatClient
    searcher: Searcher
    passages: list[Passage]
    matcher: CorpusMatcher
    progress: DraftProgress = field(default_factory=DraftProgress)
    max_repairs: int = MAX_REPAIRS
    own: Gate | None = None  # this run's requests in flight
    shared_start: SharedStart = field(default_factory=SharedStart)
    started: threading.Event = field(default_factory=threading.Event)  # a sentence of the run is shown
    closers: Closers = field(default_factory=Closers)  # the closing formulas the run has used

    def __post_init__(self) -> None:
        if self.own is None:
            self.own = Gate(max(1, self.client.concurrency))

    def head_start(self, pool: Executor, first: Callable[[], T]) -> Future[T]:
        """`first` submitted to `pool`, and, while no request of the run has streamed a sentence yet,
        waited for until one has (or it is done): the run's first sentence then shows at once, not
        after the prompts of the requests that would start beside it are read."""
        future = pool.submit(first)
        while not self.started.is_set() and not future.done():
            self.started.wait(HEAD_START_POLL_S)
        return future

    def ask(self, section: Section, request: ChatRequest) -> Generator[str, None, None]:
        """The model's answer to `request`, streamed; the progress hears when the model is busy with
        others' requests (this run's own wait their turn here, unannounced)."""

        def stream() -> Generator[str, None, None]:
            self.shared_start.tell(self.client, request.messages)
            assert self.own is not None
            # A guarded stream's sentence counts once the guard keeps it (`guard.guarded_stream`): a
            # first sentence it cuts would let the others start beside the resumed one.
            unguarded = not self.client.constrains
            with self.own:
                try:
                    for delta in self.client.stream(replace(request, on_wait=lambda ahead: self.progress.model_busy(section, ahead))):
                        if unguarded and any(mark in delta for mark in SENTENCE_END):
                            self.started.set()
                        yield delta
                finally:
                    if unguarded:
                        self.started.set()

        return stream()
