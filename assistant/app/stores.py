"""Drafts and fact-sheet forms saved in SQLite, one row per owner and draft; safe to use from several threads.

Both stores share `SqliteStore`: every call opens its own connection, so Streamlit's script
threads never share one, and each call is a single transaction in WAL mode, so a crash or a
failed write mid-way leaves the previous save intact. `Stores` opens both in the data directory.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from assistant.domain.draft import Draft
from assistant.errors import AssistantError
from assistant.settings import Settings

Migrations = dict[int, tuple[str, ...]]  # version reached → statements that reach it from the one before

DRAFT_MIGRATIONS: Migrations = {
    1: (
        """
        CREATE TABLE drafts (
            owner    TEXT NOT NULL,
            id       TEXT NOT NULL,
            title    TEXT NOT NULL,
            updated  TEXT NOT NULL,
            sections INTEGER NOT NULL,
            saved_ns INTEGER NOT NULL,
            data     TEXT NOT NULL,
            PRIMARY KEY (owner, id)
        )
        """,
        "CREATE INDEX drafts_by_owner ON drafts (owner, saved_ns DESC)",
    ),
}
FORM_MIGRATIONS: Migrations = {
    # IF NOT EXISTS: form files from before the schema was versioned already have the table.
    1: (
        "CREATE TABLE IF NOT EXISTS forms (owner TEXT NOT NULL, draft TEXT NOT NULL, "
        "data TEXT NOT NULL, saved_ns INTEGER NOT NULL, PRIMARY KEY (owner, draft))",
    ),
}


class StoreError(AssistantError):
    """The drafts or forms database cannot be opened, read or written."""


class DraftNotFoundError(StoreError, KeyError):
    """No draft with this id belongs to this owner."""

    def __init__(self, draft_id: str) -> None:
        super().__init__(f"找不到草稿 {draft_id}：它可能已被删除，请从草稿列表重新选择")
        self.draft_id = draft_id

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class DraftSummary:
    """One line of the drafts list."""

    id: str
    title: str
    updated: str
    section_count: int


def check_owner(owner: str) -> None:
    """StoreError for an empty owner, so one user's rows never mix with another's."""
    if not owner:
        raise StoreError("owner 为空：每个用户需要自己的标识，草稿才不会混在一起")


class SqliteStore:
    """One SQLite file with a versioned schema; subclasses name it and list its migrations.

    Opening creates the folder, switches the file to WAL mode and brings the schema up to date.
    """

    label: ClassVar[str] = "数据库"  # how messages name the file, e.g. 草稿库
    migrations: ClassVar[Migrations] = {}

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据目录 {self.path.parent}（{exc}）：请检查 ASSISTANT_HOME 的权限") from exc
        with self._connect(write=True, wal=True) as con:
            self._migrate(con)

    @contextmanager
    def _connect(self, write: bool = False, wal: bool = False) -> Iterator[sqlite3.Connection]:
        """A fresh connection in one transaction: committed on success, rolled back on error.

        Writers take the write lock up front (BEGIN IMMEDIATE) so they queue instead of failing.
        `wal` switches the file to WAL mode first (it persists in the file).
        """
        try:
            with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as con:
                if wal:  # must be set outside a transaction
                    con.execute("PRAGMA journal_mode=WAL")
                con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield con
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                con.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(
                f"{self.label} {self.path} 无法读写（{exc}）：请检查磁盘空间和权限；若文件已损坏，请移走它后重启"
            ) from exc

    def _migrate(self, con: sqlite3.Connection) -> None:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        latest = max(self.migrations, default=0)
        if version > latest:
            raise StoreError(f"{self.label} {self.path} 来自更新版本的助手（结构版本 {version}）：请升级本程序")
        for target in range(version + 1, latest + 1):
            for statement in self.migrations[target]:
                con.execute(statement)
            con.execute(f"PRAGMA user_version = {target}")


class DraftStore(SqliteStore):
    """Save, list, load and delete drafts; `owner` is an opaque per-user key that scopes every call."""

    label = "草稿库"
    migrations = DRAFT_MIGRATIONS

    def save(self, draft: Draft, owner: str) -> None:
        """Insert or replace the draft by id; on success `draft.updated` is the save time."""
        check_owner(owner)
        updated = dt.datetime.now().isoformat(timespec="seconds")
        data = json.dumps({**draft.to_dict(), "updated": updated}, ensure_ascii=False)
        with self._connect(write=True) as con:
            con.execute(
                """
                INSERT INTO drafts (owner, id, title, updated, sections, saved_ns, data)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (owner, id) DO UPDATE SET
                    title = excluded.title, updated = excluded.updated, sections = excluded.sections,
                    saved_ns = excluded.saved_ns, data = excluded.data
                """,
                (owner, draft.id, draft.title, updated, len(draft.sections), time.time_ns(), data),
            )
        draft.updated = updated

    def load(self, draft_id: str, owner: str) -> Draft:
        """The owner's draft with this id; DraftNotFoundError if there is none."""
        check_owner(owner)
        with self._connect() as con:
            row = con.execute("SELECT data FROM drafts WHERE owner = ? AND id = ?", (owner, draft_id)).fetchone()
        if row is None:
            raise DraftNotFoundError(draft_id)
        try:
            return Draft.from_dict(json.loads(row[0]))
        except (ValueError, KeyError, TypeError, AssistantError) as exc:
            raise StoreError(f"草稿 {draft_id} 的存档已损坏（{exc}）：请删除它或从导出的文稿恢复") from exc

    def list(self, owner: str) -> builtins.list[DraftSummary]:
        """The owner's drafts, most recently saved first."""
        check_owner(owner)
        with self._connect() as con:
            rows = con.execute(
                "SELECT id, title, updated, sections FROM drafts WHERE owner = ? ORDER BY saved_ns DESC",
                (owner,),
            ).fetchall()
        return [DraftSummary(*row) for row in rows]

    def delete(self, draft_id: str, owner: str) -> None:
        """Remove the owner's draft; DraftNotFoundError if there is none."""
        check_owner(owner)
        with self._connect(write=True) as con:
            deleted = con.execute("DELETE FROM drafts WHERE owner = ? AND id = ?", (owner, draft_id)).rowcount
        if not deleted:
            raise DraftNotFoundError(draft_id)


