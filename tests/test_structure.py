"""The parser finds every chapter, subsection and item of the five real samples, with the right kinds."""

from __future__ import annotations

import re

import pytest

from assistant.corpus.cleaning import clean_text
from assistant.corpus.loading import read_file
from assistant.corpus.structure import parse_document
from assistant.resources import CORPUS_DIR

# The expected structure of each bundled sample, written out by hand from the originals.
# chapters: (heading, kind, intro paragraphs' openings, [(subsection heading, [item headings])])
EXPECTED: dict[str, dict] = {
    "党支部2020年上半年党建工作总结.txt": {
        "title": "〖XX〗党支部2020年上半年党建工作总结",
        "opening": "2020年上半年，我党支部在〖XX〗党委的正确领导下",
        "period": "上半年",
        "year": 2020,
        "level": "党支部",
        "chapters": [
            ("一、党支部基本情况", "basic_info", ["〖XX〗党支部现有党员〖XX〗名"], []),
            (
                "二、工作开展情况",
                "achievements",
                [],
                [
                    ("（一）坚持强化理论武装，不断提高政治站位。", []),
                    ("（二）坚持规范组织建设，不断提高标准化规范化水平。", []),
                    (
                        "（三）坚持加强教育管理，不断激发党员队伍活力。",
                        ["一是认真开展组织生活。", "二是搞好创先争优。", "三是组织各类文化活动。"],
                    ),
                    ("（四）坚持改进作风，不断树立良好形象。", ["一是弘扬新风正气。", "二是深化廉政建设。"]),
                ],
            ),
            (
                "三、存在的问题",
                "problems",
                [],
                [
                    ("（一）党建工作方法上缺乏创新。", []),
                    ("（二）党建活动形式不够丰富。", []),
                    ("（三）党员作用发挥有待加强。", []),
                ],
            ),
            (
                "四、下一步打算",
                "plans",
                ["下半年，〖XX〗党支部要以习近平新时代中国特色社会主义思想为指导"],
                [
                    ("（一）强化党的政治建设。", []),
                    ("（二）强化党员教育管理。", []),
                    ("（三）强化纪律作风建设。", []),
                    ("（四）强化支部自身建设。", []),
                ],
            ),
        ],
    },
    "区委直属机关工委2020年工作总结和2021年工作安排.txt": {
        "title": "区委直属机关工委2020年工作总结和2021年工作安排",
        "opening": "2020年，〖XX〗机关工委坚持以习近平新时代中国特色社会主义思想为指导",
        "period": "全年",
        "year": 2020,
        "level": "机关工委",
        "chapters": [
            (
                "一、2020年工作总结",
                "achievements",
                [],
                [
                    (
                        "（一）坚持学习为先，强化思想政治建设",
                        ["一是加强理论学习。", "二是加强意识形态管控。", "三是加强党建业务培训。", "四是严把入党积极分子“入口关”。"],
                    ),
                    (
                        "（二）坚持基础为要，夯实机关组织根基",
                        ["一是从严履行主体责任。", "二是从严抓好组织建设。", "三是从严落实支部标准化规范化建设。"],
                    ),
                    (
                        "（三）坚持中心为纲，激发党员红色动力。",
                        ["一是发挥“凝聚力”。", "二是培塑“组织力”。", "三是强化“服务力”。", "四是助推“发展力”。"],
                    ),
                    (
                        "（四）坚持群众为本，巩固扩大帮扶成果。",
                        [
                            "一是落实主体责任，确保帮扶“不失位”。",
                            "二是加大消费扶贫，确保帮扶“不掉线”。",
                            "三是加强教育监督，确保帮扶“不失控”。",
                            "四是布局乡村振兴，确保帮扶“不断档”。",
                        ],
                    ),
                    (
                        "（五）坚持自建为基，构建“〖XX〗命运共同体”。",
                        [
                            "一是高标准接受政治巡察。",
                            "二是高标准接受七五普法验收。",
                            "三是驰而不息抓实党风廉政和作风纪律建设。",
                            "四是扎实做好下沉工作。",
                        ],
                    ),
                ],
            ),
            (
                "二、存在问题",
                "problems",
                [],
                [
                    ("一是党建质量有待提升。", []),
                    ("二是致富内生动力不足。", []),
                    ("三是开展创建节约型机关活动后劲不足。", []),
                ],
            ),
            (
                "三、2021年工作目标及打算",
                "plans",
                [],
                [
                    ("（一）深化建设成效，提升党建品质。", []),
                    ("（二）扩大帮扶成果，转战乡村振兴。", []),
                    ("（三）聚焦中心工作，提升工委效能。", []),
                ],
            ),
        ],
    },
    "区级部门2020年上半年党建工作总结.txt": {
        "title": "区级部门2020年上半年党建工作总结",
        "opening": "2020年上半年，在区直机关工委关心指导和区〖X〗党组的领导下，区〖X〗机关党委坚持",
        "period": "上半年",
        "year": 2020,
        # The writer is the 区X机关党委 ("现将2020年上半年机关党委的主要工作总结如下");
        # 区直机关工委 and 区X党组 are the bodies it works under.
        "level": "机关党委",
        "chapters": [
            (
                "一、上半年党建工作落实情况",
                "achievements",
                [],
                [
                    ("（一）落实党建责任。", ["一是严格明确责任分工。", "二是履行第一责任人职责。", "三是加强监督检查。"]),
                    ("（二）强化廉政教育。", ["一是广泛开展法纪教育。", "二是定期开展学习教育。", "三是扎实开展警示教育。"]),
                    ("（三）抓好基层党建。", ["一是规范组织生活。", "二是积极发展党员。", "三是加强党内关怀。"]),
                    ("（四）抓好党建赋能。", ["一是助力中心工作。", "二是助力乡村振兴。", "三是助力疫情防控。"]),
                ],
            ),
            (
                "二、存在的主要问题及原因",
                "problems",
                [],
                [
                    (
                        "一是部分党支部对支部工作条例、党员教育管理工作条例、发展党员工作细则等党内法规及本领域的"
                        "规范性文件经常性学习掌握不够，政治理论和业务知识更新不够及时；",
                        [],
                    ),
                    (
                        "二是各党支部部分委员兼有重要业务工作，精力有限，用心用力抓基层党建工作的精气神不够到位，"
                        "落实“两个责任”和“一岗双责”尚有差距；",
                        [],
                    ),
                    (
                        "三是对党员的日常教育管理有待增强，借助微信、QQ、学习强国等平台开展线上活动较差，"
                        "个别党员政治站位不够高、党性修养和法纪意识参差不齐。",
                        [],
                    ),
                ],
            ),
            (
                "三、下半年工作计划",
                "plans",
                [],
                [
                    ("（一）加强学习教育，坚定理想信念。", []),
                    ("（二）加强党风廉政建设，保持清正廉洁。", []),
                    ("（三）建强党员队伍，助力〖X〗发展。", []),
                ],
            ),
        ],
    },
    "局党委系统2020年上半年党建工作总结.txt": {
        "title": "2020年上半年工作总结",
        "opening": "2020年上半年，在局党委的坚强领导下，始终把疫情防控作为头等大事",
        "period": "上半年",
        "year": 2020,
        "level": "党委",
        "chapters": [
            (
                "上半年主要工作",
                "achievements",
                [],
                [
                    ("一是完善制度机制，深化系统党的政治建设。", []),
                    ("二是坚持党建统领，凝聚全力以赴抗击疫情的强大力量。", []),
                    ("三是聚焦疫情防控，打造经得住实践检验的党建品牌。", []),
                    ("四是强化正向激励，发挥典型示范引领作用。", []),
                    ("五是突出关心关爱，提升工作服务保障水平。", []),
                    ("六是坚持严谨细致，扎实做好组织人事工作。", []),
                ],
            ),
            (
                "下半年工作安排",
                "plans",
                [],
                [
                    ("一是建立不忘初心、牢记使命制度。", []),
                    ("二是强化局属系统党建领导机制建设。", []),
                    ("三是巩固加强党建品牌建设。", []),
                    ("四是坚持不懈推进全面从严治党。", []),
                ],
            ),
        ],
    },
    "市委办公室党总支2020年党建工作总结.txt": {
        "title": "市委办公室党总支2020年党建工作总结",
        "opening": "2020年，认真履行党建工作职责，严格落实机关党委有关要求",
        "period": "全年",
        "year": 2020,
        "level": "党总支",
        "chapters": [
            (
                "一、2020年党建主要工作和成效",
                "achievements",
                ["一年来，〖X〗党总支认真抓好党的各项制度落实"],
                [
                    ("（一）认真落实党建工作责任制。", []),
                    ("（二）严肃规范党内政治生活。", []),
                    ("（三）着力强化党员教育管理。", []),
                    ("（四）持续深化“以学促干”活动。", []),
                ],
            ),
            (
                "二、存在问题及原因",
                "problems",
                # The lead-in before 一是… stays with the chapter, not inside the first problem.
                ["一年来，〖X〗党建工作取得了一定成绩，但是我们也清醒地认识到，工作中还存在着不少亟待解决的问题。主要表现在："],
                [
                    ("一是党建工作措施不够实。", []),
                    ("二是党的制度落实不经常。", []),
                    ("三是抓班子带队伍力度不大。", []),
                ],
            ),
            (
                "三、下步思路和打算",
                "plans",
                ["下一步，〖X〗党的建设将严格按照从严从实的要求"],
                [
                    ("一是牢固树立责任人意识。", []),
                    ("二是管好班子带好队伍。", []),
                    ("三是着力提升工作水平。", []),
                ],
            ),
        ],
    },
}

