"""Rows of a unit's records: .xlsx sheets, .docx tables and paragraphs, .csv, .txt/.md lines and pasted text.

A table's header row is found by meaning (`rules.header_role`), not by position: its rows then
carry their cells by role (date, kind, subject, attendance, name). Rows of a table without a
header, paragraphs and lines are free text, one record each. A file that cannot be read raises
LoadError naming it with the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.corpus.loading import checked_suffix, decode_text
from assistant.errors import LoadError
from assistant.records.rules import header_role, rules

SUFFIXES = (".xlsx", ".docx", ".csv", ".txt", ".md")
PASTED = "粘贴的文字"
MAX_HEADER_CELL = 10  # a header cell is a short label
EXCEL_SERIAL = (20_000, 80_000)  # a bare number in a date column between these is an Excel day (1954–2119)
_CELL_SEP = "　"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old .xls/.doc, or an Office file with an opening password
# Why openpyxl or python-docx could not read a file, in words for people (never the exception's name),
# {app} Excel or Word. SyntaxError covers the XML parsers' (ElementTree's ParseError, lxml's XMLSyntaxError).
BROKEN: tuple[tuple[type[Exception], str], ...] = (
    (zipfile.BadZipFile, "文件已损坏或不完整，也可能是别的文件改了扩展名"),
    (KeyError, "文件里缺少 {app} 文件必要的组成部分，可能不完整"),
    (SyntaxError, "文件里的内容已损坏"),
    (ValueError, "文件内容不是 {app} 的格式"),
    (TypeError, "文件内容不是 {app} 的格式"),
    (OSError, "文件内容不是 {app} 的格式"),
)


@dataclass(frozen=True)
class SourceRow:
    """One row or line as it stands in its file, with its cells by role when a header named them."""

    source: str  # the file name, or 粘贴的文字
    where: str  # the sheet, 表1, 正文, or "" for a text file
    row: int  # 1-based: the sheet's or table's row, the paragraph or the line
    text: str
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """台账.xlsx · Sheet1 第3行, 记录.docx · 正文第2段, 笔记.txt 第5行."""
        unit = "段" if self.where == "正文" else "行"
        return f"{self.source}{' · ' + self.where if self.where else ''} 第{self.row}{unit}"


def _cell_text(value: Any, *, date_column: bool = False) -> str:
    """A cell as text: dates ISO, whole numbers without .0, an Excel day number in a date column as its date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if date_column and EXCEL_SERIAL[0] <= value <= EXCEL_SERIAL[1]:
            return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).isoformat()
        return str(int(value)) if float(value).is_integer() else str(value)
    return " ".join(str(value).split())


def _header(cells: Sequence[Any]) -> dict[int, str] | None:
    """Column → role when this row is a header row, else None."""
    roles: dict[int, str] = {}
    for i, cell in enumerate(cells):
        text = _cell_text(cell)
        role = header_role(text) if text and len(text) <= MAX_HEADER_CELL else None
        if role and role not in roles.values():
            roles[i] = role
    return roles if len(roles) >= rules().min_header_roles else None


def table_rows(rows: Sequence[Sequence[Any]], source: str, where: str, first: int = 1) -> list[SourceRow]:
    """The records of one table: after a header row, cells by role; without one, each row as free text.

    `first` is the number of the table's first row in its file.
    """
    limit = min(len(rows), rules().max_header_row)
    at, roles = next(((i, r) for i in range(limit) if (r := _header(rows[i]))), (-1, {}))
    found = []
    for i, cells in enumerate(rows[at + 1:], at + 1):
        texts = [_cell_text(c, date_column=roles.get(j) == "date") for j, c in enumerate(cells)]
        text = _CELL_SEP.join(t for t in texts if t)
        if text:
            fields = {role: texts[j] for j, role in roles.items() if j < len(texts)}
            found.append(SourceRow(source, where, first + i, text, fields))
    return found


def _split_line(line: str) -> list[str]:
    """A pasted spreadsheet row (tab-separated) or a Markdown table row (| … |) into cells; else the line."""
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return [c.strip() for c in stripped.strip("|").split("|")]
    return [stripped]


def _is_rule(cells: list[str]) -> bool:
    """A Markdown table's |---|---| line."""
    return all(set(c) <= set("-: ") for c in cells) and any("-" in c for c in cells)


