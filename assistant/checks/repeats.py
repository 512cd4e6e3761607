"""What a text says twice: a sentence or a run of REPEAT_RUN characters said again (stock phrases and
the facts' own wording aside), judged on whole sentences and on one still being written, and two
sentences of an item that start alike."""

from __future__ import annotations

from difflib import SequenceMatcher

from assistant.checks.formulations import load_formulations
from assistant.domain.draft import Finding
from assistant.text import content_chars, content_index, sentences

REPEAT_RUN = 10  # characters shared by two sentences of one text that count as saying it twice
REPEAT_SPAN = 6  # characters of a repeated wording kept out of the sentence written instead
SAME_START = 3  # characters two sentences of one item may not both start with
MIN_HELD = 6  # characters: a shorter earlier sentence held whole in a later one is no repeat


def _grams(sentence: str, facts: list[str], settled: bool = False) -> set[str]:
    """The sentence's runs of REPEAT_RUN content characters (的 aside), but for stock phrases and any
    run inside a fact's own wording: a problem's subject (基层党支部的组织生活) may be named twice.
    `settled`: the sentence is unfinished, and its end, which may be the start of a stock phrase, is left out."""
    core = content_chars(sentence).replace("的", "")
    phrases = sorted({c for p in _stock_phrases() if (c := content_chars(p))}, key=len, reverse=True)
    for phrase in phrases:
        core = core.replace(phrase, "\x00")
    if settled:
        core = core[: len(core) - _open_phrase(core, phrases)]
    given = {g for fact in facts for g in _runs(content_chars(fact).replace("的", ""))}
    return {g for g in _runs(core) if "\x00" not in g and g not in given}


def _open_phrase(core: str, phrases: list[str]) -> int:
    """How many characters at the end of `core` may be the start of one of `phrases`."""
    return next((n for n in range(min(len(core), len(phrases[0]) if phrases else 0), 0, -1)
                 if any(p.startswith(core[-n:]) for p in phrases)), 0)


def _stock_phrases() -> tuple[str, ...]:
    """Wording every summary shares (formulations.yaml): saying it twice is no repeat."""
    data = load_formulations()
    return (*data.stock_phrases, *data.fixed_phrases)


def _runs(text: str) -> set[str]:
    return {text[i : i + REPEAT_RUN] for i in range(len(text) - REPEAT_RUN + 1)}


def same_start(sentence: str, before: str) -> Finding | None:
    """`sentence` (or its start) begins with the same SAME_START characters as a sentence of `before`
    did: 要通过…。要通过…。 reads as a list, not prose."""
    content, where = content_index(sentence)
    start = content[:SAME_START]
    if len(start) == SAME_START and any(content_chars(s).startswith(start) for s in sentences(before)):
        literal = sentence[where[0] : where[SAME_START - 1] + 1]  # as written: 同时，也
        return Finding("same_start", f"“{sentence.strip()}”与前面一句一样以“{literal}”开头，请换一种说法", span=literal)
    return None


def repeats(sentence: str, before: str, facts: list[str]) -> Finding | None:
    """`sentence` said again after `before`: an error when it is the same sentence, a warning when it shares a run."""
    earlier = [s for line in before.split("\n") for s in sentences(line)]
    said = content_chars(sentence)
    # the same sentence, or one that holds it whole after a connective (同时，组织生活更加规范)
    same = next((s for s in earlier if (c := content_chars(s)) == said or (len(c) >= MIN_HELD and c in said)), None)
    if same:
        return Finding("repeated_text", f"“{sentence.strip()}”与前文重复，请删去", span=_shared(sentence, same))
    return _clash(sentence, _grams(sentence, facts), earlier, facts)


def repeats_so_far(start: str, before: str, facts: list[str]) -> Finding | None:
    """The start of a sentence still being written that already shares a run with an earlier one of
    `before`: however it goes on, `repeats` will find it. A run a stock phrase still being written
    could yet cover is left out."""
    earlier = [s for line in before.split("\n") for s in sentences(line)]
    return _clash(start + "……", _grams(start, facts, settled=True), earlier, facts)


def _clash(sentence: str, mine: set[str], earlier: list[str], facts: list[str]) -> Finding | None:
    clash = next((s for s in earlier if mine & _grams(s, facts)), None)
    if clash:
        return Finding("repeated_text", f"“{sentence.strip()}”与前文“{clash.strip()}”有相同的说法，请换一种说法", "warning",
                       span=_shared(sentence, clash))
    return None


def _shared(sentence: str, earlier: str) -> str:
    """The start (REPEAT_SPAN characters) of the longest wording both sentences hold, stock phrases
    aside: what to keep out of the sentence written instead."""
    mine, theirs = _masked(sentence, "\x00"), _masked(earlier, "\x01")
    match = SequenceMatcher(None, mine, theirs, autojunk=False).find_longest_match()
    return sentence[match.a : match.a + match.size].lstrip("，。；、")[:REPEAT_SPAN]


def _masked(text: str, mark: str) -> str:
    """`text` with every stock phrase (the same length) made of `mark`."""
    for phrase in _stock_phrases():
        if phrase:
            text = text.replace(phrase, mark * len(phrase))
    return text


def repeated_sentences(text: str, facts: list[str]) -> list[Finding]:
    """Every sentence that says again what an earlier one of the text said."""
    found: list[Finding] = []
    done = ""
    for line in text.split("\n"):
        for s in sentences(line):
            if finding := repeats(s, done, facts):
                found.append(finding)
            done += s
        done += "\n"
    return found
