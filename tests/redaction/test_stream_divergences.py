"""Issue 17 follow-up: classes of texts where streaming one (or three) characters per event gave something other
than whole-body redaction. Each class is pinned by texts the token-soup probe found, streamed at every event size
that exposed it: the stream must release exactly what ``redact_text`` gives (no leak, no extra redaction)."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import names
from sidecar.redaction.detectors.wordgate import WordGate
from sidecar.redaction.engine import RedactionEngine


def streamed(engine: RedactionEngine, text: str, step: int, profile: str = "safe_harbor") -> str:
    s = engine.text_stream(engine.redactor(profile))
    return "".join(s.push(text[j : j + step]) for j in range(0, len(text), step)) + s.finish()


def assert_stream_equals_whole(engine: RedactionEngine, text: str) -> None:
    whole = engine.redact_text(text, "safe_harbor").text
    assert whole != text, "the text holds something to redact"
    for step in (1, 2, 3):
        assert streamed(engine, text, step) == whole, (step, text)


# Class 1: the name detector's word gate read "John3" as one word ("john3", no name), its tokenizer as the name
# "John": the gate stayed shut on a prefix and opened when a later word hit it, naming the earlier word then.
GATE_DIGIT_TEXTS = [
    "  ninety.  dot John3/4lives in  aged John-45-MRN ",
    "John123@ http://xSmithninety\uff15lives in 4821 Wisteria Springfield, IL Lane0199",
    "3/4Springfield, IL http://x0199 4821 Wisteria aged Springfield, IL ",
    "jane617-555-(555) www. MRN @ March Smith/2022-45-Springfield, IL The http://xexample.org",
]


@pytest.mark.parametrize("text", GATE_DIGIT_TEXTS)
def test_name_gate_splits_words_at_digits_as_the_tokenizer_does(engine: RedactionEngine, text: str) -> None:
    assert_stream_equals_whole(engine, text)


def test_name_gate_opens_on_a_name_glued_to_digits() -> None:
    det = names.NameDetector()
    for text in ("dot John3/4lives", "ref 4Springfield x", "John\uff153"):
        assert det._gate.hit(text), text
    assert not det._gate.hit("the 3 patients rested")
    # control: a gate that keeps digits inside words misses the name the scan finds
    digit_words = WordGate(det._base_triggers)
    assert not digit_words.hit("dot John3/4lives") and not digit_words.hit("ref 4Springfield x")
