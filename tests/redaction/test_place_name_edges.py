"""Where a facility's or employer's name starts: after the verb that brings the place, after the article.

Streaming the shipped corpora one character per event found the whole text redacting more than the stream:
the facility rules read a name back from its facility word over a verb (``sw called oakhurst care center`` was one
place, ``called`` included) and the employer rule took the article (``at the Chicopee mill``). The stream's open
point had released the verb and the article; now the rules agree with it, and the two outputs are identical.
"""

from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_stream_divergences import streamed

# (text, what stays readable, what must be gone)
CASES = [
    ("sw called oakhurst care center at 4pm", "sw called ", "oakhurst"),
    ("SW CALLED OAKHURST CARE CENTER TODAY", "SW CALLED ", "OAKHURST"),
    ("grandson pearl attends brighton high school.", " attends ", "brighton"),
    ("dtr visited fox run nursing home yesterday", "dtr visited ", "fox run"),
    ("pt worked as a machinist at the Chicopee mill.", "at the ", "Chicopee"),
    ("she faxed marisfield rehab center the orders", "she faxed ", "marisfield"),
]


@pytest.mark.parametrize(("text", "kept", "gone"), CASES)
def test_the_place_starts_after_its_verb_or_article(engine: RedactionEngine, text: str, kept: str, gone: str) -> None:
    whole = engine.redact_text(text, "safe_harbor").text
    assert kept in whole and gone not in whole, whole


@pytest.mark.parametrize(("text", "kept", "gone"), CASES)
def test_stream_equals_whole_text(engine: RedactionEngine, text: str, kept: str, gone: str) -> None:
    whole = engine.redact_text(text, "safe_harbor").text
    for step in (1, 3):
        assert streamed(engine, text, step) == whole, (step, text)


def test_a_name_word_that_is_no_verb_stays_in_the_name(engine: RedactionEngine) -> None:
    whole = engine.redact_text("dtr going to cedar hollow rehab center next week", "safe_harbor").text
    assert "hollow" not in whole and "cedar" not in whole, whole
    # a saint's name may hold any word, a verb too
    assert "elsewhere" not in engine.redact_text("sw called st elsewhere hospital", "safe_harbor").text


def test_control_the_old_stop_words_keep_the_verb(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar.redaction.detectors import locations

    monkeypatch.setattr(locations, "_BEFORE_A_PLACE", frozenset({"to", "from", "at", "vs"}))
    fresh = RedactionEngine(engine.settings, b"test-key-0123456789abcdef0123456")
    assert "called" not in fresh.redact_text("sw called oakhurst care center at 5pm", "safe_harbor").text
