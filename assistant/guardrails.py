"""Guardrails: every check a drafted section, a whole draft or an exported document must pass.

Each check has a stable id (the `check` of its Finding). Messages are Chinese, name what was
found and say what to do, because they are fed back to the model for a rewrite.

Severity decisions: everything that makes a summary wrong (a number, name, placeholder,
watermark, formulation or period the facts do not support, copied text, a fact left out
entirely) is an "error"; a fact covered only partly and a section that is too short are
"warning"s, since the repair loop cannot always fix them and the text is not false.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .cleaning import PLACEHOLDER_RE, find_watermarks
from .draft import Finding, Section
from .facts import FactSheet, Period
from .formulations import load_formulations, stale_formulations

# --- thresholds (the spec of issue 4) ---
MAX_SHARED_RUN = 40  # characters shared with one corpus passage
MAX_SHARED_FRACTION = 0.15  # of the text in runs of SHARED_RUN_N characters shared with the corpus
SHARED_RUN_N = 13
MIN_LENGTH_RATIO = 0.6  # of section.budget (or the sheet's length for a whole document)

# --- numbers ---
CN_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
MEASURE_WORDS = "次名个场项人篇期件份户家条批轮节堂位处所支本册部元天周遍组队张台套类"
ARABIC_NUMBER_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万|千|亿)?\s*(%|％)?")
CN_NUMBER_RE = re.compile(rf"([零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*)(?:余|多)?(?:[{MEASURE_WORDS}]|万元)")
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
MONTH_RANGE_RE = re.compile(r"(?<!\d)(\d{1,2})\s*[至到\-—–~]\s*(\d{1,2})\s*月")
MONTH_DAY_RE = re.compile(r"(?<!\d)(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
LIST_MARKER_RE = re.compile(r"[（(]\s*\d{1,2}\s*[)）]|(?:^|(?<=[\n。；：]))\s*\d{1,2}\s*[.、．](?!\d)", re.M)
QUOTED_SLOGAN_RE = re.compile(r"[“‘\"]([^”’\"]{1,12})[”’\"]")
IDIOMATIC_ONE = 1  # 一名党员 / 一次次: a Chinese 一 is never counted as an invented number

# --- period wording ---
ANNUAL_SCOPE_RE = re.compile(r"一年来|一年以来|全年(?:共|累计|开展|组织|召开|完成|举办|发展|收缴)|本年度共|年度内共")
HALF_YEAR_PARTS = ("上半年", "第一季度", "第二季度", "第三季度", "第四季度")
PLANS_HORIZON_WRONG = {
    "上半年": r"明年|来年|下一年|{next_year}年",
    "全年": r"下半年",
}
PLAN_HEADING_RE = re.compile(r"^[一二三四五六七八九十]+、.*(?:打算|计划|安排|思路|重点)")

# --- names ---
PLACE_CANDIDATE_RE = re.compile(r"(?=([\u4e00-\u9fff]{2}(?:街道|[省市区县镇乡村])))")
NOT_NAME_CHARS = set("省市区县镇乡村街全本我该各每此其这那个一二三四五六七八九十两几多等和及与或的在到赴对向从于为了是把被将由以用按经给让使党支部委局办组会团队科处室长员级中心总副主第位名各新老大小本城社园景辖山郊")
GENERIC_PLACE_WORDS = {
    "示范区", "开发区", "试验区", "先行区", "功能区", "责任区", "风景区", "保护区", "自贸区", "服务区",
    "居住区", "生活区", "办公区", "工业区", "产业区", "集聚区", "核心区", "行政区", "管辖区", "贫困县",
    "贫困村", "示范村", "文明村", "先进村", "后进村", "软弱涣散村", "重点村", "帮扶村", "结对村", "联系村",
    "试点县", "示范县", "百强县", "联系点村", "直辖市", "地级市", "县级市", "所在区", "所在村", "所在市",
}
KNOWN_PLACES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "石家庄", "太原", "沈阳", "长春",
    "哈尔滨", "南京", "杭州", "合肥", "福州", "南昌", "济南", "郑州", "武汉", "长沙", "广州", "海口", "成都",
    "贵阳", "昆明", "西安", "兰州", "西宁", "呼和浩特", "南宁", "拉萨", "银川", "乌鲁木齐", "深圳", "厦门",
    "青岛", "大连", "宁波", "苏州", "无锡",
)  # not 延安 / 井冈山 / 西柏坡 / 遵义 / 嘉兴: 延安精神 and the like are set phrases
PERSON_TITLES = ("总书记", "副书记", "副局长", "副主任", "同志", "书记", "局长", "主任", "部长", "处长", "科长",
                 "县长", "市长", "区长", "镇长", "乡长", "村长", "主席", "校长", "院长", "经理", "支书")
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡杜叶苏魏吕丁沈姚卢姜崔钟谭陆汪范贾夏韦邹孟熊秦邱尹薛闫段雷侯陶黎贺顾毛郝龚邵钱覃戴莫汤")
PERSON_RE = re.compile(r"(?=([\u4e00-\u9fff]{2,3}?)(?:" + "|".join(PERSON_TITLES) + "))")
GENERIC_BODIES = (
    "党中央", "中共中央", "中央", "国务院", "中国共产党", "中国", "中华人民共和国", "中华民族", "全国", "省委", "省政府",
    "市委", "市政府", "县委", "县政府", "区委", "区政府", "镇党委", "乡党委", "街道党工委", "上级党组织", "机关工委",
    "机关党委", "纪委", "监委", "组织部", "宣传部", "统战部", "习近平", "毛泽东", "邓小平",
)

# --- fact coverage ---
KEY_TERM_FLAGS = ("n", "vn", "nz", "nt", "l", "j", "i", "eng")
NON_KEY_TERMS = {"工作", "情况", "方面", "其中", "全体", "活动", "同志", "党员", "干部", "单位", "形式", "内容", "时间", "次数"}
TITLE_RE = re.compile(r"《[^》]{2,40}》")


# ---------------------------------------------------------------- text normalisation

BREAK = "\x00"  # stands for a character that can never be shared with the corpus


def _normalise(text: str) -> tuple[str, list[int]]:
    """Letters, digits and CJK only (NFKC, lower case), and each kept character's index in `text`."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        c = unicodedata.normalize("NFKC", ch)
        if c == BREAK or (len(c) == 1 and c.isalnum()):
            chars.append(c.lower())
            index.append(i)
    return "".join(chars), index


