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


class CharCounter:
    """A server whose tokens are characters."""

    def token_count(self, text: str) -> int:
        return len(text)


def test_the_official_purposes_code_writes_are_not_counted_as_the_models_tokens(library, monkeypatch) -> None:
    """Kept tokens are the model's: a draft the model added nothing to keeps no more when code wrote the
    official purposes (目的在于推动党员学纪、知纪、明纪、守纪, 60-odd characters here) into it. (What is
    left is punctuation and markers, a lead's full stop among them unless ，旨在 took its place.)"""
    from assistant.app.accounting import kept_tokens
    from assistant.drafting.outline import build_outline
    from assistant.drafting.progress import DraftProgress
    from assistant.drafting.purposes import _data
    from assistant.drafting.sections import draft_all

    def kept() -> tuple[int, str]:
        model = ScriptedModel(constrains=True)
        model.default = lambda request: ""
        draft = build_outline(load_fact_sheet("examples/qingshan-2024h1.yaml"))
        draft_all(library.context(model, DraftProgress()), draft)
        return kept_tokens(CharCounter(), draft), "".join(s.text for s in draft.sections)

    with_purposes, text = kept()
    monkeypatch.setitem(_data(), "rules", [])
    without, plain = kept()
    assert "学纪、知纪、明纪、守纪" in text and "学纪" not in plain
    assert with_purposes <= without < 40
