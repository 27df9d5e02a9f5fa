"""Issue 17: a finding must hold its own prefilter trigger. A dotted month.day after a cue other than an event
word (``POD#1 (10.14)``, ``HD 3 (3.9)``, ``(Dr. Sousa) 6.18``, a date alone on its line, a time right after it) held
none: the date rules ran only when a trigger elsewhere woke them (``on 9/14`` later in the note), so the whole
note redacted the date while a stream, which had not read the far trigger yet, released it (found streaming
bench.blind8_corpus, seed 7, at 1, 3 and random 1-9 characters per event)."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import dates
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings
from tests.redaction.conftest import KEY
from tests.redaction.test_stream_divergences import streamed

PROFILE = "safe_harbor"
FAR = " s/p CABG x2, arrived from OR @ 1515 on 9/14 intubated"  # the far trigger: a month/day
CUED = [
    "pt is POD#1 (10.14)",
    "hd 12 (3.9) stable",
    "seen by GI (Dr. Sousa) 6.18 for scope.",
    "nursing note\n6.14\nneuro: intact.",
    "note 6.14 @ 1500 seen.",
]
# decimals in prose: no date, with or without the far trigger
NEAR = ["K 3.4 and Mg 2.1 this am.", "temp 37.5 at 1400 stable.", "POD#1 (2.5 L nc)", "hd 2 (1.5 L removed)"]


@pytest.mark.parametrize("text", CUED)
def test_a_cued_dotted_date_is_redacted_without_a_far_trigger(engine: RedactionEngine, text: str) -> None:
    assert "DATE" in engine.redact_text(text, PROFILE).counts
    whole = engine.redact_text(text + FAR, PROFILE).text
    for step in (1, 3):
        assert streamed(engine, text + FAR, step) == whole, step


@pytest.mark.parametrize("text", NEAR)
def test_decimals_stay_with_or_without_a_far_trigger(engine: RedactionEngine, text: str) -> None:
    assert engine.redact_text(text, PROFILE).text == text
    whole = engine.redact_text(text + FAR, PROFILE).text
    assert whole.startswith(text)
    assert streamed(engine, text + FAR, 1) == whole


def test_control_without_the_cue_triggers_the_stream_releases_the_date(monkeypatch: pytest.MonkeyPatch) -> None:
    cue_triggers = (rb"pod|hd", rb"bm|meeting", rb"\(drs", rb"\n\d", rb"\(\d{1,2}[-.]")  # last: blind 11 "(10.14)"
    old = tuple(t for t in dates.TRIGGERS if not any(k in t for k in cue_triggers))
    assert len(old) < len(dates.TRIGGERS)
    monkeypatch.setattr(dates.DateDetector, "triggers", old)
    engine = RedactionEngine(RedactionSettings(unknown_content_type="withhold"), KEY)
    text = CUED[0] + FAR
    assert "10.14" not in engine.redact_text(text, PROFILE).text  # the whole note: the far trigger wakes the rule
    assert "10.14" in streamed(engine, text, 1)  # the stream released it before the trigger arrived
