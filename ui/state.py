"""Per-user session state and the shared, cached resources of the workspace.

- `Workspace` is the one typed object a browser session keeps, under `st.session_state["workspace"]`:
  its owner id, the open draft, the fact-sheet form, the model settings (the API key lives here
  and nowhere else) and pending chat proposals.
- `st.cache_resource` holds only what every user may share: the settings read at start, the
  example `Library` and the stores of the data directory, and the local model's client. A remote
  client is built per session from that session's settings and never cached.
- The owner id is kept in the URL (`?owner=…`), so a refresh or a second tab reopens the same drafts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import streamlit as st

from assistant.app import actions, forms
from assistant.app.library import Library
from assistant.app.stores import Stores
from assistant.domain.draft import Draft, Finding, SectionVersion
from assistant.errors import AssistantError
from assistant.export.layout import Layout
from assistant.models.providers import get_chat_client
from assistant.models.request import ChatClient
from assistant.settings import DEFAULT_LENGTH, ModelSettings, Settings

SESSION_KEY = "workspace"


@dataclass
class Workspace:
    """Everything one browser session holds."""

    owner: str
    model: ModelSettings
    draft: Draft | None = None
    form: dict[str, Any] = field(default_factory=forms.empty_form)
    form_problems: list[str] = field(default_factory=list)
    form_nonce: int = 0  # bumped to rebuild the form widgets from `form` (open, import, new)
    target_length: int = DEFAULT_LENGTH
    pending: dict[str, SectionVersion] = field(default_factory=dict)  # section key -> proposal
    findings: list[Finding] = field(default_factory=list)  # whole-draft findings of the last run
    section_key: str | None = None
    upload_nonce: int = 0
    notice: str = ""  # one message shown on the next run (after st.rerun)
    layout: Layout | None = None  # the unit's own export layout (from its template .docx); None: GB/T 9704

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


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The settings, read once when the app starts (environment over config.toml over defaults)."""
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def library() -> Library:
    """The example index of the data directory, shared by every session."""
    return Library(settings())


@st.cache_resource(show_spinner=False)
def stores() -> Stores:
    """The drafts and forms databases of the data directory (each call opens its own connection)."""
    return Stores(settings())


@st.cache_resource(show_spinner="正在启动内置模型…")
def local_client(model: ModelSettings) -> ChatClient:
    """The bundled local model, shared: it holds no user's key."""
    return get_chat_client(replace(settings(), model=model))


@st.cache_resource(show_spinner=False)
def start_model(model: ModelSettings) -> None:
    """Once per process and model: the bundled model starts and reads the shared rules in the
    background while the user fills in the form (`actions.start_model`), so 一键成稿 finds it ready."""
    actions.start_model(replace(settings(), model=model))


def chat_client(ws: Workspace) -> ChatClient:
    """The model for this session: the local one is shared, any other is built from the session's settings."""
    if ws.model.is_local:
        return local_client(ws.model)
    return get_chat_client(replace(settings(), model=ws.model))


def model_label(model: ModelSettings) -> str:
    if model.is_local:
        return f"内置模型 {model.model}"
    if model.provider == "openai":
        return f"{model.model} @ {model.display_base_url}"
    return f"{model.provider}:{model.model}"


def _owner_from_url() -> str:
    owner = st.query_params.get("owner")
    if forms.is_owner_id(owner):
        return str(owner)
    owner = forms.new_owner_id()
    st.query_params["owner"] = owner
    return owner


def current() -> Workspace:
    """This session's workspace; on a new session, the owner from the URL and their latest draft."""
    ws = st.session_state.get(SESSION_KEY)
    if ws is None:
        owner = _owner_from_url()
        ws = Workspace(owner=owner, model=settings().model)
        wanted = st.query_params.get("draft")
        try:
            ws.show(*actions.open_draft(stores(), owner, wanted or None))
        except AssistantError:  # that draft is gone: open the latest
            ws.show(*actions.open_draft(stores(), owner))
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
