"""Claims the facts do not make: invented documents, named initiatives, activities and outcomes,
words about the writing, Latin words, a foreign register or field of work, a chapter that leaves
its kind, restated facts and repeats (assistant/checks/repeats.py).

Each finding names the sentence; `drop_failing` lets a caller drop those sentences instead of
rewriting the whole text. The word lists live in data/claims.yaml and the prompts' own wording is
read from the templates themselves (assistant/checks/claim_rules.py), so the check cannot drift from them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache, reduce

from assistant.checks.claim_rules import prompt_phrases, rules
from assistant.checks.formulations import load_formulations
from assistant.checks.repeats import repeated_sentences
from assistant.checks.sheet import fact_texts
from assistant.checks.words import TITLE_RE
from assistant.domain.draft import Finding
from assistant.domain.facts import FactSheet
from assistant.text import ITEM_START_RE, MEASURE_WORDS, parse_cn_number, sentences

LATIN_RE = re.compile(r"[A-Za-z]{2,}")
RATE_RE = re.compile(r"[\u4e00-\u9fff]{2}率(?![先领])")  # 满意率: a rate, which only a count could give
MEASURED_RE = re.compile(rf"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)\s*([{MEASURE_WORDS}])")
NOT_NEGATED = r"(?<![不的]){}"  # 不需要 / 工作的需要 describe a problem; 需要 alone asks for a remedy
QUOTED_RE = re.compile(r"“([^”]{2,16})”")  # “一乡一村一社”模式, “五带头”: a name the draft gives a thing
PARTY_BODY = r"(?:机关)?(?:党委|党总支|党支部|党组|党工委|总支|支部)"
PARTY_BODY_RE = re.compile(PARTY_BODY + "$")


def invented_outcomes(sentence: str, facts: str) -> list[str]:
    """The rates (满意率) and the reactions of others (得到…认同, 值得…推广) in `sentence` that the facts do not give."""
    r = rules()
    found = [m.group(0) for m in RATE_RE.finditer(sentence)
             if m.group(0)[1:] not in r.not_rates and m.group(0) not in facts]
    for pattern in r.reaction_patterns:
        found += [m.group(0) for m in pattern.finditer(sentence) if m.group(m.lastindex or 0) not in facts]
    return found


@lru_cache(maxsize=1)
def _set_phrases() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The set phrases (“三会一课”) and the patterns of dated formulations (“十五五”) a quoted name may be."""
    data = load_formulations()
    patterns = (*data.fixed_patterns, *(p for item in data.items for p in item.patterns))
    return frozenset((*data.fixed_phrases, *data.stock_phrases)), patterns


def invented_names(sentence: str, facts: str) -> list[str]:
    """Names in quotes (“一乡一村一社”模式, “五带头”) the facts do not give and that are no set phrase (“三会一课”)."""
    known, patterns = _set_phrases()
    return [name for name in QUOTED_RE.findall(sentence)
            if name not in facts and name not in known and not any(p.fullmatch(name) for p in patterns)]


def invented_listings(sentence: str, facts: str) -> list[str]:
    """Lists of ways or activities (通过专题培训、案例分析等形式) with a thing the facts do not give; a
    thing is given when its last two characters are (组织义诊 for 义诊)."""
    found = []
    for m in rules().enumeration.finditer(sentence):
        things = (m.group(1) or m.group(2)).split("、")
        if any(t[-2:] not in facts for t in things):
            found.append(m.group(0))
    return found


def _unit(facts: str) -> str:
    """The unit's name, the first fact text, without its party body (青山县人民医院内科 of …内科党总支)."""
    return PARTY_BODY_RE.sub("", facts.split("\n", 1)[0])


def not_its_body(facts: str) -> list[str]:
    """The 全X words (全院, 全校) that the unit, the first fact text, may not write: it is not an X."""
    unit = _unit(facts)
    return [w for w, ends in rules().whole_body.items() if not unit.endswith(ends) and w not in facts]


