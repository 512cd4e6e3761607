"""设置: the model (local, or an OpenAI-compatible service with a key kept in this session only) and length."""

from __future__ import annotations

import streamlit as st

from assistant.errors import AssistantError
from assistant.llm import OPENAI_DEFAULT_MODEL, ModelSettings
from assistant.models_bundled import DEFAULT_MODEL
from ui import state

ws = state.current()
st.title("设置")
current = ws.model

st.subheader("模型")
provider = st.radio("模型来源", ["local", "openai"], index=["local", "openai"].index(current.provider), horizontal=True,
                    format_func={"local": "内置模型（本机运行，不联网）", "openai": "OpenAI 兼容服务"}.get,
                    key="settings-provider")
if provider == "openai":
    base_url = st.text_input("服务地址（base URL）", current.base_url or "", key="settings-base-url",
                             placeholder="https://api.deepseek.com/v1")
    model = st.text_input("模型名", current.model if current.provider == "openai" else OPENAI_DEFAULT_MODEL,
                          key="settings-model")
    api_key = st.text_input("API key", current.api_key or "", type="password", key="settings-key",
                            help="只保存在本次浏览器会话的内存里，不写入磁盘或日志；关闭页面即失效。")
else:
    base_url, model, api_key = "", DEFAULT_MODEL, ""
length = st.number_input("新建事实表的默认目标字数", 500, 20000, ws.target_length, step=500, key="settings-length")

if st.button("保存设置", type="primary", key="settings-save"):
    try:
        ws.model = ModelSettings(
            provider=provider,  # type: ignore[arg-type]
            base_url=base_url.strip() or None,
            api_key=api_key.strip() or None,
            model=model.strip(),
            temperature=current.temperature,
            max_tokens=current.max_tokens,
            timeout=current.timeout,
            max_concurrency=current.max_concurrency,
            retries=current.retries,
        )
    except AssistantError as exc:
        st.error(str(exc))
    else:
        ws.target_length = int(length)
        st.success(f"已保存：{state.model_label(ws.model)}。API key 仅存于本次会话。")
st.caption(f"当前模型：{state.model_label(ws.model)}")
