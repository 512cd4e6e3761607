"""Official purposes (data/purposes.yaml): written by code after a work fact's purpose opener, each once a draft."""

from __future__ import annotations

import glob
from dataclasses import replace

import pytest

from assistant.domain.facts import load_fact_sheet
from assistant.drafting.outline import build_outline
from assistant.drafting.progress import DraftProgress
from assistant.drafting.sections import draft_all
from tests.fake_model import ScriptedModel

DISCIPLINE = "推动党员学纪、知纪、明纪、守纪"


def drafted(library, sheet, reply: str = "增强党员的宗旨意识。"):  # noqa: ANN001, ANN201
    """The scripted constrained model, and the text of every section it drafted from `sheet`."""
    model = ScriptedModel(constrains=True)
    model.default = lambda request: reply if request.task.kind == "achievements" else ""
    draft = build_outline(sheet)
    draft_all(library.context(model, DraftProgress()), draft)
    return model, draft


@pytest.fixture
def sheet():
    return load_fact_sheet("examples/qingshan-2024h1.yaml")


def test_an_official_purpose_is_written_by_code_once_a_draft_for_the_first_fact_it_fits(library, sheet) -> None:
    """The first 党纪学习教育 fact states its official purpose and asks the model nothing; a later fact the
    same rule fits is the model's to state (each formula once a draft)."""
    first = sheet.highlights[0].facts[0]
    later = "开展党纪学习教育知识测试"
    sheet.highlights[1].facts.insert(0, later)  # matches the same rule, and no other
    model, draft = drafted(library, sheet)
    text = "".join(s.text for s in draft.sections)
    assert text.count(DISCIPLINE) == 1
    assert f"{first}。目的在于{DISCIPLINE}。" in text or f"{first}，旨在{DISCIPLINE}。" in text, text
    assert not [r for r in model.history if r.task.facts == (first,)], "no request for an item with its official purpose"
    assert [r for r in model.history if r.task.facts == (later,)], "the model states the later fact's purpose"


def test_a_formula_is_used_only_in_the_years_it_was_current(library, sheet) -> None:
    """学思想、强党性、重实践、建新功 is the 2023–2024 主题教育's; a 2026 report's 主题教育 has the model's purpose."""
    fact = "开展学习贯彻习近平新时代中国特色社会主义思想主题教育专题学习4次"
    sheet.highlights[0].facts.insert(0, fact)
    current = "".join(s.text for s in drafted(library, sheet)[1].sections)
    later = replace(sheet, period="2026年上半年", date=None)
    stale = "".join(s.text for s in drafted(library, later)[1].sections)
    assert "学思想、强党性、重实践、建新功" in current
    assert "学思想" not in stale and "主题教育专题学习4次" in stale, stale


def test_a_fact_that_reports_a_result_takes_no_official_purpose(library, sheet) -> None:
    """查摆问题15个，已整改13个 under 八项规定精神学习教育 is what came of the work, not its aim."""
    result = "查摆问题15个，已整改13个"
    sheet = replace(sheet, period="2025年上半年", date=None)
    sheet.highlights[0].topic = "深入贯彻中央八项规定精神学习教育"
    sheet.highlights[0].facts[:] = [result, "组织集中学习8次"]
    text = "".join(s.text for s in drafted(library, sheet)[1].sections)
    assert f"{result}。" in text and "组织集中学习8次，旨在一体推进学查改。" in text, text


@pytest.mark.parametrize("path", sorted(glob.glob("bench/sheets/*.yaml")))
def test_every_official_purpose_passes_every_check_on_the_evaluation_sheets(library, path) -> None:
    """A draft whose only words besides the code's are the official purposes (the model writes nothing)
    has no finding but its sections' shortness."""
    _, draft = drafted(library, load_fact_sheet(path), reply="")
    findings = [f for s in draft.sections for f in s.versions[-1].findings if f.check != "too_short"]
    assert not findings, findings
    assert any("目的在于" in s.text or "旨在" in s.text for s in draft.sections), "a formula was used"


def test_every_purpose_opener_is_wording_items_may_share() -> None:
    """A repeat between two items' purposes is judged after their openers (formulations.yaml lists them
    among the stock phrases), so the span it bans is one the model writes."""
    from assistant.checks.formulations import load_formulations
    from assistant.drafting.purposes import purpose_openers

    stock = load_formulations().stock_phrases
    assert purpose_openers() and all(o.lstrip("，") in stock for o in purpose_openers())
