"""The real app in Debian's Chromium: import the example sheet, draft, refine through the chat,
download the .docx and open it; a screenshot of every page goes to tests/artifacts/screenshots/, or to
docs/screenshots/ for the README when UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from tests.appserver import (
    REPO,
    app_server,
    browser_page,
    goto,
    import_and_draft,
    open_app,
    prepare_home,
    refine_opening,
    require_chromium,
    wait_idle,
)
from tests.fake_model import REVISION_MARK

pytestmark = pytest.mark.browser
SHOTS = REPO / ("docs/screenshots" if os.environ.get("UPDATE_SCREENSHOTS") else "tests/artifacts/screenshots")


def shot(page, name: str) -> None:  # noqa: ANN001
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_draft_refine_download_in_chromium(built_library_home: Path, tmp_path: Path) -> None:
    require_chromium()
    home = prepare_home(built_library_home, tmp_path / "home")
    with app_server(home, tmp_path / "app.log") as server, browser_page() as page:
        open_app(page, server.url, "browser-test-owner")
        import_and_draft(page)
        expect(page.get_by_text("（一）扎实开展党纪学习教育", exact=True).last).to_be_visible(timeout=20_000)
        shot(page, "1-draft")

        goto(page, "分节修改")
        refine_opening(page)
        expect(page.get_by_text(REVISION_MARK).first).to_be_visible(timeout=20_000)
        shot(page, "2-sections")

        goto(page, "范文检索")
        query = page.get_by_label("关键词")
        query.fill("组织党员观看警示教育片")
        query.press("Enter")
        page.get_by_role("button", name="用于该节").first.wait_for()
        wait_idle(page)
        shot(page, "3-search")

        goto(page, "语料库")
        page.get_by_text("已索引 5 篇").wait_for()
        shot(page, "4-corpus")

        goto(page, "导出")
        with page.expect_download() as download:
            page.get_by_role("button", name="下载 Word（.docx）").click()
        target = tmp_path / "summary.docx"
        download.value.save_as(target)
        shot(page, "5-export")

        goto(page, "设置")
        shot(page, "6-settings")

    paragraphs = [p.text for p in docx.Document(str(target)).paragraphs if p.text.strip()]
    assert paragraphs[0] == "青山县自然资源局机关党支部2024年上半年党建工作总结"
    assert "（一）扎实开展党纪学习教育" in paragraphs
    assert any(REVISION_MARK in p for p in paragraphs), "the accepted revision is in the download"
