"""A chat client for any OpenAI-compatible endpoint, through langchain-openai's `ChatOpenAI`.

The bundled model is reached the same way: the local provider points the client at the
in-process llama.cpp server. Callers see `stream()` and the library's own errors, never an
HTTP exception, and never the API key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlparse

from assistant.models.request import ChatRequest
from assistant.models.transport import REQUEST_ERRORS, backoff, transient, translate
from assistant.settings import ModelSettings

log = logging.getLogger(__name__)


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
        gate: AbstractContextManager[Any],
        is_local: bool,
        sampling: dict[str, Any] | None = None,
    ) -> None:
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        self.settings = settings
        self.name = f"{settings.provider}:{settings.model}"
        self.is_local = is_local
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

    def __repr__(self) -> str:
        return f"LangChainChatClient(name={self.name!r}, base_url={self.base_url!r})"

    def stream(self, request: ChatRequest) -> Iterator[str]:
        """Yield the reply's text as it arrives; raise a ModelError subclass on failure."""
        from langchain_core.messages import convert_to_messages

        messages = convert_to_messages(request.messages)
        kwargs = self.request_kwargs(request)
        with self._gate:
            attempt = 0
            while True:
                yielded = False
                try:
                    for chunk in self._model.stream(messages, **kwargs):
                        if text := _text_of(chunk.content):
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
        if self._native_max_tokens:
            kwargs["max_tokens"] = limit
        else:
            extra["max_tokens"] = limit
        if extra:  # a call's extra_body replaces ChatOpenAI's own, so everything goes here
            kwargs["extra_body"] = extra
        return kwargs

    def _translate(self, exc: BaseException) -> Exception:
        s = self.settings
        return translate(exc, where=self.base_url, model=s.model, timeout=s.timeout, retries=s.retries,
                         secret=self._secret)


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))
