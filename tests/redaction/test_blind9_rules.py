"""Rule classes found on the ninth blind corpus (bench/blind9_corpus.py: longitudinal physician records,
discharge summaries, clinic notes, consult/referral letters, transcription stamps; issue 16): each class is found
in the cases it must catch, its near misses are left alone, a control per class shows the test fails without the
rule (the old pattern or cue put back), and the shapes hold for every stream cut."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import pytest

from bench.blind9_corpus import phi_free
from sidecar.redaction.detectors import dates, locations, names, patterns
from sidecar.redaction.detectors.dates import DateDetector
from sidecar.redaction.detectors.locations import LocationDetector
from sidecar.redaction.detectors.patterns import PatternDetector
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_nursing_rules import covered, found, variants
from tests.redaction.test_stream_divergences import streamed


@cache
def _dates() -> DateDetector:
    return DateDetector()


@cache
def _patterns() -> PatternDetector:
    return PatternDetector()


@cache
def _places() -> LocationDetector:
    return LocationDetector()


def _covered_in_any_case(engine: RedactionEngine, text: str, value: str) -> None:
    """``value`` is redacted in ``text`` as written, in capitals and in lower case."""
    for t in variants(text):
        v = value.upper() if t.isupper() else value.lower() if t.islower() else value
        assert covered(engine, t, v), (t, found(engine, t))


def _texts(spans: Iterable[object], text: str) -> list[str]:
    return [text[s.start : s.end] for s in spans]  # type: ignore[attr-defined]


# ---- dates: a month "of" a year, a season of a year (``_WORD_PATTERNS``)
DATE_CASES = [
    ("He was seen at the clinic in April of 2069 for the same complaint.", "April of 2069"),
    ("DM2 - dx March of 2061; followed by endocrine.", "March of 2061"),
    ("Resides at the home since Nov of 2090.", "Nov of 2090"),
    ("Flu shot Fall 2062; mammogram pending.", "Fall 2062"),
    ("Last seen on summer 2084 by her NP.", "summer 2084"),
    ("Compared with Winter of 2063, no change.", "Winter of 2063"),
]
DATE_NEAR_MISSES = [
    "Stress test in the spring. Had a fall 2 times this year.",
    "Winter weather; fall precautions in place, 2071 mg total.",
    "Whipple procedure in 2071; doing well since the summer.",
]


@pytest.mark.parametrize(("text", "value"), DATE_CASES)
def test_month_of_year_and_season_of_year_are_dates(engine: RedactionEngine, text: str, value: str) -> None:
    _covered_in_any_case(engine, text, value)


@pytest.mark.parametrize("text", DATE_NEAR_MISSES)
def test_a_season_or_a_year_alone_stays(text: str) -> None:
    for t in variants(text):
        assert _texts(_dates().detect(t), t) == [], t


def test_control_without_the_new_forms_the_dates_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    old = [p.replace(r"(?:(?i:of)\s{1,3})?", "") for p in dates._WORD_PATTERNS[:-1]]
    monkeypatch.setattr(dates, "_WORD_PATTERNS", old)
    monkeypatch.setattr(dates, "_PATTERNS", dates._NUM_PATTERNS + old)
    monkeypatch.setattr(dates, "_WORD_FIRST", dates._WORD_FIRST[:-1])
    det = DateDetector()
    for text, value in DATE_CASES:
        assert value not in _texts(det.detect(text), text), text


# ---- an age over 89 after a death verb (``_LIFE_EVENT_AGE``) and a dictation's initials code (``_INITIALS_CODE``)
PATTERN_CASES = [
    ("FAMILY HISTORY: Mother (Rose) died at 92 of MI.", "92", "AGE"),
    ("Father passed away at 101 in his sleep.", "101", "AGE"),
    ("Sister deceased at 95 after a stroke.", "95", "AGE"),
    ("Dr. Bell\n\nYTL/xw23\nDD: 04/07/69", "YTL/xw23", "ID"),
    ("Sincerely,\nDr. Bell\n\n  DFW/erb\n", "DFW/erb", "ID"),
    ("zofia wise, d.o.\n\nja/xw36\ndd: 05/26/80", "ja/xw36", "ID"),
    ("Dictated by Dr. Bell\nNB/JF78", "NB/JF78", "ID"),
]
PATTERN_NEAR_MISSES = [
    "Mother died at 68 of MI; father died at home.",
    "Sats expired at 95% on RA; died at 10 pm.",
    "N/A\nHR/BP\nprn/qid\nw/c\n",
    "Plan: f/u in 2 wks\nI/O 1200/800\n",
    "see CT/MRI report of 1/2\n",
]


@pytest.mark.parametrize(("text", "value", "type_"), PATTERN_CASES)
def test_death_age_and_initials_code_are_found(engine: RedactionEngine, text: str, value: str, type_: str) -> None:
    assert covered(engine, text, value), found(engine, text)
    assert value in _texts((s for s in _patterns().detect(text) if s.type == type_), text)


@pytest.mark.parametrize("text", PATTERN_NEAR_MISSES)
def test_young_deaths_measures_and_abbreviation_pairs_stay(text: str) -> None:
    spans = [s for s in _patterns().detect(text) if s.type in ("AGE", "ID")]
    assert _texts(spans, text) == [], text


def test_control_without_the_new_pattern_rules_they_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    new = (patterns._LIFE_EVENT_AGE, patterns._INITIALS_CODE)
    monkeypatch.setattr(patterns, "_SCANNED", tuple(rx for rx in patterns._SCANNED if rx not in new))
    det = PatternDetector()
    for text, value, _ in PATTERN_CASES:
        assert value not in _texts(det.detect(text), text), text


# ---- a record header's patient line in "Last, First M" order (``_header_last_first_names``)
HEADER_CASES = [
    ("MRN: 1234567\nRe: Winter, Pearl M\nDOB: 01/02/2070", ["Winter", "Pearl"]),
    ("Unit No: 4993989\nRE: ODUYA, SUNNIVA W\n", ["ODUYA", "SUNNIVA"]),
    ("PATIENT: Delacroix, Dawn   MRN: 1011121", ["Delacroix", "Dawn"]),
    ("Patient: Van der Berg, Zorbwickle K\n", ["Berg", "Zorbwickle"]),
    ("re: root, keiko l\ndob: 1/2/70", ["root", "keiko"]),
    ("DATE OF SERVICE: 06/01/2060\nPATIENT: E. HRABOWSKI  MRN 6873426", ["E. HRABOWSKI"]),
    ("Patient: R. Zorbwickle  MRN 7869683", ["R. Zorbwickle"]),
]
HEADER_NEAR_MISSES = [
    "Re: Referral, Cardiology\n",
    "Re: Follow-up, labs\n",
    "RE: FOLLOW-UP, LABS\n",
    "spoke w/ the echo lab re: echo, she will fax results\n",
    "Patient: A. Fib noted on telemetry\n",
]


def _scan_names(text: str) -> list[str]:
    sc = names._Scan(text, names.vocabulary(), frozenset())
    return _texts(sc.run(), text)


@pytest.mark.parametrize(("text", "values"), HEADER_CASES)
def test_header_patient_line_names_are_found(engine: RedactionEngine, text: str, values: list[str]) -> None:
    for v in values:
        assert covered(engine, text, v), (v, found(engine, text))


@pytest.mark.parametrize("text", HEADER_NEAR_MISSES)
def test_header_lines_that_are_no_names_stay(text: str) -> None:
    assert _scan_names(text) == [], text


def test_control_without_the_header_rule_the_names_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    assert names.vocabulary().get("zorbwickle", 0) == 0  # the control name is on no list
    monkeypatch.setattr(names._Scan, "_header_last_first_names", lambda self, named, cued: None)
    leaked = [v for text, values in HEADER_CASES for v in values if v not in " ".join(_scan_names(text))]
    assert len(leaked) >= 4, leaked


# ---- a clinic note's subject coming back (``_SUBJECT_PAIRS``: returns/presents for, today; comes in)
RETURN_CASES = [
    ("HPI: Grace returns for follow-up of HTN.", "Grace"),
    ("CC: DM. Hunter presents today with cough.", "Hunter"),
    ("HPI: Zorbwickle comes in for a recheck.", "Zorbwickle"),
]
RETURN_NEAR_MISSES = [
    "Pain returns for a second time. Patient returns for follow-up.",
    "She presents today with cough. Fever returns today. He comes in for labs.",
]


@pytest.mark.parametrize(("text", "value"), RETURN_CASES)
def test_subject_coming_back_is_a_name(engine: RedactionEngine, text: str, value: str) -> None:
    _covered_in_any_case(engine, text, value)


@pytest.mark.parametrize("text", RETURN_NEAR_MISSES)
def test_what_comes_back_that_is_no_person_stays(text: str) -> None:
    for t in variants(text):
        assert _scan_names(t) == [], t


def test_control_without_the_return_pairs_the_names_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    added = {(a, w) for a in ("returns", "presents") for w in ("for", "today")} | {("comes", "in"), ("came", "in")}
    old = names._SUBJECT_PAIRS - added
    monkeypatch.setattr(names, "_SUBJECT_PAIRS", old)
    monkeypatch.setattr(names, "_SUBJECT_PAIR_HEADS", frozenset(a for a, _ in old))
    leaked = [v for text, v in RETURN_CASES if v not in " ".join(_scan_names(text))]
    assert len(leaked) == len(RETURN_CASES), leaked


# ---- a practice named by its kind of practice (``_PRACTICE_KW`` in ``_FAC_MORE_KW``)
PRACTICE_CASES = [
    ("PCP: Dr. Lee, Marsh Family Practice\n", "Marsh Family Practice"),
    ("Depression - sees therapist at North Shore Renal Associates monthly", "North Shore Renal Associates"),
    ("3. S/P TKR, RIDGEVIEW PRIMARY CARE\n", "RIDGEVIEW PRIMARY CARE"),
    ("Thank you for referring her to Stonebury Family Medicine. I saw her.", "Stonebury Family Medicine"),
    ("Okafor Internal Medicine Associates\n12 Main Street", "Internal Medicine Associates"),
    ("Seen by Pellman Orthopedic Group last week.", "Pellman Orthopedic Group"),
]
PRACTICE_NEAR_MISSES = [
    "Follow up with primary care in 2 weeks. Seen by Internal Medicine.",
    "CONTINUE PRIMARY CARE FOLLOW UP. REFERRED TO FAMILY PRACTICE.",
    "He sees Family Medicine; support group weekly; medical group visit.",
]


@pytest.mark.parametrize(("text", "value"), PRACTICE_CASES)
def test_practices_named_by_their_kind_are_found(engine: RedactionEngine, text: str, value: str) -> None:
    assert covered(engine, text, value), found(engine, text)


@pytest.mark.parametrize("text", PRACTICE_NEAR_MISSES)
def test_a_kind_of_practice_alone_stays(text: str) -> None:
    assert _texts(_places().detect(text), text) == [], text


def test_control_without_the_practice_words_the_practices_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    old = re.compile(locations._FAC_MORE_KW.pattern.replace("|" + f"{locations._PRACTICE_KW}", ""))
    assert old.pattern != locations._FAC_MORE_KW.pattern
    run_if = locations._run_if
    monkeypatch.setattr(
        locations, "_run_if", lambda can, k, rx, text: run_if(can, k, old if rx is locations._FAC_MORE_KW else rx, text)
    )
    det = _places()  # _run_if is read at each call: the cached detector runs the old keywords
    leaked = [v for text, v in PRACTICE_CASES if v not in " ".join(_texts(det.detect(text), text))]
    assert len(leaked) >= 4, leaked


# ---- an abbreviation's plural is never a town (``_abbreviation_plural``)
PLURAL_TEXT = "Patient lives with family, independent in ADLs, retired, former smoker."


def test_abbreviation_plural_is_no_town() -> None:
    assert _texts(_places().detect(PLURAL_TEXT), PLURAL_TEXT) == []
    text = "Patient lives with family in Wexbridge, retired."
    assert "Wexbridge" in _texts(_places().detect(text), text)


def test_control_without_the_plural_check_the_abbreviation_is_a_town(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locations, "_abbreviation_plural", lambda word: False)
    assert "ADLs" in _texts(_places().detect(PLURAL_TEXT), PLURAL_TEXT)


# ---- every class, streamed at every small cut, as the whole text
STREAM_TEXT = (
    "Record date: 2069-04-07\nMRN: 0123456\nRe: Winter, Pearl M\n\nSeen in April of 2069 and Fall 2070 at Marsh "
    "Family Practice. Mother died at 93. Independent in ADLs.\n\nDr. Bell\n\nYTL/xw23\nDD: 04/07/69\n"
)


@pytest.mark.parametrize("step", [1, 2, 3, 7])
def test_streams_equal_the_whole_text(engine: RedactionEngine, step: int) -> None:
    whole = engine.redact_text(STREAM_TEXT, "safe_harbor").text
    for t in variants(STREAM_TEXT):
        assert streamed(engine, t, step) == engine.redact_text(t, "safe_harbor").text, (step, t)
    assert "Winter" not in whole and "2069" not in whole.split("Seen in")[1][:20]


def test_phi_free_documents_hold_no_new_finding(engine: RedactionEngine) -> None:
    for r in phi_free(100, seed=107):
        got = [(s.type, r["text"][s.start : s.end]) for s in engine.detect(r["text"], "safe_harbor")]
        assert all(t in ("PHONE",) for t, _ in got), got  # only the CPT code "(99417)" (a known look-alike)
