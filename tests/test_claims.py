"""Claim checks: each with a planted defect and a clean counterpart; unfounded sentences are dropped."""

from __future__ import annotations

import pytest

from assistant.checks.claim_rules import prompt_phrases
from assistant.checks.claims import check_claims, drop_failing, drop_restatements
from assistant.checks.repeats import repeats_so_far, same_start
from assistant.domain.facts import fact_sheet_from_dict
from assistant.drafting.outline import build_outline
from assistant.drafting.progress import DraftProgress
from assistant.drafting.sections import draft_section

SHEET = fact_sheet_from_dict({
    "organization": "青山县自然资源局机关党支部",
    "period": "2024年上半年",
    "highlights": [
        {"topic": "党纪学习教育", "facts": ["组织集中学习《中国共产党纪律处分条例》6次", "开展支部换届"]},
        {"topic": "联系群众", "facts": ["走访困难党员5户"]},
    ],
    "problems": ["理论学习与业务结合不够紧密"],
    "plans": ["推进党员先锋岗创建"],
})
FACTS = ["组织集中学习《中国共产党纪律处分条例》6次"]


def ids(text: str, kind: str = "achievements", facts: list[str] = FACTS) -> list[str]:
    return [f.check for f in check_claims(text, kind, facts, SHEET)]


