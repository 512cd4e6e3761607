"""Drafting with a scripted model: outline → sections → guardrails → repair → fallback; refinement and undo."""

from __future__ import annotations

import re

import pytest

from assistant.domain.facts import load_fact_sheet
from assistant.drafting.closers import Closers
from assistant.drafting.outline import build_outline
from assistant.drafting.progress import DraftProgress
from assistant.drafting.refine import accept, propose_revision
from assistant.drafting.sections import draft_all, draft_section
from assistant.drafting.tidying import spare_closers, tidy
from tests.fake_model import ScriptedModel, faithful


def inventing(request) -> str:
    return faithful(request) + "全年共开展活动360次，覆盖永川区各单位。"


def draft_one(library, scripted, sheet, key, *replies):
    """Draft one section of a new outline: the replies first, then a faithful model. (draft, new version)."""
    scripted.default = faithful
    scripted.enqueue(*replies)
    draft = build_outline(sheet)
    return draft, draft_section(library.context(scripted, DraftProgress()), draft, draft.section(key))


@pytest.fixture
def sheet():
    return load_fact_sheet("examples/qingshan-2024h1.yaml")


class Recorder(DraftProgress):
    def __init__(self):
        self.events = []

    def section_started(self, section):
        self.events.append(("started", section.key))

    def text_streamed(self, section, delta):
        if not self.events or self.events[-1] != ("text", section.key):
            self.events.append(("text", section.key))

    def section_retry(self, section, reason):
        self.events.append(("retry", section.key))

    def section_done(self, section):
        self.events.append(("done", section.key))


def test_full_draft_with_a_faithful_model(library, scripted, sheet):
    scripted.default = faithful
    progress = Recorder()
    draft = build_outline(sheet)
    findings = draft_all(library.context(scripted, progress), draft)
    assert not [f for f in findings if f.severity == "error"], findings
    opening, *written = draft.sections
    assert opening.version.origin == "composed" and "现有党员28名" in opening.text and "二十大" in opening.text
    for section in written:
        assert section.version.origin == "draft" and not section.flagged, (section.key, section.version.findings)
        assert section.sources, "each section keeps the passages it was shown"
    assert "组织集中学习《中国共产党纪律处分条例》6次" in draft.section("work-1").text
    keys = [s.key for s in draft.sections]
    assert [e for e in progress.events if e[0] == "done"] == [("done", k) for k in keys]
    assert progress.events[:6] == [("started", "opening"), ("text", "opening"), ("done", "opening"),
                                   ("started", "work-1"), ("text", "work-1"), ("done", "work-1")]


def test_prompts_use_a_worked_example_and_current_formulations(library, scripted, sheet):
    scripted.default = faithful
    draft = build_outline(sheet)
    draft_all(library.context(scripted, DraftProgress()), draft)
    first_work_call = next(c for c in scripted.history if "本节小标题：扎实开展党纪学习教育" in c.messages[-1]["content"])
    messages = first_work_call.messages
    assert first_work_call.task.action == "item" and first_work_call.task.heading == "扎实开展党纪学习教育"
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    example = messages[2]["content"]
    assert len(example) >= 80 and "〖" not in example and not re.search(r"(?<![A-Za-z])X", example)
    assert not re.search(r"十九|\d", example), "examples are stripped of stale formulations and their own figures"
    system = messages[0]["content"]
    assert "二十大" in system and "十九大" not in system
    instructions = re.sub(r"要点：.*", "", messages[1]["content"] + messages[3]["content"])
    assert not re.search(r"\d", instructions), "a figure in a request's wording leaks into the text"
    assert "一年来" in system and "上半年" in system  # the period rule is spelled out


def test_invented_number_is_repaired_with_findings_fed_back(library, scripted, sheet):
    calls = {"n": 0}

    def first_invents_then_behaves(request):
        calls["n"] += 1
        return inventing(request) if calls["n"] == 1 else faithful(request)

    scripted.default = faithful
    scripted.enqueue(first_invents_then_behaves)
    draft = build_outline(sheet)
    draft_all(library.context(scripted, DraftProgress()), draft)
    first = draft.section("work-1")
    assert first.version.origin == "draft" and "360" not in first.text
    repair_call = next(c.messages[-1]["content"] for c in scripted.history if "这一稿有以下问题" in c.messages[-1]["content"])
    assert "360" in repair_call and "永川区" in repair_call


