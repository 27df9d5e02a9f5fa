"""``per`` before a study or a named rule names no person (``per echo,``, ``per Fleischner.``), and a hyphenated
compound of known words after a contact verb is no rare word (``discussed with on-call resident``): the false
positives that altered blind corpus 9's PHI-free physician records. A person after ``per`` or a title stays one."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import names
from sidecar.redaction.engine import RedactionEngine


def redact(engine: RedactionEngine, text: str) -> str:
    return engine.redact_text(text, "safe_harbor").text


@pytest.mark.parametrize("text", [
    "Known CHF with EF 30% per echo, ICD in place.",
    "KNOWN CHF WITH EF 30% PER ECHO, ICD IN PLACE.",
    "Stable nodule; 12 month follow-up per Fleischner.",
    "STABLE NODULE; 12 MONTH FOLLOW-UP PER FLEISCHNER.",
    "Discussed with on-call resident about the plan.",
    "spoke with follow-up clinic about the visit",
])
def test_studies_rules_and_known_compounds_stay(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


@pytest.mark.parametrize("text, name", [
    ("no changes per Zorbwickle.", "Zorbwickle"),
    ("per Art, pt was more confused at home", "Art"),
    ("Plan per Dr. Fleischner, cardiology.", "Fleischner"),
    ("DISCUSSED WITH ON-CALL RESIDENT GIEDRE TSOSIE", "TSOSIE"),
    ("spoke with goran-yaw at length", "goran-yaw"),
])
def test_people_after_the_same_cues_stay_names(engine: RedactionEngine, text: str, name: str) -> None:
    assert name not in redact(engine, text)


def test_control_without_the_study_check_echo_is_a_name(engine: RedactionEngine,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names, "_study_or_rule", lambda low, titled=False: False)
    assert "[NAME]" in redact(engine, "EF 40% per echo, stable.")
