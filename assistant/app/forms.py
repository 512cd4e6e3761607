"""Owner ids, and the fact-sheet form as plain, always-saveable data.

A half-typed sheet is kept even while it is invalid: the form is a dict of strings (lists one
item per line) that `sheet_from_form` validates into a `FactSheet` when it is complete.
Nothing here imports Streamlit or touches a store.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import yaml

from assistant.domain.facts import FactSheet, fact_sheet_from_dict, parse_fact_sheet
from assistant.errors import FactSheetError
from assistant.settings import DEFAULT_LENGTH

OWNER_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
FORM_TEXT_FIELDS = ("organization", "org_type", "period", "date", "superior", "members", "notes", "title")
LIST_FIELDS = ("problems", "plans")  # one item per line in the form
NO_DRAFT = ""  # the draft id under which an owner's sheet is kept while it is not (yet) a valid draft


# --- owners ------------------------------------------------------------------------------


def new_owner_id() -> str:
    """An unguessable id for one browser user; whoever holds it sees that user's drafts."""
    return secrets.token_urlsafe(16)


def is_owner_id(value: object) -> bool:
    """True for a string that looks like an owner id (8–64 URL-safe characters)."""
    return isinstance(value, str) and bool(OWNER_RE.match(value))


# --- the fact-sheet form ------------------------------------------------------------------


def empty_form(length: int = DEFAULT_LENGTH) -> dict[str, Any]:
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


def _highlights(form: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's highlights as topic + fact list, blank ones dropped."""
    highlights = [
        {"topic": str(h.get("topic") or "").strip(), "facts": _lines(h.get("facts"))} for h in form.get("highlights", [])
    ]
    return [h for h in highlights if h["topic"] or h["facts"]]


def form_data(form: dict[str, Any]) -> dict[str, Any]:
    """The form as a fact-sheet mapping (what YAML export writes); blank fields and highlights are dropped."""
    data: dict[str, Any] = {name: str(form.get(name) or "").strip() for name in FORM_TEXT_FIELDS}
    data["highlights"] = _highlights(form)
    for name in LIST_FIELDS:
        data[name] = _lines(form.get(name))
    data["length"] = form.get("length") or DEFAULT_LENGTH
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
