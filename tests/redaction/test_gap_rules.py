"""Detector rules for attack shapes: SSN groups in brackets or broken by line breaks, ages over 89 in words
after an age cue, names in no list after "patient" and surname-first "Okonkwo, Maria". Each rule has near-miss
controls that must stay unredacted (the oracle can fail)."""

from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine


def found(engine: RedactionEngine, text: str, kind: str) -> list[str]:
    return [text[s.start : s.end] for s in engine.detect(text, "safe_harbor") if s.type == kind]


@pytest.mark.parametrize(
    ("text", "ssn"),
    [
        ("SSN [478]-[21]-[5096] on file", "[478]-[21]-[5096]"),
        ("ref (478)-(21)-(5096) on file", "(478)-(21)-(5096)"),
        ("SSN 478-\n21-5096", "478-\n21-5096"),
        ("her number 478 -\n 21 - 5096 ok", "478 -\n 21 - 5096"),
        ("SSN 478\t21\n5096", "478\t21\n5096"),
        ("social security (478) 21 5096", "(478) 21 5096"),
    ],
)
def test_ssn_with_bracket_or_line_break_separators(engine: RedactionEngine, text: str, ssn: str) -> None:
    assert any(ssn in f for f in found(engine, text, "SSN")), found(engine, text, "SSN")


@pytest.mark.parametrize(
    "text",
    [
        "Na 138\t45\n1200 mL",  # values of a table, whitespace only, no cue
        "dose 250-50 (1000) mg daily",  # a range next to a bracketed value
        "range 100-20 (1500) cells",
    ],
)
def test_ssn_loose_shapes_control(engine: RedactionEngine, text: str) -> None:
    assert found(engine, text, "SSN") == []


def test_ssn_loose_control_invalid_area_needs_a_cue(engine: RedactionEngine) -> None:
    assert found(engine, "code [000]-[21]-[5096] printed", "SSN") == []
    assert found(engine, "SSN [000]-[21]-[5096] printed", "SSN") != []


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("a man of ninety-four", "ninety-four"),
        ("a woman of one hundred and one", "one hundred and one"),
        ("aged ninety-three, lives alone", "ninety-three"),
        ("at the age of ninety two she fell", "ninety two"),
        ("a ninety-three woman with CHF", "ninety-three"),
        ("AN NINETY SEVEN MALE", "NINETY SEVEN"),
    ],
)
def test_age_over_89_in_words_after_a_cue(engine: RedactionEngine, text: str, age: str) -> None:
    assert any(age in f for f in found(engine, text, "AGE")), found(engine, text, "AGE")


@pytest.mark.parametrize(
    "text",
    [
        "ninety male subjects were enrolled",
        "one hundred patients were enrolled",
        "a ninety minute wait in triage",
        "walked ninety feet with a walker",
        "a man of many words",
    ],
)
def test_age_words_control(engine: RedactionEngine, text: str) -> None:
    assert found(engine, text, "AGE") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Patient Adaeze Okonkwo was seen", "Adaeze Okonkwo"),
        ("patient adaeze okonkwo seen", "adaeze okonkwo"),
        ("PATIENT ADAEZE OKONKWO SEEN", "ADAEZE OKONKWO"),
        ("Okonkwo, Maria admitted today", "Okonkwo"),
        ("Nwachukwu, Linda was admitted", "Nwachukwu"),
    ],
)
def test_unlisted_names_after_patient_and_surname_first(engine: RedactionEngine, text: str, name: str) -> None:
    assert any(name in f for f in found(engine, text, "NAME")), found(engine, text, "NAME")


@pytest.mark.parametrize(
    "text",
    [
        "Patient denies chest pain.",
        "The patient is stable.",
        "PATIENT REPORTS PAIN AT NIGHT",
        "patient tolerated the procedure well",
        "Patient ambulating with PT",
        "Patient HTN controlled on lisinopril",
        "Patient's wife present",
        "Tachycardia, tremor and sweating noted",
    ],
)
def test_patient_cue_control_clinical_words_stay(engine: RedactionEngine, text: str) -> None:
    assert found(engine, text, "NAME") == []


def test_surname_first_control_needs_a_first_name(engine: RedactionEngine) -> None:
    # a word in no list before a comma and a word that is no first name: no name
    assert found(engine, "Zorbwickle, admitted today", "NAME") == []
    # a known word before ", First": the first name alone, never the word
    assert not any("Hypokalemia" in f for f in found(engine, "Hypokalemia, Maria noted", "NAME"))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('{"patient_name": "Adaeze Okonkwo", "zip": "62704"}', "Adaeze Okonkwo"),
        ("full_name: Adaeze Okonkwo", "Adaeze Okonkwo"),
        ('{"name": "Adaeze Okonkwo"}', "Adaeze Okonkwo"),
    ],
)
def test_name_under_a_key_that_labels_it(engine: RedactionEngine, text: str, name: str) -> None:
    assert any(name in f for f in found(engine, text, "NAME")), found(engine, text, "NAME")


@pytest.mark.parametrize("text", ['{"drug_name": "Metoprolol"}', '{"name": "lisinopril"}', '{"file_name": "Xarelto"}'])
def test_key_label_control_other_names_stay(engine: RedactionEngine, text: str) -> None:
    assert found(engine, text, "NAME") == []
