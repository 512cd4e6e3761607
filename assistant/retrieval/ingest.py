"""Corpus ingestion: files → cleaned, parsed chunks → the example index, one file at a time."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.corpus.chunking import chunk_file, chunk_text
from assistant.corpus.loading import SUPPORTED_SUFFIXES, corpus_files, read_bytes
from assistant.corpus.passage import Passage
from assistant.errors import LoadError
from assistant.resources import CORPUS_DIR
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.retrieval.index import ExampleIndex

OWN_FOLDER = "本单位"  # a corpus file inside a folder of this name is one of the unit's own documents


class IngestProgress:
    """No-op base for corpus ingestion."""

    def file_started(self, path: str, index: int, total: int) -> None:
        """A file is being read."""

    def file_done(self, path: str, chunks: int) -> None:
        """A file was indexed into that many chunks."""

    def file_failed(self, path: str, reason: str) -> None:
        """A file was skipped; the reason says why and what to do."""


@dataclass
class IngestReport:
    """What an ingest run did: chunks per indexed file, reasons per failed file, sources removed."""

    indexed: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def chunks(self) -> int:
        return sum(self.indexed.values())


def default_corpus_paths(settings: Settings) -> list[Path]:
    """The bundled samples plus the user's uploads (the unit's own documents in their OWN_FOLDER)."""
    return [CORPUS_DIR, settings.uploads_dir]


def own_dir(settings: Settings) -> Path:
    """Where the unit's own uploaded documents are kept: a re-index reads the mark from the folder."""
    return settings.uploads_dir / OWN_FOLDER


def is_own(path: Path) -> bool:
    """A corpus file is the unit's own when it lies in a folder named OWN_FOLDER."""
    return path.parent.name == OWN_FOLDER


def own_documents(settings: Settings) -> set[str]:
    """File names of the unit's own uploaded documents."""
    folder = own_dir(settings)
    if not folder.is_dir():
        return set()
    return {f.name for f in folder.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES}


def marked(passages: list[Passage], own: bool) -> list[Passage]:
    """The passages with their `own` mark set."""
    for passage in passages:
        passage.own = own
    return passages


def ingest(
    paths: list[Path],
    index: ExampleIndex,
    progress: IngestProgress | None = None,
    prune: bool = False,
) -> IngestReport:
    """Index every supported file under `paths`; a bad file is reported and skipped, never fatal.

    With `prune`, documents in the index that are no longer among the files are removed.
    A document's old chunks stay in the index until its new ones are in. Files in a folder named
    OWN_FOLDER are the unit's own: their passages are marked `own`.
    """
    progress = progress or IngestProgress()
    report = IngestReport()
    started = time.perf_counter()
    files = corpus_files([p for p in paths if p.exists()])
    for i, path in enumerate(files, 1):
        progress.file_started(path.name, i, len(files))
        try:
            passages = marked(chunk_file(path), is_own(path))
        except LoadError as exc:
            report.failed[path.name] = exc.reason
            progress.file_failed(path.name, exc.reason)
            continue
        index.upsert_document(path.name, passages)
        report.indexed[path.name] = len(passages)
        progress.file_done(path.name, len(passages))
    if prune:
        present = {p.name for p in files}
        for source in index.documents():
            if source not in present:
                index.remove_document(source)
                report.removed.append(source)
    report.seconds = time.perf_counter() - started
    return report


def add_upload(settings: Settings, index: ExampleIndex, name: str, data: bytes, own: bool = False) -> int:
    """Check an uploaded sample, index it and keep it in the user corpus; return its chunk count.

    With `own` it is one of the unit's own documents, kept in `own_dir` so that a re-index keeps
    the mark; uploading a file again moves it to the folder its new mark asks for.
    Raises LoadError (naming the file) and changes nothing when the file is bad.
    """
    safe_name = Path(name).name
    passages = marked(chunk_text(read_bytes(data, safe_name), safe_name), own)
    target_dir = own_dir(settings) if own else settings.uploads_dir
    other_dir = settings.uploads_dir if own else own_dir(settings)
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = target_dir / f".{safe_name}.part"
    tmp.write_bytes(data)
    try:
        index.upsert_document(safe_name, passages)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target_dir / safe_name)
    (other_dir / safe_name).unlink(missing_ok=True)
    return len(passages)


def remove_document(settings: Settings, index: ExampleIndex, source: str) -> None:
    """Remove a document from the index, and the user's copy of it if it was uploaded (own or not)."""
    index.remove_document(source)
    for folder in (settings.uploads_dir, own_dir(settings)):
        (folder / Path(source).name).unlink(missing_ok=True)