_NOT_CONTENT_RE = re.compile(r"[^\w\x00]|_")


def _normalise_fast(text: str) -> str:
    """The same characters as `_normalise(text)[0]`, without the index (for building the corpus index)."""
    return _NOT_CONTENT_RE.sub("", unicodedata.normalize("NFKC", text)).lower()


def _break_phrases(norm: str, phrases: Iterable[str]) -> str:
    """Replace each (normalised) phrase inside `norm` by BREAK characters."""
    for phrase in phrases:
        p, _ = _normalise(phrase)
        if len(p) >= 2 and p in norm:
            norm = norm.replace(p, BREAK * len(p))
    return norm


# ---------------------------------------------------------------- copy detection


@dataclass(frozen=True)
class SharedRun:
    start: int  # in the normalised text
    end: int
    passage: int


class CorpusMatcher:
    """Finds text shared with the sample passages, ignoring whitespace and punctuation.

    Every passage's K-grams at offsets that are multiples of STEP are indexed (by hash); a query
    looks up each of its K-grams and extends every hit both ways against the passage itself.
    Every shared run of at least K + STEP - 1 (= 13) characters contains an indexed K-gram, so
    runs of that length are found exactly. Memory is about one dict entry per STEP corpus
    characters: ~50 passages build in milliseconds, 10,000 passages of 500 characters in a few seconds.
    Stock political phrases (formulations.yaml) and the caller's `ignore` phrases (the facts)
    are never counted as shared.
    """

    K = 8
    STEP = 6
    MAX_OCCURRENCES = 32  # hits kept per K-gram; stock K-grams beyond this are ignored

    def __init__(self, passages: Iterable[str], *, stock: Iterable[str] | None = None) -> None:
        data = load_formulations()
        self.stock = tuple(stock) if stock is not None else data.stock_phrases + data.fixed_phrases
        self._texts: list[str] = []
        self._index: dict[int, list[tuple[int, int]]] = {}
        for text in passages:
            norm = _normalise_fast(PLACEHOLDER_RE.sub(BREAK, str(text)))
            if len(norm) < self.K:
                continue
            p = len(self._texts)
            self._texts.append(norm)
            for o in range(0, len(norm) - self.K + 1, self.STEP):
                gram = norm[o : o + self.K]
                if BREAK in gram:
                    continue
                hits = self._index.setdefault(hash(gram), [])
                if len(hits) < self.MAX_OCCURRENCES:
                    hits.append((p, o))

    def __len__(self) -> int:
        return len(self._texts)

    def _prepare(self, text: str, ignore: Iterable[str]) -> tuple[str, list[int]]:
        norm, index = _normalise(text)
        return _break_phrases(norm, [*self.stock, *ignore]), index

    def _runs(self, norm: str) -> list[SharedRun]:
        runs: list[SharedRun] = []
        reached: dict[tuple[int, int], int] = {}  # (passage, diagonal) → end of the run found on it
        k = self.K
        for i in range(len(norm) - k + 1):
            gram = norm[i : i + k]
            if BREAK in gram:
                continue
            for p, o in self._index.get(hash(gram), ()):
                passage = self._texts[p]
                if passage[o : o + k] != gram or reached.get((p, o - i), -1) > i:
                    continue
                a, b = i, i + k
                while a > 0 and a - i + o > 0 and norm[a - 1] == passage[a - i + o - 1] and norm[a - 1] != BREAK:
                    a -= 1
                while b < len(norm) and b - i + o < len(passage) and norm[b] == passage[b - i + o] and norm[b] != BREAK:
                    b += 1
                reached[(p, o - i)] = b
                runs.append(SharedRun(a, b, p))
        return runs

    def longest_shared_run(self, text: str, *, ignore: Iterable[str] = ()) -> tuple[int, str]:
        """Length (in non-punctuation characters) and text of the longest run shared with one passage."""
        norm, index = self._prepare(text, ignore)
        runs = self._runs(norm)
        if not runs:
            return 0, ""
        best = max(runs, key=lambda r: r.end - r.start)
        return best.end - best.start, text[index[best.start] : index[best.end - 1] + 1]

    def shared_fraction(self, text: str, n: int = SHARED_RUN_N, *, ignore: Iterable[str] = ()) -> float:
        """Share of the text's characters that lie in runs of at least `n` characters found in the corpus.

        Exact for n >= K + STEP - 1 (13); shorter runs may be missed.
        """
        norm, _ = self._prepare(text, ignore)
        if not norm:
            return 0.0
        covered = [False] * len(norm)
        for run in self._runs(norm):
            if run.end - run.start >= n:
                covered[run.start : run.end] = [True] * (run.end - run.start)
        return sum(covered) / len(norm)


