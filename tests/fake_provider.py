"""A scripted model for UI tests, loaded by the app when `ASSISTANT_TEST_CHAT=tests.fake_provider:make`.

`make()` returns one `ScriptedChat` per process (so an in-process AppTest can `enqueue()` replies
and read `history`). Without queued replies it writes a plausible section from the request's
own points: every number it writes comes from the fact sheet, so the guardrails can pass.
"""

from __future__ import annotations

import re

from tests.fakes import ScriptedChat

REVISION_MARK = "切实把党建成效转化为推动发展的强大动力。"
FILLER = (
    "支部坚持把学习贯彻党的创新理论作为首要政治任务，推动理论学习走深走实。",
    "坚持问题导向，注重把学习成果转化为推动工作的实际成效。",
    "严格落实“三会一课”等组织生活制度，党员教育管理更加规范。",
    "引导党员干部在急难险重任务中当先锋、作表率。",
    "持续改进工作作风，切实为群众办实事解难题。",
    "健全完善工作机制，压紧压实各级责任。",
    "注重发挥党员先锋模范作用，凝聚干事创业合力。",
    "加强督促检查，确保各项部署落到实处。",
)
_chat: ScriptedChat | None = None


def _points(messages: list[dict[str, str]]) -> tuple[list[str], int]:
    """The `- ` points and the 字数 of the latest request that has them."""
    for message in reversed(messages):
        if message["role"] == "user" and "要点：" in message["content"]:
            text = message["content"]
            budget = re.search(r"约(\d+)字", text)
            one = re.search(r"^要点：(.+)$", text, re.MULTILINE)
            points = [one.group(1)] if one else [ln[2:].strip() for ln in text.splitlines() if ln.startswith("- ")]
            return points, int(budget.group(1)) if budget else 300
    return [], 300


def reply(messages: list[dict[str, str]]) -> str:
    last = messages[-1]["content"]
    if "修改要求：" in last:
        current = last.split("当前稿：", 1)[-1].split("修改要求：", 1)[0].strip()
        return f"{current}\n{REVISION_MARK}"
    points, budget = _points(messages)
    if "请紧接上文继续写" in last:
        return "".join(FILLER[:3])
    ordinals = "一二三四五六七八九十"
    body = "".join(f"{ordinals[i] if i < 10 else ''}是{p.rstrip('。；')}。" for i, p in enumerate(points))
    start = len(points) % len(FILLER)
    filler = ""
    for n in range(len(FILLER)):
        if len(body) + len(filler) >= budget * 0.8:
            break
        filler += FILLER[(start + n) % len(FILLER)]
    text = filler[: len(filler) // 2] + body + filler[len(filler) // 2 :]
    if "开头段" in last:
        text += "现将有关情况总结如下："
    return text


def make(model_settings: object = None) -> ScriptedChat:
    """The process's scripted model (shared by every session, as tests want)."""
    global _chat
    if _chat is None:
        _chat = ScriptedChat()
        _chat.default = reply
    return _chat


def reset() -> ScriptedChat:
    global _chat
    _chat = None
    return make()