SAMPLES = sorted(EXPECTED)


def test_expectations_cover_every_bundled_sample() -> None:
    assert sorted(p.name for p in CORPUS_DIR.glob("*.txt")) == SAMPLES


def parsed(name: str):
    return parse_document(clean_text(read_file(CORPUS_DIR / name)))


@pytest.mark.parametrize("name", SAMPLES)
def test_title_opening_period_year_and_level(name: str) -> None:
    doc, want = parsed(name), EXPECTED[name]
    assert doc.title == want["title"]
    assert len(doc.opening) == 1 and doc.opening[0].startswith(want["opening"])
    assert (doc.period, doc.year, doc.level) == (want["period"], want["year"], want["level"])


@pytest.mark.parametrize("name", SAMPLES)
def test_every_chapter_is_found_with_its_kind(name: str) -> None:
    doc = parsed(name)
    assert [(c.heading, c.kind) for c in doc.chapters] == [(h, k) for h, k, _, _ in EXPECTED[name]["chapters"]]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_subsection_and_item_is_found(name: str) -> None:
    doc = parsed(name)
    for chapter, (heading, _, intro, subsections) in zip(doc.chapters, EXPECTED[name]["chapters"], strict=True):
        got = [(s.heading, [i.heading for i in s.items]) for s in chapter.subsections]
        assert got == subsections, heading
        assert len(chapter.intro) == len(intro), heading
        for paragraph, start in zip(chapter.intro, intro):
            assert paragraph.startswith(start), heading


