"""The one scripted chat model of the tests, registered as a provider the way real ones are.

Replies are queued with `enqueue()` (a string, or a function of the `ChatRequest`) and every
request is recorded in `history`. Without a queued reply the model answers from the request's
`Task` (never from the prompt text): a faithful writer that states every fact of the task in
一是/二是 form, padded with generic sentences that carry no number, name or sample wording.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator

from assistant.models.gate import Gate
from assistant.models.providers import register_provider
from assistant.models.request import ChatRequest, Message
from assistant.settings import Settings

PROVIDER = "scripted"
REVISION_MARK = "切实把党建成效转化为推动发展的强大动力。"
FILLER = [
    "坚持把这项工作摆在突出位置，主要负责同志亲自部署、亲自推动",
    "注重把学习成果转化为推动工作的实际成效，党员干部的精神面貌进一步提振",
    "通过建立工作台账、定期督促检查，确保各项任务落到实处",
    "广大党员在岗位上主动担当作为，先锋模范作用得到较好发挥",
    "工作中注重总结经验做法，形成了一批行之有效的工作机制",
    "结合单位实际细化任务分工，推动责任层层压实、工作环环相扣",
]
MARKERS = "一二三四五六七八九"
Reply = str | Callable[[ChatRequest], str]


def faithful(request: ChatRequest) -> str:
    """A well-behaved model: every fact of the task, in 一是/二是 form, padded to about its budget."""
    task = request.task
    if task.action == "continue":
        return ""
    if task.action == "refine":
        return f"{task.current}\n{REVISION_MARK}"
    if request.prefill:  # the lead is written: go on from it
        return "".join(f"{FILLER[i]}。" for i in range(len(FILLER)) if len(request.prefill) + 40 * i < task.budget * 0.8)
    facts = task.facts or ("扎实推进各项工作",)
    parts = [f"{MARKERS[i]}是{fact}，{FILLER[i % len(FILLER)]}。" for i, fact in enumerate(facts)]
    i = len(facts)
    while len("".join(parts)) < task.budget * 0.8:
        parts.append(FILLER[i % len(FILLER)] + "。")
        i += 1
    return "".join(parts)


class ScriptedModel:
    """A ChatClient whose replies are scripted; `is_local`, `concurrency` and `constrains` as a real provider's."""

    name = f"{PROVIDER}:test"

    def __init__(self, *, is_local: bool = True, concurrency: int = 1, constrains: bool = False) -> None:
        self.is_local = is_local
        self.concurrency = concurrency
        self.constrains = constrains
        self.gate = Gate(concurrency)
        self.queue: deque[Reply] = deque()
        self.history: list[ChatRequest] = []
        self.shared: list[list[Message]] = []  # what each `share` said the coming requests start with
        self.default: Reply = faithful

    def enqueue(self, *replies: Reply) -> ScriptedModel:
        self.queue.extend(replies)
        return self

    def share(self, messages: list[Message]) -> None:
        self.shared.append(list(messages))

    def stream(self, request: ChatRequest) -> Generator[str, None, None]:
        with self.gate.turn(request.on_wait):  # the same gate a real provider's requests pass, held while it streams
            self.history.append(request)
            reply = self.queue.popleft() if self.queue else self.default
            text = reply(request) if callable(reply) else reply
            for i in range(0, len(text), 7):
                yield text[i : i + 7]

    def requests(self, action: str) -> list[ChatRequest]:
        """The recorded requests of one action (item, section, repair, refine …)."""
        return [r for r in self.history if r.task.action == action]


_model = ScriptedModel()


def install(model: ScriptedModel | None = None) -> ScriptedModel:
    """Register `model` (default: a fresh one) as the `scripted` provider of this process and return it."""
    global _model
    _model = model or ScriptedModel()
    register_provider(PROVIDER, lambda settings: _model)
    return _model


def current() -> ScriptedModel:
    """The model the `scripted` provider answers with now."""
    return _model


def settings_for(settings: Settings) -> Settings:
    """The settings with the scripted provider chosen."""
    return settings.with_model(provider=PROVIDER)
