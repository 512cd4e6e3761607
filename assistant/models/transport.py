"""HTTP failures of an OpenAI-compatible service: which are worth a retry, and the library error for each."""

from __future__ import annotations

import importlib
import random
from collections.abc import Iterator

import openai

from assistant.errors import (
    MissingKeyError,
    ModelError,
    ModelTimeoutError,
    ServiceUnreachableError,
    UnknownModelError,
)


def _http_errors(name: str) -> tuple[type[BaseException], ...]:
    """`name` from httpx and httpx2 (openai 3 streams through the latter), whichever exist."""
    found: list[type[BaseException]] = []
    for module in ("httpx", "httpx2"):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


TRANSPORT_ERRORS: tuple[type[BaseException], ...] = _http_errors("TransportError")  # raised mid-stream, not wrapped by openai
TIMEOUTS: tuple[type[BaseException], ...] = (openai.APITimeoutError, *_http_errors("TimeoutException"))
CONNECT_ERRORS: tuple[type[BaseException], ...] = _http_errors("ConnectError")  # refused or no such host: retrying will not help
REQUEST_ERRORS: tuple[type[BaseException], ...] = (openai.OpenAIError, *TRANSPORT_ERRORS)


def causes(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def transient(exc: BaseException) -> bool:
    """Worth another try: reset connections, 429 and 5xx; not refusals, timeouts or 4xx."""
    if isinstance(exc, TIMEOUTS):
        return False
    if isinstance(exc, (openai.APIConnectionError, *TRANSPORT_ERRORS)):
        return not any(isinstance(c, CONNECT_ERRORS) for c in causes(exc))
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return False


def backoff(attempt: int, exc: BaseException) -> float:
    """Exponential with jitter; honours a short Retry-After."""
    if isinstance(exc, openai.APIStatusError):
        after = exc.response.headers.get("retry-after", "")
        if after.replace(".", "", 1).isdigit():
            return min(float(after), 30.0)
    return float(min(0.5 * 2**attempt, 8.0) * random.uniform(0.8, 1.2))


def detail(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        body = exc.body
        message = body.get("message") if isinstance(body, dict) else None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            message = body["error"].get("message")
        return f"HTTP {exc.status_code}" + (f"：{message}" if message else "")
    for cause in causes(exc):
        if isinstance(cause, TRANSPORT_ERRORS) and str(cause):
            return f"{type(cause).__name__}: {cause}"
    return type(exc).__name__


def _says_unknown_model(exc: BaseException) -> bool:
    """DeepSeek and others answer 400, not 404, for a model they do not have."""
    if not isinstance(exc, openai.BadRequestError):
        return False
    text = detail(exc).lower()
    return "model" in text and any(s in text for s in ("not exist", "not found", "does not exist", "unknown"))


def translate(exc: BaseException, *, where: str, model: str, timeout: float, retries: int, secret: str) -> ModelError:
    """The library's error for a failed request, with the key scrubbed from any detail."""
    why = detail(exc).replace(secret, "***") if secret else detail(exc)
    if isinstance(exc, TIMEOUTS):
        return ModelTimeoutError(
            f"模型服务 {where} 超过 {timeout:g} 秒没有回应；调大 config.toml [llm] 的 timeout、缩短输入，或稍后重试"
        )
    if isinstance(exc, (openai.APIConnectionError, *TRANSPORT_ERRORS)):
        return ServiceUnreachableError(
            f"连不上模型服务 {where}（{why}）；检查 OPENAI_BASE_URL 与网络，或改用内置模型：ASSISTANT_PROVIDER=local"
        )
    if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return MissingKeyError(
            f"模型服务 {where} 拒绝了 API key（HTTP {exc.status_code}）；"
            "检查 OPENAI_API_KEY，或改用内置模型：ASSISTANT_PROVIDER=local"
        )
    if isinstance(exc, openai.NotFoundError) or _says_unknown_model(exc):
        return UnknownModelError(
            f"模型服务 {where} 不认识模型 {model!r}（{why}）；用 ASSISTANT_MODEL 指定该服务提供的模型名，"
            "并确认 OPENAI_BASE_URL 以 /v1（或服务文档给出的路径）结尾"
        )
    if isinstance(exc, openai.RateLimitError):
        return ServiceUnreachableError(
            f"模型服务 {where} 繁忙或额度不足（HTTP 429，已重试 {retries} 次）；"
            "稍后重试，或调小 config.toml [llm] 的 max_concurrency"
        )
    if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
        return ServiceUnreachableError(f"模型服务 {where} 出错（HTTP {exc.status_code}，已重试 {retries} 次）；稍后重试")
    return ModelError(f"模型服务 {where} 拒绝了请求（{why}）")
