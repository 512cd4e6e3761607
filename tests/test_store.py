"""The SQLite draft and form stores: round trips, per-owner isolation, restarts, atomic writes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from assistant.app.forms import empty_form
from assistant.app.stores import DraftNotFoundError, DraftStore, DraftSummary, FormStore, StoreError, Stores
from assistant.domain.draft import Draft, Finding, Section, SectionVersion, SourceRef, text_changes, time_label
from assistant.domain.facts import fact_sheet_from_dict
from assistant.settings import Settings
from tests.conftest import REPO


def make_draft(title: str = "青山县自然资源局机关党支部2024年上半年党建工作总结") -> Draft:
    facts = fact_sheet_from_dict(
        {
            "organization": "青山县自然资源局机关党支部",
            "period": "2024年上半年",
            "date": "2024-07-08",
            "highlights": [
                {"topic": "党纪学习教育", "facts": ["组织集中学习6次"]},
                {"topic": "基层组织建设", "facts": ["发展党员2名"]},
            ],
            "problems": ["个别党员学习主动性不强"],
            "plans": ["巩固拓展党纪学习教育成果"],
        }
    )
    specs = [
        ("opening", "opening", "", ""),
        ("a1", "achievements", "一、上半年党建工作开展情况", "（一）扎实开展党纪学习教育"),
        ("a2", "achievements", "一、上半年党建工作开展情况", "（二）加强基层组织建设"),
        ("problems", "problems", "二、存在的问题", ""),
        ("plans", "plans", "三、下半年工作打算", ""),
    ]
    sections = []
    for key, kind, chapter, heading in specs:
        section = Section(key, kind, chapter, heading, topic=heading or kind, facts=["组织集中学习6次"], budget=400)
        section.add_version(SectionVersion(f"{key} 初稿。", "draft"))
        sections.append(section)
    a1 = sections[1]
    a1.add_version(
        SectionVersion(
            "组织集中学习XX次。",
            "refine",
            instruction="突出数据",
            findings=[Finding("placeholder", "含占位符 XX"), Finding("length", "偏短", "warning")],
        )
    )
    a1.add_version(SectionVersion("组织集中学习6次，开展专题研讨3次。", "edit"))
    a1.undo()
    a1.chat = [{"role": "user", "content": "突出数据"}, {"role": "assistant", "content": "已修改。"}]
    a1.sources = [SourceRef("样本A.txt", "一、 > （一）学习", "原文片段")]
    a1.pinned = [SourceRef("样本B.txt", "二、问题")]
    return Draft(facts=facts, title=title, sections=sections)


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts.sqlite")


def test_save_and_load_round_trip(store: DraftStore) -> None:
    draft = make_draft()
    store.save(draft, "alice")
    loaded = store.load(draft.id, "alice")
    assert loaded.to_dict() == draft.to_dict()
    a1 = loaded.section("a1")
    assert [v.origin for v in a1.versions] == ["draft", "refine", "edit"]
    assert a1.current == 1 and a1.text == "组织集中学习XX次。"
    assert a1.versions[1].findings[0] == Finding("placeholder", "含占位符 XX")
    assert not a1.versions[1].passed and a1.flagged
    assert a1.chat[1]["content"] == "已修改。"
    assert a1.sources[0].heading == "一、 > （一）学习" and a1.pinned[0].source == "样本B.txt"
    assert loaded.facts.report_date.isoformat() == "2024-07-08"
    assert a1.redo() and a1.text.endswith("专题研讨3次。")


def test_restore_any_version_and_nothing_is_lost(store: DraftStore) -> None:
    draft = make_draft()
    a1 = draft.section("a1")
    assert a1.restore(2) and a1.current == 2 and len(a1.versions) == 3
    assert not a1.restore(2)
    with pytest.raises(IndexError):
        a1.restore(3)
    store.save(draft, "alice")
    loaded = store.load(draft.id, "alice").section("a1")
    assert loaded.current == 2 and loaded.text == "组织集中学习6次，开展专题研讨3次。"
    assert loaded.restore(0) and loaded.text == "a1 初稿。"
    loaded.add_version(SectionVersion("再改一稿。", "edit"))  # a new version after a restore goes last
    assert [v.text for v in loaded.versions][:3] == [v.text for v in a1.versions] and loaded.current == 3


def test_compare_two_versions() -> None:
    a1 = make_draft().section("a1")
    assert a1.compare(1, 2) == [("equal", "组织集中学习"), ("delete", "XX"), ("insert", "6次，开展专题研讨3"),
                                ("equal", "次。")]
    assert a1.compare(2, 2) == [("equal", a1.versions[2].text)]
    assert text_changes("", "新增。") == [("insert", "新增。")] and text_changes("删去。", "") == [("delete", "删去。")]
    # A short unchanged run between two changes is shown inside the change, not as scattered characters.
    assert text_changes("一是强化理论武装。", "一是加强政治建设。") == [
        ("equal", "一是"), ("delete", "强化理论武装"), ("insert", "加强政治建设"), ("equal", "。")]
    for old, new in (("支部组织学习6次。", "支部组织集中学习8次，研讨3次。"), ("甲乙丙丁", "乙甲丁丙")):
        changes = text_changes(old, new)
        assert "".join(t for k, t in changes if k != "insert") == old
        assert "".join(t for k, t in changes if k != "delete") == new


def test_versions_are_named_in_chinese() -> None:
    names = {o: SectionVersion("", o).origin_label for o in ("draft", "refine", "edit", "regenerate", "fallback",
                                                              "composed")}
    assert names == {"draft": "起草", "refine": "对话修改", "edit": "手改", "regenerate": "重写",
                     "fallback": "直接表述", "composed": "代码生成"}
    assert SectionVersion("", "draft", created="2026-12-01T15:02:09").created_label == "2026年12月1日 15:02"
    assert time_label("不是时间") == "不是时间"


def test_save_stamps_updated(store: DraftStore) -> None:
    draft = make_draft()
    draft.updated = "2000-01-01T00:00:00"
    store.save(draft, "alice")
    assert draft.updated > "2000-01-01T00:00:00"
    assert store.load(draft.id, "alice").updated == draft.updated


def test_second_save_updates_instead_of_duplicating(store: DraftStore) -> None:
    draft = make_draft()
    store.save(draft, "alice")
    draft.title = "新标题"
    draft.sections.pop()
    draft.section("opening").add_version(SectionVersion("改过的开头。", "edit"))
    store.save(draft, "alice")
    assert store.list("alice") == [DraftSummary(draft.id, "新标题", draft.updated, 4)]
    loaded = store.load(draft.id, "alice")
    assert loaded.section("opening").text == "改过的开头。" and len(loaded.section("opening").versions) == 2


def test_list_is_newest_first_with_summaries(store: DraftStore) -> None:
    first, second = make_draft("甲"), make_draft("乙")
    store.save(first, "alice")
    store.save(second, "alice")
    assert [s.title for s in store.list("alice")] == ["乙", "甲"]
    store.save(first, "alice")
    summaries = store.list("alice")
    assert [s.id for s in summaries] == [first.id, second.id]
    assert summaries[0].section_count == 5 and summaries[0].updated == first.updated


def test_owners_never_see_each_others_drafts(store: DraftStore) -> None:
    mine, theirs = make_draft("我的"), make_draft("别人的")
    store.save(mine, "alice")
    store.save(theirs, "bob")
    assert [s.title for s in store.list("alice")] == ["我的"]
    assert [s.title for s in store.list("bob")] == ["别人的"]
    assert store.list("carol") == []
    with pytest.raises(DraftNotFoundError):
        store.load(theirs.id, "alice")
    with pytest.raises(DraftNotFoundError):
        store.delete(theirs.id, "alice")
    assert store.load(theirs.id, "bob").title == "别人的"


def test_same_id_under_two_owners_stays_separate(store: DraftStore) -> None:
    draft = make_draft("甲")
    store.save(draft, "alice")
    draft.title = "乙"
    store.save(draft, "bob")
    assert store.load(draft.id, "alice").title == "甲"
    assert store.load(draft.id, "bob").title == "乙"


def test_delete(store: DraftStore) -> None:
    keep, drop = make_draft("留"), make_draft("删")
    store.save(keep, "alice")
    store.save(drop, "alice")
    store.delete(drop.id, "alice")
    assert [s.id for s in store.list("alice")] == [keep.id]
    with pytest.raises(DraftNotFoundError):
        store.load(drop.id, "alice")
    with pytest.raises(DraftNotFoundError):
        store.delete(drop.id, "alice")


def test_unknown_id_is_a_clear_key_error(store: DraftStore) -> None:
    with pytest.raises(KeyError) as info:
        store.load("nope", "alice")
    assert isinstance(info.value, StoreError)
    assert str(info.value).startswith("找不到草稿 nope") and info.value.draft_id == "nope"


def test_empty_owner_is_refused(store: DraftStore) -> None:
    with pytest.raises(StoreError, match="owner"):
        store.list("")


def test_restart_returns_everything(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite"
    drafts = [make_draft("甲"), make_draft("乙")]
    first = DraftStore(path)
    for draft in drafts:
        first.save(draft, "alice")
    del first
    reopened = DraftStore(path)
    assert {s.id for s in reopened.list("alice")} == {d.id for d in drafts}
    for draft in drafts:
        assert reopened.load(draft.id, "alice").to_dict() == draft.to_dict()


def test_schema_is_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite"
    DraftStore(path)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 1
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="升级"):
        DraftStore(path)


def test_corrupt_database_raises_store_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="drafts.sqlite"):
        DraftStore(path)


def test_failed_write_keeps_the_previous_save(store: DraftStore) -> None:
    draft = make_draft("原稿")
    store.save(draft, "alice")
    with sqlite3.connect(store.path) as con:
        con.execute(
            "CREATE TRIGGER fail BEFORE UPDATE ON drafts WHEN NEW.title = '坏' BEGIN SELECT RAISE(ABORT, 'disk'); END"
        )
    draft.title = "坏"
    with pytest.raises(StoreError, match="无法读写"):
        store.save(draft, "alice")
    assert store.load(draft.id, "alice").title == "原稿"


def test_crash_mid_write_keeps_the_previous_save(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite"
    draft = make_draft("原稿")
    DraftStore(path).save(draft, "alice")
    child = textwrap.dedent(
        f"""
        import os
        from contextlib import contextmanager
        from assistant.app.stores import DraftStore

        class Crashing(DraftStore):
            @contextmanager
            def _connect(self, write=False, wal=False):
                with super()._connect(write, wal) as con:
                    yield con
                    if con.execute("SELECT count(*) FROM drafts WHERE title = '写了一半'").fetchone()[0]:
                        os._exit(3)  # the row is written but not committed

        store = Crashing({str(path)!r})
        draft = store.load({draft.id!r}, "alice")
        draft.title = "写了一半"
        store.save(draft, "alice")
        """
    )
    result = subprocess.run([sys.executable, "-c", child], check=False, cwd=REPO, capture_output=True, timeout=60)
    assert result.returncode == 3, result.stderr.decode()
    assert DraftStore(path).load(draft.id, "alice").title == "原稿"


def test_threads_can_save_at_once(store: DraftStore) -> None:
    drafts = [make_draft(f"稿{i}") for i in range(8)]
    errors: list[StoreError] = []

    def save(d: Draft) -> None:
        try:
            for _ in range(3):
                store.save(d, "alice")
        except StoreError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(store.list("alice")) == 8


def test_settings_path_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "home"))
    store = DraftStore(Settings.from_env().drafts_db)
    store.save(make_draft(), "alice")
    assert (tmp_path / "home" / "drafts.sqlite").is_file()


# --- the form store ---


@pytest.fixture
def forms(tmp_path: Path) -> FormStore:
    return FormStore(tmp_path / "forms.sqlite")


def _form(organization: str) -> dict:
    return {**empty_form(), "organization": organization}


def test_form_round_trip_per_owner_and_draft(forms: FormStore) -> None:
    forms.save("alice", "", _form("甲支部"))
    forms.save("alice", "d1", _form("乙支部"))
    forms.save("bob", "", _form("丙支部"))
    assert forms.load("alice", "") == _form("甲支部")
    assert forms.load("alice", "d1")["organization"] == "乙支部"
    assert forms.load("bob", "")["organization"] == "丙支部"
    assert forms.load("carol", "") is None
    forms.save("alice", "", _form("改过的"))
    assert forms.load("alice", "")["organization"] == "改过的"
    forms.delete("alice", "")
    assert forms.load("alice", "") is None and forms.load("alice", "d1") is not None


def test_form_schema_is_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "forms.sqlite"
    FormStore(path)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 1
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_form_file_from_before_versioning_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "forms.sqlite"
    with sqlite3.connect(path) as con:
        con.execute(
            "CREATE TABLE forms (owner TEXT NOT NULL, draft TEXT NOT NULL, "
            "data TEXT NOT NULL, saved_ns INTEGER NOT NULL, PRIMARY KEY (owner, draft))"
        )
        con.execute("INSERT INTO forms VALUES ('alice', '', '{\"organization\": \"旧\"}', 1)")
    assert FormStore(path).load("alice", "") == {"organization": "旧"}


def test_failed_form_write_keeps_the_previous_save(forms: FormStore) -> None:
    forms.save("alice", "d1", _form("原稿"))
    with sqlite3.connect(forms.path) as con:
        con.execute(
            "CREATE TRIGGER fail BEFORE UPDATE ON forms WHEN NEW.data LIKE '%坏%' "
            "BEGIN SELECT RAISE(ABORT, 'disk'); END"
        )
    with pytest.raises(StoreError, match="forms.sqlite") as info:
        forms.save("alice", "d1", _form("坏"))
    assert "无法读写" in str(info.value)
    assert forms.load("alice", "d1")["organization"] == "原稿"


def test_corrupt_form_database_raises_store_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "forms.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="表单库.*forms.sqlite"):
        FormStore(path)


def test_stores_use_the_settings_paths(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    stores = Stores(settings)
    assert stores.drafts.path == settings.drafts_db and stores.forms.path == settings.forms_db
    stores.drafts.save(make_draft(), "alice")
    stores.forms.save("alice", "", empty_form())
    assert settings.drafts_db.is_file() and settings.forms_db.is_file()
