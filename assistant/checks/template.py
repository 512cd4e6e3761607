"""Template leftovers (XX, 某某, 【单位名称】) and the sample site's watermarks."""

from __future__ import annotations

import re

from assistant.corpus.cleaning import PLACEHOLDER_RE, find_watermarks
from assistant.domain.draft import Finding
from assistant.domain.facts import FactSheet
from assistant.text import COUNT_SUFFIX, MEASURE_WORDS

BRACKETED_RE = re.compile(r"【[^】]*】")
# A number left blank: a gap before a measure word or %, as when digits were kept out of the model's
# decoding and it wrote spaces or nothing instead (近  人次, 共计人次, 达人次, 达到  ；, 达到  以上, 价值约万元), a percentage with no
# figure (若干%, （%）), a bracket left empty (“十五五”时期（ ）),
# or a total with no figure in its clause (共服务了居民群众; 共同、共享、共建… are words of their own).
CN_DIGITS = "〇零一二三四五六七八九十两百千万"
BLANK_NUMBER_RE = re.compile(rf"[\u4e00-\u9fff，、（(][ \u3000\t]+{COUNT_SUFFIX}|若干(?:[%％]|万?元)|[（(][%％]?[ \u3000\t]*[）)]"
                             rf"|(?:共计|累计)[{MEASURE_WORDS}]"
                             r"|[\u4e00-\u9fff][ \u3000\t]{2,}(?=[\u4e00-\u9fff；，。、])|(?:达到|达)(?=[；，。])|(?:达到|达)(?:[人名场项户家批篇件次]|个(?!人))|(?:约|价值|计)[百千万亿]元"
                             rf"|(?<![公中总])共(?![同享建产识鸣青性])[\u4e00-\u9fff]{{1,2}}了[^\d{CN_DIGITS}，。；：]*(?=[，。；]|$)")


def check_placeholders(text: str, sheet: FactSheet) -> list[Finding]:
    """placeholder: each distinct template placeholder left in `text`."""
    found = [m.group(0) for m in PLACEHOLDER_RE.finditer(text)] + BRACKETED_RE.findall(text)
    found += BLANK_NUMBER_RE.findall(text)
    return [
        Finding("placeholder", f"出现模板占位符“{p}”，请换成事实表中的具体内容（本单位写“{sheet.organization}”），没有对应事实就删去", span=p.strip())
        for p in dict.fromkeys(found)
    ]


def check_watermarks(text: str) -> list[Finding]:
    """watermark: each distinct watermark or advert of the sample site left in `text`."""
    return [Finding("watermark", f"出现范文网站的水印或广告“{w}”，请删除") for w in dict.fromkeys(find_watermarks(text))]
