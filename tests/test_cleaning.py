"""Cleaning the real samples: adverts and watermarks go wherever they stand, content stays, placeholders are marked."""

from __future__ import annotations

import re

import pytest

from assistant.corpus.cleaning import clean_text, find_watermarks, is_advert_line, mark_placeholders, mask_placeholders
from assistant.corpus.loading import read_file
from assistant.resources import CORPUS_DIR

SAMPLES = sorted(p.name for p in CORPUS_DIR.glob("*.txt"))

# Pieces of the template site's adverts as they appear in the originals; none may survive cleaning.
ADVERT_STRINGS = [
    "仅供学习",
    "禁止外传",
    "用后删除",
    "酷乐文行",
    "自建平台",
    "实时分享",
    "不断迭代",
    "订阅立享",
    "倒卖",
    "会员",
    "免费QQ群",
    "咨询QQ",
    "206157060",
    "严禁外传",
    "商业用途",
    "【",
]
# Advert lines in each original (banner at the top, 整理/咨询 lines in the middle and at the end, 【…】 notices).
ADVERT_LINE_COUNT = {
    "党支部2020年上半年党建工作总结.txt": 8,
    "区委直属机关工委2020年工作总结和2021年工作安排.txt": 11,
    "区级部门2020年上半年党建工作总结.txt": 8,
    "局党委系统2020年上半年党建工作总结.txt": 8,
    "市委办公室党总支2020年党建工作总结.txt": 10,
}
BANNER = [
    "仅供学习 禁止外传",
    "酷乐文行",
    "自建平台、实时分享",
    "根据实际需求和形式任务不断迭代",
    "现在订阅立享前3年的所有权益和资料 ",
    "【打击倒卖活动】",
    "举报倒卖会员资料的人，举报成功免费赠送一年会员材料！",
    "会员群：                      免费QQ群：         ",
]
MID_ADVERT = "酷乐文行整理，咨询QQ206157060"
NOTICE = "【会员资料仅供内部交流使用，严禁外传及用于商业用途，违者后果自负】"
# A paragraph of sample 000 (区级部门) that names 党建QQ群 as a study platform: content, not an advert.
QQ_GROUP_CONTENT = "充分发挥党建微信群、党建QQ群、重庆党员教育数字电视平台、红岩网、学习强国等党员远程教育信息化平台作用"
# Lines of the bodies below contain X placeholders not yet marked.
UNMARKED_X = re.compile(r"(?<![〖A-Za-z])[XＸ]+(?![〗A-Za-z])|(?<!〖)\*\*")


def raw(name: str) -> str:
    return read_file(CORPUS_DIR / name)


def test_the_originals_do_carry_adverts() -> None:
    """Guard for the tests below: the detector and the advert list do see the adverts in the originals."""
    for name in SAMPLES:
        assert find_watermarks(raw(name)), name
        assert sum(s in raw(name) for s in ADVERT_STRINGS) >= 8, name


@pytest.mark.parametrize("name", SAMPLES)
def test_no_advert_or_watermark_survives(name: str) -> None:
    cleaned = clean_text(raw(name))
    assert find_watermarks(cleaned) == []
    assert [s for s in ADVERT_STRINGS if s in cleaned] == []
    assert not [line for line in cleaned.split("\n") if is_advert_line(line)]


@pytest.mark.parametrize("name", SAMPLES)
def test_only_advert_lines_are_dropped(name: str) -> None:
    """Every non-blank line of the original except its advert lines is kept, in order, as one line."""
    original = [line for line in raw(name).split("\n") if line.strip()]
    cleaned = clean_text(raw(name)).split("\n")
    assert len(cleaned) == len(original) - ADVERT_LINE_COUNT[name]
    advert_words = ["仅供学习", "酷乐文行", "自建平台", "不断迭代", "订阅立享", "倒卖", "会员"]
    content = [line.strip() for line in original if not any(w in line for w in advert_words)]
    assert cleaned[0] == clean_text(content[0])
    assert cleaned[-1] == clean_text(content[-1])


def test_qq_group_named_as_study_platform_is_kept() -> None:
    name = "区级部门2020年上半年党建工作总结.txt"
    original_line = next(line for line in raw(name).split("\n") if "党建QQ群" in line)
    cleaned = clean_text(raw(name))
    assert QQ_GROUP_CONTENT in cleaned
    kept = next(line for line in cleaned.split("\n") if "党建QQ群" in line)
    assert kept == mark_placeholders(original_line.strip())
    assert not is_advert_line(original_line)
    # And the short problem sentence that mentions QQ among platforms is content too.
    assert "借助微信、QQ、学习强国等平台开展线上活动较差" in cleaned


@pytest.mark.parametrize("line", BANNER + [MID_ADVERT, NOTICE, "会员群：123456789", "QQ：206157060", "整理，咨询QQ206157060"])
def test_advert_lines_are_recognised(line: str) -> None:
    assert is_advert_line(line)
    assert clean_text(line) == ""


@pytest.mark.parametrize(
    "line",
    [
        "（一）落实党建责任。一是严格明确责任分工。",
        "借助微信、QQ、学习强国等平台开展线上活动较差。",
        "建立党建QQ群和微信群，及时推送学习资料。",
        "组织党员学习《中国共产党纪律处分条例》，开展警示教育。",
        "",
    ],
)
def test_content_lines_are_not_adverts(line: str) -> None:
    assert not is_advert_line(line)


