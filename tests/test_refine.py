"""Chat refinement: each instruction read as an operation and done item by item, checked, never bare facts."""

from __future__ import annotations

import json

import pytest

from assistant.checks import check_section
from assistant.domain.draft import Draft, Finding, SectionVersion, SourceRef
from assistant.domain.facts import load_fact_sheet
from assistant.drafting.instructions import read_instruction
from assistant.drafting.operations import Items, shorten
from assistant.drafting.outline import build_outline
from assistant.drafting.progress import DraftProgress
from assistant.drafting.refine import accept, edit, history, propose_revision
from assistant.errors import FiguresLostError
from assistant.text import length
from tests.fake_model import ScriptedModel

TEXT = ("一是组织集中学习《中国共产党纪律处分条例》6次。学习中坚持原原本本读条文、逐条逐句谈体会。"
        "党员干部的纪律规矩意识明显增强。学习成果转化为改进作风的实际行动。"
        "二是开展专题研讨3次，支部书记讲专题党课2次。研讨紧扣岗位实际，人人发言表态。"
        "党课讲清纪律要求和工作规范。"
        "三是组织党员观看警示教育片1次。党员深受警醒，廉洁自律意识不断增强。")


@pytest.fixture
def drafted():
    sheet = load_fact_sheet("examples/qingshan-2024h1.yaml")
    draft = build_outline(sheet)
    section = draft.section("work-1")
    section.add_version(SectionVersion(TEXT, "draft"))
    return draft, section


def refine(library, model, drafted, instruction):
    draft, section = drafted
    return propose_revision(library.context(model, DraftProgress()), draft, section, instruction)


def understood(version) -> str:
    return next(f.message for f in version.findings if f.check == "understood")


def leads(text: str) -> list[str]:
    return [i.lead for i in Items.of(text).items]


def test_instructions_are_read_as_operations() -> None:
    assert read_instruction("更精炼一些", 400).kind == "shorten"
    assert read_instruction("压缩到300字", 400).target == 300
    assert read_instruction("展开写具体一些", 400).kind == "expand"
    assert read_instruction("加上“开展主题党日6次”", 400).facts == ("开展主题党日6次",)
    assert read_instruction("突出数据", 400).kind == "emphasise_figures"
    assert read_instruction("更有气势", 400).tone == "更有气势"
    assert read_instruction("参考第2条范文", 400).index == 2
    assert read_instruction("写到500字", 300).kind == "expand"
    assert read_instruction("写得更好", 400).kind == "rewrite"


def test_shorter_keeps_every_lead_and_some_prose(library, scripted, drafted) -> None:
    version = refine(library, scripted, drafted, "更精炼一些")
    ratio = length(version.text) / length(TEXT)
    assert 0.5 <= ratio <= 0.8, ratio
    assert leads(version.text) == leads(TEXT)
    assert all(item.rest for item in Items.of(version.text).items), "never bare facts"
    assert understood(version).startswith("理解为：压缩到约") and not scripted.history, "shortening is code"


def test_a_target_length_missed_is_said_plainly(library, scripted, drafted) -> None:
    version = refine(library, scripted, drafted, "压缩到50字")
    note = next(f for f in version.findings if f.check == "operation_missed")
    assert "目标约50字" in note.message and note.severity == "warning"
    assert all(item.rest for item in Items.of(version.text).items)


def test_figures_first_and_reorder_and_remove(library, scripted, drafted) -> None:
    draft, section = drafted
    section.add_version(SectionVersion("一是加强理论武装。全年集中学习6次，研讨3次。党员素质提升。", "edit"))
    assert refine(library, scripted, drafted, "突出数据").text.startswith("一是全年集中学习6次，研讨3次。")
    section.add_version(SectionVersion(TEXT, "edit"))
    moved = refine(library, scripted, drafted, "把第三条放到前面")
    assert leads(moved.text)[0] == "组织党员观看警示教育片1次。"
    removed = refine(library, scripted, drafted, "删去“开展专题研讨3次，支部书记讲专题党课2次”")
    assert "专题研讨" not in removed.text and len(leads(removed.text)) == 2
    section.add_version(SectionVersion(TEXT, "edit"))
    by_number = refine(library, scripted, drafted, "删去第一条")
    assert leads(by_number.text) == leads(TEXT)[1:] and not any(f.check == "operation_missed" for f in by_number.findings)


