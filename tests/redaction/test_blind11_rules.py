"""Rule classes found on the eleventh blind corpus (bench/blind11_corpus.py: PhysioNet-style ICU nursing notes;
issue 16): each class is found in the cases it must catch, its near misses are left alone, a control per class
shows the test fails without the rule, and the shapes hold for every stream cut."""

from __future__ import annotations

import re

import pytest

from sidecar.redaction.detectors import dates, locations, names, patterns
from sidecar.redaction.detectors.dates import DateDetector
from sidecar.redaction.detectors.locations import LocationDetector
from sidecar.redaction.detectors.names import NameDetector
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_blind9_rules import _covered_in_any_case, _texts
from tests.redaction.test_blind10_rules import _det
from tests.redaction.test_nursing_rules import covered, found, variants
from tests.redaction.test_stream_divergences import assert_stream_equals_whole

_NEVER = re.compile(r"\x00\x01never")

# ---- dates: "the Nth" after an event word or before a number or preposition (``_THE_ORDINAL``); a dash or dot
# month-day in parentheses after a word (``_PAREN_DATE``), after a verb in the past, a word of timing, a device
# placed, a test before its value, or (dotted) an event word (``_VERB_DATE``)
DATE_CASES = [
    ("45 yo M adm the 19th from OSH w/ GI bleed.", "19th"),
    ("PEG placed the 1st by GI, TF to start tomorrow.", "1st"),
    ("heparin gtt, PTT the 8th 64, recheck at 2200.", "8th"),
    ("sputum cx (8-22) + GNR, on cefepime.", "8-22"),
    ("groin soft s/p cath(6.19), no hematoma.", "6.19"),
    ("trach changed 11-13 by ENT, #8 portex.", "11-13"),
    ("hep B given 9.28, hearing screen passed 3.5.", "9.28"),
    ("CODE CALLED 4.9 1930 FOR PEA.", "4.9"),
    ("EEG ordered for 7-21, neuro following.", "7-21"),
    ("cxr done 3.23 wife at bedside.", "3.23"),
    ("last bm 8.20 per pt, colace/senna.", "8.20"),
    ("plan for ppm 12-5, EP aware.", "12-5"),
    ("RESP CARE: ABG 12-26 7.31/55/72 on PSV.", "12-26"),
    ("line changed over wire on2-6, tip sent.", "2-6"),
]
DATE_NEAR_MISSES = [
    "transferred to the 4th floor, the 2nd dose given, the 2nd unit hung.",
    "rib fx: the 2nd and 3rd ribs.",
    "Cr 1.4 (1.1), hct 28.2 (30.1), RR 18 (12-22).",
    "levo increased 2.5 mcg, weaned 2-3 L, titrated 1.5 to 2.",
    "K 3.6 repleted, temp 98.6, INR 1.3 on coumadin, on 2.5L nc.",
    "given 2.5 of mso4; suctioned 2-3x; INR 2-3 goal.",
    "lasix 40 iv given, diuresed 1.2, received 1.5 overnight.",
    "1/2 NS @ 75cc/hr, D5 1/2 @ 100. TF 150cc/kg/d, 24cal BM 1/2 po.",  # fluid strengths (_fluid_fraction)
    "trach 7.5 shiley. ETT 8.0 at 22 lip, TRACH #6.5 CUFFED, tube 7.5 changed.",  # tube sizes (_TUBE_SIZE)
]


@pytest.mark.parametrize(("text", "value"), DATE_CASES)
def test_ordinals_dashes_and_dots_in_date_positions(engine: RedactionEngine, text: str, value: str) -> None:
    _covered_in_any_case(engine, text, value)


