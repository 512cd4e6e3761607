"""Markdown and GB/T 9704 .docx export, and reading either back."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assistant.domain.draft import Draft, Section, SectionVersion
from assistant.domain.facts import fact_sheet_from_dict
from assistant.errors import LoadError
from assistant.export import draft_to_docx, draft_to_markdown, read_draft_text
from assistant.export.blocks import lead_spans
from assistant.export.layout import closing_indents, text_width
from assistant.export.template import read_layout

CH1 = "一、上半年党建工作开展情况"
CH2 = "二、存在的问题"
CH3 = "三、下半年工作打算"
SUB1 = "（一）扎实开展党纪学习教育"
SUB2 = "（二）加强基层组织建设"


def _section(key: str, kind: str, chapter: str, heading: str, text: str) -> Section:
    section = Section(key=key, kind=kind, chapter=chapter, heading=heading, topic=heading, facts=[], budget=300)
    section.add_version(SectionVersion(text=text, origin="draft"))
    return section


@pytest.fixture
def draft() -> Draft:
    facts = fact_sheet_from_dict(
        {
            "organization": "青山县自然资源局机关党支部",
            "period": "2024年上半年",
            "date": "2024-07-08",
            "highlights": [
                {"topic": "党纪学习教育", "facts": ["组织集中学习6次", "开展专题研讨3次"]},
                {"topic": "基层组织建设", "facts": ["发展党员2名"]},
            ],
            "problems": ["个别党员学习主动性不强"],
            "plans": ["巩固拓展党纪学习教育成果"],
        }
    )
    return Draft(
        facts=facts,
        title=facts.display_title,
        sections=[
            _section("opening", "opening", "", "", "上半年，支部坚持以党建引领业务。\n现将有关情况总结如下。"),
            _section("a1", "achievements", CH1, SUB1, "1.强化学习。组织集中学习6次。\n开展专题研讨3次。"),
            _section("a2", "achievements", CH1, SUB2, "严格程序，发展党员2名。"),
            _section("problems", "problems", CH2, "", "一是个别党员学习主动性不强。"),
            _section("plans", "plans", CH3, "", "巩固拓展党纪学习教育成果。"),
        ],
    )


def _expected_units() -> list[tuple[str, str]]:
    return [
        ("", "上半年，支部坚持以党建引领业务。\n现将有关情况总结如下。"),
        (CH1, ""),
        (SUB1, "1.强化学习。组织集中学习6次。\n开展专题研讨3次。"),
        (SUB2, "严格程序，发展党员2名。"),
        (CH2, "一是个别党员学习主动性不强。"),
        (CH3, "巩固拓展党纪学习教育成果。"),
    ]


def _east_asia(element) -> str | None:
    rfonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    return None if rfonts is None else rfonts.get(qn("w:eastAsia"))


def _paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


# --- Markdown ---


def test_markdown_structure(draft: Draft) -> None:
    md = draft_to_markdown(draft)
    lines = [line for line in md.splitlines() if line]
    assert lines[0] == "# 青山县自然资源局机关党支部2024年上半年党建工作总结"
    assert lines[1:3] == ["上半年，支部坚持以党建引领业务。", "现将有关情况总结如下。"]
    assert lines[3] == f"## {CH1}"
    assert lines[4] == f"### {SUB1}"
    assert lines.count(f"## {CH1}") == 1  # the chapter heading is not repeated per subsection
    assert lines.index(f"### {SUB2}") > lines.index("开展专题研讨3次。")
    assert f"## {CH2}" in lines and f"## {CH3}" in lines
    assert not any(line.startswith("### ") and "二、" in line for line in lines)
    assert "\n\n" in md and md.endswith("\n")


def test_markdown_body_starting_with_hash_stays_body(draft: Draft, tmp_path: Path) -> None:
    draft.sections[-1].add_version(SectionVersion(text="#1号文件已落实。", origin="edit"))
    path = tmp_path / "d.md"
    path.write_text(draft_to_markdown(draft), encoding="utf-8")
    _, units = read_draft_text(path)
    assert units[-1] == (CH3, "#1号文件已落实。")


def test_markdown_round_trip(draft: Draft, tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text(draft_to_markdown(draft), encoding="utf-8")
    title, units = read_draft_text(path)
    assert title == draft.title
    assert units == _expected_units()


def test_plain_text_headings_are_recognised(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_text(
        "某支部2024年党建工作总结\n\n开头一段。\n\n一、工作情况\n\n（一）强化理论武装。支部组织学习4次。\n\n二、问题\n\n学习不够。\n",
        encoding="utf-8",
    )
    title, units = read_draft_text(path)
    assert title == "某支部2024年党建工作总结"
    assert units == [
        ("", "开头一段。"),
        ("一、工作情况", ""),
        ("（一）强化理论武装", "支部组织学习4次。"),
        ("二、问题", "学习不够。"),
    ]


@pytest.mark.parametrize("name", ["plain.md", "plain.txt"])
def test_chapter_numbers_with_full_or_half_width_stops_are_headings(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(
        "某支部2024年党建工作总结\n\n开头一段。\n\n一．工作情况\n\n支部组织学习4次。\n\n二.存在的问题\n\n学习不够。\n",
        encoding="utf-8",
    )
    title, units = read_draft_text(path)
    assert title == "某支部2024年党建工作总结"
    assert units == [
        ("", "开头一段。"),
        ("一．工作情况", "支部组织学习4次。"),
        ("二.存在的问题", "学习不够。"),
    ]


def test_markdown_ends_with_the_closing_right_aligned(draft: Draft) -> None:
    lines = [line for line in draft_to_markdown(draft).splitlines() if line]
    signature, date = lines[-2:]
    assert signature.strip("\u3000") == "青山县自然资源局机关党支部" and date.strip("\u3000") == "2024年7月8日"
    pad_signature = len(signature) - len(signature.lstrip("\u3000"))
    pad_date = len(date) - len(date.lstrip("\u3000"))
    assert pad_signature + 13 + 2 == 28  # 右空二字 on a line of 28 characters
    assert pad_date == pad_signature + 2  # the date starts two characters to the right of the name
    assert "2024年7月8日" not in draft_to_markdown(draft, closing=False)


def test_closing_follows_gbt9704_for_a_document_without_seal() -> None:
    assert text_width("2024年7月8日") == 6
    assert closing_indents("青山县自然资源局机关党支部", "2024年7月8日") == (2, 7)
    # A date longer than the name is set 右空二字 and the name moves left, keeping the two-character shift.
    name_right, date_right = closing_indents("党支部", "2024年12月31日")
    assert date_right == 2 and name_right + 3 == date_right + 7 + 2


# --- .docx layout ---


@pytest.fixture
def document(draft: Draft, tmp_path: Path):
    path = tmp_path / "draft.docx"
    draft_to_docx(draft, path)
    return docx.Document(str(path))


def test_docx_page_is_a4_with_gbt9704_margins(document) -> None:
    section = document.sections[0]
    assert abs(section.page_width.mm - 210) < 0.1
    assert abs(section.page_height.mm - 297) < 0.1
    for name, mm in {"top_margin": 37, "bottom_margin": 35, "left_margin": 28, "right_margin": 26}.items():
        assert abs(getattr(section, name).mm - mm) < 0.1, name


def test_docx_title(document, draft: Draft) -> None:
    title = document.paragraphs[0]
    assert title.text == draft.title
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        assert run.font.size.pt == 22
        assert _east_asia(run._r) == "方正小标宋简体"
    assert title.style.name == "公文标题"


def test_docx_body_font_spacing_and_indent(document) -> None:
    body = _paragraph(document, "上半年，支部坚持以党建引领业务。")
    fmt = body.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing.pt == 29
    assert fmt.first_line_indent.pt == 32
    assert body.paragraph_format.element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    for run in body.runs:
        assert run.font.size.pt == 16
        rfonts = run._r.rPr.rFonts
        assert {rfonts.get(qn(f"w:{a}")) for a in ("eastAsia", "ascii", "hAnsi")} == {"仿宋_GB2312"}
        assert rfonts.get(qn("w:eastAsiaTheme")) is None


def test_docx_normal_style_and_defaults_carry_the_body_font(document) -> None:
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert _east_asia(normal.element) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing.pt == 29
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    defaults = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault"))
    rfonts = defaults.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and rfonts.get(qn("w:eastAsiaTheme")) is None


def test_docx_heading_fonts(document) -> None:
    chapter = _paragraph(document, CH1)
    subsection = _paragraph(document, SUB1)
    assert {_east_asia(r._r) for r in chapter.runs} == {"黑体"}
    assert {_east_asia(r._r) for r in subsection.runs} == {"楷体_GB2312"}
    # Bold too, so that on a PC without 黑体/楷体_GB2312 the headings still stand out from the body.
    assert all(r.font.size.pt == 16 and r.font.bold for r in chapter.runs + subsection.runs)
    assert document.styles["一级标题"].font.bold and document.styles["二级标题"].font.bold
    assert _east_asia(document.styles["一级标题"].element) == "黑体"
    assert _east_asia(document.styles["二级标题"].element) == "楷体_GB2312"
    assert chapter.paragraph_format.line_spacing.pt == 29


def test_docx_numbered_item_lead_is_bold_fangsong(document) -> None:
    item = _paragraph(document, "1.强化学习。组织集中学习6次。")
    lead, rest = item.runs
    assert lead.text == "1.强化学习。" and lead.font.bold
    assert _east_asia(lead._r) == "仿宋_GB2312"
    assert rest.text == "组织集中学习6次。" and not rest.font.bold


def test_docx_ends_with_the_closing_right_aligned(document) -> None:
    signature, date = document.paragraphs[-2:]
    assert (signature.text, date.text) == ("青山县自然资源局机关党支部", "2024年7月8日")
    assert (signature.style.name, date.style.name) == ("发文机关署名", "成文日期")
    for paragraph, right_chars in ((signature, "200"), (date, "700")):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert paragraph.paragraph_format.element.pPr.ind.get(qn("w:rightChars")) == right_chars
        assert paragraph.paragraph_format.first_line_indent.pt == 0
        assert {_east_asia(r._r) for r in paragraph.runs} == {"仿宋_GB2312"}
        assert all(r.font.size.pt == 16 and not r.font.bold for r in paragraph.runs)
    assert signature.paragraph_format.space_before.pt == 29  # 正文下空一行
    assert signature.paragraph_format.right_indent.pt == 32 and date.paragraph_format.right_indent.pt == 112


def test_item_leads_are_bold_up_to_their_full_stop() -> None:
    text = "支部坚持学习。一是强化理论武装。组织集中学习6次。二是严格组织生活，开展主题党日；三是发展党员2名"
    assert lead_spans(text) == [
        ("支部坚持学习。", False),
        ("一是强化理论武装。", True),
        ("组织集中学习6次。", False),
        ("二是严格组织生活，开展主题党日；", True),  # never into the next item
        ("三是发展党员2名", True),
    ]
    assert lead_spans("统一是非标准。") == [("统一是非标准。", False)]


def test_docx_item_leads_are_bold(draft: Draft, tmp_path: Path) -> None:
    draft.sections[3].add_version(SectionVersion("一是学习主动性不强，存在应付心理。二是组织生活形式单一。", "edit"))
    path = tmp_path / "d.docx"
    draft_to_docx(draft, path)
    item = _paragraph(docx.Document(str(path)), "一是学习主动性不强，存在应付心理。二是组织生活形式单一。")
    assert [(r.text, bool(r.font.bold)) for r in item.runs] == [
        ("一是学习主动性不强，存在应付心理。", True), ("二是组织生活形式单一。", True)]
    assert {_east_asia(r._r) for r in item.runs} == {"仿宋_GB2312"}


def test_docx_footer_has_page_field_with_dashes(document) -> None:
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and ("w:fldChar" in xml or "w:fldSimple" in xml)
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert {_east_asia(r._r) for r in paragraph.runs} == {"宋体"}
        assert {r.font.size.pt for r in paragraph.runs} == {14}
    assert section.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_docx_to_stream(draft: Draft) -> None:
    stream = io.BytesIO()
    draft_to_docx(draft, stream)
    assert docx.Document(io.BytesIO(stream.getvalue())).paragraphs[0].text == draft.title


def test_section_without_versions_keeps_its_heading(draft: Draft, tmp_path: Path) -> None:
    draft.sections[2] = Section("a2", "achievements", CH1, SUB2, "", [], 300)
    assert f"### {SUB2}" in draft_to_markdown(draft)
    path = tmp_path / "d.docx"
    draft_to_docx(draft, path)
    assert SUB2 in [p.text for p in docx.Document(str(path)).paragraphs]


# --- Reading back ---


def test_docx_round_trip(draft: Draft, tmp_path: Path) -> None:
    path = tmp_path / "draft.docx"
    draft_to_docx(draft, path)
    title, units = read_draft_text(path)
    assert title == draft.title
    assert units == _expected_units()


def test_foreign_docx_without_styles_is_read_by_numbering(tmp_path: Path) -> None:
    document = docx.Document()
    for text in ("某支部2024年党建工作总结", "开头。", "一、工作情况", "（一）学习", "学习6次。", "二、问题", "不足。"):
        document.add_paragraph(text)
    path = tmp_path / "foreign.docx"
    document.save(str(path))
    title, units = read_draft_text(path)
    assert title == "某支部2024年党建工作总结"
    assert units == [("", "开头。"), ("一、工作情况", ""), ("（一）学习", "学习6次。"), ("二、问题", "不足。")]


@pytest.mark.parametrize("name", ["typed.md", "typed.txt", "typed.docx"])
def test_a_typed_closing_is_not_body_text(tmp_path: Path, name: str) -> None:
    texts = ["某支部2024年党建工作总结", "一、工作情况", "支部组织学习4次。", "　　　　某支部", "2024年7月8日"]
    path = tmp_path / name
    if name.endswith(".docx"):
        document = docx.Document()
        for text in texts:
            document.add_paragraph(text)
        document.save(str(path))
    else:
        path.write_text("\n\n".join(texts), encoding="utf-8")
    assert read_draft_text(path) == ("某支部2024年党建工作总结", [("一、工作情况", "支部组织学习4次。")])


def test_corrupt_docx_raises_load_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "坏文稿.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(LoadError) as info:
        read_draft_text(path)
    assert "坏文稿.docx" in str(info.value)
    assert info.value.path == str(path)


def test_zip_that_is_not_a_word_file_raises_load_error(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "zip.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(LoadError, match="zip.docx"):
        read_draft_text(path)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.md", None, "不存在"),
        ("draft.pdf", b"%PDF", "不支持"),
        ("empty.md", b"\n\n", "没有文字"),
        ("gbk.md", "一、工作情况".encode("gbk"), "UTF-8"),
    ],
)
def test_unreadable_files_raise_load_error(tmp_path: Path, name: str, content: bytes | None, reason: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(LoadError, match=reason) as info:
        read_draft_text(path)
    assert name in str(info.value)


# --- the unit's own layout (a template .docx) ---


def _set_font(element, face: str, size: float) -> None:
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
    element.get_or_add_rPr()
    sz = element.rPr.get_or_add_sz()
    sz.val = Pt(size)


def unit_template(path: Path, margins=(28, 28, 27, 27)) -> Path:
    """A provincial variant: other margins, 方正 fonts, 15 pt body, exact 33 pt lines; set in the styles."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (Mm(m) for m in margins)
    styles = document.styles
    for name, face, size in (("Normal", "方正仿宋_GBK", 15), ("Title", "方正小标宋_GBK", 20),
                             ("Heading 1", "方正黑体_GBK", 15), ("Heading 2", "方正楷体_GBK", 15)):
        _set_font(styles[name].element, face, size)
    styles["Normal"].paragraph_format.line_spacing = Pt(33)
    document.save(str(path))
    return path


