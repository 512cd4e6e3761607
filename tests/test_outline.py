from assistant.domain.facts import fact_sheet_from_dict, load_fact_sheet
from assistant.drafting.outline import build_outline, cn_number, subsection_heading


def sheet(period: str, **extra):
    data = {"organization": "青山县委办公室党总支", "period": period,
            "highlights": [{"topic": "理论学习", "facts": ["中心组学习12次"]}, {"topic": "党风廉政建设", "facts": ["开展警示教育2次"]}]}
    return fact_sheet_from_dict({**data, **extra})


def test_half_year_outline():
    draft = build_outline(load_fact_sheet("examples/qingshan-2024h1.yaml"))
    assert draft.title == "青山县自然资源局机关党支部2024年上半年党建工作总结"
    assert [s.key for s in draft.sections] == ["opening", "work-1", "work-2", "work-3", "problems", "plans"]
    assert [s.heading for s in draft.sections[1:4]] == ["（一）扎实开展党纪学习教育", "（二）严格规范组织生活", "（三）深入推进党建与业务融合"]
    chapters = [c for c, _ in draft.chapters()]
    assert chapters == ["", "一、上半年党建工作开展情况及成效", "二、存在的问题和不足", "三、下半年工作打算"]
    assert draft.sections[1].facts[0] == "组织集中学习《中国共产党纪律处分条例》6次"


def test_annual_outline_plans_for_next_year():
    draft = build_outline(sheet("2023年度", problems=["由于人手少，活动不够经常"]))
    chapters = [c for c, _ in draft.chapters()]
    assert chapters[1] == "一、2023年党建工作开展情况及成效"
    assert chapters[2] == "二、存在的问题及原因"
    assert chapters[3] == "三、2024年工作打算"


def test_budgets_follow_length():
    short, long = build_outline(sheet("2024年", length=1500)), build_outline(sheet("2024年", length=6000))
    assert sum(s.budget for s in long.sections) > 3 * sum(s.budget for s in short.sections) * 0.9
    assert abs(sum(s.budget for s in long.sections) - 6000) < 300


def test_heading_words():
    assert subsection_heading("加强意识形态工作") == "加强意识形态工作"
    assert subsection_heading("党费收缴") == "扎实推进党费收缴工作"
    assert subsection_heading("发展党员") == "规范做好发展党员工作"
    assert subsection_heading("关心关爱") == "用心做好关心关爱工作"
    assert subsection_heading("深入贯彻中央八项规定精神学习教育") == "扎实开展深入贯彻中央八项规定精神学习教育"
    assert subsection_heading("师德师风") == "持续加强师德师风建设"
    assert subsection_heading("党风廉政") == "从严抓好党风廉政建设"
    assert [cn_number(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
