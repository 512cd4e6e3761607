"""Chat models behind one small interface: the bundled local model or any OpenAI-compatible service.

Both providers go through langchain-openai's `ChatOpenAI`; "local" simply points it
at the in-process llama.cpp server. Callers see `ChatClient.stream()` and the
library's own errors, never an HTTP exception, and never the API key.
"""

from __future__ import annotations

import importlib
import logging
import os
import random
import threading
import time
import tomllib
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable
from urllib.parse import urlparse

import openai

from .config import Settings, default_home
from .errors import (
    ConfigError,
    MissingKeyError,
    ModelError,
    ModelTimeoutError,
    ServiceUnreachableError,
    UnknownModelError,
)
from .models_bundled import DEFAULT_MODEL, BundledModel, get_model, is_ready, model_path

log = logging.getLogger(__name__)

Provider = Literal["local", "openai"]
PROVIDERS: tuple[str, ...] = ("local", "openai")
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"
ROLES = frozenset({"system", "user", "assistant"})


def _http_errors(name: str) -> tuple[type[BaseException], ...]:
    """`name` from httpx and httpx2 (openai 3 streams through the latter), whichever exist."""
    found = []
    for module in ("httpx", "httpx2"):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


_TRANSPORT_ERRORS = _http_errors("TransportError")  # raised mid-stream, not wrapped by openai
_TIMEOUTS = (openai.APITimeoutError, *_http_errors("TimeoutException"))
_CONNECT_ERRORS = _http_errors("ConnectError")  # refused or no such host: retrying will not help