@pytest.mark.parametrize("name", SAMPLES)
def test_parsing_loses_no_sentence(name: str) -> None:
    """Every sentence of the cleaned body ends up in the opening, a chapter intro or a subsection."""
    cleaned = clean_text(read_file(CORPUS_DIR / name))
    doc = parse_document(cleaned)
    headings = {doc.title} | {c.heading for c in doc.chapters}
    parts = doc.opening + [p for c in doc.chapters for p in c.intro] + [s.text for c in doc.chapters for s in c.subsections]
    placed = "\n".join(parts)
    for line in cleaned.split("\n"):
        if line in headings:
            continue
        for sentence in filter(None, re.split(r"(?<=[。；！？：])", line)):
            assert sentence in placed, sentence


@pytest.mark.parametrize("name", SAMPLES)
def test_a_subsection_holds_only_its_own_text(name: str) -> None:
    """No subsection runs into the next one or into the next chapter."""
    doc = parsed(name)
    chapter_headings = [c.heading for c in doc.chapters]
    for chapter in doc.chapters:
        for block, following in zip(chapter.subsections, chapter.subsections[1:] + [None]):
            assert not any(h in block.text for h in chapter_headings)
            if following is not None:
                assert following.heading not in block.text


def summary(*lines: str) -> str:
    return "\n".join(["测试单位党支部2021年党建工作总结", "2021年，测试单位党支部认真落实全面从严治党要求，现总结如下。", *lines])


def test_chapters_numbered_up_to_eleven_and_beyond_ten() -> None:
    numbers = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
    text = summary(*[f"{n}、第{n}项工作情况\n（一）具体做法。这是第{n}项工作的内容。" for n in numbers])
    doc = parse_document(text)
    assert [c.heading for c in doc.chapters] == [f"{n}、第{n}项工作情况" for n in numbers]
    assert all(len(c.subsections) == 1 for c in doc.chapters)


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("一、基本情况", "basic_info"),
        ("一、党组织基本概况", "basic_info"),
        ("二、主要做法和成效", "achievements"),
        ("二、2021年党建工作开展情况", "achievements"),
        ("三、存在的问题和不足", "problems"),
        ("三、存在的差距和短板", "problems"),
        ("四、下一步工作打算", "plans"),
        ("四、2022年工作计划", "plans"),
        ("四、下步工作思路", "plans"),
    ],
)
def test_chapter_kind_from_its_heading(heading: str, kind: str) -> None:
    doc = parse_document(summary(heading, "（一）具体内容。这里是正文。"))
    assert [(c.heading, c.kind) for c in doc.chapters] == [(heading, kind)]


def test_an_item_sentence_starting_with_a_numeral_is_not_a_chapter() -> None:
    doc = parse_document(
        summary("一、主要工作情况", "一是加强学习。组织学习12次。二是规范组织生活。按时召开支委会。", "二、存在问题", "一是学习不够深入。")
    )
    assert [c.heading for c in doc.chapters] == ["一、主要工作情况", "二、存在问题"]
    assert [s.heading for s in doc.chapters[0].subsections] == ["一是加强学习。", "二是规范组织生活。"]


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("测试党支部2021年上半年党建工作总结", "上半年"),
        ("测试党支部2021年下半年党建工作总结", "下半年"),
        ("测试党支部2021年党建工作总结", "全年"),
    ],
)
def test_period_and_year_from_the_title(title: str, period: str) -> None:
    doc = parse_document(f"{title}\n2021年，我们认真落实各项要求。\n一、主要工作\n（一）学习。组织学习。")
    assert (doc.title, doc.period, doc.year, doc.level) == (title, period, 2021, "党支部")