class FormStore(SqliteStore):
    """The raw fact-sheet form per (owner, draft id), saved as typed, valid or not."""

    label = "表单库"
    migrations = FORM_MIGRATIONS

    def save(self, owner: str, draft_id: str, form: dict[str, Any]) -> None:
        """Insert or replace the form of this owner's draft (draft id "" for a sheet with no draft yet)."""
        with self._connect(write=True) as con:
            con.execute(
                "INSERT INTO forms (owner, draft, data, saved_ns) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (owner, draft) DO UPDATE SET data = excluded.data, saved_ns = excluded.saved_ns",
                (owner, draft_id, json.dumps(form, ensure_ascii=False), time.time_ns()),
            )

    def load(self, owner: str, draft_id: str) -> dict[str, Any] | None:
        """The saved form, or None when there is none."""
        with self._connect() as con:
            row = con.execute("SELECT data FROM forms WHERE owner = ? AND draft = ?", (owner, draft_id)).fetchone()
        return json.loads(row[0]) if row else None

    def delete(self, owner: str, draft_id: str) -> None:
        """Forget the form (nothing happens when there is none)."""
        with self._connect(write=True) as con:
            con.execute("DELETE FROM forms WHERE owner = ? AND draft = ?", (owner, draft_id))


class Stores:
    """The drafts and the forms of every user, in the files `settings` names."""

    def __init__(self, settings: Settings) -> None:
        self.drafts = DraftStore(settings.drafts_db)
        self.forms = FormStore(settings.forms_db)