def widened(facts: str) -> list[str]:
    """What would widen a problem the facts give of 个别 people (个别党员 → 部分党员, 一些同志)."""
    r = rules()
    subjects = {alike for subject in re.findall(r"个别([\u4e00-\u9fff]{2})", facts)
                for alike in (subject, *r.widening_alike.get(subject, ()))}
    return [w + subject for subject in sorted(subjects) for w in r.widening if w + subject not in facts]


def part_of(facts: str) -> list[str]:
    """The institutions a department's body is part of (医院 for 青山县人民医院内科党总支): in the
    unit's name, the first fact text, with more of the name after them."""
    unit = _unit(facts)
    return [i for i in rules().institutions if i in unit and not unit.endswith(i)]


def _without_names(text: str, institution: str) -> str:
    """`text` without the names of party bodies in `institution` (县人民医院党委, 青山县人民医院内科党总支)."""
    return re.sub(rf"[\u4e00-\u9fff]*{institution}[\u4e00-\u9fff]*?{PARTY_BODY}", "", text)


@lru_cache(maxsize=8)  # judged for every sentence of a draft, always with the same facts
def other_fields(facts: str) -> dict[str, str]:
    """The words of the fields of work (claims.yaml `fields`) that the facts have no marker of, each with its field."""
    return {w: field for field, (markers, words) in rules().fields.items()
            if not markers.search(facts) for w in words}


def _is_branch(facts: str) -> bool:
    """The unit is a single branch (its name, the first fact text, ends in 支部)."""
    return facts.split("\n", 1)[0].endswith("支部")


