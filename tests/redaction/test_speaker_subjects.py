"""A word written as a name right before a verb only people do (``names._Scan._speaker_subjects``: ``On review,
Chikwanha said``, ``Later that day Konstantinou thanked``; a lexicon name that is also a word before a verb of
decision: ``Underwood agreed``). Cases, near misses (services, staff, relations, products before the same verbs),
stream = whole at every cut, and a control without the rule."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import names
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_stream_divergences import assert_stream_equals_whole, streamed

CASES = [
    ("On review, Chikwanha said the swelling is worse.", "Chikwanha"),
    ("Later that day Konstantinou thanked the team about the plan.", "Konstantinou"),
    ("At the last visit Underwood agreed to start cardiac rehab.", "Underwood"),
    ("Kübler said HbA1c remains above goal.", "Kübler"),
    ("Fields declined the flu vaccine.", "Fields"),
    ("After the call Zorbwickle asked about transport.", "Zorbwickle"),
]
NEAR_MISSES = [
    "Staff said pt slept well.",
    "Cardiology said ok to start heparin.",
    "Everyone said yes.",
    "Mom said ok.",
    "Pharmacy explained the dose.",
    "Aetna declined the claim.",
    "The patient said no.",
    "Nursing asked for labs.",
    "Family thanked the team.",
    "Lasix said nothing about it.",
]


@pytest.mark.parametrize(("text", "value"), CASES)
def test_a_speaker_written_as_a_name_is_a_name(engine: RedactionEngine, text: str, value: str) -> None:
    assert value not in engine.redact_text(text, "safe_harbor").text
    assert_stream_equals_whole(engine, text)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_services_staff_relations_and_products_before_the_verbs_stay(engine: RedactionEngine, text: str) -> None:
    assert engine.redact_text(text, "safe_harbor").text == text
    assert streamed(engine, text, 1) == text


def test_the_gate_wakes_on_a_speaker() -> None:
    import re

    assert re.search(names._SPEAKER_GATE, "On review, Chikwanha said it")
    assert not re.search(names._SPEAKER_GATE, "on review, the swelling is worse")


def test_control_without_the_rule_the_speakers_leak(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(names._Scan, "_speaker_subjects", lambda *a: None)
    leaked = [v for t, v in CASES if v in engine.redact_text(t, "safe_harbor").text]
    assert len(leaked) >= 3


# what a person is called, and a quote's speaker after its verb (``_called_and_attributed_names``)
CALLED_CASES = [
    ("My name is Aantje Mourik but everyone calls me Aantje", "calls me Aantje"),
    ("She named him Luís", "Luís"),
    ("sometimes people call me višeslav", "višeslav"),
    ('"The kingdom is moving in that direction," says Hartvigsson.', "Hartvigsson"),
    ("Mehrudin shouted at the desk.", "Mehrudin"),
    ("known as Rafe to friends", "Rafe"),
]
CALLED_NEAR_MISSES = [
    "she said Monday is fine",
    "call me back",
    "will call him tomorrow",
    "call her today",
    "PCP called me re labs",
    "called him at 3pm, call him Sunday",
    "calls me every day",
    "we call it a day",
    "known as the flu",
    "pt said Tylenol helps",
]


@pytest.mark.parametrize(("text", "value"), CALLED_CASES)
def test_what_a_person_is_called_and_a_quotes_speaker_are_names(
    engine: RedactionEngine, text: str, value: str
) -> None:
    assert value not in engine.redact_text(text, "safe_harbor").text
    assert_stream_equals_whole(engine, text)


@pytest.mark.parametrize("text", CALLED_NEAR_MISSES)
def test_callbacks_days_and_drugs_after_the_cues_stay(engine: RedactionEngine, text: str) -> None:
    assert engine.redact_text(text, "safe_harbor").text == text
    assert streamed(engine, text, 1) == text


def test_control_without_the_called_rule_they_leak(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names._Scan, "_called_and_attributed_names", lambda *a: None)
    leaked = [v for t, v in CALLED_CASES if v in engine.redact_text(t, "safe_harbor").text]
    assert len(leaked) >= 3
