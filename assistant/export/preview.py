"""Page one of an exported .docx as a PNG image, rendered by LibreOffice when it is installed.

LibreOffice lays the page out as Word would (fonts, margins, line spacing, the 落款), which the
Markdown preview cannot show. Without it, or when it fails, there is no image and the reason says why.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

RENDER_TIMEOUT_S = 120  # a first start of LibreOffice on 2 cores takes 10–20 s
PROGRAMS = ("soffice", "libreoffice")


@dataclass(frozen=True)
class Preview:
    """The PNG of page one, or why there is none."""

    png: bytes = b""
    reason: str = ""


def office_program() -> str | None:
    """The LibreOffice program on PATH, if any."""
    return next((path for name in PROGRAMS if (path := shutil.which(name))), None)


def page_one(docx: bytes) -> Preview:
    """Page one of the document as LibreOffice draws it (its own profile, so a running LibreOffice is no bother)."""
    program = office_program()
    if program is None:
        return Preview(reason="本机没有安装 LibreOffice，装上后这里会显示导出稿第一页的样子")
    with tempfile.TemporaryDirectory(prefix="preview-") as tmp:
        folder = Path(tmp)
        source = folder / "总结.docx"
        source.write_bytes(docx)
        command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                   "--convert-to", "png", "--outdir", str(folder / "out"), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=RENDER_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            return Preview(reason=f"LibreOffice 在 {RENDER_TIMEOUT_S} 秒内没有画完第一页，请直接下载 Word 文件查看")
        image = folder / "out" / "总结.png"
        if done.returncode != 0 or not image.is_file():
            return Preview(reason=f"LibreOffice 未能画出第一页（退出码 {done.returncode}），请直接下载 Word 文件查看")
        return Preview(png=image.read_bytes())