@pytest.mark.parametrize(("check", "planted", "clean", "kind"), [
    ("invented_title", "制定下发《机关党的学习计划》，明确学习任务。", "深入学习《中国共产党纪律处分条例》，明确纪律要求。", "achievements"),
    ("invented_activity", "邀请中央党校专家进行专题讲座。", "党员结合岗位实际交流学习体会。", "achievements"),
    ("invented_activity", "通过主题党日活动，增强党员的认同感。", "通过集中学习，增强党员的认同感。", "achievements"),
    ("invented_activity", "每月组织一次专题会议，安排学习内容。", "结合工作实际安排学习内容。", "achievements"),
    ("invented_activity", "利用微信公众号发布党风廉政建设信息。", "及时传达党风廉政建设要求。", "achievements"),
    ("meta_text", "以上就是上半年工作的主要内容。", "上半年各项工作有序推进。", "achievements"),
    ("meta_text", "工作成效中的一条，先写出要点，再写这项工作的目的和意义。", "把学习成果转化为工作成效。", "achievements"),
    ("wrong_register", "同时，我们将加强与上级党组织的沟通。", "同时，支部将加强与上级党组织的沟通。", "plans"),
    ("wrong_register", "每个党支部都要设立一个党员先锋岗。", "支部设立党员先锋岗。", "plans"),
    ("meta_text", "具体措施包括：明确岗位职责。", "明确岗位职责。", "plans"),
    ("latin_word", "认为党建只是organizational事务。", "认为党建只是党务部门的事务。", "problems"),
    ("wrong_register", "增强了政府的服务能力。", "增强了党员的纪律意识。", "achievements"),
    ("off_kind", "下一步，我们将继续深化学习。", "党员学习的自觉性明显增强。", "achievements"),
    ("off_kind", "因此，需要加强理论学习。", "个别党员学习的主动性不强。", "problems"),
    ("off_kind", "要通过加强培训，提高党员的学习积极性。", "部分党员的学习积极性有待提高。", "problems"),
    ("off_kind", "同时，应注重党建与业务的深度融合。", "党建与业务融合的深度还不够。", "problems"),
    ("wrong_register", "部分党员学习态度不端正，敷衍了事。", "部分党员学习的主动性还不够强。", "problems"),
    ("wrong_register", "我局党建工作取得了新成效。", "党建工作取得了新成效。", "achievements"),
    ("off_kind", "为了提高党员的参与度，街道可以组织更多的培训。", "党员参加集中学习的次数偏少。", "problems"),
    ("off_kind", "需要投入更多精力抓党建。", "部分党员认为党建工作不需要投入太多精力。", "problems"),
    ("off_kind", "总的来说，学习教育取得了显著成效。", "学习教育扎实有效。", "achievements"),
    ("repeated_text", "党员干部纪律意识明显增强。党员干部纪律意识明显增强，作风持续改进。", "党员干部纪律意识明显增强，作风持续改进。", "achievements"),
    ("repeated_text", "组织生活更加规范。同时，组织生活更加规范。", "组织生活更加规范。同时，党员的组织观念更强。", "achievements"),
    ("invented_activity", "组织党员参观纪念馆，邀请老党员讲述入党经历，重温入党誓词。", "组织党员交流学习体会。", "achievements"),
    ("invented_activity", "这一做法得到了上级党组织的高度评价。", "这一做法增强了党员的纪律意识。", "achievements"),
    ("invented_activity", "这一做法得到了全体党员的高度认可，值得推广。", "这一做法增强了党员的纪律意识。", "achievements"),
    ("invented_activity", "此举为其他党组织提供了可借鉴的经验。", "此举增强了党员的纪律意识。", "achievements"),
    ("invented_activity", "工作得到了广泛的认可和赞扬，值得学习和推广。", "工作扎实有效。", "achievements"),
    ("invented_activity", "此举得到了上级党组织的高度肯定，其他部门也纷纷效仿。", "此举增强了党员的纪律意识。", "achievements"),
    ("wrong_register", "这一做法降低了成本，经济效益显著增加。", "这一做法增强了党员的服务意识。", "achievements"),
    ("wrong_register", "部分党员学习时间少于规定学时。", "部分党员学习时间不够充足。", "problems"),
    ("wrong_register", "增强了职工的归属感，推动了企业发展。", "增强了党员的责任意识，推动了各项工作。", "achievements"),
    ("meta_text", "着力抓实，要取得什么效果？", "着力抓实，务求实效。", "plans"),
    ("meta_text", "现将有关情况总结如下，主要措施有以下几点。", "现将有关情况总结如下。", "opening"),
    ("meta_text", "具体措施有以下几项，旨在实现以下目标。", "各项工作取得新进展。", "opening"),
    ("invented_activity", "依托线上平台开展学习，支部荣获先进称号。", "支部学习扎实开展。", "achievements"),
    ("wrong_register", "为实现公司的发展目标贡献力量。", "为推动本单位各项工作贡献力量。", "achievements"),
    ("wrong_register", "这可能是因为部分党员工作繁忙。", "部分党员工作任务较重，学习时间不足。", "problems"),
    ("meta_text", "在总结中，可以提到支部的做法。", "支部的做法扎实管用。", "achievements"),
    ("dangling_start", "组织集中学习6次。其次，组织党员交流体会。", "组织集中学习6次。首先，原原本本读条文。其次，组织党员交流体会。", "achievements"),
    ("dangling_start", "支部组织集中学习。取得了显著的成效，党员普遍认可。", "支部组织集中学习，党员的纪律意识明显增强。", "achievements"),
    ("meta_text", "将按照以下步骤进行实施。", "将分步骤推进实施。", "plans"),
    ("meta_text", "着力抓实，要取得什么结果？", "着力抓实，务求实效。", "plans"),
    ("wrong_register", "在街道党委的指导下，推进自治、民主、法治相结合。", "在街道党工委的指导下，推进自治、法治、德治相结合。", "achievements"),
    ("invented_activity", "通过专题培训、案例分析等形式，强化纪律意识。", "通过集中学习，强化纪律意识。", "achievements"),
    ("invented_activity", "开展了健康咨询、疾病预防、康复指导等各类服务。", "提升了党员的政治意识、纪律意识等方面。", "achievements"),
    ("invented_activity", "通过开展党日活动，如讨论交流、主题演讲、知识问答等，丰富了组织生活。", "丰富了组织生活。", "achievements"),
    ("invented_outcome", "通过这些会议，增强了党支部的凝聚力和战斗力。", "通过这些会议，增强了党员的组织观念。", "achievements"),
    ("invented_outcome", "通过走访，提高了基层医疗服务水平。", "目的在于提高基层医疗服务水平。", "achievements"),
    ("invented_outcome", "通过驻村帮扶，推动了乡村振兴战略的实施。", "通过驻村帮扶，推动了党建工作向基层延伸。", "achievements"),
    ("invented_activity", "组织全体党员集中学习。", "组织党员集中学习。", "achievements"),
    ("invented_outcome", "此举使群众满意率显著提升。", "此举增强了党员的服务意识。", "achievements"),
    ("invented_outcome", "力争年底前实现党员先锋岗全覆盖。", "着力推进党员先锋岗创建，发挥党员的示范作用。", "plans"),
    ("invented_outcome", "确保在三月底前完成党员先锋岗创建。", "确保党员先锋岗创建取得实效。", "plans"),
    ("invented_outcome", "党员参学率达到九成以上。", "党员参学的自觉性明显增强。", "achievements"),
    ("invented_outcome", "党员率先垂范，工作效率明显提高。", "党员率先垂范，服务意识明显增强。", "achievements"),
    ("invented_outcome", "这一做法得到了上级党组织的高度认同和支持。", "这一做法增强了党员的纪律意识。", "achievements"),
    ("invented_outcome", "这一经验值得全市各级党组织学习和复制。", "党员率先垂范，服务意识明显增强。", "achievements"),
    ("off_kind", "推进中，将根据实际情况不断优化学习方案。", "推进中，把学习同业务工作结合起来。", "achievements"),
    ("off_kind", "总体而言，学习教育取得了实效。", "学习教育扎实有效。", "achievements"),
    ("invented_activity", "通过召开专题会议，明确了整改的目标和步骤。", "明确了整改的目标和步骤。", "achievements"),
    ("invented_activity", "引入智能导诊系统，缩短了群众等待时间。", "服务群众更加主动。", "achievements"),
    ("invented_outcome", "这一做法为其他单位树立了一个良好的示范。", "这一做法增强了党员的纪律意识。", "achievements"),
    ("invented_outcome", "走访慰问成为了一项重要的党建品牌。", "走访困难党员成为支部的经常性工作。", "achievements"),
    ("wrong_register", "通过自查自纠，纠正了部分违规违纪行为。", "通过自查自纠，党员的纪律意识明显增强。", "achievements"),
    ("wrong_register", "部分教师在实际工作中没有将所学应用到实践中。", "部分党员在实际工作中没有将所学应用到实践中。", "problems"),
    ("wrong_register", "增强了社区居民的归属感。", "增强了党员的责任感。", "achievements"),
    ("wrong_register", "上级部门对基层党组织建设的指导不够。", "支部对党员教育管理的针对性不够强。", "problems"),
    ("invented_title", "通过实施“一乡一村一社”模式，推动集体经济发展。", "严格落实“三会一课”制度，推动集体经济发展。", "achievements"),
    ("invented_title", "坚持“五带头”，以实际行动彰显党员先锋岗的先进性。", "坚持“三会一课”，以实际行动彰显党员先锋岗的先进性。", "plans"),
    ("meta_text", "在总结上半年的工作时，可以指出这些会议起到了积极作用。", "这些会议推动了工作落实。", "achievements"),
    ("wrong_register", "一些党员对组织的认同感减弱，认为组织已经没有吸引力。", "一些党员参加组织生活的主动性不强。", "problems"),
    ("wrong_register", "这体现了政府对民生福祉的关注。", "这体现了党组织对困难党员的关心。", "achievements"),
    ("off_kind", "总的来说，学习主动性不强是当前存在的一个主要问题。", "个别党员学习主动性不强。", "problems"),
    ("invented_outcome", "推进中及时回应群众关切，取得了良好的社会反响。", "推进中及时回应群众关切。", "achievements"),
    ("invented_activity", "通过开展“田埂党课”比赛，提高党员的参与度。", "通过持续开展集中学习，提高党员的参与度。", "plans"),
    ("wrong_register", "要加大政策支持力度，优化营商环境。", "要加大对党员先锋岗的指导力度。", "plans"),
    ("off_kind", "由此，可以总结得出，加强作风建设是当前的重要任务之一。", "由此，作风建设持续加强。", "achievements"),
    ("restated_fact", "组织集中学习《中国共产党纪律处分条例》6次。上半年共集中学习6次。", "组织集中学习《中国共产党纪律处分条例》6次。", "achievements"),
])
def test_each_claim_check_finds_its_defect_and_passes_the_clean_text(check, planted, clean, kind) -> None:
    assert check in ids(planted, kind)
    assert ids(clean, kind) == []


