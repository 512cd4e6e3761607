"""The drafting evaluation reports what a reader would find: every check, the length and the sections left short."""

from __future__ import annotations

from assistant.app.evaluation import evaluate_sheet
from assistant.app.library import Library
from assistant.domain.facts import load_fact_sheet
from tests import fake_model
from tests.fake_model import ScriptedModel


def test_a_draft_of_bare_facts_passes_its_checks_but_its_sections_are_reported_short(library) -> None:
    model = fake_model.install(ScriptedModel(constrains=True))
    model.default = lambda request: ""  # the model adds nothing to the facts
    scripted = Library(fake_model.settings_for(library.settings))
    result = evaluate_sheet(scripted, load_fact_sheet("examples/qingshan-2024h1.yaml"))
    assert all(result["checks"].values()), result["findings"]
    assert {"work-1", "work-2", "work-3"} <= set(result["short_sections"])
    assert result["cjk_chars"] > 0 and "组织集中学习《中国共产党纪律处分条例》6次" in result["markdown"]