def test_export_with_a_unit_template(draft: Draft, tmp_path: Path) -> None:
    layout = read_layout(unit_template(tmp_path / "省模板.docx"))
    assert (layout.top_mm, layout.bottom_mm, layout.left_mm, layout.right_mm) == (28, 28, 27, 27)
    assert layout.source == "省模板.docx" and "固定33磅" in layout.describe()
    out = tmp_path / "out.docx"
    draft_to_docx(draft, out, layout=layout)

    document = docx.Document(str(out))
    section = document.sections[0]
    assert abs(section.page_width.mm - 210) < 0.1 and abs(section.page_height.mm - 297) < 0.1
    for name, mm in {"top_margin": 28, "bottom_margin": 28, "left_margin": 27, "right_margin": 27}.items():
        assert abs(getattr(section, name).mm - mm) < 0.1, name
    looks = {draft.title: ("方正小标宋_GBK", 20), CH1: ("方正黑体_GBK", 15), SUB1: ("方正楷体_GBK", 15),
             "上半年，支部坚持以党建引领业务。": ("方正仿宋_GBK", 15), "2024年7月8日": ("方正仿宋_GBK", 15)}
    for text, (face, size) in looks.items():
        paragraph = _paragraph(document, text)
        assert {(_east_asia(r._r), r.font.size.pt) for r in paragraph.runs} == {(face, size)}, text
        assert paragraph.paragraph_format.line_spacing.pt == 33
        assert paragraph.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert _paragraph(document, "上半年，支部坚持以党建引领业务。").paragraph_format.first_line_indent.pt == 30
    assert _east_asia(document.styles["Normal"].element) == "方正仿宋_GBK"
    assert read_draft_text(out) == (draft.title, _expected_units())


