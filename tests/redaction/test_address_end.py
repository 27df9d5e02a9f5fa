"""An address that already ends in its ZIP ends there: the words after it are the sentence, never a second
"city, state" (``..., CO 93420 was seen member ID`` read ``ID`` as Idaho and took the words before it, so a stream
that released ``was seen member`` before ``ID`` arrived differed from the whole text: found by Hypothesis)."""

from __future__ import annotations

from sidecar.redaction.engine import RedactionEngine

TEXT = "was seen on 1429 Maple Court, Denver, CO 93420 was seen member ID The patient"


def _streamed(engine: RedactionEngine, text: str, cut: int) -> str:
    s = engine.text_stream(engine.redactor("safe_harbor"))
    return s.push(text[:cut]) + s.push(text[cut:]) + s.finish()


def test_an_address_ending_in_its_zip_takes_no_second_state(engine: RedactionEngine) -> None:
    out = engine.redact_text(TEXT, "safe_harbor").text
    assert out == "was seen on [ADDRESS] was seen member ID The patient"


def test_the_stream_equals_the_whole_text_at_every_cut(engine: RedactionEngine) -> None:
    whole = engine.redact_text(TEXT, "safe_harbor").text
    assert all(_streamed(engine, TEXT, k) == whole for k in range(1, len(TEXT)))


def test_control_city_state_zip_after_a_street_still_belong_to_it(engine: RedactionEngine) -> None:
    for text in ("Lives at 1429 Maple Court, Denver, CO 93420.", "Lives at 12 Elm St\nSpringfield, IL 62704 now."):
        out = engine.redact_text(text, "safe_harbor").text
        assert "Denver" not in out and "93420" not in out and "Springfield" not in out and "62704" not in out, out
