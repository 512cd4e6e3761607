"""What the workspace (the Streamlit UI) does per user action, with autosave after every change.

Each public function here is one user action: it calls the drafting library and saves what
changed, so a view calls exactly one of them and a restart loses nothing. Also the fact-sheet
form as plain, always-saveable data (a half-typed sheet is kept even while it is invalid).
Nothing here imports Streamlit.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .draft import Draft, Finding, Section, SectionVersion, SourceRef
from .errors import AssistantError, FactSheetError
from .facts import FactSheet, fact_sheet_from_dict, parse_fact_sheet
from .outline import build_outline
from .passage import Passage
from .progress import DraftProgress
from .store import DraftStore, StoreError

if TYPE_CHECKING:
    from .llm import ChatClient
    from .services import Library

OWNER_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
FORM_TEXT_FIELDS = ("organization", "org_type", "period", "date", "superior", "members", "notes", "title")
LIST_FIELDS = ("problems", "plans")
NO_DRAFT = ""  # the form row of an owner's sheet that is not (yet) a valid draft


# --- owners ------------------------------------------------------------------------------


def new_owner_id() -> str:
    """An unguessable id for one browser user; whoever holds it sees that user's drafts."""
    return secrets.token_urlsafe(16)


def is_owner_id(value: object) -> bool:
    return isinstance(value, str) and bool(OWNER_RE.match(value))


# --- the fact-sheet form ------------------------------------------------------------------


def empty_form(length: int = 3000) -> dict[str, Any]:
    """A blank form: text fields, one empty highlight, problems and plans one per line."""
    form: dict[str, Any] = {name: "" for name in FORM_TEXT_FIELDS}
    form.update(highlights=[{"topic": "", "facts": ""}], problems="", plans="", length=length)
    return form


def form_from_sheet(sheet: FactSheet) -> dict[str, Any]:
    """The form showing a valid sheet; lists become one item per line."""
    data = sheet.to_dict()
    form = empty_form(sheet.length)
    for name in FORM_TEXT_FIELDS:
        form[name] = str(data.get(name) or "")
    form["highlights"] = [{"topic": h.topic, "facts": "\n".join(h.facts)} for h in sheet.highlights]
    for name in LIST_FIELDS:
        form[name] = "\n".join(getattr(sheet, name))
    return form


def _lines(text: Any) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def form_data(form: dict[str, Any]) -> dict[str, Any]:
    """The form as a fact-sheet mapping (what YAML export writes); blank highlights are dropped."""
    data: dict[str, Any] = {name: str(form.get(name) or "").strip() for name in FORM_TEXT_FIELDS}
    data["highlights"] = [
        {"topic": str(h.get("topic") or "").strip(), "facts": _lines(h.get("facts"))}
        for h in form.get("highlights", [])
        if str(h.get("topic") or "").strip() or _lines(h.get("facts"))
    ]
    for name in LIST_FIELDS:
        data[name] = _lines(form.get(name))
    data["length"] = form.get("length") or 3000
    return {k: v for k, v in data.items() if v not in ("", [], None)}


def sheet_from_form(form: dict[str, Any]) -> FactSheet:
    """Validate the form; FactSheetError names every field at fault."""
    return fact_sheet_from_dict(form_data(form))


def form_to_yaml(form: dict[str, Any]) -> str:
    """The form as a fact-sheet YAML file (valid or not, so a half-done sheet can be kept)."""
    return yaml.safe_dump(form_data(form), allow_unicode=True, sort_keys=False)


def import_form(data: bytes, name: str) -> dict[str, Any]:
    """A form from an uploaded YAML/JSON fact sheet; FactSheetError naming the file and fields."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FactSheetError([f"{name}: 不是 UTF-8 文本文件，请另存为 UTF-8 编码的 YAML"]) from exc
    return form_from_sheet(parse_fact_sheet(text, source=name))


class FormStore:
    """The raw fact-sheet form per (owner, draft id), saved as typed, valid or not."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS forms (owner TEXT NOT NULL, draft TEXT NOT NULL, "
                "data TEXT NOT NULL, saved_ns INTEGER NOT NULL, PRIMARY KEY (owner, draft))"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            with closing(sqlite3.connect(self.path, timeout=30)) as con, con:
                yield con
        except sqlite3.Error as exc:
            raise StoreError(f"表单库 {self.path} 无法读写（{exc}）：请检查磁盘空间和权限") from exc

    def save(self, owner: str, draft_id: str, form: dict[str, Any]) -> None:
        with self._connect() as con:
            con.execute(
                "INSERT INTO forms (owner, draft, data, saved_ns) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (owner, draft) DO UPDATE SET data = excluded.data, saved_ns = excluded.saved_ns",
                (owner, draft_id, json.dumps(form, ensure_ascii=False), time.time_ns()),
            )

    def load(self, owner: str, draft_id: str) -> dict[str, Any] | None:
        with self._connect() as con:
            row = con.execute("SELECT data FROM forms WHERE owner = ? AND draft = ?", (owner, draft_id)).fetchone()
        return json.loads(row[0]) if row else None

    def delete(self, owner: str, draft_id: str) -> None:
        with self._connect() as con:
            con.execute("DELETE FROM forms WHERE owner = ? AND draft = ?", (owner, draft_id))