# ---------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Number:
    value: float
    percent: bool
    surface: str  # as written, for messages
    kind: str = "count"  # count / year / date
    idiomatic: bool = False  # a Chinese 一: counts when matching facts, never as invented

    @property
    def key(self) -> tuple[float, bool]:
        return (round(self.value, 6), self.percent)


def parse_cn_number(text: str) -> int | None:
    """二十三 → 23, 两千余 → 2000, 一百二十 → 120; None if it is not a numeral."""
    text = text.rstrip("余多")
    if not text:
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGIT_VALUES:
            digit = CN_DIGIT_VALUES[ch] if digit is None else digit * 10 + CN_DIGIT_VALUES[ch]
        elif ch in CN_UNIT_VALUES:
            unit = CN_UNIT_VALUES[ch]
            if unit >= 10_000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


@lru_cache(maxsize=1)
def _fixed_res() -> tuple[re.Pattern[str], ...]:
    data = load_formulations()
    phrases = sorted(data.fixed_phrases, key=len, reverse=True)
    return (re.compile("|".join(map(re.escape, phrases))), *data.fixed_patterns)


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _mask_non_numbers(text: str) -> str:
    """Blank out what only looks like a number: set phrases, congress names, list markers, slogans."""
    for pattern in _fixed_res():
        text = _mask(text, pattern)
    text = QUOTED_SLOGAN_RE.sub(lambda m: m.group(0) if re.search(r"\d", m.group(1)) else " " * len(m.group(0)), text)
    return _mask(text, LIST_MARKER_RE)


