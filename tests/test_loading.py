"""Reading corpus files: the encodings and formats offices use, and a clear LoadError for every bad file."""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from assistant.corpus.chunking import chunk_file
from assistant.corpus.loading import MAX_BYTES, read_bytes, read_file
from assistant.errors import LoadError
from assistant.resources import CORPUS_DIR

SAMPLE = CORPUS_DIR / "党支部2020年上半年党建工作总结.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
SHORT_TEXT = "党支部工作总结\n一、基本情况\n现有党员十二名。"


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_utf8_sample_reads_as_written() -> None:
    assert read_file(SAMPLE) == SAMPLE_TEXT


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
@pytest.mark.parametrize("text", [SAMPLE_TEXT, SHORT_TEXT], ids=["sample", "short"])
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_gbk_file_reads_the_same_text(tmp_path: Path, encoding: str, text: str, suffix: str) -> None:
    path = tmp_path / f"总结{suffix}"
    path.write_bytes(text.encode(encoding))
    assert read_file(path) == text


@pytest.mark.parametrize("text", [SAMPLE_TEXT, SHORT_TEXT], ids=["sample", "short"])
def test_utf8_with_bom_reads_without_the_bom(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(text.encode("utf-8-sig"))
    got = read_file(path)
    assert got == text
    assert not got.startswith("\ufeff")


def test_gbk_sample_chunks_like_the_utf8_original(tmp_path: Path) -> None:
    path = tmp_path / SAMPLE.name
    path.write_bytes(SAMPLE_TEXT.encode("gbk"))
    assert [(p.heading, p.text) for p in chunk_file(path)] == [(p.heading, p.text) for p in chunk_file(SAMPLE)]


def test_docx_paragraphs_become_lines(tmp_path: Path) -> None:
    path = tmp_path / "总结.docx"
    path.write_bytes(make_docx(["测试党支部2021年党建工作总结", "一、基本情况", "现有党员12名。"], table=[["党员", "12名"]]))
    lines = read_file(path).split("\n")
    assert lines[:3] == ["测试党支部2021年党建工作总结", "一、基本情况", "现有党员12名。"]
    assert any("党员" in line and "12名" in line for line in lines[3:])  # table cells are read too


def test_docx_sample_chunks_like_the_txt_original(tmp_path: Path) -> None:
    """A sample saved as Word (one paragraph a line, adverts included) gives the same chunks as the .txt."""
    path = tmp_path / "党支部2020年上半年党建工作总结.docx"
    path.write_bytes(make_docx(SAMPLE_TEXT.split("\n")))
    got = chunk_file(path)
    assert [(p.heading, p.kind, p.text) for p in got] == [(p.heading, p.kind, p.text) for p in chunk_file(SAMPLE)]
    assert {p.source for p in got} == {path.name}


def _zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "not a word document")
    return out.getvalue()


def _workbook() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


# (file name, bytes, words the reason must contain)
BAD_FILES = [
    ("空文件.txt", b"", "空"),
    ("只有空白.txt", b" \r\n\n\t  \n", "空"),
    ("空文件.docx", b"", "空"),
    ("含NUL.txt", "党建工作总结".encode() + b"\x00\x00\x00" + "正文".encode(), "二进制"),
    ("图片.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "二进制"),
    ("乱码.txt", random.Random(7).randbytes(4000).replace(b"\x00", b"\x01"), "编码"),
    ("乱码.md", random.Random(8).randbytes(600).replace(b"\x00", b"\x01"), "编码"),
    ("损坏.docx", random.Random(9).randbytes(3000), "文件已损坏或不完整"),
    ("截断.docx", make_docx(["测试党支部2021年党建工作总结", "一、基本情况"])[:2000], "文件已损坏或不完整"),
    ("压缩包.docx", _zip_without_document(), "缺少 Word 正文"),
    ("表格.docx", _workbook(), "不是 Word 文档"),
    ("总结.pdf", "党建工作总结".encode(), ".pdf"),
    ("总结.doc", "党建工作总结".encode("gbk"), ".doc"),
    ("总结", "党建工作总结".encode(), "扩展名"),
]


LATIN_IN_REASONS = {"txt", "md", "docx", "doc", "pdf", "UTF", "Word", "MB"}


def assert_clear_error(exc: LoadError, name: str, words: str) -> None:
    assert exc.path == name
    assert name in str(exc)
    assert words in exc.reason
    assert "\n" not in str(exc)  # one line
    # In Chinese, saying what to do: the only Latin words are file types and encodings, never an exception's name.
    assert set(re.findall(r"[A-Za-z]+", exc.reason)) <= LATIN_IN_REASONS, exc.reason


@pytest.mark.parametrize(("name", "data", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_raises_load_error_naming_file_and_reason(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError) as caught:
        read_file(path)
    assert_clear_error(caught.value, name, words)


@pytest.mark.parametrize(("name", "data", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_upload_bytes_raise_load_error(name: str, data: bytes, words: str) -> None:
    with pytest.raises(LoadError) as caught:
        read_bytes(data, name)
    assert_clear_error(caught.value, name, words)


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "巨大.txt"
    with open(path, "wb") as f:  # sparse: instant to create, 11 MB by its size
        f.truncate(11 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        read_file(path)
    assert time.perf_counter() - started < 1
    assert_clear_error(caught.value, "巨大.txt", "10 MB")


def test_oversized_upload_is_refused() -> None:
    with pytest.raises(LoadError) as caught:
        read_bytes(b"a" * (MAX_BYTES + 1), "巨大.md")
    assert_clear_error(caught.value, "巨大.md", "10 MB")


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    line = "党建工作总结。\n".encode()
    data = line * (MAX_BYTES // len(line))
    path = tmp_path / "大文件.txt"
    path.write_bytes(data)
    assert len(read_file(path)) == len(data.decode())


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        read_file(tmp_path / "不存在.txt")
    assert caught.value.path == "不存在.txt"
    assert "不存在.txt" in str(caught.value)


BANNER_ONLY = "\n".join(SAMPLE_TEXT.split("\n")[:15])  # 仅供学习 禁止外传 … 会员群 … then blank lines
EVERY_ADVERT = "\n".join(
    [
        BANNER_ONLY,
        "【会员资料仅供内部交流使用，严禁外传及用于商业用途，违者后果自负】",
        "酷乐文行整理，咨询QQ206157060",
        "",
        "酷乐文行整理，咨询QQ206157060",
    ]
)


@pytest.mark.parametrize("text", [BANNER_ONLY, EVERY_ADVERT], ids=["banner", "every-advert"])
@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_file_holding_only_adverts_is_refused(tmp_path: Path, text: str, encoding: str) -> None:
    assert "仅供学习 禁止外传" in text and "会员群" in text
    path = tmp_path / "只有广告.txt"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(LoadError) as caught:
        chunk_file(path)
    assert_clear_error(caught.value, "只有广告.txt", "广告")


def test_docx_holding_only_adverts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "只有广告.docx"
    path.write_bytes(make_docx(BANNER_ONLY.split("\n")))
    with pytest.raises(LoadError) as caught:
        chunk_file(path)
    assert_clear_error(caught.value, "只有广告.docx", "广告")
