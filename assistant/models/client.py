"""A chat client for any OpenAI-compatible endpoint, through langchain-openai's `ChatOpenAI`.

The bundled model is reached the same way: the local provider points the client at the
in-process llama.cpp server. Callers see `stream()` and the library's own errors, never an
HTTP exception, and never the API key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any
from urllib.parse import urlparse

from assistant.models.gate import Gate
from assistant.models.grammar import avoiding
from assistant.models.request import ChatRequest, Message
from assistant.models.transport import REQUEST_ERRORS, backoff, transient, translate
from assistant.settings import ModelSettings

log = logging.getLogger(__name__)
BANNED = -100.0  # logit bias that keeps a token out of the answer
WORD_SPAN = 16  # characters of the prefill a banned word may begin in


def is_openai(base_url: str | None) -> bool:
    return base_url is None or urlparse(base_url).hostname == "api.openai.com"


class LangChainChatClient:
    """A ChatClient streaming through `ChatOpenAI`; `gate` bounds the requests in flight."""

    def __init__(
        self,
        settings: ModelSettings,
        *,
        base_url: str,
        api_key: str,
        gate: Gate,
        is_local: bool,
        sampling: dict[str, Any] | None = None,
        ban_tokens: Callable[[str], Sequence[int]] | None = None,
        share_prefix: Callable[[list[Message]], None] | None = None,
    ) -> None:
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        self.settings = settings
        self.name = f"{settings.provider}:{settings.model}"
        self.is_local = is_local
        self.constrains = is_local  # llama.cpp continues an assistant prefill and takes a logit bias
        self.concurrency = settings.max_concurrency
        self.base_url = base_url
        self._secret = api_key
        self._gate = gate
        # Official OpenAI wants max_completion_tokens (ChatOpenAI sends that); compatible
        # services (DeepSeek, DashScope, Ollama, vLLM, llama.cpp) all read max_tokens.
        self._native_max_tokens = is_openai(settings.base_url) and not is_local
        self._model = ChatOpenAI(
            model=settings.model,
            base_url=base_url,
            api_key=SecretStr(api_key),
            temperature=settings.temperature,
            timeout=settings.timeout,
            max_retries=0,  # retried here, and only before any text was yielded
            streaming=True,
        )
        self._extra_body: dict[str, Any] = dict(sampling or {})
        self._ban_tokens = ban_tokens
        self._share_prefix = share_prefix

    def __repr__(self) -> str:
        return f"LangChainChatClient(name={self.name!r}, base_url={self.base_url!r})"

    def share(self, messages: list[Message]) -> None:
        """The start of the coming requests, read once for all of them where the server allows it."""
        if self._share_prefix is not None:
            self._share_prefix(messages)

    def stream(self, request: ChatRequest) -> Generator[str, None, None]:
        """Yield the reply's text as it arrives; raise a ModelError subclass on failure."""
        from langchain_core.messages import convert_to_messages

        wire = request.messages + ([{"role": "assistant", "content": request.prefill}] if request.prefill else [])
        messages = convert_to_messages(wire)
        kwargs = self.request_kwargs(request)
        with self._gate.turn(request.on_wait):
            attempt = 0
            while True:
                yielded = False
                try:
                    for text in _after_prefill(self._model.stream(messages, **kwargs), request.prefill):
                        yielded = True
                        yield text
                    return
                except REQUEST_ERRORS as exc:
                    if yielded or self.is_local or attempt >= self.settings.retries or not transient(exc):
                        raise self._translate(exc) from None
                    delay = backoff(attempt, exc)
                    attempt += 1
                    log.warning("%s: %s, retry %d/%d in %.1f s",
                                self.base_url, type(exc).__name__, attempt, self.settings.retries, delay)
                    time.sleep(delay)

    def request_kwargs(self, request: ChatRequest) -> dict[str, Any]:
        """ChatOpenAI's call arguments: temperature, the token cap and every extra body field."""
        temperature = self.settings.temperature if request.temperature is None else request.temperature
        kwargs: dict[str, Any] = {"temperature": temperature}
        limit = self.settings.max_tokens if request.max_tokens is None else request.max_tokens
        extra = {**self._extra_body, **request.extra}
        if request.banned and self.constrains:
            bans = [[t, BANNED] for t in dict.fromkeys(t for s in request.banned for t in self._tokens_of(s))]
            extra["logit_bias"] = [*self._extra_body.get("logit_bias", []), *bans]
            if words := self._words_of_several_tokens([w for w in request.banned if w not in request.guarded]):
                extra["grammar"] = avoiding(words, request.prefill[-WORD_SPAN:])
        if self._native_max_tokens:
            kwargs["max_tokens"] = limit
        else:
            extra["max_tokens"] = limit
        if extra:  # a call's extra_body replaces ChatOpenAI's own, so everything goes here
            kwargs["extra_body"] = extra
        return kwargs

    def _words_of_several_tokens(self, banned: Sequence[str]) -> tuple[str, ...]:
        """The banned words no token begins with (一致认可 is 一致 + 认可): a logit bias cannot keep
        them out, so a grammar does (see `avoiding`). Without a vocabulary there are none."""
        if self._ban_tokens is None:
            return ()
        return tuple(dict.fromkeys(w for w in banned if len(w) > 1 and not self._ban_tokens(w)))

    def _tokens_of(self, text: str) -> Sequence[int | str]:
        """What a logit bias must name to keep `text` out: every token that begins with it (a string
        of several tokens would have llama.cpp ban each of them); the string itself without a vocabulary."""
        return [text] if self._ban_tokens is None else self._ban_tokens(text)

    def _translate(self, exc: BaseException) -> Exception:
        s = self.settings
        return translate(exc, where=self.base_url, model=s.model, timeout=s.timeout, retries=s.retries,
                         secret=self._secret)


def _after_prefill(chunks: Iterator[Any], prefill: str) -> Iterator[str]:
    """The streamed text without the prefill, when the server sends it back at the start of the answer.

    Text is held back only while it could still be that echo; it is dropped only once the whole
    prefill has come back, so an answer that merely starts like the prefill keeps its words.
    """
    held = ""
    echo = bool(prefill)
    for chunk in chunks:
        text = _text_of(chunk.content)
        if echo and text:
            held += text
            if prefill.startswith(held):
                continue  # may still be the echo
            echo = False
            text, held = (held[len(prefill):] if held.startswith(prefill) else held), ""
        if text:
            yield text
    if held:  # the answer ended while it still looked like the start of the prefill
        yield held


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))
