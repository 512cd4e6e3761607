"""fact_coverage (a fact the text leaves out, wholly or partly) and too_short."""

from __future__ import annotations

import math
import re

from assistant.checks.words import TITLE_RE, tagged_words
from assistant.domain.draft import Finding
from assistant.text import content_index, length

KEY_TERM_FLAGS = ("n", "vn", "nz", "nt", "l", "j", "i", "eng")
NON_KEY_TERMS = {"工作", "情况", "方面", "其中", "全体", "活动", "同志", "党员", "干部", "单位", "形式", "内容", "时间", "次数"}
MIN_LENGTH_RATIO = 0.6  # of section.budget (or the sheet's length for a whole document)


def key_terms(fact: str) -> list[str]:
    """Terms a text must use to count as covering `fact`: its 《titles》 and its content nouns."""
    titles = TITLE_RE.findall(fact)
    rest = TITLE_RE.sub("，", fact)
    terms = [
        word for word, flag in tagged_words(rest)
        if flag.startswith(KEY_TERM_FLAGS) and len(word) >= 2 and word not in NON_KEY_TERMS and not re.search(r"\d", word)
    ]
    return titles + list(dict.fromkeys(terms))


def _coverage_finding(fact: str, terms: list[str], missing: list[str]) -> Finding | None:
    """Error when a title or every term is missing, warning when half or more are, else None."""
    listed = "”“".join(missing)
    if any(t.startswith("《") for t in missing) or len(missing) == len(terms):
        return Finding("fact_coverage", f"没有写到事实“{fact}”（缺少“{listed}”），请把这条事实完整写进本节")
    if len(missing) * 2 >= len(terms):
        return Finding("fact_coverage", f"事实“{fact}”只写到一部分，缺少“{listed}”，请补全", "warning")
    return None


def check_coverage(text: str, facts: list[str]) -> list[Finding]:
    """fact_coverage: error if a fact's title or all its key terms are missing, warning if half or more are."""
    plain = content_index(text)[0]
    findings: list[Finding] = []
    for fact in facts:
        terms = key_terms(fact)
        if not terms:
            continue
        missing = [t for t in terms if content_index(t)[0] not in plain]
        if (finding := _coverage_finding(fact, terms, missing)) is not None:
            findings.append(finding)
    return findings


def check_length(text: str, budget: int) -> list[Finding]:
    """too_short (a warning) when `text` has fewer than MIN_LENGTH_RATIO × `budget` characters."""
    have, need = length(text), math.ceil(MIN_LENGTH_RATIO * budget)
    if budget <= 0 or have >= need:
        return []
    return [Finding("too_short", f"本节只有{have}字，目标约{budget}字，请结合事实展开写到至少{need}字（不要编造数字和名称）", "warning")]
