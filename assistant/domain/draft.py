"""The draft's data model: sections with versions, findings, sources and chat; plain data only."""

from __future__ import annotations

import datetime as dt
import difflib
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.domain.facts import FactSheet, fact_sheet_from_dict

# How each origin of a version is named to people.
ORIGIN_LABELS = {"draft": "起草", "refine": "对话修改", "edit": "手改", "regenerate": "重写", "fallback": "直接表述",
                 "composed": "代码生成"}
Change = tuple[str, str]  # ("equal" | "insert" | "delete", text)
MIN_EQUAL = 3  # shorter unchanged runs between two changes are shown as part of them


def time_label(stamp: str) -> str:
    """An ISO timestamp as people read it: 2026年12月1日 15:02 (the text as it is when it is no timestamp)."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"


@dataclass
class Finding:
    """One guardrail result: which check, what it found, and whether it blocks the section."""

    check: str
    message: str
    severity: str = "error"  # "error" blocks; "warning" is shown only
    span: str = ""  # the words at fault, when one word or phrase is (what constrained decoding then bans)


@dataclass
class SourceRef:
    """An example passage a section was shown while being drafted."""

    source: str
    heading: str
    text: str = ""


@dataclass
class SectionVersion:
    """One text of a section; every draft, refinement and edit adds one."""

    text: str
    origin: str  # draft / refine / edit / regenerate / fallback / composed (ORIGIN_LABELS)
    instruction: str = ""
    findings: list[Finding] = field(default_factory=list)
    created: str = field(default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))
    facts: list[str] | None = None  # the section's facts after a refinement that added or removed one, set on accept

    @property
    def passed(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def origin_label(self) -> str:
        """The origin in Chinese: 起草, 对话修改, 手改, 重写, 直接表述 or 代码生成."""
        return ORIGIN_LABELS.get(self.origin, "其他")

    @property
    def created_label(self) -> str:
        """When the version was made, as 2026年12月1日 15:02."""
        return time_label(self.created)


@dataclass
class Section:
    """One unit the model writes: the opening, one （N） of the work chapter, problems or plans."""

    key: str
    kind: str
    chapter: str  # the chapter heading it belongs to, e.g. 一、上半年党建工作开展情况 ("" for the opening)
    heading: str  # the system's subsection heading, e.g. （一）扎实开展党纪学习教育 ("" for none)
    topic: str
    facts: list[str]
    budget: int  # target characters for the body
    versions: list[SectionVersion] = field(default_factory=list)
    current: int = -1
    sources: list[SourceRef] = field(default_factory=list)
    pinned: list[SourceRef] = field(default_factory=list)
    chat: list[dict[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.versions[self.current].text if self.versions else ""

    @property
    def label(self) -> str:
        """How the section is named to people: its heading, else its chapter, else 开头."""
        return self.heading or self.chapter or "开头"

    @property
    def version(self) -> SectionVersion | None:
        return self.versions[self.current] if self.versions else None

    @property
    def flagged(self) -> bool:
        v = self.version
        return v is not None and (v.origin == "fallback" or not v.passed or any(f.check == "fallback" for f in v.findings))

    def add_version(self, version: SectionVersion) -> None:
        """Append a version and make it current; earlier versions are kept."""
        self.versions.append(version)
        self.current = len(self.versions) - 1

    def undo(self) -> bool:
        """Go back to the previous version (its text; the facts stay); False when there is none."""
        if self.current <= 0:
            return False
        self.current -= 1
        return True

    def redo(self) -> bool:
        """Go forward to the next version (its text; the facts stay); False when there is none."""
        if self.current >= len(self.versions) - 1:
            return False
        self.current += 1
        return True

    def restore(self, index: int) -> bool:
        """Make version `index` current again; every version is kept. False when it already is.

        Only the text goes back: the facts stay, as with undo and redo. IndexError for a version the
        section does not have.
        """
        if not 0 <= index < len(self.versions):
            raise IndexError(f"没有第 {index + 1} 版")
        if index == self.current:
            return False
        self.current = index
        return True

    def compare(self, old: int, new: int) -> list[Change]:
        """What changed from version `old` to version `new` (see `text_changes`)."""
        return text_changes(self.versions[old].text, self.versions[new].text)


def text_changes(old: str, new: str) -> list[Change]:
    """The edit from `old` to `new` character by character: ("equal" | "delete" | "insert", text) in reading order.

    A replaced passage is its deletion followed by its insertion; an unchanged run of fewer than
    MIN_EQUAL characters between two changes is folded into them, so a rewritten sentence reads as
    one change, not as scattered characters.
    """
    spans: list[list[int]] = []  # [changed, a1, a2, b1, b2]
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        changed = op != "equal" or (bool(spans) and a2 - a1 < MIN_EQUAL and (a2 < len(old) or b2 < len(new)))
        if spans and changed and spans[-1][0]:
            spans[-1][2], spans[-1][4] = a2, b2
        else:
            spans.append([int(changed), a1, a2, b1, b2])
    changes: list[Change] = []
    for is_change, a1, a2, b1, b2 in spans:
        if not is_change:
            changes.append(("equal", old[a1:a2]))
            continue
        if a2 > a1:
            changes.append(("delete", old[a1:a2]))
        if b2 > b1:
            changes.append(("insert", new[b1:b2]))
    return changes


@dataclass
class Draft:
    """A whole summary: the fact sheet it came from and its sections in order."""

    facts: FactSheet
    title: str
    sections: list[Section]
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    updated: str = field(default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def chapters(self) -> list[tuple[str, list[Section]]]:
        """Sections grouped by chapter heading, in order; the opening has chapter ''."""
        groups: list[tuple[str, list[Section]]] = []
        for s in self.sections:
            if not groups or groups[-1][0] != s.chapter:
                groups.append((s.chapter, []))
            groups[-1][1].append(s)
        return groups

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["facts"] = self.facts.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        sections = []
        for s in data["sections"]:
            s = dict(s)
            s["versions"] = [
                SectionVersion(**{**v, "findings": [Finding(**f) for f in v.get("findings", [])]})
                for v in s.get("versions", [])
            ]
            s["sources"] = [SourceRef(**r) for r in s.get("sources", [])]
            s["pinned"] = [SourceRef(**r) for r in s.get("pinned", [])]
            sections.append(Section(**s))
        return cls(
            facts=fact_sheet_from_dict(data["facts"]),
            title=data["title"],
            sections=sections,
            id=data["id"],
            updated=data.get("updated", ""),
        )