def test_section_that_keeps_failing_falls_back_to_its_facts(library, scripted, sheet):
    scripted.default = faithful
    draft = build_outline(sheet)
    section = draft.section("work-2")

    def invent_for_work2(request):
        return inventing(request) if request.task.heading == "严格规范组织生活" else faithful(request)

    scripted.default = invent_for_work2
    draft_all(library.context(scripted, DraftProgress()), draft)
    assert section.version.origin == "fallback" and section.flagged
    assert section.text == "一是召开支部党员大会2次、支委会6次。二是开展主题党日活动6次。"
    assert not [f for f in section.version.findings if f.severity == "error"]
    assert [f.check for f in section.version.findings if f.check == "fallback"] == ["fallback", "fallback"]
    assert not draft.section("work-1").flagged


def test_only_the_failing_item_falls_back_and_the_section_is_flagged(library, scripted, sheet):
    def invent_for_the_second_fact(request):
        return inventing(request) if request.task.facts == ("开展主题党日活动6次",) else faithful(request)

    scripted.default = invent_for_the_second_fact
    draft = build_outline(sheet)
    draft_all(library.context(scripted, DraftProgress()), draft)
    section = draft.section("work-2")
    first, second = section.text.split("二是")
    assert first.startswith("一是召开支部党员大会2次、支委会6次") and len(first) > 40, "the good item keeps its prose"
    assert second == "开展主题党日活动6次。"
    assert section.version.origin == "draft" and section.flagged, "a plain item still asks for a human look"
    assert "第2条" in next(f.message for f in section.version.findings if f.check == "fallback")


def test_items_of_a_section_extend_one_conversation(library, scripted, sheet):
    """Each item request repeats the conversation so far, so a local server reuses its cached prefix."""
    scripted.default = faithful
    draft = build_outline(sheet)
    draft_all(library.context(scripted, DraftProgress()), draft)
    calls = [c.messages for c in scripted.history if "本节小标题：严格规范组织生活" in c.messages[-1]["content"]]
    first, second = calls
    assert second[: len(first)] == first and [m["role"] for m in second[len(first):]] == ["assistant", "user"]
    assert "要点：开展主题党日活动6次" in second[-1]["content"]


def test_a_section_without_facts_is_written_whole(library, scripted, sheet):
    sheet.problems = []
    scripted.default = faithful
    draft = build_outline(sheet)
    draft_all(library.context(scripted, DraftProgress()), draft)
    problems = draft.section("problems")
    assert problems.version.origin == "draft" and problems.text
    call = next(c.messages for c in scripted.history if "存在的问题”一章" in c.messages[-1]["content"])
    assert "字数约" in call[-1]["content"]


def test_remote_sections_are_drafted_in_parallel(library, sheet):
    remote = ScriptedModel(is_local=False, concurrency=4)
    draft = build_outline(sheet)
    draft_all(library.context(remote, DraftProgress()), draft)
    assert all(s.version and s.version.origin == "draft" for s in draft.sections[1:])


def test_refinement_keeps_versions_and_undoes(library, scripted, sheet):
    scripted.default = faithful
    draft = build_outline(sheet)
    ctx = library.context(scripted, DraftProgress())
    draft_all(ctx, draft)
    section = draft.section("work-2")
    before = section.text

    def adds_the_quoted_fact(request):
        return before + "三是开展主题党日6次，组织党员交流学习体会。"

    scripted.enqueue(adds_the_quoted_fact)
    proposal = propose_revision(ctx, draft, section, '加上"开展主题党日6次"')
    assert section.text == before, "a proposal is not applied until accepted"
    assert proposal.passed, proposal.findings
    assert "开展主题党日6次" not in section.facts and "开展主题党日6次" in proposal.facts
    assert section.chat[-2]["content"].startswith("加上")
    accept(draft, section, proposal)
    assert section.text.endswith("组织党员交流学习体会。") and len(section.versions) == 2
    assert "开展主题党日6次" in section.facts
    assert section.undo() and section.text == before
    assert section.redo() and section.version.text == proposal.text


