"""What the workspace (the Streamlit UI) does per user action, with autosave after every change.

Each public function here is one user action: it calls the drafting library and saves what
changed, so a view calls exactly one of them and a restart loses nothing. The model-driven
drafting (`assistant.drafting.sections`, `.refine`) and the corpus modules are imported inside
the functions that call them. Nothing here imports Streamlit.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from assistant.app.forms import NO_DRAFT, empty_form, form_from_sheet, import_form, sheet_from_form
from assistant.app.stores import Stores
from assistant.corpus.passage import Passage
from assistant.domain.draft import Draft, Finding, Section, SectionVersion, SourceRef
from assistant.domain.facts import FactSheet
from assistant.drafting.outline import build_outline
from assistant.drafting.progress import DraftProgress
from assistant.errors import AssistantError, FactSheetError
from assistant.settings import DEFAULT_LENGTH, Settings

if TYPE_CHECKING:
    from assistant.app.library import Library
    from assistant.models.request import ChatClient

log = logging.getLogger(__name__)


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


def new_form(stores: Stores, owner: str, length: int = DEFAULT_LENGTH) -> dict[str, Any]:
    """Start over with a blank sheet (existing drafts stay in the list)."""
    form = empty_form(length)
    stores.forms.save(owner, NO_DRAFT, form)
    return form


def delete_draft(stores: Stores, owner: str, draft_id: str) -> None:
    """Remove the draft and its form; DraftNotFoundError if the owner has no such draft."""
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


def save_form(stores: Stores, owner: str, draft: Draft | None,
              form: dict[str, Any]) -> tuple[Draft | None, list[str]]:
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

    def model_busy(self, section: Section, ahead: int) -> None:
        self.inner.model_busy(section, ahead)

    def section_done(self, section: Section) -> None:
        with self._lock:
            self.stores.drafts.save(self.draft, self.owner)
        self.inner.section_done(section)


def warm_up(client: ChatClient) -> None:
    """Have the model read the rules every draft starts with, so the first 一键成稿 reads only its unit's
    part: a local server keeps them cached in every slot (about 5 s of reading on 2 cores); a remote
    service is left alone."""
    from assistant.drafting.messages import shared_rules

    client.share([shared_rules()])


def start_model(settings: Settings) -> threading.Thread | None:
    """Start the bundled model and warm it up in a thread, while the user fills in the form; None
    when the settings name a remote model. A failure is only logged: the first request reports it."""
    if not settings.model.is_local:
        return None

    def start() -> None:
        from assistant.models.providers import get_chat_client

        try:
            warm_up(get_chat_client(settings))
        except AssistantError as exc:
            log.warning("the bundled model did not start ahead of the first draft: %s", exc)

    thread = threading.Thread(target=start, name="start-model", daemon=True)
    thread.start()
    return thread


def draft_everything(library: Library, client: ChatClient, stores: Stores, owner: str, draft: Draft,
                     progress: DraftProgress | None = None) -> list[Finding]:
    """One-click draft of every section, saving after each; returns the whole-draft findings."""
    from assistant.drafting.sections import draft_all

    ctx = library.context(client, AutosaveProgress(stores, owner, draft, progress))
    try:
        return draft_all(ctx, draft)
    finally:
        stores.drafts.save(draft, owner)


def regenerate_section(library: Library, client: ChatClient, stores: Stores, owner: str, draft: Draft,
                       key: str, progress: DraftProgress | None = None) -> SectionVersion:
    """Write one section again (pinned passages first); the old versions stay."""
    from assistant.drafting.refine import regenerate

    ctx = library.context(client, progress)
    version = regenerate(ctx, draft, draft.section(key))
    stores.drafts.save(draft, owner)
    return version


def propose(library: Library, client: ChatClient, stores: Stores, owner: str, draft: Draft, key: str,
            instruction: str, progress: DraftProgress | None = None) -> SectionVersion:
    """A revision of one section from a chat message, not yet accepted; the chat is saved."""
    from assistant.drafting.refine import propose_revision

    instruction = instruction.strip()
    if not instruction:
        raise AssistantError("修改要求是空的：请写明要怎样改，例如“压缩到200字”或“加上“开展主题党日6次””")
    ctx = library.context(client, progress)
    version = propose_revision(ctx, draft, draft.section(key), instruction)
    stores.drafts.save(draft, owner)
    return version


def accept_revision(stores: Stores, owner: str, draft: Draft, key: str, version: SectionVersion, *,
                    drop_figures: bool = False) -> None:
    """Make a proposed revision the section's current text (FiguresLostError if it loses a figure unasked)."""
    from assistant.drafting.refine import accept

    accept(draft, draft.section(key), version, drop_figures=drop_figures)
    stores.drafts.save(draft, owner)


