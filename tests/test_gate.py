"""Sharing the model: a request that must wait is told how many are ahead, and the page hears of it."""

from __future__ import annotations

import threading

import pytest

from assistant.domain.facts import load_fact_sheet
from assistant.drafting.outline import build_outline
from assistant.drafting.progress import DraftProgress
from assistant.drafting.sections import draft_all, draft_section
from assistant.models.gate import Gate
from tests.fake_model import ScriptedModel


def hold(gate: Gate, release: threading.Event) -> threading.Thread:
    """Another user's request: it holds every place of the gate until `release` is set (10 s at most)."""
    started = threading.Event()

    def run() -> None:
        with gate.turn():
            started.set()
            release.wait(10)

    thread = threading.Thread(target=run)
    thread.start()
    started.wait()
    return thread


def test_a_request_that_waits_is_told_how_many_are_ahead() -> None:
    gate, told, release = Gate(1), [], threading.Event()
    other = hold(gate, release)
    with gate.turn(lambda ahead: (told.append(ahead), release.set())):
        pass
    other.join()
    assert told == [1]
    with gate.turn(told.append):  # a free place: nobody is told anything
        pass
    assert told == [1]


class Busy(DraftProgress):
    def __init__(self, release: threading.Event) -> None:
        self.busy: list[tuple[str, int]] = []
        self.release = release

    def model_busy(self, section, ahead) -> None:
        self.busy.append((section.key, ahead))
        self.release.set()  # the other user's request ends once we are seen waiting


def test_drafting_hears_when_another_user_holds_the_model(library) -> None:
    model = ScriptedModel()
    draft = build_outline(load_fact_sheet("examples/qingshan-2024h1.yaml"))
    release = threading.Event()
    progress = Busy(release)
    other = hold(model.gate, release)
    draft_section(library.context(model, progress), draft, draft.section("work-1"))
    other.join()
    assert progress.busy[0] == ("work-1", 1)


@pytest.mark.usefixtures("model_purposes")
def test_a_drafts_own_requests_wait_for_each_other_unannounced(library) -> None:
    model = ScriptedModel(constrains=True, concurrency=2)
    progress = Busy(threading.Event())
    draft_all(library.context(model, progress), build_outline(load_fact_sheet("examples/qingshan-2024h1.yaml")))
    # a first draft asks for one purpose sentence per work item (6 here, none official), several at once
    assert len(model.history) > 5 and progress.busy == [], "sections and items in parallel never say another user is ahead"