def test_template_fonts_from_its_sample_paragraphs(tmp_path: Path) -> None:
    """A template that is a sample document formatted by hand: fonts and spacing come from its paragraphs."""
    document = docx.Document()
    for text, face, size in (("某单位党建工作总结", "华文中宋", 22), ("一、工作情况", "方正黑体_GBK", 16),
                             ("（一）理论学习", "方正楷体_GBK", 16), ("支部组织学习4次。", "仿宋", 16)):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        _set_font(run._r, face, size)
        paragraph.paragraph_format.line_spacing = Pt(28)
    path = tmp_path / "样稿.docx"
    document.save(str(path))
    layout = read_layout(path.read_bytes(), "样稿.docx")
    assert {role: (f.face, f.size) for role, f in layout.fonts.items()} == {
        "title": ("华文中宋", 22), "chapter": ("方正黑体_GBK", 16), "subsection": ("方正楷体_GBK", 16), "body": ("仿宋", 16)}
    assert (layout.line_rule, layout.line_spacing) == ("exact", 28)


def test_template_without_chinese_heading_styles_keeps_gbt9704_heading_fonts(tmp_path: Path) -> None:
    layout = read_layout(unit_template(tmp_path / "t.docx"))
    plain = docx.Document()  # Word's own heading styles name theme fonts only
    path = tmp_path / "plain.docx"
    plain.save(str(path))
    fonts = read_layout(path).fonts
    assert (fonts["chapter"].face, fonts["subsection"].face) == ("黑体", "楷体_GB2312")
    assert fonts["chapter"].size == fonts["body"].size
    assert layout.fonts["chapter"].face == "方正黑体_GBK"


def test_a_dotx_template_is_read(tmp_path: Path) -> None:
    import zipfile

    source = unit_template(tmp_path / "t.docx")
    dotx = tmp_path / "单位模板.dotx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dotx, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            out.writestr(item, data)
    assert read_layout(dotx).left_mm == 27


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"PK\x03\x04 not a zip", "不是有效的 Word 文件"), (b"plain text", "不是有效的 Word 文件"), (None, "页边距")],
)
def test_a_bad_template_is_refused_with_its_name_and_reason(tmp_path: Path, content: bytes | None, reason: str) -> None:
    if content is None:
        content = unit_template(tmp_path / "t.docx", margins=(28, 28, 100, 90)).read_bytes()
    with pytest.raises(LoadError, match=reason) as info:
        read_layout(content, "坏模板.docx")
    assert info.value.path == "坏模板.docx"
    assert "zip" not in str(info.value).lower() and "Error" not in str(info.value)
