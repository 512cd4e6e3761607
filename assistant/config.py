"""Settings from the environment: where data lives and which services to use."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = REPO_ROOT / "prompts"
CORPUS_DIR = REPO_ROOT / "corpus"
DATA_FILES_DIR = Path(__file__).resolve().parent / "data"


def default_home() -> Path:
    """`$ASSISTANT_HOME`, else `$XDG_DATA_HOME/dangjian-assistant`, else ~/.local/share/…"""
    if env := os.environ.get("ASSISTANT_HOME"):
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "dangjian-assistant"


@dataclass(frozen=True)
class Settings:
    """Where the index, drafts and model cache live, and where a Chroma server is."""

    home: Path
    chroma_host: str | None = None
    chroma_port: int = 8000

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def embedding_cache(self) -> Path:
        return self.home / "embedding-cache.sqlite"

    @property
    def drafts_db(self) -> Path:
        return self.home / "drafts.sqlite"

    @property
    def models_dir(self) -> Path:
        if env := os.environ.get("ASSISTANT_MODELS_DIR"):
            return Path(env).expanduser()
        return self.home / "models"

    @classmethod
    def from_env(cls) -> "Settings":
        port = os.environ.get("CHROMA_PORT", "8000")
        if not port.isdigit():
            from .errors import ConfigError

            raise ConfigError(f"CHROMA_PORT 应为端口号（整数），当前为 {port!r}")
        return cls(
            home=default_home(),
            chroma_host=os.environ.get("CHROMA_HOST") or None,
            chroma_port=int(port),
        )
