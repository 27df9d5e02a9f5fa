"""A vehicle's licence plate (HIPAA's vehicle identifiers) after its cue or label (``patterns._PLATE``): found
whole, streamed equal to whole; a fracture plate's hardware (``plate 3.5 mm``, ``plate and 6 screws``) and
platelets stay; a control shows the cases leak without the rule."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import patterns
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_stream_divergences import assert_stream_equals_whole, streamed

CASES = [
    ("Plate: 7ABC123", "7ABC123"),
    ("license plate 8XYZ 412 was found at the scene", "8XYZ 412"),
    ("Plate #: KA-01-AB-1234", "KA-01-AB-1234"),
    ("LICENSE PLATE: MA 4KX 902", "4KX 902"),
    ("his car (plate 5KJW22) was towed", "5KJW22"),
    ("registration plate number is ABC 1234", "ABC 1234"),
]
HARDWARE = [
    "s/p ORIF with plate 3.5 mm",
    "plate 7 holes, 8 screws",
    "plate and 6 screws",
    "PLATE AND 6 SCREWS",
    "plate 10mm, LCP 3x10 plate",
    "Platelets 150, plate count 120K",
    "the plate is fine",
]


@pytest.mark.parametrize(("text", "value"), CASES)
def test_a_plate_after_its_cue_is_found_whole(engine: RedactionEngine, text: str, value: str) -> None:
    out = engine.redact_text(text, "safe_harbor").text
    assert value not in out and not any(g in out for g in value.replace("-", " ").split() if len(g) > 2)
    assert_stream_equals_whole(engine, text)


@pytest.mark.parametrize("text", HARDWARE)
def test_fracture_hardware_and_platelets_stay(engine: RedactionEngine, text: str) -> None:
    assert engine.redact_text(text, "safe_harbor").text == text
    assert streamed(engine, text, 1) == text


def test_control_without_the_plate_value_check_hardware_is_a_plate(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not patterns._plate_value("and 6")
    monkeypatch.setattr(patterns, "_NOT_PLATE", frozenset())
    assert patterns._plate_value("and 6")


def test_control_without_the_rule_plates_leak(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "_plate_value", lambda v: False)
    assert all(value in engine.redact_text(text, "safe_harbor").text for text, value in CASES)