def test_a_rate_or_a_reaction_the_facts_give_is_no_invented_outcome() -> None:
    sheet = fact_sheet_from_dict({**SHEET.to_dict(), "highlights": [
        {"topic": "为民服务", "facts": ["窗口服务满意率达到98%", "支部做法获上级表扬"]}]})
    facts = sheet.highlights[0].facts
    assert [f.check for f in check_claims("窗口服务满意率持续提高，支部做法受到上级表扬。", "achievements", facts, sheet)] == []
    assert "invented_outcome" in [f.check for f in check_claims("群众知晓率明显提高。", "achievements", facts, sheet)]


def test_wording_about_the_writing_that_the_facts_use_is_the_users_own() -> None:
    sheet = fact_sheet_from_dict({**SHEET.to_dict(), "highlights": [{"topic": "队伍建设", "facts": ["发展35岁以下党员"]}]})
    facts = sheet.highlights[0].facts
    assert ids("发展35岁以下党员。", facts=facts) != []  # another sheet's facts do not license it
    assert [f.check for f in check_claims("发展35岁以下党员。", "achievements", facts, sheet)] == []


@pytest.mark.parametrize(("unit", "allowed", "not_allowed"), [
    ("青山县人民医院内科党总支", "全科", "全院"),
    ("江北区教育局党委", "全局", "全校"),
    ("青山县第二中学党总支", "全校", "全院"),
    ("市委办公室党总支", "全办", "全院"),
    ("青山县柳溪镇桃源村党支部", "全村", "全镇"),
])
def test_a_unit_speaks_for_its_own_body_only(unit, allowed, not_allowed) -> None:
    sheet = fact_sheet_from_dict({**SHEET.to_dict(), "organization": unit})
    def found(text: str) -> list[str]:
        return [f.check for f in check_claims(text, "achievements", FACTS, sheet)]
    assert found(f"{allowed}党员干部的纪律意识明显增强。") == []
    assert found(f"{not_allowed}党员干部的纪律意识明显增强。") == ["wrong_register"]


