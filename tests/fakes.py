"""A scripted chat model: replies are queued, calls are recorded. Implements assistant.llm.ChatClient."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator


class ScriptedChat:
    """Answers each call with the next queued reply (a string, or a function of the messages)."""

    def __init__(self, replies: list[str | Callable[[list[dict[str, str]]], str]] | None = None, *, is_local: bool = True) -> None:
        self.queue: deque[str | Callable[[list[dict[str, str]]], str]] = deque(replies or [])
        self.history: list[dict] = []
        self.is_local = is_local
        self.name = "scripted"
        self.default: str | Callable[[list[dict[str, str]]], str] | None = None

    def enqueue(self, *replies: str | Callable[[list[dict[str, str]]], str]) -> "ScriptedChat":
        self.queue.extend(replies)
        return self

    def stream(self, messages: list[dict[str, str]], *, temperature: float | None = None,
               max_tokens: int | None = None) -> Iterator[str]:
        self.history.append({"messages": [dict(m) for m in messages], "max_tokens": max_tokens})
        if self.queue:
            reply = self.queue.popleft()
        elif self.default is not None:
            reply = self.default
        else:
            raise AssertionError("ScriptedChat: no reply queued for this call")
        text = reply(messages) if callable(reply) else reply
        for i in range(0, len(text), 7):
            yield text[i : i + 7]