def extract_numbers(text: str) -> list[Number]:
    """Every quantity, year and date in `text` (Arabic or Chinese numerals), normalised by value."""
    text = unicodedata.normalize("NFKC", text)
    text = _mask_non_numbers(text)
    found: list[Number] = []
    for m in YEAR_RE.finditer(text):
        found.append(Number(float(m.group(1)), False, m.group(0).replace(" ", ""), "year"))
    text = _mask(text, YEAR_RE)
    for m in MONTH_RANGE_RE.finditer(text):
        found.append(Number(float(m.group(1)), False, m.group(0), "month"))
        found.append(Number(float(m.group(2)), False, m.group(0), "month"))
    text = _mask(text, MONTH_RANGE_RE)
    for m in MONTH_DAY_RE.finditer(text):
        found.append(Number(float(m.group(1)), False, m.group(0).replace(" ", ""), "month" if not m.group(2) else "date"))
    text = _mask(text, MONTH_DAY_RE)
    for m in ARABIC_NUMBER_RE.finditer(text):
        value = float(m.group(1)) * {"万": 10_000, "千": 1000, "亿": 100_000_000}.get(m.group(2) or "", 1)
        found.append(Number(value, bool(m.group(3)), m.group(0).strip()))
    text = _mask(text, ARABIC_NUMBER_RE)
    for m in CN_NUMBER_RE.finditer(text):
        value = parse_cn_number(m.group(1))
        if value is not None:
            found.append(Number(float(value), False, m.group(0), idiomatic=value == IDIOMATIC_ONE))
    return found


def _required_numbers(facts: Iterable[str]) -> dict[tuple[float, bool], Number]:
    numbers: dict[tuple[float, bool], Number] = {}
    for fact in facts:
        for n in extract_numbers(fact):
            if n.kind == "count":
                numbers.setdefault(n.key, n)
    return numbers


def _period_months(period: Period, date: dt.date) -> set[int]:
    if period.part == "上半年":
        months = set(range(1, 7))
    elif period.part == "下半年":
        months = set(range(7, 13))
    elif period.part.startswith("第"):
        q = "一二三四".find(period.part[1]) + 1 or int(period.part[1])
        months = set(range(3 * q - 2, 3 * q + 1))
    else:
        months = set(range(1, 13))
    if date.year == period.year:
        months |= set(range(1, date.month + 1))
    return months


def _fact_texts(sheet: FactSheet) -> list[str]:
    """The user's texts without the report date (whose digits are no facts)."""
    return [t for t in sheet.all_fact_texts() if not (sheet.date and t == sheet.date.isoformat())]


def check_numbers(text: str, facts: list[str], sheet: FactSheet) -> list[Finding]:
    """missing_number for `facts`' numbers absent from `text`; invented_number for any the sheet lacks."""
    findings: list[Finding] = []
    numbers = extract_numbers(text)
    present = {n.key for n in numbers}
    for key, n in _required_numbers(facts).items():
        if key not in present:
            fact = next(f for f in facts if any(x.key == key for x in extract_numbers(f)))
            findings.append(Finding("missing_number", f"事实“{fact}”中的数字“{n.surface}”没有写进正文，请照原样写上"))
    fact_texts = _fact_texts(sheet)
    allowed = {n.key for t in fact_texts for n in extract_numbers(t)}
    period = sheet.parsed_period
    years = {period.year, period.year + 1, sheet.report_date.year} | {int(n.value) for t in fact_texts for n in extract_numbers(t) if n.kind == "year"}
    months = _period_months(period, sheet.report_date)
    joined = "\n".join(fact_texts)
    reported: set[str] = set()
    for n in numbers:
        if n.surface in reported or n.idiomatic:
            continue
        if n.kind == "year":
            ok = int(n.value) in years
        elif n.kind in ("month", "date"):
            ok = n.surface in joined or (n.kind == "month" and int(n.value) in months)
        else:
            ok = n.key in allowed
        if not ok:
            reported.add(n.surface)
            what = "年份" if n.kind == "year" else "日期" if n.kind in ("month", "date") else "数字"
            findings.append(Finding("invented_number", f"出现事实表中没有的{what}“{n.surface}”，请删除或改用事实表中的数字"))
    return findings


