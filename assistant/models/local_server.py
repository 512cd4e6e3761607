"""The bundled model served in-process as an OpenAI-compatible endpoint on 127.0.0.1.

`get_local_server(name)` joins the model if needed, starts one llama.cpp server
per model file for the whole process (random port, random API key) and stops
it at exit. Clients talk to it over HTTP exactly as they would to a remote service.
"""

from __future__ import annotations

import atexit
import functools
import json
import logging
import os
import secrets
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from assistant.errors import ModelFileError, ServiceUnreachableError
from assistant.models.bundled import ensure_model
from assistant.models.gate import Gate
from assistant.settings import Settings

log = logging.getLogger(__name__)

SLOT_CTX = 4096  # tokens of context per slot: a ~2.5k-token prompt, 1.5k of output
HEALTH_TIMEOUT_S = 120.0
VOCAB_SEPARATOR = "\u0001"
SHARED_STATE = "shared-prefix.bin"  # one slot's state, saved to be restored into the others
LINE_BREAKS = ("\n", "\r")  # banned inside a token too


class LocalServer:
    """A running in-process llama.cpp server; `base_url` ends in /v1."""

    def __init__(self, model_name: str, model_file: Path, *, threads: int | None = None, verbosity: int = 1,
                 slots: int = 1) -> None:
        import xllamacpp

        self.model_name = model_name
        self.model_file = model_file
        self.api_key = secrets.token_urlsafe(32)
        #: As many requests at once as there are slots: llama.cpp decodes them in one batch.
        self.slots = slots
        self.request_lock = Gate(slots)
        threads = threads or cores()
        params = xllamacpp.CommonParams()
        params.model.path = str(model_file)
        params.model_alias = model_name
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # the server picks a free port
        params.api_keys = [self.api_key]
        params.n_ctx = SLOT_CTX * slots  # llama.cpp divides the context among the slots
        params.n_parallel = slots
        # A KV buffer per slot: a slot's saved state restores into any other (see `share_prefix`); with
        # one buffer for all, the restored slots were measured to read the prompt again.
        params.kv_unified = False
        self._slot_dir = tempfile.mkdtemp(prefix="assistant-slots-")
        params.slot_save_path = self._slot_dir + os.sep
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.endpoint_metrics = True  # llama.cpp's own timings, for the benchmark
        params.verbosity = verbosity
        started = time.perf_counter()
        try:
            self._server: object | None = xllamacpp.Server(params)
        except Exception as exc:  # the binding raises plain RuntimeError/ValueError
            shutil.rmtree(self._slot_dir, ignore_errors=True)
            raise ModelFileError(
                f"llama.cpp 无法加载模型文件 {model_file}（{exc}）：文件损坏或内存不足；"
                f"删除该文件及 {model_file.name}.verified 后重新运行以重新拼接，或关闭其他占内存的程序"
            ) from exc
        self.root_url = str(self._server.listening_address).rstrip("/")
        self.base_url = self.root_url + "/v1"
        self._wait_healthy()
        self.load_seconds = time.perf_counter() - started
        log.info("local model %s served at %s (%.1f s)", model_name, self.base_url, self.load_seconds)

    def __repr__(self) -> str:
        return f"LocalServer(model_name={self.model_name!r}, base_url={self.base_url!r})"

    def _call(self, path: str, body: dict[str, object] | None = None) -> Any:
        """llama.cpp's JSON answer at `path`: a POST of `body`, or a GET without one."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.root_url + path, data=data, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.api_key}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def share_prefix(self, messages: list[dict[str, str]]) -> None:
        """Read `messages` once, in one idle slot, and copy that state into the other idle slots, so that
        requests which start together with these messages all find them cached instead of each reading
        them (a copy takes milliseconds; reading a 300-token system prompt, seconds). Best effort: a
        slot busy with another request keeps its state."""
        try:
            with self.request_lock:
                idle = [s["id"] for s in self._call("/slots") if not s.get("is_processing")]
                if len(idle) < 2:
                    return
                source, *others = idle
                self._call("/v1/chat/completions", {"messages": messages, "max_tokens": 1, "id_slot": source,
                                                    "cache_prompt": True, "temperature": 0.0})
                self._call(f"/slots/{source}?action=save", {"filename": SHARED_STATE})
            for slot in others:
                self._call(f"/slots/{slot}?action=restore", {"filename": SHARED_STATE})
        except OSError as exc:
            log.warning("could not share the prompt's start across slots: %s", exc)

    @functools.lru_cache(maxsize=4096)  # one server per model file lives as long as the process
    def token_count(self, text: str) -> int:
        """How many tokens the model's tokenizer makes of `text` (llama.cpp's /tokenize)."""
        return len(self._call("/tokenize", {"content": text})["tokens"])

    @functools.cached_property
    def vocabulary(self) -> list[str]:
        """The text of every token, by id: all ids detokenized in one request, each followed by the
        token of a control character that no other token holds, and split on it (a token of part of
        a character comes back as U+FFFD)."""
        size = int(self._call("/v1/models")["data"][0]["meta"]["n_vocab"])
        separator = self._call("/tokenize", {"content": VOCAB_SEPARATOR})["tokens"]
        others = [i for i in range(size) if i not in separator]
        pieces = self._call("/detokenize", {"tokens": [t for i in others for t in (i, *separator)]})["content"].split(VOCAB_SEPARATOR)
        vocabulary = [VOCAB_SEPARATOR] * size
        for i, piece in zip(others, pieces):
            vocabulary[i] = piece
        return vocabulary

    @functools.lru_cache(maxsize=4096)
    def tokens_to_ban(self, text: str) -> tuple[int, ...]:
        """The ids of every token whose text begins with `text`: 我们 is a token, and so are 我们将 and
        我们也, which a logit bias on 我们 alone would let through. A line break is banned wherever it
        stands in a token: 。\n and 。\n\n are tokens of their own."""
        if text in LINE_BREAKS:
            return tuple(i for i, piece in enumerate(self.vocabulary) if text in piece)
        return tuple(i for i, piece in self._by_first_character.get(text[:1], []) if piece.startswith(text))

    @functools.cached_property
    def _by_first_character(self) -> dict[str, list[tuple[int, str]]]:
        index: dict[str, list[tuple[int, str]]] = {}
        for i, piece in enumerate(self.vocabulary):
            if piece := piece.lstrip(" "):
                index.setdefault(piece[0], []).append((i, piece))
        return index

    def metrics(self) -> str:
        """The Prometheus metrics text: llama.cpp's counters of tokens and seconds."""
        if self._server is None:
            raise ServiceUnreachableError(f"本地模型服务 {self.base_url} 已关闭")
        return str(self._server.handle_metrics())  # type: ignore[attr-defined]

    @property
    def is_running(self) -> bool:
        """False once closed."""
        return self._server is not None

    def close(self) -> None:
        """Stop the server and free the model; idempotent."""
        server, self._server = self._server, None
        if server is not None:
            del server  # the binding's destructor stops the HTTP thread and the main loop
            shutil.rmtree(self._slot_dir, ignore_errors=True)

    def _wait_healthy(self, timeout: float = HEALTH_TIMEOUT_S) -> None:
        """Poll /health until 200; it answers 503 while the model loads."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.root_url + "/health", timeout=2.0) as response:
                    if response.status == 200:
                        return
                    last = f"HTTP {response.status}"
            except urllib.error.HTTPError as exc:  # 503 while loading
                last = f"HTTP {exc.code}"
            except OSError as exc:
                last = type(exc).__name__
            time.sleep(0.05)
        self.close()
        raise ServiceUnreachableError(
            f"本地模型服务 {self.root_url} 在 {timeout:.0f} 秒内没有就绪（最后一次：{last}）；"
            "检查内存是否足够（1.5B 模型约需 2 GiB），或换用 ASSISTANT_MODEL=qwen2.5-coder-0.5b"
        )


def cores() -> int:
    """Every core this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


_servers: dict[Path, LocalServer] = {}
_servers_lock = threading.Lock()


def get_local_server(settings: Settings) -> LocalServer:
    """The process-wide server for the settings' bundled model, started on first use."""
    model = settings.model
    model_file = ensure_model(model.model, settings.models_dir).resolve()
    with _servers_lock:
        server = _servers.get(model_file)
        if server is None or not server.is_running:
            server = _servers[model_file] = LocalServer(
                model.model, model_file, threads=model.threads, verbosity=model.verbosity, slots=model.max_concurrency
            )
        return server


def running_servers() -> list[LocalServer]:
    """The servers started so far in this process."""
    with _servers_lock:
        return list(_servers.values())


@atexit.register
def shutdown_all() -> None:
    """Stop every server this process started."""
    with _servers_lock:
        servers = list(_servers.values())
        _servers.clear()
    for server in servers:
        server.close()