def _sentence_findings(sentence: str, kind: str, facts: str) -> list[Finding]:
    r = rules()
    s = sentence.strip()
    found: list[Finding] = []

    def add(check: str, what: str, span: str) -> None:
        found.append(Finding(check, f"“{s}”{what}", span=span))

    if kind != "plans":  # a plan may name a document still to be issued
        for title in TITLE_RE.findall(s):
            if title not in facts:
                add("invented_title", f"提到事实表中没有的文件{title}，请删去这句或改写为事实表给出的内容", "《")
    for name in invented_names(s, facts)[:1]:  # a plan's initiative is the facts' to name too
        add("invented_title", f"提到事实表中没有的提法“{name}”，请删去这句或改写为事实表给出的内容", name)
    for listing in invented_listings(s, facts)[:1]:
        add("invented_activity", f"列举了事实表没有的做法“{listing}”，请删去这句", listing[-3:])
    for activity, licences in r.activities.items():
        if activity in s and not any(w in facts for w in licences):
            add("invented_activity", f"写了事实表没有的“{activity}”，请删去这句", activity)
    for outcome in invented_outcomes(s, facts)[:1]:
        add("invented_outcome", f"写了事实表没有的成效或评价“{outcome}”：成效只写本单位做了什么、带来了什么变化，"
                                "不写别人的评价和没有统计的比率，请删去这句", outcome)
    for effect in (m for m in r.effect_claim.finditer(s) if m.group(1) not in facts):
        add("invented_outcome", f"把“{effect.group(0)}”写成了已经取得的成效，事实表没有这样的结果：成效只写事实给出的，"
                                "可改写为这项工作的目的，或删去这句", effect.group(0))
        break
    for phrase in (p for p in r.empty_outcomes if p in s and p not in facts):
        add("invented_outcome", f"写了没有依据的成效“{phrase}”：成效只写本单位做了什么、带来了什么变化，请删去这句", phrase)
        break
    for deadline in (m.group(0) for p in r.deadline_patterns if (m := p.search(s)) and m.group(0) not in facts):
        add("invented_outcome", f"写了事实表没有的时限或目标“{deadline}”：时限和目标只写事实表定下的，请删去这句", deadline)
        break
    own = reduce(lambda text, allowed: text.replace(allowed, ""), r.meta_allowed, s)
    for phrase in (p for p in (*r.meta_phrases, *prompt_phrases()) if p not in facts):
        if phrase in own:
            add("meta_text", f"含有关于写作本身的话“{phrase}”，请删去", phrase)
            break
    for word in LATIN_RE.findall(s):
        if word not in r.latin_allowed and word not in facts:
            add("latin_word", f"夹有外文“{word}”，请改为中文", word)
    for phrase in r.register:
        if phrase in s and phrase not in facts:  # a company's committee may write of 员工
            add("wrong_register", f"用了政府或企业的说法“{phrase}”，党建总结请写党组织的工作", phrase)
    for wrong, right in r.corrections.items():
        if wrong in s and wrong not in facts:
            add("wrong_register", f"写了“{wrong}”，应写作“{right}”", wrong)
    for word in (w for w in r.misconduct if w in s and w not in facts):
        add("wrong_register", f"写了“{word}”，事实表没有这方面的内容：不写有损单位形象的说法，请删去这句", word)
        break
    for word, field in other_fields(facts).items():
        if word in s:
            add("wrong_register", f"写了“{word}”，但事实表中没有{field}方面的内容，本单位不是{field}单位，请改写为本单位的工作", word)
            break
    for blame in (m for p in r.blame_patterns if kind == "problems" and (m := p.search(s))):
        add("wrong_register", f"把问题归于上级或别的部门（“{blame.group(0)}”）：存在的问题只写本单位自身的不足，请删去这句",
            blame.group(0))
        break
    for phrase in r.damaging if kind == "problems" else ():
        if phrase in s and phrase not in facts:
            add("wrong_register", f"用了“{phrase}”：问题要写得实事求是、分寸得当，不写有损单位形象的说法，请删去这句", phrase)
            break
    for word in r.first_person:
        if word in s and word not in facts:
            add("wrong_register", f"用了“{word}”：总结以党组织的名义写，请改为“支部”“党委”等", word)
            break
    if _is_branch(facts):
        for phrase in r.branch_only_not:
            if phrase in s and phrase not in facts:
                add("wrong_register", f"写了“{phrase}”，但本单位是一个党支部，下面没有支部，请改写为本支部的工作", phrase)
                break
    for institution in (i for i in part_of(facts) if i in _without_names(s, i) and i not in _without_names(facts, i)):
        add("wrong_register", f"写了“{institution}”，但本单位是{institution}的一个部门，只写本单位的工作，请改为本单位", institution)
        break
    for word in (w for w in not_its_body(facts) if w in s):
        add("wrong_register", f"写了“{word}”，但本单位不是一个{word[1:]}，请改为本单位的范围", word)
        break
    for phrase in (p for p in r.conclusions if p in s and p not in facts):
        add("off_kind", f"用了“{phrase}”：总结的各部分只写事实、做法和成效，不下结论，请删去这句", phrase)
        break
    wording = r.plans_wording if kind == "achievements" else r.remedy_wording if kind == "problems" else ()
    for phrase in wording:
        if re.search(NOT_NEGATED.format(re.escape(phrase)), s) and phrase not in facts:
            where = "工作成效中不写今后打算" if kind == "achievements" else "存在的问题中只写问题，不写措施"
            add("off_kind", f"用了“{phrase}”：{where}，请删去这句", phrase)
            break
    else:
        remedy = next((m for p in r.remedy_patterns if (m := p.search(s))), None) if kind == "problems" else None
        if remedy and s.rstrip("。；！") not in facts:
            add("off_kind", f"写了整改措施（“{remedy.group(0)}”）：存在的问题中只写问题，不写措施，请删去这句", remedy.group(0))
    return found


def dangling(sentence: str, before: str) -> Finding | None:
    """`sentence` starts with a word that needs something `before` it in its item (claims.yaml `dangling_starts`)."""
    s = sentence.strip()
    for start, needs in rules().dangling_starts.items():
        if s.startswith(start) and not any(w in before for w in needs):
            what = f"前面没有“{needs[0]}”" if needs else "缺了主语"
            return Finding("dangling_start", f"“{s}”以“{start}”开头，{what}，请改写这句", span=start)
    return None


def _dangling(text: str) -> list[Finding]:
    """Every sentence that starts with what its item has not led up to."""
    found: list[Finding] = []
    for line in text.split("\n"):
        item = ""
        for s in sentences(line):
            item = "" if ITEM_START_RE.match(s.strip()) else item
            if finding := dangling(s, item):
                found.append(finding)
            item += s
    return found


