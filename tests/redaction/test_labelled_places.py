"""A place written after its label (``City: Worcester``, ``HOMETOWN - FALL RIVER``, ``my home town is X``): forms,
intake sheets and model answers write towns, counties and employers this way, in any case and with known words
(``Fall River``), so the label is the cue (``locations._labelled_places``). Cases, near misses, stream = whole at
every cut, and controls: without the rule the cases leak; without its open point the detector releases a
labelled place's first word before the rest is read."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import locations
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_stream_divergences import assert_stream_equals_whole, streamed

CASES = [
    ("City: Worcester", "Worcester"),
    ("CITY: WORCESTER", "WORCESTER"),
    ("Town: Fall River\nPhone: none", "Fall River"),
    ("town: fall river, ma", "fall river"),
    ("Hometown - St. Louis, MO", "St. Louis"),
    ("Place of birth: Lowell", "Lowell"),
    ("Birthplace: Tacoma", "Tacoma"),
    ("County: Middlesex", "Middlesex"),
    ("Employer: Brannock Electric", "Brannock Electric"),
    ("City of residence: Zorbwick Falls", "Zorbwick Falls"),
    ("My city is Williamsside and my zip is 02139.", "Williamsside"),
    ("her home town is north kevinview, she said", "north kevinview"),
    ("| Name | City |\n|---|---|\n| J. Doe | x |\nCity: Kalispell", "Kalispell"),
    ("ZIP: 3520", "3520"),
    ("My zip code is 880.", "880"),
    ("Postcode: SW1A 1AA", "SW1A 1AA"),
    ("Postal code: H3Z 2Y7, Canada", "H3Z 2Y7"),
    ("PLZ 80331 München", "80331"),
]
NEAR_MISSES = [
    "Residence: lives alone in apt",
    "Residence: home with wife",
    "Employer: retired",
    "County: unknown",
    "City: N/A",
    "Wound location: sacrum",
    "State: Texas",
    "City: Texas",
    "Town meeting: Tuesday",
    "Heart rate: 88",
    "inner city: no",
    "ZIP: unknown",
    "zip lock bag x2, zipper 2 cm",
]


@pytest.mark.parametrize(("text", "value"), CASES)
def test_a_labelled_place_is_found_whole(engine: RedactionEngine, text: str, value: str) -> None:
    out = engine.redact_text(text, "safe_harbor").text
    assert value not in out
    assert not any(w in out for w in value.split() if len(w) > 3)
    assert_stream_equals_whole(engine, text)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_what_a_label_names_that_is_no_place_stays(engine: RedactionEngine, text: str) -> None:
    assert engine.redact_text(text, "safe_harbor").text == text
    assert all(streamed(engine, text, step) == text for step in (1, 4))


def test_label_value_stops_at_marks_clause_words_and_four_words() -> None:
    t = "City: Fall River, MA"
    assert t[6 : locations._label_value(t, 6)] == "Fall River"
    t = "town: Boston is where she lives"
    assert t[6 : locations._label_value(t, 6)] == "Boston"
    t = "City: A b c d e f"
    assert t[6 : locations._label_value(t, 6)] == "A b c d"
    t = "Town: Boston. Next"
    assert t[6 : locations._label_value(t, 6)] == "Boston"


def test_the_open_point_holds_a_labelled_place_until_it_ends() -> None:
    assert locations.label_value_open("note\nCity: fall") == len("note\nCity: ")
    assert locations.label_value_open("note\nCity: fall ") == len("note\nCity: ")
    assert locations.label_value_open("City: fall river, ") == -1
    assert locations.label_value_open("City: fall river is ") == -1
    assert locations.label_value_open("City: a b c d ") == -1
    assert locations.label_value_open("no label here") == -1


def test_control_without_the_rule_the_cases_leak(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locations.LocationDetector, "_labelled_places", lambda *a: None)
    leaked = [v for t, v in CASES if v in engine.redact_text(t, "safe_harbor").text]
    assert len(leaked) >= 8


def test_control_without_the_open_point_the_detector_releases_a_labelled_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    det = locations.LocationDetector(None)
    tail = "Seen today, ok. Town: see "  # "see" may still begin "see river"
    assert det.open_at(tail) <= tail.index("see")
    monkeypatch.setattr(locations, "label_value_open", lambda tail: -1)
    assert det.open_at(tail) == len(tail)
