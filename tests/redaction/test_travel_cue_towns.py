"""A town after the cues that say where a person grew up, stays or travels from (``grew up near Bangor``,
``drives in from Sheboygan``, ``takes the bus from Kalispell``), in any case, read as the residence cues are
(``lives in X``): the word is unknown, or capitalised in a line with case. Found in the model-answers corpus,
where these towns were missed while ``lives in X`` was caught."""

from __future__ import annotations

import re

import pytest

from sidecar.redaction.detectors import locations
from sidecar.redaction.engine import RedactionEngine


def redact(engine: RedactionEngine, text: str) -> str:
    return engine.redact_text(text, "safe_harbor").text


@pytest.mark.parametrize("text, town", [
    ("He grew up near Bangor and still visits.", "Bangor"),
    ("HE GREW UP NEAR TAMPERE AND STILL VISITS.", "TAMPERE"),
    ("grew up near aberystwyth, still visits", "aberystwyth"),
    ("He drives in from Sheboygan for dialysis.", "Sheboygan"),
    ("daughter flew in from Saskatoon last night", "Saskatoon"),
    ("her husband takes the bus from Kalispell every Tuesday.", "Kalispell"),
    ("wife commutes from Natchez daily", "Natchez"),
    ("she was raised in Wenatchee", "Wenatchee"),
    ("son is staying in Ypsilanti this week", "Ypsilanti"),
])
def test_a_town_after_a_travel_or_upbringing_cue_is_a_location(engine: RedactionEngine, text: str,
                                                                town: str) -> None:
    out = redact(engine, text)
    assert town not in out and "[LOCATION]" in out, out


@pytest.mark.parametrize("text", [
    "came in from the cold",
    "drives in from work at night",
    "staying in bed today",
    "staying in the ICU overnight",
    "Staying in Room 4 until transfer",
    "raised in the Midwest",
    "took the bus from the ED to radiology",
])
def test_generic_words_after_the_cues_stay(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


def test_control_without_the_new_cues_the_towns_are_missed(engine: RedactionEngine,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle can fail: with the cue pattern cut back to the residence words, the travel cues miss."""
    old = locations._HOME_CUE.pattern
    cut = re.sub(r"\|grew\[.*?\(\?:in\|down\|up\|over\)\)", ")", old, count=1)
    assert cut != old
    monkeypatch.setattr(locations, "_HOME_CUE", re.compile(cut))
    assert "Sheboygan" in redact(engine, "He drives in from Sheboygan twice a week.")
