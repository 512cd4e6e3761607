"""Page one of the export as LibreOffice draws it: an A4 page with ink on it, or a reason when there is no LibreOffice."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from assistant.domain.draft import Draft
from assistant.export import draft_to_docx
from assistant.export.preview import office_program, page_one
from tests.test_export import draft  # noqa: F401  (the fixture: a drafted summary)


def docx_bytes(summary: Draft) -> bytes:
    stream = io.BytesIO()
    draft_to_docx(summary, stream)
    return stream.getvalue()


def test_without_libreoffice_the_reason_says_what_to_install(draft: Draft, tmp_path: Path,  # noqa: F811
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    preview = page_one(docx_bytes(draft))
    assert not preview.png and "LibreOffice" in preview.reason


def require_libreoffice() -> None:
    """Skip without LibreOffice, except in CI, where .ci/run installs it."""
    if office_program() is not None:
        return
    if os.environ.get("CI"):
        pytest.fail("LibreOffice is missing in CI: apt-get install libreoffice-writer-nogui poppler-utils (.ci/run does)")
    pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui poppler-utils); CI runs this test")


@pytest.mark.slow
def test_page_one_is_an_a4_page_with_text_on_it(draft: Draft) -> None:  # noqa: F811
    require_libreoffice()
    preview = page_one(docx_bytes(draft))
    assert preview.png, preview.reason
    image = Image.open(io.BytesIO(preview.png)).convert("L")
    assert abs(image.height / image.width - 297 / 210) < 0.02, image.size  # A4, portrait
    dark = sum(1 for p in image.getdata() if p < 128) / (image.width * image.height)
    assert 0.005 < dark < 0.3, dark  # text on a white page
