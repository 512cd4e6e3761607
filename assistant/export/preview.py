"""Page one of an exported .docx as a PNG image: LibreOffice lays it out, poppler's pdftoppm draws it.

LibreOffice lays the page out as Word would (fonts, margins, line spacing, the 落款), which the
Markdown preview cannot show; its headless build exports PDF only, so pdftoppm turns page one of
that PDF into an image. Without either, or when one fails, there is no image and the reason says why.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

RENDER_TIMEOUT_S = 120  # a first start of LibreOffice on 2 cores takes 10–20 s
PROGRAMS = ("soffice", "libreoffice")
RASTER = "pdftoppm"  # poppler-utils
DPI = 96


@dataclass(frozen=True)
class Preview:
    """The PNG of page one, or why there is none."""

    png: bytes = b""
    reason: str = ""


def office_program() -> str | None:
    """The LibreOffice program on PATH, if it and pdftoppm are both there."""
    if shutil.which(RASTER) is None:
        return None
    return next((path for name in PROGRAMS if (path := shutil.which(name))), None)


def _run(command: list[str]) -> int | None:
    """The command's exit code; None when it ran out of time."""
    try:
        return subprocess.run(command, capture_output=True, timeout=RENDER_TIMEOUT_S, check=False).returncode
    except subprocess.TimeoutExpired:
        return None


def page_one(docx: bytes) -> Preview:
    """Page one of the document as LibreOffice lays it out (its own profile, so a running LibreOffice is no bother)."""
    program = office_program()
    if program is None:
        return Preview(reason="本机没有安装 LibreOffice 和 pdftoppm（poppler-utils），装上后这里会显示导出稿第一页的样子")
    with tempfile.TemporaryDirectory(prefix="preview-") as tmp:
        folder = Path(tmp)
        (folder / "总结.docx").write_bytes(docx)
        laid_out = _run([program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                         "--convert-to", "pdf", "--outdir", str(folder), str(folder / "总结.docx")])
        pdf = folder / "总结.pdf"
        if laid_out != 0 or not pdf.is_file():
            return Preview(reason=_failed("LibreOffice", laid_out))
        drawn = _run([RASTER, "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                      str(folder / "第一页")])
        image = folder / "第一页.png"
        if drawn != 0 or not image.is_file():
            return Preview(reason=_failed(RASTER, drawn))
        return Preview(png=image.read_bytes())


def _failed(program: str, code: int | None) -> str:
    what = f"在 {RENDER_TIMEOUT_S} 秒内没有完成" if code is None else f"未能完成（退出码 {code}）"
    return f"{program} {what}，没有画出第一页，请直接下载 Word 文件查看"