def text_rows(text: str, source: str, where: str = "") -> list[SourceRow]:
    """Lines of text as records, one per line; a run of tab or | separated lines is a table with its header."""
    found: list[SourceRow] = []
    run: list[list[str]] = []  # the table being collected
    for number, line in enumerate(text.splitlines() + [""], 1):
        cells = _split_line(line)
        if len(cells) > 1:
            run.append([] if _is_rule(cells) else cells)
            continue
        if run:
            found.extend(table_rows(run, source, where, number - len(run)))
            run = []
        if cells[0]:
            found.append(SourceRow(source, where, number, cells[0]))
    return found


def _unreadable(data: bytes, name: str, exc: Exception, what: str, app: str) -> LoadError:
    """LoadError naming the file, why it could not be read and what to do, in words for people."""
    suffix = Path(name).suffix.lower()
    if data.startswith(OLE_MAGIC):
        why = f"是旧版 {'.xls' if app == 'Excel' else '.doc'} 格式，或设置了打开密码"
        return LoadError(name, f"{what}：{why}；请用 {app} 打开（取消密码）后另存为 {suffix} 再导入")
    why = next((words for kind, words in BROKEN if isinstance(exc, kind)), "文件无法打开")
    return LoadError(name, f"{what}：{why.format(app=app)}；请用 {app} 打开后另存为 {suffix} 再导入")


def read_xlsx(data: bytes, name: str) -> list[SourceRow]:
    """Every sheet of a workbook, each a table; LoadError naming it when it is broken (a sheet is
    parsed as its rows are read, so a broken sheet fails here too)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    broken: tuple[type[Exception], ...] = (InvalidFileException, *(kind for kind, _ in BROKEN))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except broken as exc:
        raise _unreadable(data, name, exc, "不是有效的 Excel 工作簿", "Excel") from exc
    try:
        return [row for sheet in book.worksheets
                for row in table_rows([list(r) for r in sheet.iter_rows(values_only=True)], name, sheet.title)]
    except broken as exc:
        raise _unreadable(data, name, exc, "不是有效的 Excel 工作簿", "Excel") from exc
    finally:
        book.close()


def _docx_cells(row: Any) -> list[str]:
    """A Word table row's cells, a merged cell once."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell.text.strip())
    return cells


def read_docx(data: bytes, name: str) -> list[SourceRow]:
    """The paragraphs of a Word file (第N段), then each table (表N) with its own header."""
    from docx import Document
    from docx.opc.exceptions import OpcError

    broken: tuple[type[Exception], ...] = (OpcError, *(kind for kind, _ in BROKEN))
    try:
        doc = Document(io.BytesIO(data))
    except broken as exc:
        raise _unreadable(data, name, exc, "不是有效的 Word 文档", "Word") from exc
    texts = [p.text.strip() for p in doc.paragraphs if p.text.strip()]
    found = [SourceRow(name, "正文", i, text) for i, text in enumerate(texts, 1)]
    for t, table in enumerate(doc.tables, 1):
        found.extend(table_rows([_docx_cells(r) for r in table.rows], name, f"表{t}"))
    return found


def read_csv(data: bytes, name: str) -> list[SourceRow]:
    """A comma-separated table (UTF-8 or GBK, as Excel saves it)."""
    return table_rows(list(csv.reader(io.StringIO(decode_text(data, name)))), name, "")


def read_records(data: bytes, name: str) -> list[SourceRow]:
    """The records of one file; LoadError naming it when it is of another type, empty, too large or broken."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        raise LoadError(name, "是旧版 Excel 格式 .xls；请用 Excel 另存为 .xlsx 后再导入")
    checked_suffix(data, name, SUFFIXES)
    readers = {".xlsx": read_xlsx, ".docx": read_docx, ".csv": read_csv}
    rows = readers[suffix](data, name) if suffix in readers else text_rows(decode_text(data, name), name)
    if not rows:
        raise LoadError(name, "文件中没有可读的记录（表格和文字都是空的）")
    return rows


def read_pasted(text: str) -> list[SourceRow]:
    """Pasted notes or spreadsheet rows, one record per line."""
    return text_rows(text, PASTED)


def read_all(files: Iterable[tuple[str, bytes]], pasted: str = "") -> list[SourceRow]:
    """The records of every file and of the pasted text; the first bad file raises LoadError and nothing is read."""
    rows = [row for name, data in files for row in read_records(data, name)]
    return rows + read_pasted(pasted) if pasted.strip() else rows