def adding() -> ScriptedModel:
    """A constrained model that elaborates whatever item it is given."""
    model = ScriptedModel(constrains=True)
    model.default = lambda request: "党员在活动中交流学习体会，党性观念进一步增强。"
    return model


def errors(library, draft, section) -> list[Finding]:
    """The errors the checks find in the current text, against the section's and the sheet's facts as they are now."""
    return [f for f in check_section(section.text, section, draft.facts, library.matcher()) if f.severity == "error"]


def test_an_added_fact_is_its_own_elaborated_item(library, drafted) -> None:
    model = adding()
    draft, section = drafted
    version = refine(library, model, drafted, "加上“开展主题党日6次”")
    items = Items.of(version.text).items
    assert items[-1].text.startswith("开展主题党日6次") and len(items[-1].text) > len("开展主题党日6次。"), items[-1]
    assert version.passed, version.findings
    assert model.history[0].prefill.startswith("开展主题党日6次"), "the lead is written by code"
    accept(draft, section, version)
    assert "开展主题党日6次" in section.facts and "开展主题党日6次" in draft.facts.highlights[0].facts


def test_a_fact_is_added_only_when_the_proposal_is_accepted(library, drafted) -> None:
    draft, section = drafted
    before = list(section.facts)
    version = refine(library, adding(), drafted, "加上“开展主题党日4次”")  # no 4次 in the text yet
    assert version.passed and version.facts == before + ["开展主题党日4次"], "its numbers are the version's"
    assert section.facts == draft.facts.highlights[0].facts == before, "not accepted: no fact changed"
    assert not errors(library, draft, section), "the current text is not asked for the rejected fact's figure"
    accept(draft, section, version)
    assert section.facts == draft.facts.highlights[0].facts == before + ["开展主题党日4次"]
    assert section.version.passed and not errors(library, draft, section)


def test_a_fact_is_removed_only_when_the_proposal_is_accepted(library, scripted, drafted) -> None:
    draft, section = drafted
    before = list(section.facts)
    version = refine(library, scripted, drafted, "删去第一条")
    assert version.passed and version.facts == before[1:]
    assert section.facts == draft.facts.highlights[0].facts == before, "not accepted: no fact changed"
    assert not errors(library, draft, section)
    accept(draft, section, version)
    assert section.facts == draft.facts.highlights[0].facts == before[1:]
    assert leads(section.text) == leads(TEXT)[1:] and not errors(library, draft, section)


def test_the_facts_of_a_version_survive_the_drafts_json(library, drafted) -> None:
    draft, section = drafted
    accept(draft, section, refine(library, adding(), drafted, "加上“开展主题党日6次”"))
    loaded = Draft.from_dict(json.loads(json.dumps(draft.to_dict(), ensure_ascii=False))).section("work-1")
    assert loaded.version.facts == section.version.facts == section.facts and loaded.facts == section.facts
    assert loaded.versions[0].facts is None, "a version that changed no fact"


def test_expand_takes_each_item_on_from_its_end(library, drafted) -> None:
    model = ScriptedModel(constrains=True)
    model.default = lambda request: "广大党员主动对照检查，查找差距不足。工作作风持续改进。"
    version = refine(library, model, drafted, "展开写具体一些")
    assert length(version.text) > length(TEXT) and leads(version.text) == leads(TEXT)
    assert {r.task.action for r in model.history} == {"continue"} and all(r.prefill for r in model.history)
    assert all("二是" in r.banned and "\n" in r.banned for r in model.history), "going on may not start an item"


def test_more_asked_for_is_not_cut_at_a_first_drafts_clauses(library, drafted) -> None:
    """A first draft's sentence ends at its second clause; one the user asked for keeps all it says."""
    said = "党员对照条文查找差距，认识不断深化，学习笔记记得扎实。"
    model = ScriptedModel(constrains=True)
    model.default = lambda request: said
    version = refine(library, model, drafted, "展开写具体一些")
    assert said in version.text, version.text


