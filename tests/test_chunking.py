"""Chunks follow each sample's own structure, stay inside their chapter, carry their metadata and no advert."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.corpus.chunking import chunk_file, chunk_text
from assistant.corpus.cleaning import clean_text, find_watermarks
from assistant.corpus.loading import read_file
from assistant.corpus.passage import HEADING_SEPARATOR
from assistant.corpus.topics import vocabulary
from assistant.resources import CORPUS_DIR
from tests.conftest import REPO
from tests.test_cleaning import ADVERT_STRINGS
from tests.test_structure import EXPECTED

SAMPLES = sorted(EXPECTED)
KINDS = {"opening", "basic_info", "achievements", "problems", "plans"}
LIMIT = 600


@pytest.fixture(scope="module")
def chunks() -> dict[str, list]:
    return {name: chunk_file(CORPUS_DIR / name) for name in SAMPLES}


def chapter_regions(name: str) -> dict[str, str]:
    """The cleaned text of each chapter (between its heading line and the next), keyed by heading."""
    lines = clean_text(read_file(CORPUS_DIR / name)).split("\n")
    headings = [h for h, _, _, _ in EXPECTED[name]["chapters"]]
    starts = [lines.index(h) for h in headings] + [len(lines)]
    regions = {EXPECTED[name]["title"]: "\n".join(lines[1 : starts[0]])}
    for heading, a, b in zip(headings, starts, starts[1:]):
        regions[heading] = "\n".join(lines[a + 1 : b])
    return regions


@pytest.mark.parametrize("name", SAMPLES)
def test_no_chunk_crosses_a_chapter(chunks: dict, name: str) -> None:
    regions = chapter_regions(name)
    kinds = {EXPECTED[name]["title"]: "opening"} | {h: k for h, k, _, _ in EXPECTED[name]["chapters"]}
    for p in chunks[name]:
        chapter = p.heading.split(HEADING_SEPARATOR)[0]
        assert chapter in regions, p.heading
        assert p.kind == kinds[chapter], p.heading
        for line in p.text.split("\n"):
            assert line in regions[chapter], (p.heading, line)
        for other in regions:
            if other != chapter:
                assert other not in p.text.split("\n"), (p.heading, other)


@pytest.mark.parametrize("name", SAMPLES)
def test_chunks_keep_every_sentence_in_order(chunks: dict, name: str) -> None:
    joined = "\n".join(p.text for p in chunks[name])
    at = 0
    for chapter, region in chapter_regions(name).items():
        for sentence in filter(None, re.split(r"(?<=[。；！？：])|\n", region)):
            found = joined.find(sentence, at)
            assert found >= 0, (chapter, sentence)
            at = found


@pytest.mark.parametrize("name", SAMPLES)
def test_every_subsection_starts_a_chunk_under_its_heading(chunks: dict, name: str) -> None:
    headings = [p.heading for p in chunks[name]]
    for chapter, _, _, subsections in EXPECTED[name]["chapters"]:
        for sub, _ in subsections:
            assert any(h.startswith(chapter + HEADING_SEPARATOR + sub) for h in headings), sub


@pytest.mark.parametrize("name", SAMPLES)
def test_no_chunk_is_over_the_size_limit(chunks: dict, name: str) -> None:
    assert max(len(p.text) for p in chunks[name]) <= LIMIT


@pytest.mark.parametrize("name", SAMPLES)
def test_every_chunk_carries_its_metadata(chunks: dict, name: str) -> None:
    want = EXPECTED[name]
    topics = set(vocabulary())
    passages = chunks[name]
    assert [p.position for p in passages] == list(range(len(passages)))
    for p in passages:
        assert p.source == name
        assert p.kind in KINDS
        assert set(p.topics) <= topics
        assert (p.doc_title, p.period, p.year, p.level) == (want["title"], want["period"], want["year"], want["level"])
        assert p.text.strip() and p.heading.strip()


@pytest.mark.parametrize("name", SAMPLES)
def test_every_chunk_is_tagged_with_a_topic(chunks: dict, name: str) -> None:
    untagged = [p.heading for p in chunks[name] if not p.topics]
    assert untagged == []


@pytest.mark.parametrize("name", SAMPLES)
def test_no_chunk_holds_an_advert(chunks: dict, name: str) -> None:
    for p in chunks[name]:
        assert find_watermarks(p.text) == [], p.heading
        assert [s for s in ADVERT_STRINGS if s in p.text] == [], p.heading


def test_long_subsection_is_split_by_its_items(chunks: dict) -> None:
    """Sample 004's （四） runs to nearly 800 characters: one chunk per 一是/二是 item."""
    name = "区委直属机关工委2020年工作总结和2021年工作安排.txt"
    sub = "一、2020年工作总结 > （四）坚持群众为本，巩固扩大帮扶成果。"
    parts = [p for p in chunks[name] if p.heading.startswith(sub)]
    assert [p.heading.removeprefix(sub + HEADING_SEPARATOR) for p in parts] == [
        "一是落实主体责任，确保帮扶“不失位”。",
        "二是加大消费扶贫，确保帮扶“不掉线”。",
        "三是加强教育监督，确保帮扶“不失控”。",
        "四是布局乡村振兴，确保帮扶“不断档”。",
    ]
    assert parts[0].text.startswith("（四）坚持群众为本，巩固扩大帮扶成果。")
    assert "一是落实主体责任" in parts[0].text
    assert [p.text[:4] for p in parts[1:]] == ["二是加大", "三是加强", "四是布局"]


