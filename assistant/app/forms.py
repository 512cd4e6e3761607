"""Owner ids, and the fact-sheet form as plain, always-saveable data.

A half-typed sheet is kept even while it is invalid: the form is a dict of strings (lists one
item per line) that `sheet_from_form` validates into a `FactSheet` when it is complete.
Nothing here imports Streamlit or touches a store.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import Any

import yaml

from assistant.domain.facts import FactSheet, fact_sheet_from_dict, parse_fact_sheet
from assistant.errors import FactSheetError
from assistant.settings import DEFAULT_LENGTH

OWNER_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
FORM_TEXT_FIELDS = ("organization", "org_type", "period", "date", "superior", "members", "notes", "title")
LIST_FIELDS = ("problems", "plans")  # one item per line in the form
NO_DRAFT = ""  # the draft id under which an owner's sheet is kept while it is not (yet) a valid draft
# The form's labels (ui/views/draft.py) for the fields a fact-sheet problem names; {n} is the form's highlight number.
FORM_LABELS = {
    "organization": "党组织名称", "period": "总结时段", "org_type": "组织类型", "members": "党员情况",
    "superior": "上级党组织", "date": "成文日期", "title": "标题", "length": "目标字数", "notes": "其他说明",
    "problems": "存在的问题", "plans": "下一步打算", "highlights": "重点工作", "topic": "工作主题", "facts": "事实",
    "highlights[]": "重点工作 {n}", "highlights[].topic": "工作主题 {n}", "highlights[].facts": "工作主题 {n} 的事实",
}
PROBLEM_FIELD_RE = re.compile(r"^(?P<field>[a-z_]+)(?P<item>\[(?P<n>\d+)\])?(?:\.(?P<sub>[a-z_]+))?: ")
FIELD_WORD_RE = re.compile(
    r"\s*(?<![A-Za-z_])(?P<field>" + "|".join(k for k in FORM_LABELS if "[" not in k) + r")(?![A-Za-z_])(?:（[^）]*）)?\s*"
)


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
    """Validate the form; FactSheetError names every field at fault by its label in the form."""
    try:
        return fact_sheet_from_dict(form_data(form))
    except FactSheetError as exc:
        numbers = _highlight_numbers(form)
        raise FactSheetError([form_problem(p, numbers) for p in exc.problems]) from exc


def _highlight_numbers(form: dict[str, Any]) -> list[int]:
    """The form's number (1, 2, …) of each highlight `form_data` keeps (blank ones are dropped)."""
    highlights = form.get("highlights", [])
    return [i for i, h in enumerate(highlights, 1) if str(h.get("topic") or "").strip() or _lines(h.get("facts"))]


def form_problem(problem: str, numbers: Sequence[int] = ()) -> str:
    """A fact-sheet problem in the form's words: `highlights[2].facts: 至少写一条事实…` → `工作主题 2 的事实：…`.

    `numbers[i - 1]` is the form's number of the sheet's highlight i; a problem naming no field is kept as it is.
    """
    m = PROBLEM_FIELD_RE.match(problem)
    if m is None:
        return problem
    key = m["field"] + ("[]" if m["item"] else "") + (f".{m['sub']}" if m["sub"] else "")
    if key not in FORM_LABELS:
        return problem
    n = int(m["n"] or 0)
    place = FORM_LABELS[key].format(n=numbers[n - 1] if 0 < n <= len(numbers) else n)
    rest = FIELD_WORD_RE.sub(lambda w: FORM_LABELS[w["field"]], problem[m.end():])
    return f"{place}：{rest}"


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
