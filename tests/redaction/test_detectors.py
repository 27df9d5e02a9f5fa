"""Detectors: one case per identifier family, check digits, invalid SSN ranges, and negatives."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors.checksums import dea_ok, iban_ok, luhn_ok, npi_ok, ssn_valid, vin_ok
from sidecar.redaction.engine import RedactionEngine


def types_in(engine: RedactionEngine, text: str, profile: str = "safe_harbor") -> dict[str, str]:
    return {text[s.start : s.end]: s.type for s in engine.detect(text, profile)}


def test_check_digits() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert npi_ok("1234567893") and not npi_ok("1234567890")
    assert dea_ok("AB1234563") and not dea_ok("AB1234564")
    assert vin_ok("1M8GDM9AXKP042788") and not vin_ok("1M8GDM9A1KP042788")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB82 WEST 1234 5698 7654 33")
    assert not iban_ok("AB1234563MRNMRN\u0130")  # a non-ASCII letter (re.I lets it in) is no IBAN, not a crash


@pytest.mark.parametrize(
    ("area", "group", "serial", "ok"),
    [
        ("123", "45", "6789", True),
        ("000", "12", "3456", False),
        ("666", "12", "3456", False),
        ("900", "12", "3456", False),
        ("987", "65", "4321", False),
        ("123", "00", "4567", False),
        ("123", "45", "0000", False),
    ],
)
def test_ssn_ranges(area: str, group: str, serial: str, ok: bool) -> None:
    assert ssn_valid(area, group, serial) is ok


def test_ssn_detection_excludes_invalid_without_cue(engine: RedactionEngine) -> None:
    assert types_in(engine, "value 123-45-6789 today").get("123-45-6789") == "SSN"
    assert types_in(engine, "ref 123-45-6789 today").get("123-45-6789") == "SSN"
    found = types_in(engine, "code 666-12-3456 was printed")
    assert found.get("666-12-3456") != "SSN"
    # a labelled SSN is redacted even when the number is not a valid issued one
    assert types_in(engine, "SSN: 987-65-4321").get("987-65-4321") == "SSN"
    assert types_in(engine, "social security number 123456789").get("123456789") == "SSN"


@pytest.mark.parametrize(
    ("text", "value", "type_"),
    [
        ("call (555) 123-4567 now", "(555) 123-4567", "PHONE"),
        ("call +1 617.555.0199 now", "+1 617.555.0199", "PHONE"),
        ("fax: 650-123-4567 now", "650-123-4567", "FAX"),
        ("mail jane.doe+x@mail.example.co.uk now", "jane.doe+x@mail.example.co.uk", "EMAIL"),
        ("see https://portal.example.org/p?id=7.", "https://portal.example.org/p?id=7", "URL"),
        ("from 10.0.12.254 today", "10.0.12.254", "IP"),
        ("from 2001:db8::8a2e:370:7334 today", "2001:db8::8a2e:370:7334", "IP"),
        ("card 4111 1111 1111 1111 on file", "4111 1111 1111 1111", "CARD"),
        ("DEA AB1234563 on file", "AB1234563", "LICENSE"),
        ("NPI 1234567893 on file", "1234567893", "NPI"),
        ("car VIN 1M8GDM9AXKP042788 noted", "1M8GDM9AXKP042788", "VIN"),
        ("MRN: 00482913 noted", "00482913", "MRN"),
        ("(MRN: 12345ABC) noted", "12345ABC", "MRN"),
        ("insurance ID: ABC123 noted", "ABC123", "HEALTH_PLAN"),
        ("ref. code: EM-2554 noted", "EM-2554", "ID"),
        ("seen last Thursday by", "last Thursday", "DATE"),
        ("reviewed with Jack Thompson today", "Jack Thompson", "NAME"),
        ("reviewed with Smith J. today", "Smith J.", "NAME"),
        ("admitted to New York Presbyterian Hospital on", "New York Presbyterian Hospital", "LOCATION"),
        ("living in Chicago, Illinois since", "Chicago, Illinois", "LOCATION"),
        ("tests done at Johns Hopkins yesterday", "Johns Hopkins", "LOCATION"),
        ("member ID HX-223344 noted", "HX-223344", "HEALTH_PLAN"),
        ("account # 9876543210 noted", "9876543210", "ACCOUNT"),
        ("pacemaker serial PX-55321 noted", "PX-55321", "DEVICE"),
        ("a 93-year-old man", "93", "AGE"),
        ("admitted on March 20th, 2022 for", "March 20th, 2022", "DATE"),
        ("admitted 03/20/2022 for", "03/20/2022", "DATE"),
        ("admitted 2022-03-20 for", "2022-03-20", "DATE"),
        ("admitted 20 Mar 2022 for", "20 Mar 2022", "DATE"),
        ("since 08/22 with", "08/22", "DATE"),
        (
            "lives at 42 Elm Street, Springfield, IL 62704 now",
            "42 Elm Street, Springfield, IL 62704",
            "ADDRESS",
        ),
        ("seen by Dr. Emily Clark today", "Dr. Emily Clark", "NAME"),
        ("Patient: Maria Gonzalez, 54F", "Maria Gonzalez", "NAME"),
        ("discussed with Michael Brown yesterday", "Michael Brown", "NAME"),
        ("treated at Boston General Hospital last", "Boston General Hospital", "LOCATION"),
        ("moved to Houston last year", "Houston", "LOCATION"),
    ],
)
def test_detects(engine: RedactionEngine, text: str, value: str, type_: str) -> None:
    assert types_in(engine, text).get(value) == type_, types_in(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "What are the guidelines for ACE inhibitors in a 55-year-old male with CKD? Diagnosed in 2021.",
        "Parkinson Disease and Hodgkin Lymphoma: compare first-line therapy for COVID-19 patients.",
        "Blood pressure 120/80, HbA1c 7.2%, metformin 1000 mg twice daily, CD4 count 350.",
        "Will May help? Grant funding for the study of Type 2 diabetes ended in 2019.",
    ],
)
def test_phi_free_text_is_left_alone(engine: RedactionEngine, text: str) -> None:
    assert engine.detect(text, "safe_harbor") == []


def test_bare_year_and_young_age_are_not_phi(engine: RedactionEngine) -> None:
    assert engine.detect("a 45-year-old seen in 2019", "safe_harbor") == []


def test_configured_mrn_formats() -> None:
    from sidecar.redaction.settings import RedactionSettings

    from .conftest import KEY

    eng = RedactionEngine(RedactionSettings(mrn_patterns=[r"\bQZ\d{3}[A-Z]\b"]), KEY)
    assert eng.redact_text("chart QZ123K reviewed", "standard").text == "chart [MRN] reviewed"


def test_ner_backend_missing_model_is_a_clear_error() -> None:
    from sidecar.redaction.detectors.ner import NerUnavailable
    from sidecar.redaction.settings import RedactionSettings

    from .conftest import KEY

    with pytest.raises(NerUnavailable, match="not_a_model_pkg"):
        RedactionEngine(RedactionSettings(ner_backend="presidio", ner_model="not_a_model_pkg"), KEY)