def test_a_list_of_ways_the_facts_give_is_the_users_own() -> None:
    sheet = fact_sheet_from_dict({**SHEET.to_dict(), "highlights": [{"topic": "为民服务", "facts": ["开展义诊、健康讲座等服务8次"]}]})
    facts = sheet.highlights[0].facts
    assert [f.check for f in check_claims("通过组织义诊、健康讲座等服务，方便了群众。", "achievements", facts, sheet)] == []


def test_what_a_fact_implies_is_licensed() -> None:
    assert ids("支部按期完成换届选举。", facts=["开展支部换届"]) == []  # 换届 → 选举
    assert ids("走访慰问困难党员。", facts=["走访困难党员5户"]) == []  # 走访 → 慰问
    assert "invented_activity" in ids("组织知识竞赛。")
    meetings = fact_sheet_from_dict({"organization": "某党支部", "period": "2024年上半年",
                                     "highlights": [{"topic": "组织生活", "facts": ["召开支委会6次"]}]})
    assert check_claims("召开支部委员会会议研究工作。", "achievements", [], meetings) == []  # 支委会 → 支部委员会
    assert "invented_activity" in ids("召开支部委员会会议研究工作。")
    assert [f.span for f in check_claims("定期召开支委会。", "achievements", [], meetings)] == ["定期"], \
        "a frequency is a claim too"


def test_a_problem_worded_like_a_remedy_in_the_facts_is_the_users_own() -> None:
    sheet = fact_sheet_from_dict({"organization": "某党支部", "period": "2024年上半年", "problems": ["制度执行需进一步加强"],
                                  "highlights": [{"topic": "组织生活", "facts": ["召开支委会6次"]}]})
    assert check_claims("制度执行需进一步加强。", "problems", ["制度执行需进一步加强"], sheet) == []
    assert ids("制度执行需进一步加强。", kind="problems") != []


def test_a_plan_may_name_a_document_to_be_issued() -> None:
    assert ids("制定《党员先锋岗管理办法》。", kind="plans", facts=["推进党员先锋岗创建"]) == []


def test_prompt_wording_is_read_from_the_templates() -> None:
    phrases = prompt_phrases()
    assert "每次给出一个要点" in phrases and "这一稿有以下问题" in phrases
    assert "现将有关情况总结如下" not in phrases, "the opening's own wording is the draft's, not a prompt's"


def test_unfounded_sentences_are_dropped_and_the_rest_kept() -> None:
    text = "组织集中学习6次。邀请中央党校专家进行专题讲座。党员纪律意识明显增强。"
    assert drop_failing(text, "achievements", SHEET) == "组织集中学习6次。党员纪律意识明显增强。"