def _counts(text: str) -> Counter[tuple[float, str]]:
    """(value, measure word) of every counted quantity: 6次 and 六次 are the same, 一批 is another."""
    found: Counter[tuple[float, str]] = Counter()
    for m in MEASURED_RE.finditer(text):
        value = float(m.group(1)) if m.group(1)[0].isdigit() else parse_cn_number(m.group(1))
        if value is not None:
            found[(float(value), m.group(2))] += 1
    return found


def restates(sentence: str, facts: list[str]) -> bool:
    """The sentence gives again a figure of the facts (a lead already gives it)."""
    return bool(set(_counts(sentence)) & set(_counts("\n".join(facts))))


def drop_restatements(item: str, fact: str, given: list[str]) -> str:
    """The item without the sentences that give again a figure of `given` (the section's facts): one
    that its own `fact` gives and an earlier sentence already wrote, or one that another fact gives."""
    given_figures, own = set(_counts("\n".join(given))), set(_counts(fact))
    kept = ""
    for s in sentences(item):
        figures = set(_counts(s)) & given_figures
        if kept and figures and not figures & (own - set(_counts(kept))):
            continue
        kept += s
    return kept


def _restated(text: str, facts: list[str]) -> list[Finding]:
    """A fact's figure written more often than the facts give it: the fact said twice."""
    given = _counts("\n".join(facts))
    written = _counts(text)
    return [Finding("restated_fact", f"“{value:g}{measure}”写了{written[(value, measure)]}次，同一事实只写一次，请删去重复的一句")
            for (value, measure), times in given.items() if written[(value, measure)] > times]


def sentence_findings(sentence: str, kind: str, sheet: FactSheet) -> list[Finding]:
    """The claim findings of one sentence of an item of `kind`, `sheet` holding the item's own fact:
    those of any text, and a problem of 个别党员 widened (部分同志), which only the item's fact can tell."""
    facts = "\n".join(fact_texts(sheet))
    found = _sentence_findings(sentence, kind, facts)
    for phrase in (p for p in widened(facts) if kind == "problems" and p in sentence):
        found.append(Finding("wrong_register", f"“{sentence.strip()}”把事实表的“个别”写成了“{phrase}”：问题的范围照事实表写，"
                                               "请改回“个别”", span=phrase))
        break
    return found


def unlicensed_words(kind: str, sheet: FactSheet) -> list[str]:
    """Activity, register and meta words this sheet does not license in a text of `kind`: what to keep out of decoding."""
    r = rules()
    facts = "\n".join(fact_texts(sheet))
    words = [a for a, licences in r.activities.items() if not any(w in facts for w in licences)]
    words += [w for w in (*r.rates, *r.corrections, *r.misconduct, *r.empty_outcomes) if w not in facts] + not_its_body(facts)
    words += [*other_fields(facts), *part_of(facts)]
    words += [w for w in r.branch_only_not if _is_branch(facts) and w not in facts]
    wording = r.plans_wording if kind == "achievements" else r.remedy_wording if kind == "problems" else ()
    wording += (*r.damaging, *widened(facts)) if kind == "problems" else ()
    return words + [w for w in (*r.meta_phrases, *r.register, *r.first_person, *r.conclusions, *wording) if w not in facts]


def drop_failing(text: str, kind: str, sheet: FactSheet) -> str:
    """The text without its sentences that claim what the facts do not give (line breaks kept)."""
    facts = "\n".join(fact_texts(sheet))
    lines = ["".join(s for s in sentences(line) if not _sentence_findings(s, kind, facts)) for line in text.split("\n")]
    return "\n".join(line for line in lines if line.strip())


def check_claims(text: str, kind: str, facts: list[str], sheet: FactSheet, *, repeats: bool = True) -> list[Finding]:
    """Every claim check on a text of `kind` (a section kind, or "document"), whose own facts are `facts`."""
    joined = "\n".join(fact_texts(sheet))
    findings = [f for line in text.split("\n") for s in sentences(line) for f in _sentence_findings(s, kind, joined)]
    return findings + _dangling(text) + (repeated_sentences(text, facts) + _restated(text, facts) if repeats else [])