class Stores:
    """The drafts and the forms of every user, in the data directory."""

    def __init__(self, home: Path) -> None:
        self.drafts = DraftStore(home / "drafts.sqlite")
        self.forms = FormStore(home / "forms.sqlite")


# --- drafts: open, new, delete, the sheet ---------------------------------------------------


def open_draft(stores: Stores, owner: str, draft_id: str | None = None) -> tuple[Draft | None, dict[str, Any]]:
    """The draft to show (this id, else the most recent) and its form; (None, unsaved form) if none."""
    if draft_id is None:
        listed = stores.drafts.list(owner)
        draft_id = listed[0].id if listed else None
    if draft_id is None:
        return None, stores.forms.load(owner, NO_DRAFT) or empty_form()
    draft = stores.drafts.load(draft_id, owner)
    return draft, stores.forms.load(owner, draft.id) or form_from_sheet(draft.facts)


def new_form(stores: Stores, owner: str, length: int = 3000) -> dict[str, Any]:
    """Start over with a blank sheet (existing drafts stay in the list)."""
    form = empty_form(length)
    stores.forms.save(owner, NO_DRAFT, form)
    return form


def delete_draft(stores: Stores, owner: str, draft_id: str) -> None:
    stores.drafts.delete(draft_id, owner)
    stores.forms.delete(owner, draft_id)


def apply_sheet(draft: Draft, sheet: FactSheet) -> Draft:
    """The outline of a changed sheet, keeping every section's versions, chat and pins by key."""
    fresh = build_outline(sheet)
    fresh.id = draft.id
    old = {s.key: s for s in draft.sections}
    for section in fresh.sections:
        if (before := old.get(section.key)) is not None:
            section.versions, section.current = before.versions, before.current
            section.chat, section.pinned, section.sources = before.chat, before.pinned, before.sources
    return fresh


def save_form(stores: Stores, owner: str, draft: Draft | None, form: dict[str, Any]) -> tuple[Draft | None, list[str]]:
    """Autosave the form as typed; when it is a valid sheet, also create or update the draft.

    Returns the (possibly new) draft and the problems that keep the sheet from being valid.
    """
    try:
        sheet = sheet_from_form(form)
    except FactSheetError as exc:
        stores.forms.save(owner, draft.id if draft else NO_DRAFT, form)
        return draft, exc.problems
    if draft is None:
        draft = build_outline(sheet)
        stores.forms.delete(owner, NO_DRAFT)
    else:
        draft = apply_sheet(draft, sheet)
    stores.drafts.save(draft, owner)
    stores.forms.save(owner, draft.id, form)
    return draft, []


# --- drafting, refining and editing, each saved ----------------------------------------------


class AutosaveProgress(DraftProgress):
    """Saves the draft each time a section is finished, then passes every event on."""

    def __init__(self, stores: Stores, owner: str, draft: Draft, inner: DraftProgress | None = None) -> None:
        self.stores, self.owner, self.draft = stores, owner, draft
        self.inner = inner or DraftProgress()
        self._lock = threading.Lock()

    def section_started(self, section: Section) -> None:
        self.inner.section_started(section)

    def text_streamed(self, section: Section, delta: str) -> None:
        self.inner.text_streamed(section, delta)

    def section_retry(self, section: Section, reason: str) -> None:
        self.inner.section_retry(section, reason)

    def section_done(self, section: Section) -> None:
        with self._lock:
            self.stores.drafts.save(self.draft, self.owner)
        self.inner.section_done(section)


def draft_everything(library: "Library", client: "ChatClient", stores: Stores, owner: str, draft: Draft,
                     progress: DraftProgress | None = None) -> list[Finding]:
    """One-click draft of every section, saving after each; returns the whole-draft findings."""
    from .drafter import draft_all

    ctx = library.context(client, AutosaveProgress(stores, owner, draft, progress))
    try:
        return draft_all(ctx, draft)
    finally:
        stores.drafts.save(draft, owner)


