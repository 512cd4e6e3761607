"""End to end with the real bundled 1.5B model: a small fact sheet becomes a checked summary."""

from __future__ import annotations

import pytest

from assistant.checks import check_document
from assistant.domain.facts import fact_sheet_from_dict
from assistant.drafting.outline import build_outline
from assistant.drafting.sections import draft_all
from assistant.export import draft_to_markdown
from assistant.models.providers import get_chat_client
from assistant.settings import Settings

SHEET = {
    "organization": "青山县税务局第二党支部",
    "period": "2025年上半年",
    "date": "2025-07-06",
    "superior": "县税务局机关党委",
    "members": "现有党员15名",
    "highlights": [{"topic": "理论学习", "facts": ["开展集中学习5次", "支部书记讲党课1次"]}],
    "problems": ["理论学习与业务结合不够紧密"],
    "plans": ["推动学习成果转化为工作成效"],
    "length": 600,
}


@pytest.mark.slow
def test_bundled_model_drafts_a_checked_summary(library):
    sheet = fact_sheet_from_dict(SHEET)
    draft = build_outline(sheet)
    client = get_chat_client(Settings.from_env().with_model(provider="local"))
    draft_all(library.context(client), draft)

    for section in draft.sections:
        assert section.text, section.key
        # Nothing wrong ships: a failing model text is replaced by the facts themselves, which pass every check.
        assert section.version.passed, (section.key, section.version.findings)
    markdown = draft_to_markdown(draft)
    for number in ("15", "5", "1"):
        assert number in markdown
    errors = [f for f in check_document(markdown, sheet, library.matcher()) if f.severity == "error"]
    assert not errors, errors
