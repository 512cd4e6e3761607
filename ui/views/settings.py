"""设置: the model (local, or an OpenAI-compatible service with a key kept in this session only) and length."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from assistant.errors import AssistantError
from assistant.settings import LOCAL_DEFAULT_MODEL, OPENAI_DEFAULT_MODEL
from ui import state

ws = state.current()
st.title("设置")
current = ws.model

st.subheader("模型")
choices = ["local", "openai"]
provider = st.radio("模型来源", choices, index=choices.index(current.provider) if current.provider in choices else 0,
                    horizontal=True,
                    format_func={"local": "内置模型（本机运行，不联网）", "openai": "OpenAI 兼容服务"}.get,
                    key="settings-provider")
if provider == "openai":
    base_url = st.text_input("服务地址（URL）", current.base_url or "", key="settings-base-url",
                             placeholder="https://api.deepseek.com/v1")
    model = st.text_input("模型名", current.model if current.provider == "openai" else OPENAI_DEFAULT_MODEL,
                          key="settings-model")
    api_key = st.text_input("API key", current.api_key or "", type="password", key="settings-key",
                            help="只保存在本次浏览器会话的内存里，不写入磁盘或日志；关闭页面即失效。")
else:
    base_url, model, api_key = "", LOCAL_DEFAULT_MODEL, ""
length = st.number_input("新建事实表的默认目标字数", 500, 20000, ws.target_length, step=500, key="settings-length")

if st.button("保存设置", type="primary", key="settings-save"):
    try:
        ws.model = replace(current, provider=provider, base_url=base_url.strip() or None,
                           api_key=api_key.strip() or None, model=model.strip())
    except AssistantError as exc:
        st.error(str(exc))
    else:
        ws.target_length = int(length)
        st.success(f"已保存：{state.model_label(ws.model)}。API key 仅存于本次会话。")
st.caption(f"当前模型：{state.model_label(ws.model)}")
