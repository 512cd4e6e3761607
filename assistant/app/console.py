"""Progress on the terminal: tqdm bars when stderr is a terminal, else one plain line per event.

A log file or CI gets one line per section with its characters and seconds, not thousands of
redrawn bars.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from assistant.domain.draft import Section
from assistant.drafting.progress import DraftProgress
from assistant.retrieval.ingest import IngestProgress


def say(*parts: object, stream: TextIO | None = None) -> None:
    print(*parts, file=stream or sys.stderr, flush=True)


def _bar(total: int, desc: str, unit: str, stream: TextIO) -> Any:
    if not stream.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=stream)


class IngestConsole(IngestProgress):
    """A bar over files, with one line per skipped file."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar: Any = None

    def file_started(self, path: str, index: int, total: int) -> None:
        if self.bar is None:
            self.bar = _bar(total, "建立范文索引", "篇", self.stream)
        if self.bar is not None:
            self.bar.set_postfix_str(path[:20])

    def file_done(self, path: str, chunks: int) -> None:
        if self.bar is not None:
            self.bar.update(1)
        else:
            say(f"已索引 {path}（{chunks} 段）", stream=self.stream)

    def file_failed(self, path: str, reason: str) -> None:
        if self.bar is not None:
            self.bar.update(1)
        say(f"跳过 {path}：{reason}", stream=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class DraftConsole(DraftProgress):
    """A bar over sections with the running character count; plain lines when not on a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar = _bar(total, "起草", "节", self.stream)
        self.chars = 0
        self.started: dict[str, float] = {}

    def section_started(self, section: Section) -> None:
        self.started[section.key] = time.perf_counter()
        if self.bar is not None:
            self.bar.set_postfix_str(section.label)

    def text_streamed(self, section: Section, delta: str) -> None:
        self.chars += len(delta)
        if self.bar is not None:
            self.bar.set_postfix_str(f"{section.label[:12]} {self.chars}字")

    def section_retry(self, section: Section, reason: str) -> None:
        say(f"重写 {section.label}：{reason}", stream=self.stream)

    def section_done(self, section: Section) -> None:
        if self.bar is not None:
            self.bar.update(1)
            return
        seconds = time.perf_counter() - self.started.get(section.key, time.perf_counter())
        say(f"已写 {section.label}（{len(section.text)} 字，{seconds:.1f} 秒）", stream=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
