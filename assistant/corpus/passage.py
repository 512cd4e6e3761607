"""A passage: one chunk of a sample summary, with the metadata search filters on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

HEADING_SEPARATOR = " > "


@dataclass
class Passage:
    """A chunk of a parsed sample; `text` is cleaned and never holds an advert or watermark."""

    text: str
    source: str  # file name inside the corpus, e.g. 区级部门2020年上半年党建工作总结.txt
    heading: str  # heading path, e.g. "一、上半年党建工作落实情况 > （一）落实党建责任"
    kind: str  # opening / basic_info / achievements / problems / plans / other
    position: int  # order of the chunk inside its document
    topics: list[str] = field(default_factory=list)
    doc_title: str = ""
    period: str = ""  # 上半年 / 全年 / …
    year: int = 0
    level: str = ""  # 党支部 / 党总支 / 党委 / 机关党委 / 机关工委 …
    own: bool = False  # from the unit's own documents (本单位材料): a style to follow, not a text to avoid

    @property
    def id(self) -> str:
        """Stable id: same source, position and text give the same id, so re-ingesting upserts."""
        digest = hashlib.sha1(f"{self.source}\n{self.position}\n{self.text}".encode()).hexdigest()
        return f"{digest[:20]}"

    def metadata(self) -> dict[str, Any]:
        """Flat scalar metadata for Chroma; topics are joined with '|' and wrapped ('|a|b|'), `own` is a bool."""
        return {
            "source": self.source,
            "heading": self.heading,
            "kind": self.kind,
            "position": self.position,
            "topics": "|" + "|".join(self.topics) + "|" if self.topics else "",
            "doc_title": self.doc_title,
            "period": self.period,
            "year": self.year,
            "level": self.level,
            "own": self.own,
        }

    @classmethod
    def from_metadata(cls, text: str, meta: dict[str, Any]) -> Passage:
        """The passage back from its text and metadata; an index written before `own` existed reads as not own."""
        topics = [t for t in str(meta.get("topics", "")).split("|") if t]
        return cls(
            text=text,
            source=str(meta.get("source", "")),
            heading=str(meta.get("heading", "")),
            kind=str(meta.get("kind", "")),
            position=int(meta.get("position", 0)),
            topics=topics,
            doc_title=str(meta.get("doc_title", "")),
            period=str(meta.get("period", "")),
            year=int(meta.get("year", 0) or 0),
            level=str(meta.get("level", "")),
            own=bool(meta.get("own", False)),
        )
