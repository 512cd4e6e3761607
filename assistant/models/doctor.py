"""`assistant doctor`: the active model, where things live, and whether the model answers."""

from __future__ import annotations

import time

from assistant.errors import ModelError
from assistant.models.bundled import get_model, is_ready, model_path
from assistant.models.providers import get_chat_client
from assistant.models.request import ChatRequest, Task
from assistant.settings import Settings


def doctor(settings: Settings) -> list[tuple[str, str]]:
    """Labelled lines; the last says whether the model answered. A failed live check is a line, not raised."""
    model = settings.model
    config = settings.config_file
    lines = [
        ("提供方", model.provider),
        ("模型", model.model),
        ("服务地址", model.display_base_url),
        ("配置文件", f"{config}（{'存在' if config.exists() else '不存在，使用默认值'}）"),
        ("数据目录", str(settings.home)),
        ("模型目录", str(settings.models_dir)),
    ]
    if model.is_local:
        try:
            bundled = get_model(model.model)
            ready = is_ready(bundled, settings.models_dir)
            where = model_path(bundled, settings.models_dir)
            lines.append(("模型文件", f"{where}（{'已校验' if ready else '首次使用时拼接并校验'}）"))
        except ModelError as exc:
            lines.append(("模型文件", f"错误：{exc}"))
    else:
        lines.append(("API key", "已设置" if model.api_key else "未设置"))
    lines.append(("应答测试", _live_check(settings)))
    return lines


def _live_check(settings: Settings) -> str:
    request = ChatRequest([{"role": "user", "content": "只回答一个字：好"}], Task("check"), max_tokens=8, temperature=0.0)
    started = time.perf_counter()
    try:
        client = get_chat_client(settings)  # local: joins and loads the model on first use
        ready = time.perf_counter()
        reply = "".join(client.stream(request)).strip()
    except ModelError as exc:
        return f"失败：{exc}"
    answered = time.perf_counter() - ready
    loading = f"（另加载模型 {ready - started:.1f} 秒）" if ready - started >= 0.1 else ""
    return f"正常，回答 {reply[:20]!r}，用时 {answered:.1f} 秒{loading}"
