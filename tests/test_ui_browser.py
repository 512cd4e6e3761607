"""The real app in Debian's Chromium: import the example sheet, draft, refine through the chat,
download the .docx and open it; a 台账 counted into facts, reviewed, accepted and drafted.

A screenshot of every page on the scripted model goes to tests/artifacts/screenshots/scripted/ (the
README's pages come from the bundled model: tests/test_ui_browser_bundled.py); the records review,
which uses no model, to tests/artifacts/screenshots/, or to docs/screenshots/ when UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.appserver import (
    ARTIFACTS,
    app_server,
    browser_page,
    choose,
    goto,
    import_and_draft,
    open_app,
    prepare_home,
    refine_opening,
    require_chromium,
    search_passages,
    shot,
    values,
    wait_idle,
    wait_table,
)
from tests.fake_model import REVISION_MARK

pytestmark = pytest.mark.browser
SCRIPTED_SHOTS = ARTIFACTS / "scripted"


def test_draft_refine_download_in_chromium(built_library_home: Path, tmp_path: Path) -> None:
    require_chromium()
    home = prepare_home(built_library_home, tmp_path / "home")
    with app_server(home, tmp_path / "app.log") as server, browser_page() as page:
        open_app(page, server.url, "browser-test-owner")
        import_and_draft(page)
        expect(page.get_by_text("（一）扎实开展党纪学习教育", exact=True).last).to_be_visible(timeout=20_000)
        shot(page, "1-draft", SCRIPTED_SHOTS)

        goto(page, "分节修改")
        refine_opening(page)
        expect(page.get_by_text(REVISION_MARK).first).to_be_visible(timeout=20_000)
        shot(page, "2-sections", SCRIPTED_SHOTS)

        search_passages(page, "组织党员观看警示教育片")
        shot(page, "3-search", SCRIPTED_SHOTS)

        goto(page, "语料库")
        page.get_by_text("已索引 5 篇").wait_for()
        wait_table(page, "市委办公室党总支2020年党建工作总结.txt")  # the list of samples
        shot(page, "4-corpus", SCRIPTED_SHOTS)

        goto(page, "导出")
        with page.expect_download() as download:
            page.get_by_role("button", name="下载 Word（.docx）").click()
        target = tmp_path / "summary.docx"
        download.value.save_as(target)
        shot(page, "5-export", SCRIPTED_SHOTS)

        goto(page, "设置")
        shot(page, "6-settings", SCRIPTED_SHOTS)

    paragraphs = [p.text for p in docx.Document(str(target)).paragraphs if p.text.strip()]
    assert paragraphs[0] == "青山县自然资源局机关党支部2024年上半年党建工作总结"
    assert "（一）扎实开展党纪学习教育" in paragraphs
    assert any(REVISION_MARK in p for p in paragraphs), "the accepted revision is in the download"


LEDGER = [  # 日期, 类型, 内容, 参加人数
    (dt.date(2026, 3, 15), "支委会", "研究发展党员工作", 5),
    (dt.date(2026, 4, 2), "支委会", "研究党费收缴", 5),
    (dt.date(2026, 5, 8), "主题党日", "赴革命纪念馆参观学习", 26),
    (dt.date(2026, 6, 20), "党课", "书记讲党课", 28),
    (dt.date(2025, 12, 3), "支委会", "年度工作总结", 5),
]


def write_ledger(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(["日期", "类型", "内容", "参加人数"])
    for row in LEDGER:
        sheet.append(list(row))
    book.save(path)
    return path


def test_records_review_move_accept_draft_in_chromium(built_library_home: Path, tmp_path: Path) -> None:
    """Issue 14: upload a 台账, review the proposed sheet, move one fact, accept, draft."""
    require_chromium()
    home = prepare_home(built_library_home, tmp_path / "home")
    ledger = write_ledger(tmp_path / "台账.xlsx")
    with app_server(home, tmp_path / "app.log") as server, browser_page() as page:
        open_app(page, server.url, "records-test-owner")
        organization = page.locator("input[aria-label='党组织名称 *']")
        organization.fill("青山县自然资源局机关党支部")
        organization.press("Enter")
        wait_idle(page)

        page.get_by_text("从材料生成事实表", exact=True).click()
        uploader = page.locator("[data-testid='stFileUploader']").filter(has_text="台账、会议或活动记录")
        uploader.locator("input[type=file]").set_input_files(str(ledger))
        uploader.get_by_text("台账.xlsx").wait_for()
        wait_idle(page)
        period = page.locator("input[aria-label='总结时段 *（只计本时段内的记录）']")
        period.fill("2026年度")
        period.press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="生成建议", exact=True).click()
        wait_idle(page)

        # Each counted fact beside the rows it counts; the 2025 row left out, with the reason.
        topics = page.locator("[data-testid='stExpander'] strong")
        expect(topics).to_have_text(["理论学习", "组织生活"])
        expect(page.get_by_text("讲授党课1次", exact=True).first).to_be_visible()
        expect(page.get_by_text("召开支委会2次，开展主题党日活动1次", exact=True).first).to_be_visible()
        rows = page.locator("[data-testid='stCaptionContainer']")
        for text in ("支委会2次：", "台账.xlsx · 台账 第2行「2026-03-15　支委会　研究发展党员工作　5」",
                     "台账.xlsx · 台账 第3行「2026-04-02　支委会　研究党费收缴　5」",
                     "主题党日活动1次：", "台账.xlsx · 台账 第4行「2026-05-08　主题党日　赴革命纪念馆参观学习　26」",
                     "党课1次：", "台账.xlsx · 台账 第5行「2026-06-20　党课　书记讲党课　28」"):
            expect(rows.filter(has_text=text)).to_have_count(1)
        expect(page.get_by_text("未计入的记录（1 条）")).to_be_visible()
        wait_table(page, "台账.xlsx · 台账 第6行")
        left_out = page.locator("[data-testid='stDataFrame']")
        for text in ("台账.xlsx · 台账 第6行", "2025-12-03　支委会　年度工作总结　5", "日期 2025年12月3日 不在2026年内，未计入"):
            expect(left_out.get_by_text(text).first).to_be_attached()
        expect(rows.filter(has_text="年度工作总结")).to_have_count(0)  # the 2025 row is counted in no fact
        page.get_by_role("button", name="生成建议", exact=True).evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        shot(page, "7-records")

        choose(page, "把事实", "讲授党课1次")
        choose(page, "移到主题", "组织生活")
        page.get_by_role("button", name="移动", exact=True).click()
        wait_idle(page)
        expect(topics).to_have_text(["组织生活"])  # 理论学习 had only the moved fact
        wait_idle(page)  # the rerun after 移动 may still be rendering: a click now can land on a button being replaced

        page.get_by_role("button", name="采用，填入事实表").click()
        wait_idle(page)
        expect(page.get_by_text("已填入事实表：1 项重点工作")).to_be_visible()
        assert values(page, "input[aria-label='党组织名称 *']") == ["青山县自然资源局机关党支部"]
        assert values(page, "input[aria-label='总结时段 *']") == ["2026年度"]
        assert values(page, "textarea[aria-label='事实（一行一条）*']") == ["召开支委会2次，开展主题党日活动1次\n讲授党课1次"]
        expect(page.get_by_role("combobox", name="工作主题 1 *", exact=True)).to_have_value("组织生活")
        expect(page.get_by_role("combobox", name="工作主题 2 *", exact=True)).to_have_count(0)
        expect(page.get_by_text("事实表还不完整")).to_have_count(0)

        page.get_by_role("button", name="一键成稿").click()
        page.get_by_text("起草完成").first.wait_for()
        wait_idle(page)
        preview = page.locator("[data-testid='stExpander']").filter(has_text="全文预览")
        expect(preview.get_by_text("青山县自然资源局机关党支部2026年党建工作总结")).to_be_visible()
        for fact in ("召开支委会2次", "讲授党课1次"):
            expect(preview.get_by_text(fact).first).to_be_visible()
