"""The entry points: every check a drafted section, a whole draft or an exported document must pass.

Each check has a stable id (the `check` of its Finding). Messages are Chinese, name what was
found and say what to do, because they are fed back to the model for a rewrite.

Severity decisions: everything that makes a summary wrong (a number, name, placeholder,
watermark, formulation or period the facts do not support, copied text, a fact left out
entirely) is an "error"; a fact covered only partly and a section that is too short are
"warning"s, since the repair loop cannot always fix them and the text is not false.
"""

from __future__ import annotations

from assistant.checks.claims import check_claims
from assistant.checks.copying import CorpusMatcher, check_copying
from assistant.checks.coverage import check_coverage, check_length
from assistant.checks.names import check_names
from assistant.checks.numbers import check_numbers
from assistant.checks.period import check_formulations, check_period
from assistant.checks.template import check_placeholders, check_watermarks
from assistant.domain.draft import Finding, Section
from assistant.domain.facts import FactSheet
from assistant.text import chapter_kind, is_chapter_line

COVERED_KINDS = ("achievements", "problems", "plans")  # section kinds whose facts must all be written


def _common_checks(text: str, sheet: FactSheet, corpus: CorpusMatcher) -> list[Finding]:
    """The checks that read a section and a whole document alike."""
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
    findings += check_period(text, sheet, section.kind) + check_claims(text, section.kind, section.facts, sheet)
    if section.kind in COVERED_KINDS:
        findings += check_coverage(text, section.facts)
    return findings + check_length(text, section.budget)


def _sheet_number_facts(sheet: FactSheet) -> list[str]:
    """The texts whose numbers a whole summary must carry (not the notes, which are background)."""
    texts = [f for h in sheet.highlights for f in h.facts]
    return texts + ([sheet.members] if sheet.members else []) + sheet.problems + sheet.plans


def check_draft(sections_texts: list[tuple[Section, str]], sheet: FactSheet, corpus: CorpusMatcher) -> list[Finding]:
    """Every section's findings (prefixed with its label) plus numbers of the sheet that no section carries."""
    findings: list[Finding] = []
    for section, text in sections_texts:
        for f in check_section(text, section, sheet, corpus):
            findings.append(Finding(f.check, f"{section.label}：{f.message}", f.severity))
    assigned = {f for section, _ in sections_texts for f in section.facts}
    unassigned = [f for f in _sheet_number_facts(sheet) if f not in assigned]
    whole = "\n".join(text for _, text in sections_texts)
    findings += [f for f in check_numbers(whole, unassigned, sheet) if f.check == "missing_number"]
    return findings


def _plans_part(text: str) -> str:
    """The lines after the plans chapter's heading (Markdown # allowed), or "" without one."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        heading = line.strip().lstrip("#").strip()
        if is_chapter_line(heading) and chapter_kind(heading) == "plans":
            return "\n".join(lines[i + 1 :])
    return ""


def check_document(text: str, sheet: FactSheet, corpus: CorpusMatcher) -> list[Finding]:
    """Every check on a whole exported draft read back as text (Markdown or .docx text)."""
    body = "\n".join(line for line in text.splitlines() if line.strip() != sheet.display_title)
    findings = check_numbers(body, _sheet_number_facts(sheet), sheet) + _common_checks(body, sheet, corpus)
    plans = _plans_part(body)
    findings += check_period(body.replace(plans, ""), sheet, "achievements") + check_period(plans, sheet, "plans")
    findings += check_claims(body.replace(plans, ""), "document", [], sheet, repeats=False)
    findings += check_coverage(body, [f for h in sheet.highlights for f in h.facts])
    return findings + check_length(body, sheet.length)