# ---------------------------------------------------------------- placeholders, watermarks, names


def check_placeholders(text: str, sheet: FactSheet) -> list[Finding]:
    found = [m.group(0) for m in PLACEHOLDER_RE.finditer(text)] + re.findall(r"【[^】]*】", text)
    return [
        Finding("placeholder", f"出现模板占位符“{p}”，请换成事实表中的具体内容（本单位写“{sheet.organization}”），没有对应事实就删去")
        for p in dict.fromkeys(found)
    ]


def check_watermarks(text: str) -> list[Finding]:
    return [Finding("watermark", f"出现范文网站的水印或广告“{w}”，请删除") for w in dict.fromkeys(find_watermarks(text))]


@lru_cache(maxsize=1)
def _jieba_tags() -> tuple[dict[str, str], dict[str, int]]:
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    pseg.lcut("初始化")
    return pseg.dt.word_tag_tab, jieba.dt.FREQ


def _tokens(text: str) -> list[tuple[str, int]]:
    """jieba words of `text` with their start offsets."""
    _jieba_tags()
    import jieba

    return [(word, start) for word, start, _ in jieba.tokenize(text)]


def _looks_like_place(candidate: str) -> bool:
    """永川区 yes; 示范区 / 基层村 / 反省 no. Uses jieba's dictionary tags and frequencies."""
    stem, tail = candidate[:2], candidate[1:]
    if candidate in GENERIC_PLACE_WORDS or any(ch in NOT_NAME_CHARS for ch in stem):
        return False
    tags, freq = _jieba_tags()
    if tags.get(candidate) == "ns" or tags.get(stem) == "ns":
        return True
    if candidate in tags or (tail in tags and tags[tail] != "ns" and freq.get(tail, 0) >= 50):
        return False
    return stem not in tags or freq.get(stem, 0) < 100


def _allowed_name(name: str, facts_joined: str, titles: list[str]) -> bool:
    return name in facts_joined or any(name in g or g in name for g in GENERIC_BODIES) or any(name in t for t in titles)


def check_names(text: str, sheet: FactSheet) -> list[Finding]:
    """invented_name: places (…区/县/市/镇/村/街道, known provinces and cities) and persons (张某某同志)."""
    facts_joined = "\n".join(_fact_texts(sheet))
    titles = [t for t in TITLE_RE.findall(text) if t in facts_joined]
    tokens = _tokens(text)
    starts = {start for _, start in tokens}
    found: list[str] = []
    for m in PLACE_CANDIDATE_RE.finditer(text):
        name = m.group(1)
        if m.start() in starts and _looks_like_place(name) and not _allowed_name(name, facts_joined, titles):
            found.append(name)
    for word, _ in tokens:
        place = next((p for p in KNOWN_PLACES if word.startswith(p)), None)
        if place and not _allowed_name(place, facts_joined, titles) and not any(place in f for f in found):
            found.append(place)
    for m in PERSON_RE.finditer(text):
        name = m.group(1)
        if len(name) == 3 and name[0] not in SURNAMES and name[1] in SURNAMES:
            name = name[1:]
        if name[0] in SURNAMES and not any(ch in NOT_NAME_CHARS for ch in name[1:]) and not _allowed_name(name, facts_joined, titles):
            found.append(name)
    return [
        Finding("invented_name", f"出现事实表中没有的地名、单位名或人名“{n}”，请删除，只写事实表给出的名称（如“{sheet.organization}”）")
        for n in dict.fromkeys(found)
    ]


