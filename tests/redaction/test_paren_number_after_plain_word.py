"""A five-digit number in parentheses is a person's phone or pager after a name, a relation, a role or a word for a
phone (``Jimmy (93806)``, ``daughter (93806)``, ``beeper (72451)``), and no phone after a plain word written in
lower case in a text with case (``prolonged service (99417)``: a billing code). Blind corpus 9 found it: the code
altered 17 of its 100 PHI-free physician records."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import patterns
from sidecar.redaction.engine import RedactionEngine


def redact(engine: RedactionEngine, text: str) -> str:
    return engine.redact_text(text, "safe_harbor").text


@pytest.mark.parametrize("text", [
    "Will bill for prolonged service (99417).",
    "Total time 75 minutes; billed as prolonged visit (99418) per policy.",
])
def test_a_code_after_a_plain_lower_case_word_stays(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


@pytest.mark.parametrize("text, number", [
    ("Dr. Jones (99417) aware of the plan", "99417"),
    ("Discussed with Dr. Brown (72451) at bedside", "72451"),
    ("paged beeper (72451) twice", "72451"),
    ("Jimmy (93806) called back", "93806"),
    ("daughter (93806) called back", "93806"),
    ("HCP IS WIFE (72451)", "72451"),
    # no case to tell a surname from a word, and no billing clause before it (test_precision_rules: with one, a code)
    ("SPOKE WITH PROLONGED SERVICE (99417).", "99417"),
    ("dr brown (72451) aware", "72451"),
])
def test_a_number_after_a_person_a_relation_or_a_phone_word_is_redacted(engine: RedactionEngine, text: str,
                                                                       number: str) -> None:
    assert number not in redact(engine, text)


def test_control_without_the_plain_word_check_the_code_is_a_phone(engine: RedactionEngine,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "plain_word", lambda word, cased: False)
    assert "[PHONE]" in redact(engine, "Bill for the prolonged service (99417) today.")