@pytest.mark.parametrize(
    "content",
    [
        "（一）落实党建责任。一是严格明确责任分工。",
        # A full paragraph of sample 004, long enough to be treated differently from a short line.
        "一是加强理论学习。牢固树立区直机关第一属性是政治机关、第一职责是为党工作的理念，"
        "把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务，组织理论中心组集中学习12次。",
        "区委直属机关工委2020年工作总结和2021年工作安排",
    ],
)
@pytest.mark.parametrize("advert", [MID_ADVERT, NOTICE])
@pytest.mark.parametrize("where", ["before", "after"])
def test_advert_glued_to_content_goes_and_content_stays(content: str, advert: str, where: str) -> None:
    """Copy-paste often loses the line break around an advert: strip the advert, keep the content."""
    line = advert + content if where == "before" else content + advert
    cleaned = clean_text(f"第一段内容。\n{line}\n第三段内容。")
    assert cleaned == f"第一段内容。\n{content}\n第三段内容。"


@pytest.mark.parametrize("where", ["top", "middle", "end"])
def test_adverts_at_top_middle_and_end_of_a_document(where: str) -> None:
    body = ["测试党支部2021年党建工作总结", "2021年，测试党支部认真落实各项要求。", "一、主要工作", "（一）加强学习。组织学习12次。"]
    adverts = [*BANNER, MID_ADVERT, NOTICE]
    at = {"top": 0, "middle": 2, "end": len(body)}[where]
    cleaned = clean_text("\n".join(body[:at] + adverts + body[at:]))
    assert cleaned.split("\n") == body
    assert find_watermarks(cleaned) == []


def test_spaces_inside_words_of_sample_001_are_removed() -> None:
    name = "市委办公室党总支2020年党建工作总结.txt"
    assert "\xa0" in raw(name)  # the original does have them
    cleaned = clean_text(raw(name))
    for word in ["责任制的实施", "责任体系", "取得较好成", "《中国共产党"]:
        assert word in cleaned
    assert not re.search(r"[\u4e00-\u9fff][ \t\xa0\u3000]+[\u4e00-\u9fff]", cleaned)


@pytest.mark.parametrize("space", [" ", "\xa0", "\u3000", "\t", "  "])
def test_spaces_between_chinese_characters_are_removed(space: str) -> None:
    assert clean_text(f"落实党建工作责任{space}制，学习《中{space}国共产党章程》。") == "落实党建工作责任制，学习《中国共产党章程》。"


def test_spaces_in_latin_text_and_numbers_are_kept() -> None:
    assert clean_text("使用 Word 2016 编辑") == "使用 Word 2016 编辑"


def test_half_width_punctuation_beside_chinese_becomes_full_width() -> None:
    assert clean_text("(一)落实党建责任,加强学习;开展活动:主题党日!") == "（一）落实党建责任，加强学习；开展活动：主题党日！"
    # Numbers keep their own punctuation.
    assert clean_text("完成率达到98.5%，共3,200人次。") == "完成率达到98.5%，共3,200人次。"


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("XX党支部现有党员XX名", "〖XX〗党支部现有党员〖XX〗名"),
        ("区X机关党委", "区〖X〗机关党委"),
        ("**局党委召开会议", "〖**〗局党委召开会议"),
        ("某某同志", "〖某某〗同志"),
        ("ＸＸ党总支", "〖ＸＸ〗党总支"),
    ],
)
def test_placeholders_are_marked(text: str, marked: str) -> None:
    assert mark_placeholders(text) == marked
    assert clean_text(text) == marked


@pytest.mark.parametrize("text", ["使用Excel和PPT制作课件", "观看Xmen电影", "学习强国APP", "COVID-19", "Windows XP系统"])
def test_latin_words_are_not_placeholders(text: str) -> None:
    assert mark_placeholders(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("XX党支部现有党员XX名，正式党员XX名。", "党支部现有党员若干名，正式党员若干名。"),
        ("区X机关党委", "区机关党委"),
        ("**局党委召开会议", "局党委召开会议"),
        ("开展活动X次，参与XX人", "开展活动若干次，参与若干人"),
    ],
)
def test_placeholders_are_masked(text: str, masked: str) -> None:
    assert mask_placeholders(clean_text(text)) == masked


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_placeholders_are_all_marked_and_masking_leaves_none(name: str) -> None:
    cleaned = clean_text(raw(name))
    assert not UNMARKED_X.search(cleaned)
    masked = mask_placeholders(cleaned)
    assert "〖" not in masked and "〗" not in masked
    assert not re.search(r"(?<![A-Za-z])[XＸ×]+(?![A-Za-z])|\*\*", masked)


def test_sample_002_placeholders() -> None:
    cleaned = clean_text(raw("党支部2020年上半年党建工作总结.txt"))
    assert cleaned.startswith("〖XX〗党支部2020年上半年党建工作总结\n")
    assert "〖XX〗党支部现有党员〖XX〗名，正式党员〖XX〗名，预备党员〖XX〗名" in cleaned
    assert "党支部现有党员若干名，正式党员若干名，预备党员若干名" in mask_placeholders(cleaned)


@pytest.mark.parametrize("name", SAMPLES)
def test_cleaning_twice_changes_nothing(name: str) -> None:
    """Cleaned text (say a re-uploaded example) cleans to itself: no double marks 〖〖X〗〗."""
    cleaned = clean_text(raw(name))
    assert clean_text(cleaned) == cleaned
    assert mask_placeholders(clean_text(cleaned)) == mask_placeholders(cleaned)


def test_windows_line_endings() -> None:
    assert clean_text("第一行内容。\r\n仅供学习 禁止外传\r\n第二行内容。\r") == "第一行内容。\n第二行内容。"