def test_short_subsection_is_one_chunk(chunks: dict) -> None:
    name = "党支部2020年上半年党建工作总结.txt"
    heading = "二、工作开展情况 > （三）坚持加强教育管理，不断激发党员队伍活力。"
    parts = [p for p in chunks[name] if p.heading.startswith(heading)]
    assert len(parts) == 1
    assert parts[0].text.startswith("（三）坚持加强教育管理") and "三是组织各类文化活动" in parts[0].text


def summary(*body: str) -> str:
    return "\n".join(["测试党支部2021年党建工作总结", "2021年，测试党支部认真落实全面从严治党要求，扎实推进各项工作。", *body])


def test_synthetic_long_subsection_splits_into_items_under_the_limit() -> None:
    items = [f"{n}是开展第{n}项工作。" + "组织党员集中学习党章党规，交流学习体会，推动学习入脑入心。" * 5 for n in "一二三四五六"]
    text = summary("一、主要工作开展情况", "（一）加强理论学习。" + "".join(items), "二、存在的问题", "（一）学习不够深入。")
    passages = chunk_text(text, "测试.txt")
    parts = [p for p in passages if p.heading.startswith("一、主要工作开展情况 > （一）加强理论学习。")]
    assert len(parts) == 6
    assert [p.heading.split(HEADING_SEPARATOR)[-1] for p in parts] == [f"{n}是开展第{n}项工作。" for n in "一二三四五六"]
    assert all(len(p.text) <= LIMIT for p in parts)
    assert passages[-1].heading == "二、存在的问题 > （一）学习不够深入。" and passages[-1].kind == "problems"


def test_synthetic_long_paragraph_without_items_splits_at_sentence_ends() -> None:
    sentences = [f"第{i}次组织党员开展主题党日活动，重温入党誓词，交流学习心得体会{'；' if i % 3 else '。'}" for i in range(40)]
    text = summary("一、主要工作开展情况", "（一）规范组织生活。" + "".join(sentences))
    parts = [p for p in chunk_text(text, "测试.txt") if p.kind == "achievements"]
    assert len(parts) > 1
    assert all(len(p.text) <= LIMIT for p in parts)
    assert all(p.text[-1] in "。；！？" for p in parts)
    assert "".join(p.text for p in parts) == "（一）规范组织生活。" + "".join(sentences)


def test_chunk_ids_are_unique(chunks: dict) -> None:
    ids = [p.id for passages in chunks.values() for p in passages]
    assert len(ids) == len(set(ids))


def test_chunk_ids_are_stable_across_runs(chunks: dict) -> None:
    """A fresh interpreter (different hash seed) gives the same ids, so re-ingesting upserts."""
    script = (
        "import json; from pathlib import Path; from assistant.corpus.chunking import chunk_file; "
        "from assistant.resources import CORPUS_DIR; "
        "print(json.dumps({p.name: [c.id for c in chunk_file(p)] for p in sorted(CORPUS_DIR.glob('*.txt'))}))"
    )
    env = os.environ | {"PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == {name: [p.id for p in passages] for name, passages in chunks.items()}


def test_editing_one_subsection_changes_only_its_chunk_id(tmp_path: Path) -> None:
    original = read_file(CORPUS_DIR / "党支部2020年上半年党建工作总结.txt")
    edited = original.replace("（二）党建活动形式不够丰富。", "（二）党建活动形式比较单一。")
    assert edited != original
    before = [p.id for p in chunk_text(original, "a.txt")]
    after = [p.id for p in chunk_text(edited, "a.txt")]
    assert len(before) == len(after)
    assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == [7]


def test_same_text_in_another_file_gets_other_ids() -> None:
    text = read_file(CORPUS_DIR / "党支部2020年上半年党建工作总结.txt")
    assert not {p.id for p in chunk_text(text, "a.txt")} & {p.id for p in chunk_text(text, "b.txt")}
