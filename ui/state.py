"""Per-user session state and the shared, cached resources of the workspace.

- `Workspace` is the one typed object a browser session keeps, under `st.session_state["workspace"]`:
  its owner id, the open draft, the fact-sheet form, the model settings (the API key lives here
  and nowhere else) and pending chat proposals.
- `st.cache_resource` holds only what every user may share: the example `Library` and the
  stores of the data directory, and the local model's client. A remote client is built per
  session from that session's settings and never cached.
- The owner id is kept in the URL (`?owner=…`), so a refresh or a second tab reopens the same drafts.

Test hook: when `ASSISTANT_TEST_CHAT=module:factory` is set (tests only, e.g.
`tests.fake_provider:make`), `chat_client()` returns `factory(model_settings)` instead of a
real model. Nothing else changes.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import streamlit as st

from assistant import workspace
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.draft import Draft, Finding, SectionVersion
from assistant.llm import ChatClient, ModelSettings, get_chat_client
from assistant.services import Library

SESSION_KEY = "workspace"
TEST_CHAT_ENV = "ASSISTANT_TEST_CHAT"


@dataclass
class Workspace:
    """Everything one browser session holds."""

    owner: str
    model: ModelSettings
    draft: Draft | None = None
    form: dict[str, Any] = field(default_factory=workspace.empty_form)
    form_problems: list[str] = field(default_factory=list)
    form_nonce: int = 0  # bumped to rebuild the form widgets from `form` (open, import, new)
    target_length: int = 3000
    pending: dict[str, SectionVersion] = field(default_factory=dict)  # section key -> proposal
    findings: list[Finding] = field(default_factory=list)  # whole-draft findings of the last run
    section_key: str | None = None
    upload_nonce: int = 0
    notice: str = ""  # one message shown on the next run (after st.rerun)

    def form_key(self, name: str) -> str:
        """The widget key of a form field, fresh for each opened or imported sheet."""
        return f"form-{self.form_nonce}-{name}"

    def show(self, draft: Draft | None, form: dict[str, Any]) -> None:
        """Switch to another draft (or a blank sheet): its form, no pending proposals."""
        self.draft, self.form = draft, form
        self.form_nonce += 1
        self.form_problems, self.pending, self.findings = [], {}, []
        self.section_key = None
        if draft is not None:
            self.target_length = draft.facts.length


def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def get_library(home: str) -> Library:
    """The example index of this data directory, shared by every session."""
    return Library(replace(Settings.from_env(), home=Path(home)))


@st.cache_resource(show_spinner=False)
def get_stores(home: str) -> workspace.Stores:
    """The drafts and forms database of this data directory (each call opens its own connection)."""
    return workspace.Stores(Path(home))


def library() -> Library:
    return get_library(str(settings().home))


def stores() -> workspace.Stores:
    return get_stores(str(settings().home))


@st.cache_resource(show_spinner="正在启动内置模型…")
def get_local_client(model: ModelSettings) -> ChatClient:
    """The bundled local model, shared: it holds no user's key."""
    return get_chat_client(model)


def chat_client(ws: Workspace) -> ChatClient:
    """The model for this session: the local one is shared, a remote one is built from the session's key."""
    if spec := os.environ.get(TEST_CHAT_ENV):
        module, _, attr = spec.partition(":")
        return getattr(importlib.import_module(module), attr or "make")(ws.model)
    if ws.model.provider == "local":
        return get_local_client(ws.model)
    return get_chat_client(ws.model)


def model_label(model: ModelSettings) -> str:
    label = f"内置模型 {model.model}" if model.provider == "local" else f"{model.model} @ {model.display_base_url}"
    return f"测试用脚本模型（设置为 {label}）" if os.environ.get(TEST_CHAT_ENV) else label


def _owner_from_url() -> str:
    owner = st.query_params.get("owner")
    if workspace.is_owner_id(owner):
        return str(owner)
    owner = workspace.new_owner_id()
    st.query_params["owner"] = owner
    return owner


def current() -> Workspace:
    """This session's workspace; on a new session, the owner from the URL and their latest draft."""
    ws = st.session_state.get(SESSION_KEY)
    if ws is None:
        owner = _owner_from_url()
        try:
            model = ModelSettings.from_env()
        except AssistantError:  # a broken config file must not lock the user out; 设置 shows it
            model = ModelSettings()
        ws = Workspace(owner=owner, model=model)
        wanted = st.query_params.get("draft")
        try:
            ws.show(*workspace.open_draft(stores(), owner, wanted or None))
        except AssistantError:  # that draft is gone: open the latest
            ws.show(*workspace.open_draft(stores(), owner))
        st.session_state[SESSION_KEY] = ws
    if st.query_params.get("owner") != ws.owner:  # page switches may drop the query string
        st.query_params["owner"] = ws.owner
    draft_id = ws.draft.id if ws.draft else None
    if st.query_params.get("draft") != draft_id:
        if draft_id:
            st.query_params["draft"] = draft_id
        else:
            st.query_params.pop("draft", None)
    return ws
