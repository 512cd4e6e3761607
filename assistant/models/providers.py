"""Chat model providers, registered by name; `get_chat_client` builds the one the settings name.

Two ship with the package: `local` (the bundled model in an in-process llama.cpp server) and
`openai` (any OpenAI-compatible service). Another provider, the scripted model of the tests
for one, is one `register_provider` call away and takes the same path.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from assistant.errors import ConfigError, MissingKeyError
from assistant.models.bundled import BundledModel, get_model
from assistant.models.client import LangChainChatClient
from assistant.models.gate import Gate
from assistant.models.request import ChatClient
from assistant.settings import Settings

ProviderFactory = Callable[[Settings], ChatClient]

# Small local models fall into loops ("三是…四是…" repeating): llama.cpp's penalty curbs that; and they stop
# after two sentences: a mild bias against the end-of-turn token lets an item reach its budget.
LOCAL_SAMPLING = {"repeat_penalty": 1.1, "repeat_last_n": 256}
END_OF_TURN_BIAS = -4.0
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

_providers: dict[str, ProviderFactory] = {}


def register_provider(name: str, factory: ProviderFactory) -> None:
    """Make `name` a provider: `factory(settings)` returns its client."""
    _providers[name] = factory


def provider_names() -> list[str]:
    return sorted(_providers)


def get_chat_client(settings: Settings) -> ChatClient:
    """The client of the provider `settings.model.provider` names."""
    factory = _providers.get(settings.model.provider)
    if factory is None:
        raise ConfigError(
            f"没有名为 {settings.model.provider!r} 的模型提供方；可选：{'、'.join(provider_names())}（设置 ASSISTANT_PROVIDER）"
        )
    return factory(settings)


def openai_client(settings: Settings) -> ChatClient:
    """Any OpenAI-compatible service; a key is needed unless the service runs on this machine."""
    from urllib.parse import urlparse

    model = settings.model
    key = model.api_key
    if not key:
        if model.base_url is None or urlparse(model.base_url).hostname not in LOOPBACK:
            raise MissingKeyError(
                f"模型服务 {model.display_base_url} 需要 API key：设置 OPENAI_API_KEY，或改用内置模型：ASSISTANT_PROVIDER=local"
            )
        key = "not-needed"  # Ollama, vLLM and llama.cpp on this machine usually take any key
    return LangChainChatClient(
        model, base_url=model.base_url or "https://api.openai.com/v1", api_key=key,
        gate=Gate(model.max_concurrency), is_local=False,
    )


def local_sampling(model: BundledModel) -> dict[str, Any]:
    """llama.cpp sampling extras for a bundled model."""
    return {**LOCAL_SAMPLING, "logit_bias": [[model.end_of_turn_token, END_OF_TURN_BIAS]]}


_local_clients: dict[Settings, LangChainChatClient] = {}
_local_lock = threading.Lock()


def local_client(settings: Settings) -> ChatClient:
    """The bundled model; one client per settings and one server per model file, shared by the process."""
    from assistant.models.local_server import get_local_server

    bundled = get_model(settings.model.model)  # UnknownModelError before any work
    with _local_lock:
        client = _local_clients.get(settings)
        server = get_local_server(settings)
        if client is None or client.base_url != server.base_url:
            client = _local_clients[settings] = LangChainChatClient(
                settings.model, base_url=server.base_url, api_key=server.api_key, gate=server.request_lock,
                is_local=True, sampling=local_sampling(bundled), ban_tokens=server.tokens_to_ban,
                share_prefix=server.share_prefix,
            )
        return client


register_provider("local", local_client)
register_provider("openai", openai_client)
