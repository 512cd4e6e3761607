"""Strip the template site's adverts and watermarks, normalise spacing and punctuation, mark placeholders."""

from __future__ import annotations

import re

from assistant.text import COUNT_SUFFIX

# Whole lines that are site adverts or watermarks. Business rules as data: extend this list, not the code.
ADVERT_LINE_PATTERNS = [
    r"仅供学习.{0,6}禁止外传",
    r"用后删除",
    r"^酷乐文行",
    r"自建平台[、，]?实时分享",
    r"根据实际需求和形式任务不断迭代",
    r"订阅立享",
    r"打击倒卖",
    r"举报倒卖",
    r"^会员群[:：]",
    r"免费\s*QQ\s*群[:：]",
    r"会员(资料|材料)",
    r"(整理|咨询)[，,:：\s]*(咨询)?\s*QQ\s*\d*",
    r"QQ[:：号\s]*\d{5,}",
    r"^【[^】]*】$",
]
# Fragments that may stand inside a content line; removed, the rest of the line kept.
ADVERT_FRAGMENT_PATTERNS = [
    r"酷乐文行(整理)?[，,]?\s*(咨询\s*QQ\s*\d*)?",
    r"【[^】]{0,80}(会员|外传|倒卖|商业用途|咨询|QQ)[^】]{0,80}】",
    r"(?:整理[，,:：\s]*)?咨询\s*QQ\s*\d+",
]
ADVERT_LINE_RE = re.compile("|".join(f"(?:{p})" for p in ADVERT_LINE_PATTERNS))
ADVERT_FRAGMENT_RE = re.compile("|".join(f"(?:{p})" for p in ADVERT_FRAGMENT_PATTERNS))
# Signals that a text still carries watermark matter (used by the guardrails on drafts).
WATERMARK_RE = re.compile(
    r"酷乐文行|仅供学习|禁止外传|用后删除|订阅立享|倒卖|会员(资料|材料|群)|咨询\s*QQ|QQ[:：号\s]*\d{5,}|免费\s*QQ\s*群"
)

# Template placeholders: X / XX / ×× standing for a name or number, ** before a unit, 某某.
PLACEHOLDER_RE = re.compile(r"(?<![A-Za-z])[XＸ×]{1,4}(?![A-Za-z])|\*{2,}|某某")
PLACEHOLDER_MARK = ("〖", "〗")
MARKED_PLACEHOLDER_RE = re.compile(r"〖([^〗]*)〗")
_MARKED_OR_PLACEHOLDER_RE = re.compile(f"{MARKED_PLACEHOLDER_RE.pattern}|{PLACEHOLDER_RE.pattern}")
_NUMBER_UNIT_AFTER = re.compile("^" + COUNT_SUFFIX)

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"，。、；：？！“”‘’（）《》【】〖〗—…"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t\u3000\u00a0]+(?=[{_CJK}{_CJK_PUNCT}])")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])([,;:?!()])|([,;:?!()])(?=[{_CJK}])")


def find_watermarks(text: str) -> list[str]:
    """Watermark or advert fragments still present in a text."""
    found = [m.group(0) for m in WATERMARK_RE.finditer(text)]
    found += [m.group(0) for m in ADVERT_FRAGMENT_RE.finditer(text) if m.group(0) not in found]
    return found


def is_advert_line(line: str) -> bool:
    """True when a whole line is an advert or watermark (not content that merely mentions QQ)."""
    stripped = line.strip()
    if not stripped:
        return False
    if ADVERT_LINE_RE.search(stripped):
        # A long content sentence that mentions e.g. 党建QQ群 as a platform is not an advert.
        return len(stripped) < 80 or bool(WATERMARK_RE.search(stripped))
    return False


def normalise_line(line: str) -> str:
    """Drop spaces inside Chinese text and use full-width punctuation next to Chinese characters."""
    line = line.replace("\u3000", " ").strip()
    line = _SPACE_BETWEEN_CJK.sub("", line)
    line = _HALF_PUNCT_NEAR_CJK.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], line)
    return re.sub(r"[ \t]{2,}", " ", line)


def mark_placeholders(text: str) -> str:
    """Wrap template placeholders in 〖〗 so prompts can mask them."""
    def mark(m: re.Match[str]) -> str:
        token = m.group(0)
        return token if token.startswith(PLACEHOLDER_MARK[0]) else f"{PLACEHOLDER_MARK[0]}{token}{PLACEHOLDER_MARK[1]}"

    # Already-marked placeholders are matched first and kept as they are, so marking twice changes nothing.
    return _MARKED_OR_PLACEHOLDER_RE.sub(mark, text)


def mask_placeholders(text: str) -> str:
    """Remove marked placeholders for a prompt: a number placeholder becomes 若干, a name one disappears."""

    def replace(m: re.Match[str]) -> str:
        return "若干" if _NUMBER_UNIT_AFTER.match(text[m.end():]) else ""

    masked = MARKED_PLACEHOLDER_RE.sub(replace, text)
    return PLACEHOLDER_RE.sub(lambda m: "若干" if _NUMBER_UNIT_AFTER.match(masked[m.end():]) else "", masked)


NEUTRAL_MARK = "……"
_MARKED_RUN_RE = re.compile(f"(?:{MARKED_PLACEHOLDER_RE.pattern})+")


def display_placeholders(text: str) -> str:
    """Marked placeholders (〖X〗, 〖XX〗 …) shown to people as a neutral ……, a run of them as one."""
    return _MARKED_RUN_RE.sub(NEUTRAL_MARK, text)


def clean_text(raw: str) -> str:
    """Cleaned text: adverts and watermarks gone, spacing normalised, placeholders marked, one paragraph a line."""
    lines = []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        rest = ADVERT_FRAGMENT_RE.sub("", line)
        if is_advert_line(line) and (not rest.strip() or is_advert_line(rest) or WATERMARK_RE.search(rest)):
            continue  # a whole advert line; content glued to an advert fragment is kept without it
        line = normalise_line(rest)
        if line:
            lines.append(mark_placeholders(line))
    return "\n".join(lines)