def test_the_drafter_drops_an_invented_activity_without_a_rewrite(library, scripted) -> None:
    invented = "组织集中学习《中国共产党纪律处分条例》6次。邀请中央党校专家进行专题讲座。党员干部纪律规矩意识明显增强，工作作风持续改进。"
    scripted.enqueue(lambda request: invented)
    draft = build_outline(SHEET)
    version = draft_section(library.context(scripted, DraftProgress()), draft, draft.section("work-1"))
    assert "专家" not in version.text and "纪律规矩意识明显增强" in version.text
    assert not scripted.requests("repair") and version.passed


def test_a_fact_restated_in_chinese_numerals_is_found_and_stock_phrases_are_no_repeat() -> None:
    facts = ["组织党员观看警示教育片1次"]
    assert "restated_fact" in ids("组织党员观看警示教育片1次。上半年以来，共观看警示教育片一次。", facts=facts)
    stock = "深入学习习近平新时代中国特色社会主义思想。用习近平新时代中国特色社会主义思想武装头脑。"
    assert "repeated_text" not in ids(stock, facts=facts)


def test_naming_a_problems_subject_twice_is_no_repeat_but_saying_more_of_it_twice_is() -> None:
    facts = ["部分基层党支部组织生活形式单一"]
    subject = "部分基层党支部组织生活形式单一。部分基层党支部的组织生活缺乏吸引力。部分基层党支部的组织生活流于形式。"
    assert "repeated_text" not in ids(subject, kind="problems", facts=facts)
    again = "部分基层党支部组织生活形式单一。组织生活内容较为陈旧，缺乏新意。组织生活内容较为陈旧，吸引力不强。"
    assert "repeated_text" in ids(again, kind="problems", facts=facts)


def test_a_sentence_still_being_written_repeats_once_it_shares_a_settled_run() -> None:
    before = "组织生活内容较为陈旧，缺乏新意。用习近平新时代中国特色社会主义思想武装头脑。"
    found = repeats_so_far("组织生活内容较为陈旧，吸引", before, [])
    assert found is not None and found.check == "repeated_text" and found.span == "组织生活内容"
    assert repeats_so_far("组织生活内容", before, []) is None, "too short to share a run yet"
    # 深入学习习近平新时代中国特色社会 may go on to the stock phrase, which saying twice is no repeat
    assert repeats_so_far("深入学习习近平新时代中国特色社会", before, []) is None
    assert repeats_so_far("深入学习习近平新时代中国特色社会主义思想", before, []) is None


def test_two_sentences_of_an_item_do_not_start_alike() -> None:
    before = "一是巩固拓展学习教育成果。要通过实际工作检验学习效果。同时也推动了工作。"
    found = same_start("要通过总结经验", before)
    assert found is not None and found.span == "要通过", "judged as soon as its start is written"
    assert same_start("同时，也提高了党员的素质。", before).span == "同时，也", "the span as written, to ban"
    assert same_start("要坚持总结经验。", before) is None and same_start("要", before) is None


def test_a_branch_has_no_branches_under_it() -> None:
    assert "wrong_register" in ids("明确了各党支部的工作目标和任务。")
    assert ids("明确了支部委员的分工和任务。") == []


def test_a_sentence_giving_a_figure_again_is_dropped_from_its_item() -> None:
    given = ["组织集中学习6次", "组织党员观看警示教育片1次"]
    item = "组织集中学习6次。学习覆盖全体党员。其间观看警示教育片一次。6次学习各有侧重。党员纪律意识增强。"
    assert drop_restatements(item, given[0], given) == "组织集中学习6次。学习覆盖全体党员。党员纪律意识增强。"
    late = "强化理论武装。全年组织集中学习6次。"
    assert drop_restatements(late, given[0], given) == late, "the sentence that first gives the item's own figure stays"


def test_a_register_word_the_facts_use_is_the_units_own() -> None:
    company = fact_sheet_from_dict({"organization": "青山县供电公司党委", "period": "2024年上半年",
                                    "highlights": [{"topic": "党建联建", "facts": ["围绕公司的发展开展党建联建3次"]}]})
    assert check_claims("党建工作紧扣公司的发展。", "achievements", [], company) == []
    assert "wrong_register" in ids("党建工作紧扣公司的发展。")
    assert ids("部分党员工作任务较重，学习时间不足。", "problems") == [], "党员工作 is no 员工"


