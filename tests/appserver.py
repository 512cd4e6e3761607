"""Helpers for tests that run the real app: start `streamlit run ui/app.py` on a free port, drive Chromium.

The server gets its own ASSISTANT_HOME (with the test session's embedding cache, so the
first-start index build is quick) and runs through `tests.serve_app`, which registers the
scripted model as a provider; `ASSISTANT_PROVIDER=scripted` selects it. With `scripted=False`
it is the plain `streamlit run` a user starts, on the bundled model (`ASSISTANT_PROVIDER=local`,
the model files from ASSISTANT_MODELS_DIR).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
EXAMPLE = REPO / "examples" / "qingshan-2024h1.yaml"
START_TIMEOUT = 60
UI_TIMEOUT_MS = 90_000
ARTIFACTS = REPO / "tests" / "artifacts" / "screenshots"
SHOTS = REPO / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") else ARTIFACTS  # the README's


def require_chromium() -> None:
    """Skip without Debian's chromium, except in CI, where the browser tests must run."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: install it with apt-get install chromium fonts-noto-cjk (.ci/run does)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk); CI runs this test")


def prepare_home(built_library_home: Path, home: Path) -> Path:
    """A data directory with the session's passage embeddings (the index itself is built by the app)."""
    home.mkdir(parents=True, exist_ok=True)
    source = built_library_home / "embedding-cache.sqlite"
    if source.exists():
        with sqlite3.connect(source) as src, sqlite3.connect(home / "embedding-cache.sqlite") as dst:
            src.backup(dst)
    return home


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """One `streamlit run ui/app.py` process: on the scripted model, or with `scripted=False` on the bundled one."""

    def __init__(self, home: Path, log: Path, *, scripted: bool = True) -> None:
        self.home, self.log = home, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "ASSISTANT_HOME": str(home), "ASSISTANT_PROVIDER": "scripted" if scripted else "local",
               "ASSISTANT_MODELS_DIR": os.environ.get("ASSISTANT_MODELS_DIR", str(REPO / ".cache" / "models")),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_MODEL"):
            env.pop(name, None)
        runner = ["tests.serve_app"] if scripted else ["streamlit", "run"]
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", *runner, str(REPO / "ui" / "app.py"), "--server.port", str(self.port),
                 "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.kill()
        raise RuntimeError(f"the app did not answer within {START_TIMEOUT} s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """Kill the server abruptly (SIGKILL, no shutdown), as a crash or power cut would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@contextmanager
def app_server(home: Path, log: Path, *, scripted: bool = True) -> Iterator[AppServer]:
    server = AppServer(home, log, scripted=scripted)
    try:
        yield server
    finally:
        server.kill()


@contextmanager
def browser_page() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                          locale="zh-CN")
            page = context.new_page()
            page.set_default_timeout(UI_TIMEOUT_MS)
            yield page
        finally:
            browser.close()


def shot(page, name: str, folder: Path = SHOTS) -> None:  # noqa: ANN001
    """A screenshot of the window, by default to SHOTS: tests/artifacts/screenshots/, or with
    UPDATE_SCREENSHOTS=1 to docs/screenshots/ for the README."""
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


# --- steps in the app --------------------------------------------------------------------------


def open_app(page, url: str, owner: str, path: str = "") -> None:  # noqa: ANN001
    page.goto(f"{url}/{path}?owner={owner}")
    page.locator("[data-testid='stSidebarNav']").wait_for()
    page.get_by_role("heading", level=1).first.wait_for()


def goto(page, title: str) -> None:  # noqa: ANN001
    """Open a page from the sidebar navigation."""
    page.locator("[data-testid='stSidebarNav']").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    wait_idle(page)


def wait_idle(page) -> None:  # noqa: ANN001
    """Wait until the script run is over (Streamlit shows a running indicator meanwhile), twice: a
    rerun may start just after one ends, and a click during it can be lost."""
    status = page.locator("[data-testid='stStatusWidget']")
    for _ in range(2):
        page.wait_for_timeout(300)
        status.wait_for(state="detached")


def import_sheet(page, sheet: Path = EXAMPLE, organization: str = "青山县自然资源局机关党支部") -> None:  # noqa: ANN001
    """Fill the form from a fact sheet (YAML import) on 一键成稿; `organization` is the sheet's."""
    page.get_by_role("heading", name="一键成稿", level=1).wait_for()
    page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(str(sheet))
    page.wait_for_function(  # the form is rebuilt from the imported sheet
        "name => [...document.querySelectorAll(\"input[aria-label='党组织名称 *']\")].some(e => e.value === name)",
        arg=organization,
    )
    wait_idle(page)


def import_and_draft(page) -> None:  # noqa: ANN001
    """Fill the form from the example sheet (YAML import) and draft the whole summary."""
    import_sheet(page)
    page.get_by_role("button", name="一键成稿").click()
    page.get_by_text("起草完成").first.wait_for()
    wait_idle(page)


def refine_opening(page, instruction: str = "语气更正式一些", timeout_ms: float = UI_TIMEOUT_MS) -> None:  # noqa: ANN001
    """On 分节修改: ask the chat for a revision of the first section and accept it."""
    box = page.locator("[data-testid='stChatInput'] textarea")
    box.fill(instruction)
    box.press("Enter")
    page.get_by_role("button", name="接受修改稿").click(timeout=timeout_ms)
    page.get_by_text("版本 2/2").wait_for()
    wait_idle(page)


def search_passages(page, query: str) -> None:  # noqa: ANN001
    """On 范文检索: search for `query` and wait for the passages."""
    goto(page, "范文检索")
    box = page.get_by_label("关键词")
    box.fill(query)
    box.press("Enter")
    page.get_by_role("button", name="用于该节").first.wait_for()
    wait_idle(page)


def open_options(page, label: str) -> list[str]:  # noqa: ANN001
    """Open the list of the select box labelled `label`; its options."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.locator("[data-testid='stSelectbox']").filter(has=page.get_by_role("combobox", name=label, exact=True))
    options = page.get_by_role("option")
    for attempt in range(3):  # a rerun that redraws the box closes its list: open it again
        wait_idle(page)
        box.locator("button[aria-haspopup='listbox']").click()
        try:
            options.first.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    return options.all_inner_texts()


def choose(page, label: str, option: str) -> None:  # noqa: ANN001
    """Pick `option` in the select box labelled `label`."""
    open_options(page, label)
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def values(page, selector: str) -> list[str]:  # noqa: ANN001
    """The current values of the inputs or text areas matching a CSS selector."""
    return page.eval_on_selector_all(selector, "els => els.map(e => e.value)")


def wait_table(page, text: str) -> None:  # noqa: ANN001
    """Wait until a table (st.dataframe, drawn on a canvas) holds `text` and has been drawn."""
    page.locator("[data-testid='stDataFrame']").get_by_text(text).first.wait_for(state="attached")
    page.wait_for_timeout(500)