def regenerate_section(library: "Library", client: "ChatClient", stores: Stores, owner: str, draft: Draft,
                       key: str, progress: DraftProgress | None = None) -> SectionVersion:
    """Write one section again (pinned passages first); the old versions stay."""
    from .refine import regenerate

    ctx = library.context(client, progress)
    version = regenerate(ctx, draft, draft.section(key))
    stores.drafts.save(draft, owner)
    return version


def propose(library: "Library", client: "ChatClient", stores: Stores, owner: str, draft: Draft, key: str,
            instruction: str, progress: DraftProgress | None = None) -> SectionVersion:
    """A revision of one section from a chat message, not yet accepted; the chat is saved."""
    from .refine import propose_revision

    instruction = instruction.strip()
    if not instruction:
        raise AssistantError("修改要求是空的：请写明要怎样改，例如“压缩到200字”或“加上“开展主题党日6次””")
    ctx = library.context(client, progress)
    version = propose_revision(ctx, draft, draft.section(key), instruction)
    stores.drafts.save(draft, owner)
    return version


def accept_revision(stores: Stores, owner: str, draft: Draft, key: str, version: SectionVersion) -> None:
    """Make a proposed revision the section's current text."""
    from .refine import accept

    accept(draft.section(key), version)
    stores.drafts.save(draft, owner)


def reject_revision(stores: Stores, owner: str, draft: Draft, key: str) -> None:
    """Note in the chat that the proposal was not taken."""
    draft.section(key).chat.append({"role": "user", "content": "（未采纳上面的修改稿）"})
    stores.drafts.save(draft, owner)


def edit_section(library: "Library", stores: Stores, owner: str, draft: Draft, key: str, text: str) -> SectionVersion | None:
    """Keep a hand edit as a new, checked version; None when the text did not change."""
    from .refine import edit

    section = draft.section(key)
    if text.strip() == section.text.strip():
        return None
    version = edit(draft, section, text, library.matcher())
    stores.drafts.save(draft, owner)
    return version


def undo(stores: Stores, owner: str, draft: Draft, key: str) -> bool:
    changed = draft.section(key).undo()
    if changed:
        stores.drafts.save(draft, owner)
    return changed


def redo(stores: Stores, owner: str, draft: Draft, key: str) -> bool:
    changed = draft.section(key).redo()
    if changed:
        stores.drafts.save(draft, owner)
    return changed


def pin(stores: Stores, owner: str, draft: Draft, key: str, passage: Passage) -> bool:
    """Use a passage as a reference for the section's next regeneration or refinement."""
    section = draft.section(key)
    if any((r.source, r.heading, r.text) == (passage.source, passage.heading, passage.text) for r in section.pinned):
        return False
    section.pinned.append(SourceRef(passage.source, passage.heading, passage.text))
    stores.drafts.save(draft, owner)
    return True


def unpin(stores: Stores, owner: str, draft: Draft, key: str, index: int) -> None:
    del draft.section(key).pinned[index]
    stores.drafts.save(draft, owner)


def section_label(section: Section) -> str:
    """How a section is named in lists: its heading, else its chapter, else 开头."""
    return section.heading or section.chapter or "开头"


# --- the corpus --------------------------------------------------------------------------------


def upload_sample(library: "Library", name: str, data: bytes) -> int:
    """Index an uploaded sample; LoadError naming the file (and nothing changed) when it is bad."""
    from .ingest import add_upload

    return add_upload(library.settings, library.index, name, data)


def remove_sample(library: "Library", source: str) -> None:
    from .ingest import remove_document

    remove_document(library.settings, library.index, source)


def topic_counts(library: "Library") -> list[tuple[str, int]]:
    """Every vocabulary topic with its passage count."""
    from .topics import topic_counts as count

    return count([p.topics for p in library.passages()])


def import_sheet(stores: Stores, owner: str, draft: Draft | None, data: bytes, name: str) -> tuple[Draft | None, dict[str, Any]]:
    """Load an uploaded fact sheet into the form and save it.

    It replaces the open draft's sheet while nothing is written yet; otherwise it starts a new
    draft, so written sections never end up under another sheet. FactSheetError if it is invalid.
    """
    form = import_form(data, name)
    if draft is not None and any(s.versions for s in draft.sections):
        draft = None
    draft, _ = save_form(stores, owner, draft, form)
    return draft, form