def test_tidy_removes_a_repeated_heading_and_a_cut_sentence(sheet):
    section = build_outline(sheet).section("work-1")
    text = "（一）扎实开展党纪学习教育\n**一是**组织集中学习6次。二是开展研讨"
    assert tidy(text, section) == "一是组织集中学习6次。"


def test_tidy_keeps_model_numbered_items_as_items_and_renumbers(sheet):
    section = build_outline(sheet).section("problems")
    text = "二、存在的问题\n（一）学习主动性不强。个别党员满足于完成规定动作。\n（二）融合载体不够丰富。活动形式比较单一。"
    assert tidy(text, section) == "一是学习主动性不强。个别党员满足于完成规定动作。\n二是融合载体不够丰富。活动形式比较单一。"


def test_tidy_cuts_a_loop(sheet):
    section = build_outline(sheet).section("work-2")
    loop = "".join(f"{n}是召开党员大会2次、支委会6次。" for n in "三四五六七八九")
    assert tidy("一是开展主题党日活动6次。二是加强组织生活。" + loop, section) == (
        "一是开展主题党日活动6次。二是加强组织生活。三是召开党员大会2次、支委会6次。")


def test_a_short_item_goes_on_once_and_a_restart_adds_only_new_sentences(library, scripted, sheet):
    short = "召开支部党员大会2次、支委会6次。"
    _, version = draft_one(library, scripted, sheet, "work-2",
                           lambda m: short, lambda m: short + "组织生活的质量进一步提升，党员参与的积极性明显增强。")
    first = version.text.split("二是")[0]
    assert first == "一是" + short + "组织生活的质量进一步提升，党员参与的积极性明显增强。"
    assert "请紧接上文继续写" in scripted.history[1].messages[-1]["content"]
    assert scripted.history[1].task.action == "continue"


def test_tidy_cuts_a_loop_inside_a_sentence(sheet):
    section = build_outline(sheet).section("work-1")
    text = "一是组织集中学习6次，组织党员观看警示教育片1次，组织党员观看警示教育片1次，组织党员观看警示教育片1次。二是开展研讨3次。"
    assert tidy(text, section) == "一是组织集中学习6次，组织党员观看警示教育片1次。二是开展研讨3次。"


def test_sentences_copied_from_a_sample_are_removed(library, scripted, sheet):
    copied = "组织党员干部多次学习《宪法》《中华人民共和国刑法》等法律法规，以及《党章》《准则》《条例》等党章党纪党规。"
    _, version = draft_one(library, scripted, sheet, "work-1", lambda m: faithful(m).replace("一是", copied + "一是", 1))
    assert version.origin == "draft" and "《宪法》" not in version.text
    assert version.text.startswith("一是组织集中学习《中国共产党纪律处分条例》6次")


def test_a_regenerated_section_that_falls_back_stays_flagged(library, scripted, sheet):
    from assistant.drafting.refine import regenerate

    scripted.default = inventing
    draft = build_outline(sheet)
    section = draft.section("work-2")
    version = regenerate(library.context(scripted, DraftProgress()), draft, section)
    assert version.origin == "fallback" and section.flagged


def test_an_item_that_drops_its_number_gets_its_fact_as_the_lead_without_a_rewrite(library, scripted, sheet):
    vague = "开展专题研讨多次，支部书记讲专题党课。研讨中党员结合岗位实际交流体会，党课紧扣纪律规矩讲深讲透，学习效果明显。"
    draft, version = draft_one(library, scripted, sheet, "work-1", faithful, lambda m: vague)
    second = version.text.split("二是")[1].split("三是")[0]
    assert second == "开展专题研讨3次，支部书记讲专题党课2次。研讨中党员结合岗位实际交流体会，党课紧扣纪律规矩讲深讲透，学习效果明显。"
    assert not any("这一稿有以下问题" in c.messages[-1]["content"] for c in scripted.history)
    assert version.passed and not draft.section("work-1").flagged