def reject_revision(stores: Stores, owner: str, draft: Draft, key: str) -> None:
    """Note in the chat that the proposal was not taken."""
    draft.section(key).chat.append({"role": "user", "content": "（未采纳上面的修改稿）"})
    stores.drafts.save(draft, owner)


def edit_section(library: Library, stores: Stores, owner: str, draft: Draft, key: str,
                 text: str) -> SectionVersion | None:
    """Keep a hand edit as a new, checked version; None when the text did not change."""
    from assistant.drafting.refine import edit

    section = draft.section(key)
    if text.strip() == section.text.strip():
        return None
    version = edit(draft, section, text, library.matcher())
    stores.drafts.save(draft, owner)
    return version


def undo(stores: Stores, owner: str, draft: Draft, key: str) -> bool:
    """Show the section's previous version; False (nothing saved) when there is none."""
    changed = draft.section(key).undo()
    if changed:
        stores.drafts.save(draft, owner)
    return changed


def redo(stores: Stores, owner: str, draft: Draft, key: str) -> bool:
    """Show the section's next version again; False (nothing saved) when there is none."""
    changed = draft.section(key).redo()
    if changed:
        stores.drafts.save(draft, owner)
    return changed


def restore(stores: Stores, owner: str, draft: Draft, key: str, index: int) -> bool:
    """Make the section's version `index` current again (every version stays); False when it already is."""
    changed = draft.section(key).restore(index)
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
    """Stop using the section's `index`-th pinned passage."""
    del draft.section(key).pinned[index]
    stores.drafts.save(draft, owner)


# --- the corpus --------------------------------------------------------------------------------


def upload_sample(library: Library, name: str, data: bytes, own: bool = False) -> int:
    """Index an uploaded sample, with `own` as one of the unit's own documents (本单位材料: preferred as
    an example of style, never counted as copied); LoadError naming the file (and nothing changed) when it is bad."""
    from assistant.retrieval.ingest import add_upload

    return add_upload(library.settings, library.index, name, data, own=own)


def own_samples(library: Library) -> set[str]:
    """The names of the uploaded samples that are the unit's own documents."""
    from assistant.retrieval.ingest import own_documents

    return own_documents(library.settings)


def remove_sample(library: Library, source: str) -> None:
    """Remove a sample from the index, and the uploaded copy of it if there is one."""
    from assistant.retrieval.ingest import remove_document

    remove_document(library.settings, library.index, source)


def topic_counts(library: Library) -> list[tuple[str, int]]:
    """Every vocabulary topic with its passage count."""
    from assistant.corpus.topics import topic_counts as count

    return count([p.topics for p in library.passages()])


def import_sheet(stores: Stores, owner: str, draft: Draft | None, data: bytes,
                 name: str) -> tuple[Draft | None, dict[str, Any]]:
    """Load an uploaded fact sheet into the form and save it.

    It replaces the open draft's sheet while nothing is written yet; otherwise it starts a new
    draft, so written sections never end up under another sheet. FactSheetError if it is invalid.
    """
    form = import_form(data, name)
    if draft is not None and any(s.versions for s in draft.sections):
        draft = None
    draft, _ = save_form(stores, owner, draft, form)
    return draft, form