# ---------------------------------------------------------------- formulations and period


def period_start(period: Period) -> dt.date:
    """First day of the reporting period."""
    if period.part == "下半年":
        return dt.date(period.year, 7, 1)
    if period.part.startswith("第"):
        q = "一二三四".find(period.part[1]) + 1 or int(period.part[1])
        return dt.date(period.year, 3 * q - 2, 1)
    return dt.date(period.year, 1, 1)


def check_formulations(text: str, sheet: FactSheet) -> list[Finding]:
    facts_text = "\n".join(_fact_texts(sheet))
    return stale_formulations(text, sheet.report_date, facts_text, period_start=period_start(sheet.parsed_period))


def check_period(text: str, sheet: FactSheet, kind: str) -> list[Finding]:
    """period_mismatch: annual wording in a half-year report; plans that look to the wrong period."""
    period = sheet.parsed_period
    findings: list[Finding] = []
    if period.part != "全年" and kind != "plans":
        severity = "error" if period.part in HALF_YEAR_PARTS else "warning"
        for phrase in dict.fromkeys(m.group(0) for m in ANNUAL_SCOPE_RE.finditer(text)):
            findings.append(Finding(
                "period_mismatch",
                f"这是{period.label}的总结，不能用“{phrase}”（那是全年总结的说法），请改为“{period.part}”或“今年以来”",
                severity,
            ))
    if kind == "plans":
        wrong = PLANS_HORIZON_WRONG.get(period.part, "")
        if wrong:
            for phrase in dict.fromkeys(re.findall(wrong.format(next_year=period.year + 1), text)):
                findings.append(Finding(
                    "period_mismatch",
                    f"工作打算应针对“{period.next_label}”，不能写“{phrase}”，请改为“{period.next_label}”",
                ))
    return findings


# ---------------------------------------------------------------- copying, coverage, length


def check_copying(text: str, sheet: FactSheet, corpus: CorpusMatcher) -> list[Finding]:
    facts = _fact_texts(sheet)
    findings: list[Finding] = []
    length, run = corpus.longest_shared_run(text, ignore=facts)
    if length > MAX_SHARED_RUN:
        findings.append(Finding(
            "copied_text",
            f"有一段{length}个字与范文完全相同（“{run}”），超过{MAX_SHARED_RUN}字上限，请用自己的话重写这一段",
        ))
    fraction = corpus.shared_fraction(text, SHARED_RUN_N, ignore=facts)
    if fraction > MAX_SHARED_FRACTION:
        findings.append(Finding(
            "copied_text",
            f"正文有{fraction:.0%}的文字与范文连续{SHARED_RUN_N}字以上相同，超过{MAX_SHARED_FRACTION:.0%}上限，请改写，少照搬范文句子",
        ))
    return findings


def key_terms(fact: str) -> list[str]:
    """Terms a text must use to count as covering `fact`: its 《titles》 and its content nouns."""
    _, _ = _jieba_tags()
    import jieba.posseg as pseg

    titles = TITLE_RE.findall(fact)
    rest = TITLE_RE.sub("，", fact)
    terms = [
        w.word for w in pseg.cut(rest)
        if w.flag.startswith(KEY_TERM_FLAGS) and len(w.word) >= 2 and w.word not in NON_KEY_TERMS and not re.search(r"\d", w.word)
    ]
    return titles + list(dict.fromkeys(terms))


def check_coverage(text: str, facts: list[str]) -> list[Finding]:
    """fact_coverage: error if a fact's title or all its key terms are missing, warning if half or more are."""
    findings: list[Finding] = []
    plain = _normalise(text)[0]
    for fact in facts:
        terms = key_terms(fact)
        if not terms:
            continue
        missing = [t for t in terms if _normalise(t)[0] not in plain]
        titles_missing = [t for t in missing if t.startswith("《")]
        if titles_missing or len(missing) == len(terms):
            findings.append(Finding("fact_coverage", f"没有写到事实“{fact}”（缺少“{'”“'.join(missing)}”），请把这条事实完整写进本节"))
        elif len(missing) * 2 >= len(terms):
            findings.append(Finding(
                "fact_coverage", f"事实“{fact}”只写到一部分，缺少“{'”“'.join(missing)}”，请补全", "warning"
            ))
    return findings