@pytest.mark.parametrize("text", DATE_NEAR_MISSES)
def test_counts_decimals_doses_and_ranges_stay(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert _texts(_det(engine, DateDetector).detect(t), t) == [], t


def test_control_without_the_new_date_rules_they_leak(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("_THE_ORDINAL", "_PAREN_DATE", "_VERB_DATE"):
        monkeypatch.setattr(dates, name, _NEVER)
    monkeypatch.setattr(dates, "_GLUED_EVENT_DATE", _NEVER)
    det = _det(engine, DateDetector)
    for text, value in DATE_CASES:
        assert value not in _texts(det.detect(text), text), text


@pytest.mark.parametrize("text", [t for t, _ in DATE_CASES])
def test_new_date_shapes_stream_as_whole(engine: RedactionEngine, text: str) -> None:
    assert_stream_equals_whole(engine, text)


# ---- names: a note signed inline after its last sentence, initials after a dash ending a run-on note, a name in
# parentheses after a report verb, "Baby" and a family name (``_inline_signoffs_and_reported_names``); the new
# relation words (``RELATIONS``: sibling, companion, landlord)
NAME_CASES = [
    ("OK'D 250 NS. K WEEKS R.N.", "K WEEKS"),
    ("updated by RN. m may rrt", "m may"),
    ("report called to floor. B.Zorbwickle SN", "B.Zorbwickle"),
    ("pt resting comfortably team aware sbp 90s -BD", "BD"),
    ("md notified (sharp) of low uo", "sharp"),
    ("MD NOTIFIED (HILL) OF LOW UO", "HILL"),
    ("NICU NOTE NIGHTS Baby Weeks DOL 4, CGA 25 1/7 wks", "Weeks"),
    ("neonatology nsg note: baby zorbwickle dol 4", "zorbwickle"),
    ("#4 Par: sibling Bud (age 4) visited w/ grandma.", "Bud"),
    ("family mtg: companion Faith present.", "Faith"),
    ("landlord, dimitra, called re: keys.", "dimitra"),
]
NAME_NEAR_MISSES = [
    "pt stable. Charge RN",
    "pt stable. float rn",
    "sat 92%. A TEAM RN",
    "Cont to monitor. IV team RN",
    "pt given 2 units -ok",
    "MD notified (x2) of low uo. md notified (team), pt aware (via phone).",
    "baby boy tolerating feeds. baby is sleeping. baby girl in isolette.",
    "Baby will feed q3h. baby tolerating, baby A and baby B stable.",
    "siblings in to visit, landlord called, companion at bedside.",
]


def test_inline_signoff_does_not_take_the_sentence_before(engine: RedactionEngine) -> None:
    text = "CXR w/ ? LLL infiltrate. K.Zorbwickle R.N."
    got = " ".join(found(engine, text))
    assert "Zorbwickle" in got and "infiltrate" not in got and "LLL" not in got, got


@pytest.mark.parametrize(("text", "value"), NAME_CASES)
def test_inline_signoffs_reported_and_family_names(engine: RedactionEngine, text: str, value: str) -> None:
    assert covered(engine, text, value), found(engine, text)


@pytest.mark.parametrize("text", NAME_NEAR_MISSES)
def test_kinds_of_nurse_counts_and_baby_words_stay(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert _texts(_det(engine, NameDetector).detect(t), t) == [], t


def test_control_without_the_new_name_rules_they_leak(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(names._Scan, "_inline_signoffs_and_reported_names", lambda self, named, cued: None)
    det = _det(engine, NameDetector)
    for text, value in NAME_CASES[:8]:
        got = " ".join(_texts(det.detect(text), text))
        assert value.split()[-1] not in got.split(), (text, got)


def test_control_new_relation_words_carry_the_cue() -> None:
    voc = names.vocabulary()
    for w in ("sibling", "companion", "landlord"):
        assert voc.get(w, 0) & names.REL, w
    assert names.vocabulary().get("zorbwickle", 0) == 0


@pytest.mark.parametrize("text", [t for t, _ in NAME_CASES])
def test_new_name_shapes_stream_as_whole(engine: RedactionEngine, text: str) -> None:
    assert_stream_equals_whole(engine, text)


# ---- places: the town of a caller between "from" and the call, a town before its police or fire department
# (``_caller_and_police_towns``); pagers named for their owner, in two groups, or four digits after "paged" that
# are no clock time (``_PAGER_LOOSE``)
PLACE_CASES = [
    ("GDTR ANN FROM NORTH ATTLEFORD CALLED (463-7995).", "ATTLEFORD"),
    ("companion Maria from Zorbwickle called, updated.", "Zorbwickle"),
    ("PT'S PCP DR ZUCKERMAN FROM DORRINGTON CALLED", "DORRINGTON"),
    ("Police from North Attleford PD in to speak w/ pt.", "North Attleford"),
    ("POLICE FROM CHELMSFORD PD IN TO SPEAK W/ PT.", "CHELMSFORD"),
]
PLACE_NEAR_MISSES = [
    "dtr from work called, wife from home called.",
    "MD from the floor called. RN from pharmacy called. SW from rehab called.",
    "son from Florida called; police from the PD in.",
]
PAGER_CASES = [
    ("ADDENDUM: BEEPER FOR LE MD IS 3-7669, PAGED X2.", "3-7669"),
    ("spoke with Dr Levesque @ pager #8 9000 re: BP", "8 9000"),
    ("PER DR ABIODUN. PAGED 5166.", "5166"),
]
PAGER_NEAR_MISSES = ["md paged 2200, paged at 0300, paged x2, paged 3 times, paged 2 1400."]


@pytest.mark.parametrize(("text", "value"), PLACE_CASES)
def test_caller_and_police_towns_are_places(engine: RedactionEngine, text: str, value: str) -> None:
    assert value in " ".join(_texts(_det(engine, LocationDetector).detect(text), text)), found(engine, text)


@pytest.mark.parametrize("text", PLACE_NEAR_MISSES)
def test_work_home_and_services_stay(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert _texts(_det(engine, LocationDetector).detect(t), t) == [], t


def test_control_without_the_caller_rule_they_leak(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locations.LocationDetector, "_caller_and_police_towns", lambda self, text, can, out: None)
    det = _det(engine, LocationDetector)
    for text, value in PLACE_CASES:
        assert value not in " ".join(_texts(det.detect(text), text)), text


@pytest.mark.parametrize(("text", "value"), PAGER_CASES)
def test_loose_pagers_are_phones(engine: RedactionEngine, text: str, value: str) -> None:
    _covered_in_any_case(engine, text, value)


@pytest.mark.parametrize("text", PAGER_NEAR_MISSES)
def test_paged_clock_times_stay(engine: RedactionEngine, text: str) -> None:
    assert [f for f in found(engine, text) if any(c.isdigit() for c in f)] == [], found(engine, text)


def test_control_without_the_loose_pager_they_leak(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "_PAGER_LOOSE", _NEVER)
    for text, value in PAGER_CASES:
        assert not covered(engine, text, value), text


@pytest.mark.parametrize("text", [t for t, _ in PLACE_CASES + PAGER_CASES])
def test_new_place_and_pager_shapes_stream_as_whole(engine: RedactionEngine, text: str) -> None:
    assert_stream_equals_whole(engine, text)
