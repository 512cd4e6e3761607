import pytest

from assistant.drafting.templates import render, template_names
from assistant.errors import TemplateError

SAMPLE_VARIABLES = {
    "org_name": "某党支部", "period_label": "2024年上半年", "half_year": True, "formulations": ["深入学习贯彻党的二十大精神"],
    "mentions_epidemic": False, "kind": "achievements", "heading": "扎实开展党纪学习教育", "facts": ["学习6次"],
    "budget": 500, "next_label": "下半年", "findings": "- 数字“360”不在事实表中", "have": 200,
    "current": "一是学习6次。", "instruction": "更精炼一些", "markers": ["一是", "二是"], "superior": "县直机关工委",
    "formulation": "深入学习贯彻党的二十大精神", "topics": "党纪学习教育、组织生活", "title": "某党支部2024年上半年党建工作总结", "length": 3000,
    "examples": ["范文一"], "fact": "组织集中学习6次", "length_hint": "两三句话", "how": "用语更规范庄重",
    "subject": "党支部",
}
KINDS = ("opening", "achievements", "problems", "plans")


def test_every_template_renders():
    names = template_names()
    assert {"system.j2", "section_request.j2", "item_request.j2", "repair.j2", "continue.j2", "refine.j2", "plain_section.j2", "item_refine.j2"} <= set(names)
    for name in names:  # chapter_intro.j2 writes only for the problems and plans chapters
        assert any(render(name.removesuffix(".j2"), **{**SAMPLE_VARIABLES, "kind": kind}).strip() for kind in KINDS), name


def test_missing_variable_is_named():
    with pytest.raises(TemplateError, match="findings"):
        render("repair")


def test_unknown_template():
    with pytest.raises(TemplateError, match="nope"):
        render("nope")