def _length(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def check_length(text: str, budget: int) -> list[Finding]:
    have, need = _length(text), math.ceil(MIN_LENGTH_RATIO * budget)
    if budget <= 0 or have >= need:
        return []
    return [Finding("too_short", f"本节只有{have}字，目标约{budget}字，请结合事实展开写到至少{need}字（不要编造数字和名称）", "warning")]


# ---------------------------------------------------------------- entry points


def _common_checks(text: str, sheet: FactSheet, corpus: CorpusMatcher) -> list[Finding]:
    return (
        check_placeholders(text, sheet)
        + check_watermarks(text)
        + check_names(text, sheet)
        + check_formulations(text, sheet)
        + check_copying(text, sheet, corpus)
    )


def check_section(text: str, section: Section, sheet: FactSheet, corpus: CorpusMatcher) -> list[Finding]:
    """Every check on one section's body text."""
    findings = check_numbers(text, section.facts, sheet) + _common_checks(text, sheet, corpus)
    findings += check_period(text, sheet, section.kind)
    if section.kind in ("achievements", "problems", "plans"):
        findings += check_coverage(text, section.facts)
    return findings + check_length(text, section.budget)


def _section_label(section: Section) -> str:
    return section.heading or section.chapter or ("开头部分" if section.kind == "opening" else section.topic)


def check_draft(sections_texts: list[tuple[Section, str]], sheet: FactSheet, corpus: CorpusMatcher) -> list[Finding]:
    """Every section's findings (labelled with its heading) plus numbers of the sheet that no section carries."""
    findings: list[Finding] = []
    for section, text in sections_texts:
        for f in check_section(text, section, sheet, corpus):
            findings.append(Finding(f.check, f"{_section_label(section)}：{f.message}", f.severity))
    assigned = {f for section, _ in sections_texts for f in section.facts}
    unassigned = [f for f in _sheet_number_facts(sheet) if f not in assigned]
    whole = "\n".join(text for _, text in sections_texts)
    findings += [f for f in check_numbers(whole, unassigned, sheet) if f.check == "missing_number"]
    return findings


def _sheet_number_facts(sheet: FactSheet) -> list[str]:
    """The texts whose numbers a whole summary must carry (not the notes, which are background)."""
    texts = [f for h in sheet.highlights for f in h.facts]
    return texts + ([sheet.members] if sheet.members else []) + sheet.problems + sheet.plans


def _plans_part(text: str) -> str:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if PLAN_HEADING_RE.match(line.strip().lstrip("#").strip()):
            return "\n".join(lines[i + 1 :])
    return ""


def check_document(text: str, sheet: FactSheet, corpus: CorpusMatcher) -> list[Finding]:
    """Every check on a whole exported draft read back as text (Markdown or .docx text)."""
    body = "\n".join(line for line in text.splitlines() if line.strip() != sheet.display_title)
    findings = check_numbers(body, _sheet_number_facts(sheet), sheet) + _common_checks(body, sheet, corpus)
    plans = _plans_part(body)
    findings += check_period(body.replace(plans, ""), sheet, "achievements") + check_period(plans, sheet, "plans")
    findings += check_coverage(body, [f for h in sheet.highlights for f in h.facts])
    return findings + check_length(body, sheet.length)


def render_findings(findings: Iterable[Finding]) -> str:
    """A numbered list for the repair prompt: errors first, warnings marked （提示）."""
    ordered = sorted(findings, key=lambda f: f.severity != "error")
    return "\n".join(
        f"{i}. {'' if f.severity == 'error' else '（提示）'}{f.message}" for i, f in enumerate(ordered, 1)
    )