def test_a_target_length_is_reached_and_each_item_ends_with_a_full_stop(library, drafted) -> None:
    said = iter(["党员对照条文查找差距，认识不断深化；", "学习笔记记得扎实，交流发言质量提高；", "规矩意识进一步树牢，作风持续改进；",
                 "学用结合更加紧密，岗位履职更加规范；", "支部学习氛围日益浓厚，党员参与积极；", "纪律教育常态长效，警示作用充分发挥；",
                 "党员主动亮身份、作表率，形象更好；", "学习内容更加系统，覆盖更加全面；", "思想认识持续提升，行动更加自觉；",
                 "廉洁自律意识增强，风清气正氛围形成；", "理论学习走深走实，成效逐步显现；", "学习方式更加灵活，效果更加明显；"])
    model = ScriptedModel(constrains=True)
    model.default = lambda request: next(said, "")
    version = refine(library, model, drafted, "写到320字")
    assert abs(length(version.text) - 320) <= 0.15 * 320, (length(version.text), version.text)
    assert all(i.text.endswith("。") for i in Items.of(version.text).items), version.text


def test_an_expand_that_adds_nothing_is_tried_again_then_noted(library, drafted) -> None:
    model = ScriptedModel(constrains=True)
    model.default = lambda request: ""
    version = refine(library, model, drafted, "展开写具体一些")
    asked = [r.task.facts for r in model.history]
    half = len(asked) // 2
    assert asked and asked[:half] == asked[half:], "one retry, asking again of the same items"
    assert "没有变长" in next(f.message for f in version.findings if f.check == "operation_missed")


def test_tone_rewrites_the_prose_and_keeps_the_lead(library, drafted) -> None:
    model = ScriptedModel(constrains=True)
    model.default = lambda request: "以更高标准压实责任，以更实举措推动落实。"
    version = refine(library, model, drafted, "更有气势一些")
    assert leads(version.text) == leads(TEXT)
    assert all(item.rest == ["以更高标准压实责任，以更实举措推动落实。"] for item in Items.of(version.text).items)
    assert "更有气势" in model.history[0].messages[-1]["content"]


def test_a_free_rewrite_by_a_constrained_model_rewrites_each_items_prose(library, drafted) -> None:
    model = ScriptedModel(constrains=True)
    model.default = lambda request: "学习内容层层递进，讨论环节逐一落实。"
    version = refine(library, model, drafted, "写得更有条理")
    assert leads(version.text) == leads(TEXT)
    assert all(item.rest[-1] == "学习内容层层递进，讨论环节逐一落实。" for item in Items.of(version.text).items)
    assert all(r.prefill for r in model.history), "item by item, each from its lead: never the whole section"
    assert "写得更有条理" in model.history[0].messages[-1]["content"]


def test_a_reference_passage_becomes_the_worked_example(library, drafted) -> None:
    draft, section = drafted
    passage = ("一是深入学习党章党规。支部坚持每月集中学习，党员逐条对照检查，结合岗位实际谈认识、谈体会，"
               "纪律意识明显增强，学习成效持续巩固，党员干部干事创业、担当作为的精气神进一步提振。")
    section.pinned = [SourceRef("范文.txt", "（一）", passage)]
    model = ScriptedModel(constrains=True)
    model.default = lambda request: "党员纪律意识明显增强。"
    refine(library, model, drafted, "参考这段范文")
    assert "支部坚持每月集中学习" in model.history[0].messages[2]["content"]


def test_undone_turns_steer_nothing(library, scripted, drafted) -> None:
    draft, section = drafted
    first = refine(library, scripted, drafted, "写得更好")
    accept(draft, section, first)
    assert [m["content"] for m in history(section)] == ["写得更好", first.text]
    section.undo()
    assert history(section) == []


NO_FIGURES = ("一是组织集中学习《中国共产党纪律处分条例》。学习氛围浓厚。二是开展专题研讨，支部书记讲专题党课。研讨深入。"
              "三是组织党员观看警示教育片。党员受到警醒。")


def test_a_revision_that_loses_a_figure_is_taken_only_when_the_user_confirms(library, drafted) -> None:
    draft, section = drafted
    model = ScriptedModel()
    model.default = NO_FIGURES  # every figure gone
    version = refine(library, model, drafted, "写得更好")
    assert "有事实的数字丢了" in next(f.message for f in version.findings if f.check == "operation_missed")
    with pytest.raises(FiguresLostError) as refused:
        accept(draft, section, version)
    assert "“6”" in str(refused.value) and "“3”" in str(refused.value)
    assert section.text == TEXT and len(section.versions) == 1  # nothing changed
    accept(draft, section, version, drop_figures=True)
    assert section.text == NO_FIGURES and section.current == 1
    checks = {f.check for f in section.version.findings}
    assert "missing_number" in checks and not checks & {"understood", "operation_missed"}