@runtime_checkable
class ChatClient(Protocol):
    """What the drafting engine needs from a chat model; a scripted fake implements it too."""

    name: str  # e.g. "local:qwen2.5-coder-1.5b" or "openai:deepseek-chat"
    is_local: bool  # True -> callers draft sections one after another

    def stream(
        self,
        messages: list[dict[str, str]],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> Iterator[str]:
        """Yield the reply's text as it is generated."""
        ...


# --- settings -------------------------------------------------------------------------


def config_path() -> Path:
    """`$ASSISTANT_HOME/config.toml` (its `[llm]` table holds the model settings)."""
    return default_home() / "config.toml"


@dataclass(frozen=True)
class ModelSettings:
    """Which model to use and how; `api_key` is kept out of the repr."""

    provider: Provider = "local"
    base_url: str | None = None  # None: the local server, or OpenAI itself
    api_key: str | None = field(default=None, repr=False)
    model: str = DEFAULT_MODEL
    temperature: float = 0.3
    max_tokens: int = 1536
    timeout: float = 120.0  # seconds without a byte from the service
    max_concurrency: int = 4  # remote only; the local model takes one request at a time
    retries: int = 3  # transient remote errors, before any text arrived

    def __post_init__(self) -> None:
        problems = []
        if self.provider not in PROVIDERS:
            problems.append(f"provider 应为 {' 或 '.join(PROVIDERS)}，当前为 {self.provider!r}")
        if not self.model:
            problems.append("model 不能为空")
        if not 0 <= self.temperature <= 2:
            problems.append(f"temperature 应在 0 到 2 之间，当前为 {self.temperature}")
        for name in ("max_tokens", "max_concurrency"):
            if getattr(self, name) < 1:
                problems.append(f"{name} 应为正整数，当前为 {getattr(self, name)}")
        if self.timeout <= 0:
            problems.append(f"timeout 应为正数（秒），当前为 {self.timeout}")
        if self.retries < 0:
            problems.append(f"retries 不能为负，当前为 {self.retries}")
        if problems:
            raise ConfigError("模型设置有误：" + "；".join(problems))

    @classmethod
    def from_env(cls, path: Path | None = None) -> "ModelSettings":
        """Settings from the `[llm]` table of the config file, overridden by the environment.

        ASSISTANT_PROVIDER, OPENAI_API_KEY, OPENAI_BASE_URL and ASSISTANT_MODEL win over the file.
        """
        values = _read_config(path or config_path())
        for env, key in (
            ("ASSISTANT_PROVIDER", "provider"),
            ("OPENAI_API_KEY", "api_key"),
            ("OPENAI_BASE_URL", "base_url"),
            ("ASSISTANT_MODEL", "model"),
        ):
            if value := os.environ.get(env, "").strip():
                values[key] = value
        provider = values["provider"] = str(values.get("provider", "local")).strip().lower()
        if provider == "local":
            values.pop("base_url", None)  # the local server's address is only known once it runs
            values.pop("api_key", None)
        elif "model" not in values:
            if values.get("base_url") and not _is_openai(values["base_url"]):
                raise ConfigError(
                    f"使用 {values['base_url']} 时请用 ASSISTANT_MODEL 指定该服务提供的模型名（如 deepseek-chat）"
                )
            values["model"] = OPENAI_DEFAULT_MODEL
        return cls(**values)

    @property
    def display_base_url(self) -> str:
        """The service address as shown to people."""
        if self.provider == "local":
            return "进程内 llama.cpp（127.0.0.1，随机端口）"
        return self.base_url or "https://api.openai.com/v1"


_TYPES: dict[str, type] = {
    "provider": str,
    "base_url": str,
    "api_key": str,
    "model": str,
    "temperature": float,
    "max_tokens": int,
    "timeout": float,
    "max_concurrency": int,
    "retries": int,
}


def _read_config(path: Path) -> dict[str, Any]:
    """The `[llm]` table of a TOML file, type-checked; {} when the file does not exist."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"无法读取配置文件 {path}：{exc}；请修正或删除它") from None
    table = data.get("llm", {})
    if not isinstance(table, dict):
        raise ConfigError(f"配置文件 {path} 中 llm 应为表（[llm]）")
    values: dict[str, Any] = {}
    for key, value in table.items():
        kind = _TYPES.get(key)
        if kind is None:
            raise ConfigError(f"配置文件 {path} 的 [llm] 中有未知的键 {key!r}；可用：{', '.join(_TYPES)}")
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ConfigError(f"配置文件 {path} 的 [llm] {key} 应为 {kind.__name__}，当前为 {type(value).__name__}")
        values[key] = value
    return values


def _is_openai(base_url: str | None) -> bool:
    return base_url is None or urlparse(base_url).hostname == "api.openai.com"


def _is_loopback(base_url: str | None) -> bool:
    return base_url is not None and urlparse(base_url).hostname in {"127.0.0.1", "localhost", "::1"}


# --- the client ---------------------------------------------------------------------


# Small local models fall into loops ("三是…四是…" repeating): llama.cpp's penalty curbs that; and they stop
# after two sentences: a mild bias against the end-of-turn token lets an item reach its budget.
LOCAL_SAMPLING = {"repeat_penalty": 1.1, "repeat_last_n": 256}
END_OF_TURN_BIAS = -4.0


class LangChainChatClient:
    """A ChatClient streaming through `ChatOpenAI` to any OpenAI-compatible endpoint."""

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
        self.base_url = base_url
        self._secret = api_key
        self._gate = gate
        # Official OpenAI wants max_completion_tokens (ChatOpenAI sends that); compatible
        # services (DeepSeek, DashScope, Ollama, vLLM, llama.cpp) all read max_tokens.
        self._native_max_tokens = _is_openai(settings.base_url) and not is_local
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

    def stream(
        self,
        messages: list[dict[str, str]],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> Iterator[str]:
        """Yield the reply's text as it arrives; raise a ModelError subclass on failure."""
        from langchain_core.messages import convert_to_messages

        lc_messages = convert_to_messages(_checked(messages))
        kwargs = self._request_kwargs(temperature, max_tokens)
        with self._gate:
            attempt = 0
            while True:
                yielded = False
                try:
                    for chunk in self._model.stream(lc_messages, **kwargs):
                        if text := _text_of(chunk.content):
                            yielded = True
                            yield text
                    return
                except (openai.OpenAIError, *_TRANSPORT_ERRORS) as exc:
                    if yielded or self.is_local or attempt >= self.settings.retries or not _transient(exc):
                        raise self._translate(exc) from None
                    delay = _backoff(attempt, exc)
                    attempt += 1
                    log.warning(
                        "%s: %s, retry %d/%d in %.1f s",
                        self.base_url, type(exc).__name__, attempt, self.settings.retries, delay,
                    )
                    time.sleep(delay)

    def _request_kwargs(self, temperature: float | None, max_tokens: int | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "temperature": self.settings.temperature if temperature is None else temperature,
        }
        limit = self.settings.max_tokens if max_tokens is None else max_tokens
        if self._native_max_tokens:
            kwargs["max_tokens"] = limit
            extra = self._extra_body
        else:
            extra = {**self._extra_body, "max_tokens": limit}
        if extra:  # a call's extra_body replaces ChatOpenAI's own, so everything goes here
            kwargs["extra_body"] = extra
        return kwargs

    def _translate(self, exc: BaseException) -> ModelError:
        """The library's error for a failed request, with the key scrubbed from any detail."""
        where, model = self.base_url, self.settings.model
        detail = self._redact(_detail(exc))
        if isinstance(exc, _TIMEOUTS):
            return ModelTimeoutError(
                f"模型服务 {where} 超过 {self.settings.timeout:g} 秒没有回应；"
                "调大 config.toml [llm] 的 timeout、缩短输入，或稍后重试"
            )
        if isinstance(exc, (openai.APIConnectionError, *_TRANSPORT_ERRORS)):
            return ServiceUnreachableError(
                f"连不上模型服务 {where}（{detail}）；检查 OPENAI_BASE_URL 与网络，"
                "或改用内置模型：ASSISTANT_PROVIDER=local"
            )
        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return MissingKeyError(
                f"模型服务 {where} 拒绝了 API key（HTTP {exc.status_code}）；"
                "检查 OPENAI_API_KEY，或改用内置模型：ASSISTANT_PROVIDER=local"
            )
        if isinstance(exc, openai.NotFoundError) or _says_unknown_model(exc):
            return UnknownModelError(
                f"模型服务 {where} 不认识模型 {model!r}（{detail}）；用 ASSISTANT_MODEL 指定该服务提供的模型名，"
                "并确认 OPENAI_BASE_URL 以 /v1（或服务文档给出的路径）结尾"
            )
        if isinstance(exc, openai.RateLimitError):
            return ServiceUnreachableError(
                f"模型服务 {where} 繁忙或额度不足（HTTP 429，已重试 {self.settings.retries} 次）；"
                "稍后重试，或调小 config.toml [llm] 的 max_concurrency"
            )
        if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
            return ServiceUnreachableError(
                f"模型服务 {where} 出错（HTTP {exc.status_code}，已重试 {self.settings.retries} 次）；稍后重试"
            )
        return ModelError(f"模型服务 {where} 拒绝了请求（{detail}）")

    def _redact(self, text: str) -> str:
        return text.replace(self._secret, "***") if self._secret else text


def _checked(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    for i, message in enumerate(messages):
        if message.get("role") not in ROLES or not isinstance(message.get("content"), str):
            raise ValueError(f"messages[{i}] needs role in {sorted(ROLES)} and string content")
    return messages


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def _transient(exc: BaseException) -> bool:
    """Worth another try: reset connections, 429 and 5xx; not refusals, timeouts or 4xx."""
    if isinstance(exc, _TIMEOUTS):
        return False
    if isinstance(exc, (openai.APIConnectionError, *_TRANSPORT_ERRORS)):
        return not any(isinstance(c, _CONNECT_ERRORS) for c in _causes(exc))
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return False


def _backoff(attempt: int, exc: BaseException) -> float:
    """Exponential with jitter; honours a short Retry-After."""
    if isinstance(exc, openai.APIStatusError):
        after = exc.response.headers.get("retry-after", "")
        if after.replace(".", "", 1).isdigit():
            return min(float(after), 30.0)
    return min(0.5 * 2**attempt, 8.0) * random.uniform(0.8, 1.2)


def _detail(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        body = exc.body
        message = body.get("message") if isinstance(body, dict) else None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            message = body["error"].get("message")
        return f"HTTP {exc.status_code}" + (f"：{message}" if message else "")
    for cause in _causes(exc):
        if isinstance(cause, _TRANSPORT_ERRORS) and str(cause):
            return f"{type(cause).__name__}: {cause}"
    return type(exc).__name__


def _says_unknown_model(exc: BaseException) -> bool:
    """DeepSeek and others answer 400, not 404, for a model they do not have."""
    if not isinstance(exc, openai.BadRequestError):
        return False
    text = _detail(exc).lower()
    return "model" in text and any(s in text for s in ("not exist", "not found", "does not exist", "unknown"))


# --- factory and doctor ------------------------------------------------------------------

_local_clients: dict[ModelSettings, LangChainChatClient] = {}
_local_lock = threading.Lock()


def get_chat_client(settings: ModelSettings | None = None) -> ChatClient:
    """The client for these settings (from the environment if None); local ones are shared."""
    settings = settings or ModelSettings.from_env()
    if settings.provider == "local":
        return _local_client(settings)
    key = settings.api_key
    if not key:
        if not _is_loopback(settings.base_url):
            raise MissingKeyError(
                f"模型服务 {settings.display_base_url} 需要 API key：设置 OPENAI_API_KEY，"
                "或改用内置模型：ASSISTANT_PROVIDER=local"
            )
        key = "not-needed"  # Ollama, vLLM and llama.cpp on this machine usually take any key
    return LangChainChatClient(
        settings,
        base_url=settings.base_url or "https://api.openai.com/v1",
        api_key=key,
        gate=threading.BoundedSemaphore(settings.max_concurrency),
        is_local=False,
    )


def local_sampling(model: BundledModel) -> dict[str, Any]:
    """llama.cpp sampling extras for a bundled model."""
    return {**LOCAL_SAMPLING, "logit_bias": [[model.end_of_turn_token, END_OF_TURN_BIAS]]}


def _local_client(settings: ModelSettings) -> LangChainChatClient:
    from .local_server import get_local_server

    get_model(settings.model)  # UnknownModelError before any work
    with _local_lock:
        client = _local_clients.get(settings)
        server = get_local_server(settings.model)
        if client is None or client.base_url != server.base_url:
            client = _local_clients[settings] = LangChainChatClient(
                settings,
                base_url=server.base_url,
                api_key=server.api_key,
                gate=server.request_lock,
                is_local=True,
                sampling=local_sampling(get_model(settings.model)),
            )
        return client


def doctor(settings: ModelSettings | None = None) -> list[tuple[str, str]]:
    """Labelled lines for `assistant doctor`; the last one says whether the model answered.

    Settings errors raise; a failed live check is reported as a line, not raised.
    """
    settings = settings or ModelSettings.from_env()
    paths = Settings.from_env()
    lines = [
        ("提供方", settings.provider),
        ("模型", settings.model),
        ("服务地址", settings.display_base_url),
        ("配置文件", f"{config_path()}（{'存在' if config_path().exists() else '不存在，使用默认值'}）"),
        ("数据目录", str(paths.home)),
        ("模型目录", str(paths.models_dir)),
    ]
    if settings.provider == "local":
        try:
            bundled = get_model(settings.model)
            ready = is_ready(bundled)
            lines.append(("模型文件", f"{model_path(bundled)}（{'已校验' if ready else '首次使用时拼接并校验'}）"))
        except ModelError as exc:
            lines.append(("模型文件", f"错误：{exc}"))
    else:
        lines.append(("API key", "已设置" if settings.api_key else "未设置"))
    lines.append(("应答测试", _live_check(settings)))
    return lines


def _live_check(settings: ModelSettings) -> str:
    prompt = [{"role": "user", "content": "只回答一个字：好"}]
    started = time.perf_counter()
    try:
        client = get_chat_client(settings)  # local: joins and loads the model on first use
        ready = time.perf_counter()
        reply = "".join(client.stream(prompt, temperature=0.0, max_tokens=8)).strip()
    except ModelError as exc:
        return f"失败：{exc}"
    answered = time.perf_counter() - ready
    loading = f"（另加载模型 {ready - started:.1f} 秒）" if ready - started >= 0.1 else ""
    return f"正常，回答 {reply[:20]!r}，用时 {answered:.1f} 秒{loading}"


__all__ = [
    "ChatClient",
    "LangChainChatClient",
    "ModelSettings",
    "config_path",
    "doctor",
    "get_chat_client",
]
