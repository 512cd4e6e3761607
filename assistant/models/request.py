"""What a caller asks a chat model: the messages, the limits, and the task in structured form."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

Message = dict[str, str]
ROLES = frozenset({"system", "user", "assistant"})


@dataclass(frozen=True)
class Task:
    """What a request asks for, as data: logs and scripted test models read this, never the prompt text."""

    action: str  # item / section / continue / repair / refine / baseline / check
    kind: str = ""  # the section kind: opening / achievements / problems / plans
    heading: str = ""
    facts: tuple[str, ...] = ()
    budget: int = 0  # target characters
    current: str = ""  # the text being continued, repaired or refined
    instruction: str = ""
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChatRequest:
    """One chat completion: the rendered messages and, beside them, the task they express."""

    messages: list[Message]
    task: Task
    max_tokens: int | None = None
    temperature: float | None = None
    prefill: str = ""  # the answer's start, written by code; the model goes on from it (local models only)
    banned: tuple[str, ...] = ()  # strings the model may not write (local models: a logit bias, a grammar)
    # the banned strings a guard reads the answer for: a logit bias keeps out those a token begins, and
    # the rest, left out of the grammar (which slows decoding as it grows), are the guard's to catch
    guarded: tuple[str, ...] = ()
    on_wait: Callable[[int], None] | None = field(default=None, compare=False)  # told how many are ahead
    extra: dict[str, object] = field(default_factory=dict)  # provider-specific request fields

    def __post_init__(self) -> None:
        for i, message in enumerate(self.messages):
            if message.get("role") not in ROLES or not isinstance(message.get("content"), str):
                raise ValueError(f"messages[{i}] needs role in {sorted(ROLES)} and string content")


@runtime_checkable
class ChatClient(Protocol):
    """What drafting needs from a chat model; every provider, the scripted test model included, gives this."""

    name: str  # e.g. "local:qwen2.5-coder-1.5b" or "openai:deepseek-chat"
    is_local: bool  # True: one model on this machine, whose decoding the caller may constrain
    concurrency: int  # how many requests may run at once (the local server's slots, a remote service's limit)
    constrains: bool  # True: `prefill` and `banned` are honoured

    def share(self, messages: list[Message]) -> None:
        """The messages the coming requests all start with: a local server reads them once for all its
        slots; elsewhere nothing happens."""
        ...

    def stream(self, request: ChatRequest) -> Generator[str, None, None]:
        """Yield the reply's text as it is generated, after the prefill (which is not yielded)."""
        ...