@pytest.mark.parametrize(("unit", "fact", "text"), [
    ("江北区教育局党委", "发展新党员9名，其中青年教师7名", "党员教师的示范作用更加明显。"),
    ("青山县人民医院内科党总支", "下乡义诊15次", "为患者提供更加优质的医疗服务。"),
    ("幸福社区党委", "开展楼栋议事12次", "小区环境明显改善。"),
])
def test_a_field_of_work_the_facts_mark_is_the_units_own(unit: str, fact: str, text: str) -> None:
    sheet = fact_sheet_from_dict({"organization": unit, "period": "2024年", "highlights": [{"topic": "工作", "facts": [fact]}]})
    assert "wrong_register" not in [f.check for f in check_claims(text, "achievements", [fact], sheet)]
    assert "wrong_register" in ids(text), "a 自然资源局 branch has no teachers, patients or 小区"


def test_a_deadline_the_facts_set_is_theirs_to_write() -> None:
    sheet = fact_sheet_from_dict({"organization": "青山县自然资源局机关党支部", "period": "2024年上半年",
                                  "highlights": [{"topic": "联系群众", "facts": ["走访困难党员5户"]}],
                                  "plans": ["年底前完成党员先锋岗创建"]})

    def found(text: str) -> bool:
        return "invented_outcome" in [f.check for f in check_claims(text, "plans", [], sheet)]

    assert not found("确保年底前完成党员先锋岗创建，发挥党员的示范作用。")
    assert found("确保年内完成党员先锋岗创建。")


def test_a_department_writes_of_its_department_not_of_its_institution() -> None:
    def found(organization: str, text: str) -> bool:
        sheet = fact_sheet_from_dict({"organization": organization, "period": "2025年",
                                      "highlights": [{"topic": "组织生活", "facts": ["开展主题党日活动12次"]}]})
        return "wrong_register" in [f.check for f in check_claims(text, "achievements", [], sheet)]

    text = "此举旨在凝聚党员力量，为推进医院各项工作提供有力支持。"
    assert found("青山县人民医院内科党总支", text)
    assert not found("青山县人民医院党委", text)
    assert not found("青山县人民医院内科党总支", "此举旨在凝聚党员力量，为推进科室各项工作提供有力支持。")
    assert found("青山县人民医院内科党总支", "这在一定程度上影响了医院的凝聚力。")
    assert not found("青山县人民医院内科党总支", "内科党总支在县人民医院党委的坚强领导下，各项党建任务有序推进。")


def test_a_problem_of_some_few_is_not_widened_to_many_within_its_item() -> None:
    from assistant.checks.claims import sentence_findings

    def sheet(problems: list[str]):  # noqa: ANN202
        return fact_sheet_from_dict({"organization": "青山县自然资源局机关党支部", "period": "2024年上半年",
                                     "highlights": [{"topic": "联系群众", "facts": ["走访困难党员5户"]}], "problems": problems})

    def widened(text: str, problems: list[str]) -> bool:
        return any("个别" in f.message for f in sentence_findings(text, "problems", sheet(problems)))

    assert widened("具体表现为部分党员对学习内容缺乏积极性。", ["个别党员学习主动性不强"])
    assert widened("具体表现为一些同志对学习内容缺乏积极性。", ["个别党员学习主动性不强"])
    assert not widened("具体表现为个别党员对学习内容缺乏积极性。", ["个别党员学习主动性不强"])
    assert widened("部分党支部对记录要求重视不够。", ["个别支部“三会一课”记录不够规范"])
    assert widened("有些党支部的活动内容相对固定。", ["个别支部组织生活形式比较单一"])
    assert not widened("部分党员参与度不高。", ["党建与业务融合的载体还不够丰富"])
    section = check_claims("一是个别党员学习主动性不强。二是党建与业务融合的载体还不够丰富。部分党员参与度不高。", "problems", [],
                           sheet(["个别党员学习主动性不强", "党建与业务融合的载体还不够丰富"]))
    assert not section, "the second problem is not the first one's to widen"
