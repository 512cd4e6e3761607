"""How fast the bundled 1.5B model drafts through our stack, and what the stack costs.

Overhead is our end-to-end wall time for a streamed request (ChatClient → ChatOpenAI
→ HTTP → llama.cpp) divided by llama.cpp's own prompt + generation time for that same
request, read as deltas of the server's /metrics counters. Target: within 1.10.

    python -m bench.bench_llm
"""

from __future__ import annotations

import json
import re
import statistics
import time
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from assistant.models.bundled import DEFAULT_MODEL, ensure_model, get_model, is_ready
from assistant.models.client import LangChainChatClient
from assistant.models.local_server import LocalServer, get_local_server
from assistant.models.providers import get_chat_client
from assistant.models.request import ChatRequest, Task
from assistant.settings import Settings

SYSTEM = "你是党建工作文稿助手，用规范、朴实的公文语言写作，不编造事实。"
USER = (
    "根据以下事实，写一段约两百字的党支部年度工作总结（“一是……二是……三是……”的写法）：\n"
    "一是组织全体党员开展主题教育集中学习12次，撰写心得体会46篇；\n"
    "二是在生产一线设立“党员先锋岗”8个，解决技术难题15项；\n"
    "三是开展“我为群众办实事”活动，走访困难群众35户，帮办实事52件。"
)
MAX_TOKENS = 128
RUNS = 3

_COUNTERS = (
    "llamacpp:prompt_seconds_total",
    "llamacpp:tokens_predicted_seconds_total",
    "llamacpp:prompt_tokens_total",
    "llamacpp:tokens_predicted_total",
)


def run(settings: Settings, runs: int = RUNS, max_tokens: int = MAX_TOKENS) -> dict[str, Any]:
    """Measure load, time to first token, tokens/s and overhead for the local 1.5B model."""
    settings = settings.with_model(provider="local", model=DEFAULT_MODEL)
    bundled = get_model(DEFAULT_MODEL)
    was_joined = is_ready(bundled, settings.models_dir)
    started = time.perf_counter()
    path = ensure_model(DEFAULT_MODEL, settings.models_dir)
    join_s = time.perf_counter() - started
    started = time.perf_counter()
    server = get_local_server(settings)
    load_total_s = time.perf_counter() - started
    client = cast(LangChainChatClient, get_chat_client(settings))

    list(client.stream(_request(_messages(-1), 1)))  # warm the HTTP path
    samples = [_measure(client, server, _messages(i), max_tokens) for i in range(runs)]
    raw = _measure_raw_http(server, _messages(runs), max_tokens)

    def median(key: str) -> float:
        return statistics.median(s[key] for s in samples)

    return {
        "model": DEFAULT_MODEL,
        "model_file": str(path),
        "model_bytes": path.stat().st_size,
        "join_cached": was_joined,
        "join_s": join_s,
        "server_load_s": server.load_seconds,
        "load_total_s": load_total_s,
        "runs": runs,
        "max_tokens": max_tokens,
        "prompt_tokens": median("prompt_tokens"),
        "generated_tokens": median("generated_tokens"),
        "ttft_s": median("ttft_s"),
        "wall_s": median("wall_s"),
        "llama_s": median("llama_s"),
        "prompt_tok_per_s": median("prompt_tok_per_s"),
        "gen_tok_per_s_llama": median("gen_tok_per_s_llama"),
        "gen_tok_per_s_e2e": median("gen_tok_per_s_e2e"),
        "overhead_ratio": median("overhead_ratio"),
        "overhead_ratio_raw_http": raw["overhead_ratio"],
        "rss_mib": _proc_status_mib("VmRSS"),
        "peak_rss_mib": _proc_status_mib("VmHWM"),
        "samples": samples,
    }


def _messages(i: int) -> list[dict[str, str]]:
    """The fixed prompt; the leading run number defeats llama.cpp's prompt cache between runs."""
    return [{"role": "system", "content": f"（第{i + 2}次）{SYSTEM}"}, {"role": "user", "content": USER}]


def _request(messages: list[dict[str, str]], max_tokens: int) -> ChatRequest:
    return ChatRequest(messages, Task("check"), max_tokens=max_tokens, temperature=0.0)


def _measure(client: LangChainChatClient, server: LocalServer, messages: list[dict[str, str]], max_tokens: int) -> dict[str, float]:
    return _timed(server, client.stream(_request(messages, max_tokens)))


