"""Render the exported .docx with LibreOffice and look at the page (skipped without soffice/pdftoppm).

Needs Debian's `libreoffice-writer-nogui` and `poppler-utils`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.domain.draft import Draft, Section, SectionVersion
from assistant.domain.facts import fact_sheet_from_dict
from assistant.export import draft_to_docx

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm")),
    reason="needs soffice (libreoffice-writer-nogui) and pdftoppm (poppler-utils)",
)


def _draft() -> Draft:
    facts = fact_sheet_from_dict(
        {
            "organization": "某机关党支部",
            "period": "2024年上半年",
            "highlights": [{"topic": "学习", "facts": ["学习6次"]}],
        }
    )
    section = Section("a1", "achievements", "一、上半年党建工作开展情况", "（一）学习", "学习", [], 300)
    section.add_version(SectionVersion("支部组织集中学习6次。" * 20, "draft"))
    return Draft(facts=facts, title=facts.display_title, sections=[section])


def test_docx_renders_to_a_non_empty_a4_page(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    docx_path = tmp_path / "draft.docx"
    draft_to_docx(_draft(), docx_path)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "draft.pdf"), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    png = next(tmp_path.glob("page*.png"))
    with image.open(png) as page:
        width, height = page.size
        assert abs(height / width - 297 / 210) < 0.01
        grey = page.convert("L")
        dark = sum(1 for value in grey.getdata() if value < 128)
    assert dark > 0.001 * width * height  # the text is there