def test_an_accepted_revision_keeps_only_the_checks_findings(library, scripted, drafted) -> None:
    draft, section = drafted
    version = refine(library, scripted, drafted, "突出数据")
    assert any(f.check == "understood" for f in version.findings)
    accept(draft, section, version)
    assert not [f for f in section.version.findings if f.check in ("understood", "operation_missed")]


def test_shortening_drops_the_sentences_the_checks_found_at_fault_first(library, scripted, drafted) -> None:
    draft, section = drafted
    planted = "支部还邀请中央党校专家进行专题讲座。"
    text = TEXT.replace("学习中坚持", planted + "学习中坚持")  # the first of four sentences: the last to go by length
    edit(draft, section, text, library.matcher())
    assert any(f.span and f.span in planted for f in section.version.findings), section.version.findings
    version = refine(library, scripted, drafted, "更精炼一些")
    assert planted not in version.text and "学习中坚持原原本本读条文" in version.text
    assert leads(version.text) == leads(TEXT)


def test_a_new_tone_keeps_the_sentences_that_hold_figures(library) -> None:
    draft = build_outline(load_fact_sheet("examples/qingshan-2024h1.yaml"))
    section = draft.section("opening")
    opening = ("2024年上半年，支部在机关党委的坚强领导下，各项党建任务有序推进。现有党员28名，其中预备党员2名。"
               "支部班子团结协作。现将有关情况总结如下：")
    section.facts = ["现有党员28名，其中预备党员2名"]
    section.add_version(SectionVersion(opening, "composed"))
    model = ScriptedModel(constrains=True)
    model.default = lambda request: "以更高标准压实责任。"
    version = propose_revision(library.context(model, DraftProgress()), draft, section, "语气更正式一些")
    assert version.text == ("2024年上半年，支部在机关党委的坚强领导下，各项党建任务有序推进。现有党员28名，其中预备党员2名。"
                            "以更高标准压实责任。")
    assert model.history[0].prefill.endswith("现有党员28名，其中预备党员2名。")
    assert not [f for f in version.findings if f.check == "missing_number"]


def test_shortening_stops_where_it_lands_nearest_the_target() -> None:
    text = ("一是组织集中学习6次。党员纪律意识明显增强。学习成果转化为改进作风的实际行动，党员干部干事创业的精气神进一步提振。"
            "学习氛围日益浓厚。二是开展专题研讨3次。研讨紧扣岗位实际。")  # 86 characters
    assert length(shorten(Items.of(text), 72).text) == 77, "one sentence off: 77 is nearer 72 than 42"
    assert length(shorten(Items.of(text), 45).text) == 42
    assert length(shorten(Items.of(text), 84).text) == 77, "never left as long as it was"


def test_a_result_that_is_only_its_facts_is_tried_again_then_noted(library, drafted) -> None:
    model = ScriptedModel()
    model.default = "一是组织集中学习《中国共产党纪律处分条例》6次。二是开展专题研讨3次，支部书记讲专题党课2次。三是组织党员观看警示教育片1次。"
    version = refine(library, model, drafted, "写得更好")
    assert len(model.requests("refine")) == 2, "one retry"
    assert "只剩事实本身" in next(f.message for f in version.findings if f.check == "operation_missed")


def test_a_rewrite_loses_the_sentence_that_claims_what_the_facts_do_not_give(library, drafted) -> None:
    model = ScriptedModel()
    model.default = TEXT.replace("党员深受警醒，", "支部还邀请中央党校专家进行专题讲座。党员深受警醒，")
    version = refine(library, model, drafted, "写得更好")
    assert "专家" not in version.text and "党员深受警醒，廉洁自律意识不断增强。" in version.text
    assert not [f for f in version.findings if f.check == "invented_activity"]


@pytest.mark.parametrize("instruction", ["展开写具体一些", "参考第1条范文"])
def test_items_refined_in_parallel_slots_give_the_same_text_as_one_at_a_time(library, instruction) -> None:
    texts = []
    for slots in (1, 4):
        sheet = load_fact_sheet("examples/qingshan-2024h1.yaml")
        draft = build_outline(sheet)
        section = draft.section("work-1")
        section.add_version(SectionVersion(TEXT, "draft"))
        model = ScriptedModel(constrains=True, concurrency=slots)
        model.default = lambda request: f"{request.task.facts[0][:4]}的成果转化为工作实效，作风持续改进。"
        texts.append(propose_revision(library.context(model, DraftProgress()), draft, section, instruction).text)
    assert texts[0] == texts[1] and texts[0] != TEXT