def _measure_raw_http(server: LocalServer, messages: list[dict[str, str]], max_tokens: int) -> dict[str, float]:
    """The same request over plain urllib + SSE, to split LangChain's share from HTTP's."""
    body = {"messages": messages, "max_tokens": max_tokens, "temperature": 0.0, "stream": True}
    request = urllib.request.Request(
        server.base_url + "/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {server.api_key}"},
    )

    def pieces() -> Iterator[bytes]:
        with server.request_lock, urllib.request.urlopen(request, timeout=300) as response:
            yield from (ln for ln in response if ln.startswith(b"data: {") and b'"content":"' in ln)

    return _timed(server, pieces())


def _timed(server: LocalServer, pieces: Iterable[object]) -> dict[str, float]:
    """Wall time, time to first piece and streaming time of one request, beside llama.cpp's own counters."""
    before = _counters(server)
    started = time.perf_counter()
    first = last = started
    for _ in pieces:
        last = time.perf_counter()
        if first == started:
            first = last
    wall = time.perf_counter() - started
    delta = {k: v - before[k] for k, v in _counters(server).items()}
    return _summary(wall, first - started, last - first, delta)


def _summary(wall: float, ttft: float, streaming: float, delta: dict[str, float]) -> dict[str, float]:
    prompt_s, gen_s = delta["llamacpp:prompt_seconds_total"], delta["llamacpp:tokens_predicted_seconds_total"]
    prompt_n, gen_n = delta["llamacpp:prompt_tokens_total"], delta["llamacpp:tokens_predicted_total"]
    llama_s = prompt_s + gen_s
    return {
        "wall_s": wall,
        "ttft_s": ttft,
        "llama_s": llama_s,
        "prompt_tokens": prompt_n,
        "generated_tokens": gen_n,
        "prompt_tok_per_s": prompt_n / prompt_s if prompt_s else 0.0,
        "gen_tok_per_s_llama": gen_n / gen_s if gen_s else 0.0,
        "gen_tok_per_s_e2e": (gen_n - 1) / streaming if streaming > 0 else 0.0,
        "overhead_ratio": wall / llama_s if llama_s else float("inf"),
    }


def _counters(server: LocalServer) -> dict[str, float]:
    values = {}
    for name in _COUNTERS:
        match = re.search(rf"^{re.escape(name)} ([0-9.eE+-]+)$", server.metrics(), re.MULTILINE)
        values[name] = float(match.group(1)) if match else 0.0
    return values


def _proc_status_mib(field: str) -> float:
    status = Path("/proc/self/status")
    if not status.exists():
        return float("nan")
    match = re.search(rf"^{field}:\s+(\d+) kB", status.read_text(), re.MULTILINE)
    return int(match.group(1)) / 1024 if match else float("nan")


def table(result: dict[str, Any]) -> str:
    """The result as aligned lines for people."""
    rows = [
        ("model", f"{result['model']} ({result['model_bytes'] / 2**20:.0f} MiB)"),
        ("join", f"{result['join_s']:.2f} s ({'cached, marker checked' if result['join_cached'] else 'joined + sha256'})"),
        ("server load", f"{result['server_load_s']:.2f} s (llama.cpp load + /health)"),
        ("load total", f"{result['load_total_s']:.2f} s (excluding join)"),
        ("prompt", f"{result['prompt_tokens']:.0f} tokens at {result['prompt_tok_per_s']:.1f} tok/s"),
        ("time to first token", f"{result['ttft_s']:.2f} s"),
        ("generated", f"{result['generated_tokens']:.0f} tokens (max {result['max_tokens']})"),
        ("tokens/s (llama.cpp)", f"{result['gen_tok_per_s_llama']:.1f}"),
        ("tokens/s (end to end)", f"{result['gen_tok_per_s_e2e']:.1f}"),
        ("wall / llama.cpp time", f"{result['wall_s']:.2f} s / {result['llama_s']:.2f} s"),
        ("overhead ratio", f"{result['overhead_ratio']:.3f} (target <= 1.10; {'ok' if result['overhead_ratio'] <= 1.10 else 'OVER'})"),
        ("  raw HTTP, same request", f"{result['overhead_ratio_raw_http']:.3f}"),
        ("memory (RSS / peak)", f"{result['rss_mib']:.0f} MiB / {result['peak_rss_mib']:.0f} MiB"),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)


if __name__ == "__main__":
    outcome = run(Settings.from_env())
    print(f"Local model benchmark, median of {outcome['runs']} runs")
    print(table(outcome))
