"""The draft's data model: sections with versions, findings, sources and chat; plain data only."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.domain.facts import FactSheet, fact_sheet_from_dict


@dataclass
class Finding:
    """One guardrail result: which check, what it found, and whether it blocks the section."""

    check: str
    message: str
    severity: str = "error"  # "error" blocks; "warning" is shown only


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
    origin: str  # draft / refine / edit / regenerate / fallback
    instruction: str = ""
    findings: list[Finding] = field(default_factory=list)
    created: str = field(default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))

    @property
    def passed(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


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
        """Go back to the previous version; False when there is none."""
        if self.current <= 0:
            return False
        self.current -= 1
        return True

    def redo(self) -> bool:
        if self.current >= len(self.versions) - 1:
            return False
        self.current += 1
        return True


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
