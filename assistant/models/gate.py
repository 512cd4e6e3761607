"""How many requests may run at once, and a word to whoever has to wait for a turn."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

OnWait = Callable[[int], None]  # called with how many requests are ahead, before waiting


class Gate:
    """A bounded semaphore that says how many requests are ahead of one that must wait."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._waiting = 0

    @contextmanager
    def turn(self, on_wait: OnWait | None = None) -> Iterator[None]:
        """Hold one place for the duration; `on_wait(ahead)` first when every place is taken."""
        if not self._slots.acquire(blocking=False):
            with self._lock:
                self._waiting += 1
                ahead = self._waiting
            if on_wait is not None:
                on_wait(ahead)
            self._slots.acquire()
            with self._lock:
                self._waiting -= 1
        try:
            yield
        finally:
            self._slots.release()

    def __enter__(self) -> None:
        self._slots.acquire()

    def __exit__(self, *exc: object) -> None:
        self._slots.release()
