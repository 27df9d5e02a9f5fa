"""Over-redaction listed in issue 16 stays fixed: numeric ranges, vital signs, ventilator settings and blood gases
are no identifiers even with an identifier word earlier in the note; cue words count only in the number's clause;
``K, CA`` is potassium and calcium; clinical words are no places. And the identifiers that share those shapes
(a local phone ``571-6794``, a labelled range-shaped id) are still found."""

from __future__ import annotations

import pytest

from bench.clinical_corpus import phi_free
from sidecar.redaction.detectors import patterns
from sidecar.redaction.engine import RedactionEngine


def found(engine: RedactionEngine, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.type) for s in engine.detect(text, "safe_harbor")]


@pytest.mark.parametrize(
    "text",
    [
        "Funding form signed by pt. VSS. HR 88-110 NSR, BP 110-135/60-80, RR 14-22, SpO2 94-98% on 2L NC.",
        "SIGNED BY PT. ABG 7.38/42/88. SETTINGS 12/10/40% OVERNIGHT, TOLERATING WELL.",
        "patient agrees with the plan. vss. hr 88-110 nsr, bp 110-135/60-80",
        "Plan 100-200 mL bolus, pt UOP 20-30cc/hr.",
        "K 3.2, CA 8.1, Mg 1.8: K, CA and Mg repleted per sliding scale.",
        "Pharmacy aware of the new heparin gtt; PTT goal 60-80. Hospice consulted. Pt to cath lab.",
        "Multiple clots noted; case discussed; ref range 3.5-5.0.",
        "HR 200-1000 is implausible; range 500-1500 mL.",
        "MD paged at 2200, no callback; paged again 2300-2330, paged 3 times.",
    ],
)
def test_clinical_values_are_left_alone(engine: RedactionEngine, text: str) -> None:
    assert found(engine, text) == []


@pytest.mark.parametrize(
    ("text", "value", "type_"),
    [
        ("Family meeting with son Madison (571-6794). Echo stable.", "571-6794", "PHONE"),
        ("Updated daughter Joannie (650-1945).", "650-1945", "PHONE"),
        ("pt ID 88-110 on the band", "88-110", "ID"),
        ("case #: 4432-7788", "4432-7788", "ID"),
        ("member id 1000-2000", "1000-2000", "HEALTH_PLAN"),
        ("Pt. ID 12345678 on file", "12345678", "ID"),
        ("Apt. 675 62314 Mell", "Apt. 675 62314", "ZIP"),
        ("paged x4-5521, no answer", "4-5521", "PHONE"),
        ("PAGED AT 54321 NO ANSWER", "54321", "PHONE"),
    ],
)
def test_identifiers_of_those_shapes_are_found(engine: RedactionEngine, text: str, value: str, type_: str) -> None:
    assert (value, type_) in found(engine, text)


def test_cue_counts_only_in_its_clause() -> None:
    assert patterns.cue_kind("signed by pt. vss. hr ") is None
    assert patterns.cue_kind("signed by pt id ") == "ID"
    assert patterns.cue_kind("pt. id ") == "ID"  # a label abbreviation's period ends no clause
    assert patterns.cue_kind("the pt was seen, hr ") is None  # a generic ID word only right before the number
    assert patterns.cue_kind("member number is ") == "HEALTH_PLAN"


def test_control_without_the_clause_rule_vitals_are_identifiers(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: with cues counted anywhere in the window (the old rule), the same vitals are tagged: the oracle
    of ``test_clinical_values_are_left_alone`` can fail."""
    text = "Funding form signed by pt. VSS. HR 88-110 NSR, BP 110-135/60-80, RR 14-22."
    assert found(engine, text) == []

    def anywhere(ctx: str) -> str | None:
        return next((name for name, rx in patterns._CUES if rx.search(ctx)), None)

    monkeypatch.setattr(patterns, "cue_kind", anywhere)
    monkeypatch.setattr(patterns, "_tight", lambda ctx: anywhere(ctx) is not None)
    assert found(engine, text) != []


def test_phi_free_generated_notes_mostly_untouched(engine: RedactionEngine) -> None:
    """PHI-free notes (vitals, vent settings, ranges, clinical words in any case): < 5% altered."""
    recs = phi_free(100)
    altered = sum(bool(engine.detect(r["text"], "safe_harbor")) for r in recs)
    assert altered < 5, altered
