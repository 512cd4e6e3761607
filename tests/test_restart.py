"""Kill the running app mid-session and start it again: the draft and every version are still there.

Drives the real app (`streamlit run ui/app.py`) in Chromium: import the example sheet, draft,
refine the opening through the chat, then SIGKILL the server, start a new one on the same
data directory and reopen the same owner's URL.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from assistant.app.stores import DraftStore
from tests.appserver import (
    app_server,
    browser_page,
    goto,
    import_and_draft,
    open_app,
    prepare_home,
    refine_opening,
    require_chromium,
)
from tests.fake_model import REVISION_MARK

OWNER = "restart-test-owner"


def test_draft_survives_a_killed_app(built_library_home: Path, tmp_path: Path) -> None:
    require_chromium()
    home = prepare_home(built_library_home, tmp_path / "home")
    with browser_page() as page:
        with app_server(home, tmp_path / "first.log") as server:
            open_app(page, server.url, OWNER)
            import_and_draft(page)
            goto(page, "分节修改")
            refine_opening(page)
            server.kill()  # no shutdown hook runs: only what was already saved survives

        store = DraftStore(home / "drafts.sqlite")
        [summary] = store.list(OWNER)
        before = store.load(summary.id, OWNER)
        assert [v.origin for v in before.section("opening").versions][1:] == ["refine"]
        assert all(s.versions for s in before.sections)

        with app_server(home, tmp_path / "second.log") as server:
            open_app(page, server.url, OWNER, "sections")
            page.get_by_text("版本 2/2").wait_for()
            expect(page.get_by_text(REVISION_MARK).first).to_be_visible(timeout=20_000)
            expect(page.locator("[data-testid='stSidebar']").get_by_text(summary.title[:8]).first).to_be_visible(timeout=20_000)
            page.get_by_role("button", name="撤销").click()
            page.get_by_text("版本 1/2").wait_for()

    after = DraftStore(home / "drafts.sqlite").load(summary.id, OWNER)
    assert after.to_dict()["sections"][1:] == before.to_dict()["sections"][1:]
    assert len(after.section("opening").versions) == 2 and after.section("opening").current == 0
    assert after.section("opening").chat == before.section("opening").chat