def test_tidy_drops_the_request_words_echoed_as_labels(sheet):
    section = build_outline(sheet).section("plans")
    text = "本节小标题：工作打算。推进党员先锋岗创建。具体措施：\n- 制定创建计划，明确岗位职责。\n要达到的目标：党员作用更加突出。"
    assert tidy(text, section) == "推进党员先锋岗创建。\n制定创建计划，明确岗位职责。\n党员作用更加突出。"


def test_an_item_may_not_borrow_another_facts_figure(library, scripted, sheet):
    borrowed = "开展专题研讨3次，支部书记讲专题党课2次。研讨前组织集中学习6次，党员结合岗位交流体会。"
    _, version = draft_one(library, scripted, sheet, "work-1", faithful, lambda m: borrowed)
    repair = next(c.messages[-1]["content"] for c in scripted.history if "这一稿有以下问题" in c.messages[-1]["content"])
    assert "“6”" in repair
    assert "研讨前组织集中学习6次" not in version.text


def test_render_findings_lists_errors_first() -> None:
    from assistant.domain.draft import Finding
    from assistant.drafting.messages import render_findings

    text = render_findings([Finding("too_short", "太短", "warning"), Finding("invented_number", "出现“360”")])
    assert text.splitlines() == ["1. 出现“360”", "2. （提示）太短"]


def test_a_closing_formula_is_used_once_in_the_whole_draft() -> None:
    texts = ["一是开展学习6次。支部的凝聚力和战斗力不断增强。",
             "一是召开党员大会2次。组织生活更加规范，凝聚力和战斗力进一步提升。二是党员作用凝聚力和战斗力明显发挥，8名党员受表扬。",
             "凝聚力和战斗力还不够强。"]
    assert spare_closers(texts) == [texts[0], "一是召开党员大会2次。二是党员作用凝聚力和战斗力明显发挥，8名党员受表扬。",
                                    texts[2]], "a lead, a sentence with a figure and a line's first sentence stay"


def test_a_closing_formula_is_one_whatever_its_middle_word() -> None:
    closers = Closers()
    assert closers.claim("为支部建设奠定了坚实的思想基础。") is None
    again = closers.claim("为今后工作打下了坚实的组织基础。")
    assert again is not None and again.span == "坚实的组织基础"
    assert {"坚实", "奠定", "打下"} <= set(closers.used), "the words of a used closer are kept out of decoding"
    assert closers.claim("为发展提供了有力的人才支撑。") is None


@pytest.mark.usefixtures("own_sentences_unbounded")
def test_a_draft_keeps_one_of_each_closing_formula(library, sheet) -> None:
    model = ScriptedModel(constrains=True)
    model.default = lambda request: "" if request.task.action == "continue" else "党员的责任意识不断增强，形成浓厚的学习氛围。"
    draft = build_outline(sheet)
    draft_all(library.context(model, DraftProgress()), draft)
    assert "".join(s.text for s in draft.sections).count("氛围") == 1
    assert all(s.version.passed for s in draft.sections), "a section that lost a sentence is checked again"


def test_the_problems_and_plans_chapters_open_as_the_samples_do(library, scripted, sheet) -> None:
    """Code writes each chapter's opening sentence from the sheet; the work sections go straight to their items."""
    scripted.default = faithful
    draft = build_outline(sheet)
    draft_all(library.context(scripted, DraftProgress()), draft)
    assert draft.section("problems").text.startswith("对照新时代党的建设总要求，党支部在工作中还存在一些差距和不足，主要是：一是")
    assert draft.section("plans").text.startswith(
        "下半年，党支部将坚持以习近平新时代中国特色社会主义思想为指导，全面落实新时代党的建设总要求，重点做好以下几方面工作：一是")
    assert draft.section("work-1").text.startswith("一是")
    assert all(s.version.passed for s in draft.sections if s.kind in ("problems", "plans"))
    assert "党支部现有党员28名，其中预备党员2名。" in draft.section("opening").text, "the members' sentence has its subject"
