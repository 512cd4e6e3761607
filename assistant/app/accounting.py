"""Token accounting of a draft from llama.cpp's own counters: read, served from cache, generated, kept.

The figure to quote is wall time / floor, where the floor is the kept tokens at the single-stream
generation rate measured in the same run: absolute seconds drift from machine to machine.
"""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import asdict, dataclass

from assistant.domain.draft import Draft
from assistant.drafting.constrained import lead_of
from assistant.drafting.items import chapter_intro
from assistant.drafting.purposes import official_purposes, purpose_openers
from assistant.models.local_server import LocalServer

COUNTERS = {
    "read": "llamacpp:prompt_tokens_total",
    "cached": "llamacpp:prompt_tokens_cached_total",
    "generated": "llamacpp:tokens_predicted_total",
    "read_s": "llamacpp:prompt_seconds_total",
    "generated_s": "llamacpp:tokens_predicted_seconds_total",
}
RATE_PROBE = "请用三句话介绍党支部的组织生活制度。"


def counters(server: LocalServer) -> dict[str, float]:
    text = server.metrics()
    found = {}
    for key, name in COUNTERS.items():
        m = re.search(rf"^{re.escape(name)} ([0-9.eE+-]+)$", text, re.MULTILINE)
        found[key] = float(m.group(1)) if m else 0.0
    return found


def generation_rate(server: LocalServer, tokens: int = 96) -> float:
    """Single-stream tokens per second, measured now by one request of `tokens` tokens."""
    body = {"messages": [{"role": "user", "content": RATE_PROBE}], "max_tokens": tokens, "temperature": 0.0,
            "ignore_eos": True, "cache_prompt": False}
    request = urllib.request.Request(server.base_url + "/chat/completions", data=json.dumps(body).encode(), headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {server.api_key}"})
    with server.request_lock, urllib.request.urlopen(request, timeout=300) as response:
        return float(json.loads(response.read())["timings"]["predicted_per_second"])


@dataclass
class Accounting:
    read: int
    cached: int
    generated: int
    kept: int
    discarded: int
    read_s: float
    generated_s: float
    floor_s: float
    wall_over_floor: float

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(self).items()}


def kept_tokens(server: LocalServer, draft: Draft) -> int:
    """Tokens of the model's own text in the draft: sections it wrote, less the leads, chapter intros and
    official purposes (with their openers) code wrote."""
    total = 0
    official = [opener + p + "。" for p in official_purposes(draft.facts).values() for opener in purpose_openers()]
    for section in draft.sections:
        version = section.version
        if version is None or version.origin in ("composed", "fallback"):
            continue
        by_code = [lead_of(f).removesuffix("。") for f in section.facts] + [chapter_intro(section, draft.facts), *official]
        total += server.token_count(section.text)
        total -= sum(server.token_count(part) for part in by_code if part and part in section.text)
    return max(total, 0)


def account(server: LocalServer, before: dict[str, float], draft: Draft, wall_s: float, rate: float) -> Accounting:
    """The draft's accounting from the counters before it and now."""
    now = counters(server)
    delta = {k: now[k] - before[k] for k in COUNTERS}
    kept = kept_tokens(server, draft)
    floor = kept / rate if rate else 0.0
    return Accounting(
        read=int(delta["read"]), cached=int(delta["cached"]), generated=int(delta["generated"]), kept=kept,
        discarded=max(0, int(delta["generated"]) - kept), read_s=delta["read_s"], generated_s=delta["generated_s"],
        floor_s=floor, wall_over_floor=wall_s / floor if floor else 0.0,
    )
