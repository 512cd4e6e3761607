"""One honest status per section, and findings in plain Chinese for people.

The same rule everywhere a section's state is shown (the picker, the drafting status box, the
sections page, the export page): 通过 with no finding, 请核对 with warnings only, 需修改 with an
error or a plain fallback, 未起草 before the first version. The names and rewrites of findings
live in `assistant/data/findings.yaml`; the check ids never reach the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from assistant.domain.draft import Finding, Section
from assistant.resources import DATA_DIR
from assistant.text import sentences

PASSED, CHECK, REVISE, UNWRITTEN = "通过", "请核对", "需修改", "未起草"
STATUSES = (PASSED, CHECK, REVISE, UNWRITTEN)


@dataclass(frozen=True)
class _Wording:
    labels: dict[str, str]
    unknown_label: str
    rewrites: dict[str, list[tuple[re.Pattern[str], str]]]


@lru_cache(maxsize=1)
def _wording() -> _Wording:
    with open(DATA_DIR / "findings.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    rewrites = {check: [(re.compile(pattern), text) for pattern, text in rules]
                for check, rules in data.get("rewrites", {}).items()}
    return _Wording(dict(data["labels"]), str(data["unknown_label"]), rewrites)


def section_status(section: Section) -> str:
    """通过 (no finding but notes), 请核对 (warnings only), 需修改 (an error, or a plain fallback), 未起草 (no text yet)."""
    version = section.version
    if version is None:
        return UNWRITTEN
    if section.flagged:
        return REVISE
    return CHECK if any(f.severity in ("error", "warning") for f in version.findings) else PASSED


def check_label(check: str) -> str:
    """A check's short Chinese name, e.g. too_short → 篇幅偏短."""
    wording = _wording()
    return wording.labels.get(check, wording.unknown_label)


def reason_labels(findings: list[Finding]) -> list[str]:
    """The short names of what the warnings and errors are about, each once (notes are no reasons)."""
    return list(dict.fromkeys(check_label(f.check) for f in findings if f.severity in ("error", "warning")))


def describe(finding: Finding) -> str:
    """The finding for people, saying what is wrong and where, e.g. too_short → 本节约146字，目标约550字，偏短."""
    for pattern, text in _wording().rewrites.get(finding.check, []):
        described, count = pattern.subn(text, finding.message, count=1)
        if count:
            return described
    return finding.message


QUOTED_RE = re.compile(r"“([^”]{2,})”")  # the words a finding quotes from the text


def sentences_at_fault(text: str, findings: list[Finding]) -> list[list[tuple[str, bool]]]:
    """The text line by line, sentence by sentence, each marked when a warning or error quotes it or its words."""
    quoted = [q for f in findings if f.severity in ("error", "warning") for q in QUOTED_RE.findall(f.message)]
    return [[(s, any(q in s for q in quoted)) for s in sentences(line)] for line in text.split("\n")]
