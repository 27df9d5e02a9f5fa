"""Rule classes found on the sixth blind corpus (bench/blind6_corpus.py: ICU nursing notes by ten nurses with their
own habits; issue 16): each class is found in any case, its near miss (the same shape in clinical prose) is left
alone, a control per class shows the test fails without the rule, and the shapes hold for every stream cut.
Asserted through the engine's analyzer (all detectors, resolved)."""

from __future__ import annotations

import re

import pytest

from bench.blind6_corpus import phi_free
from sidecar.redaction.detectors import names, patterns
from sidecar.redaction.detectors.locations import LocationDetector
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_nursing_rules import covered, found, variants
from tests.redaction.test_stream_open_points import _cuts, _oracle

# ---- names
NAME_CASES = [
    ("Dtr + s/o @ bs. s/o Crystal here, updated.", "Crystal"),  # s/o: significant other (a word-name too)
    ("soc: w/ dtr Magdalena in Derby, gs Oluwaseun visits qd.", "Oluwaseun"),  # shorthand relations
    ("neice Sully visiting from Newbury.", "Sully"),  # the common misspelling
    ("Son Kiki + dtr-in-law Saoirse called/ updated.", "Saoirse"),
    ("rpt to Grace @ 0700.", "Grace"),  # the person a report goes to
    ("Report given by Corvash, received by Linnea.", "Linnea"),  # given by, received by
    ("Report given by Corvash, received by Linnea.", "Corvash"),
    ("The family was updated by Thandrel, the night charge nurse.", "Thandrel"),
    ("pt calmer overnight. the sitter kiki was with pt all night.", "kiki"),  # a ward helper's name
    ("Reports pain to Deb the PCA, medicated.", "Deb"),
    ("- Contacts: Xivanna 603-555-1148; Forrest 555-9352.", "Forrest"),  # a contact list
    ("- Contacts: Xivanna 603-555-1148; Forrest 555-9352.", "Xivanna"),
    ("A: Tachypneic, family at bedside (Sterling and Holly).", "Holly"),  # visitors in parentheses
    ("Vanco dose ok'd by Destiny in the pharmacy.", "Destiny"),  # who approved it
]


@pytest.mark.parametrize(("text", "name"), NAME_CASES)
def test_blind6_name_positions(engine: RedactionEngine, text: str, name: str) -> None:
    for t in variants(text):
        n = name.upper() if t.isupper() else name.lower() if t.islower() else name
        assert covered(engine, t, n), (t, found(engine, t))


NAME_NEAR_MISSES = [
    "CXR s/o pneumonia, s/o CHF exacerbation. GS neg.",  # s/o: suggestive of
    "Report to oncoming RN at 1900. Meds given by mouth. Updated by phone. Received by ED.",
    "Dilaudid PCA  ENDO: RISS. PCA pump at bedside. Sitter at bedside.",  # a PCA pump; a heading after it
    "Contact: proxy at home; foley draining clear yellow urine; hope to extubate in am.",  # a contact line's prose
    "Tylenol (night dose) given. Family at bedside (both sons), updated.",
]


@pytest.mark.parametrize("text", NAME_NEAR_MISSES)
def test_blind6_name_near_misses(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t, "NAME") == [], (t, found(engine, t))


# the names a word list already holds (Linnea, Forrest) or a new relation word names are left out
CONTROL_CASES = [c for c in NAME_CASES if c[1] not in ("Sully", "Saoirse", "Oluwaseun", "Linnea", "Forrest")]


@pytest.mark.parametrize(("text", "name"), CONTROL_CASES)
def test_control_without_the_blind6_rules_the_names_leak(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch, text: str, name: str
) -> None:
    monkeypatch.setattr(names._Scan, "_report_helper_and_contact_list_names", lambda self, named, cued: None)
    t = text.lower()
    assert not covered(engine, t, name.lower()), found(engine, t)


def test_control_the_new_relation_words_are_what_names_them() -> None:
    """Control: the shorthand relations (gs, neice, dtr-in-law) are cues of the word list, not of a new rule."""
    flags = names.vocabulary()
    assert all(flags.get(w, 0) & names.REL for w in ("gs", "neice", "gdtr", "dtr-in-law"))


# ---- places
PLACE_CASES = [
    ("Pt 98yo F, adm 11/17 from Birchwood w/ ams.", "Birchwood"),  # where the patient came from
    ("D/C plan: back to Cedarfield vs Pinegate/ CM following.", "Pinegate"),  # a "vs" list after the cue
    ("goes to Glenrose on sat.", "Glenrose"),
    ("pt may go to stonebridge or home with vna", "stonebridge"),
    ("Rehab at Oakhurst planned.", "Oakhurst"),
    ("OSH: Lakeshore. Hx: OSH admission at Tollbridge 2/13.", "Lakeshore"),
    ("OSH: Lakeshore. Hx: OSH admission at Tollbridge 2/13.", "Tollbridge"),
    ("PREV ADMIT AGH 07/27 FOR CHF.", "AGH"),
    ("spoke to guy at the front desk of Cedarfield and they will take her back.", "Cedarfield"),
    ("The patient told me she grew up in Summit and moved away.", "Summit"),  # a town that is a word
    ("Neice Kenji visiting from Fairhaven.", "Fairhaven"),
    ("GRANDDAUGHTER Priya Glass HERE FROM Gansett, stayed overnight.", "Gansett"),
    ("soc: w/ dtr Kenji in North Quarry, gs visits qd.", "North Quarry"),
]


@pytest.mark.parametrize(("text", "place"), PLACE_CASES)
def test_blind6_place_positions(engine: RedactionEngine, text: str, place: str) -> None:
    assert covered(engine, text, place), (text, found(engine, text))


# in a line without case only a word on no list is taken (the stream holds such words)
ANY_CASE_PLACES = [c for c in PLACE_CASES if c[1] in ("Pinegate", "Glenrose", "stonebridge", "Oakhurst", "Gansett")]


@pytest.mark.parametrize(("text", "place"), ANY_CASE_PLACES)
def test_blind6_place_positions_any_case(engine: RedactionEngine, text: str, place: str) -> None:
    for t in variants(text):
        p = place.upper() if t.isupper() else place.lower() if t.islower() else place
        assert covered(engine, t, p), (t, found(engine, t))


PLACE_NEAR_MISSES = [
    "Back to baseline. Went to sleep. Back to Baseline after ativan. Likely Pneumonia.",  # states, not places
    "Transport to Endoscopy at 0900. Return to Floor 5. Goes to Dialysis on Mon. Rehab at home planned.",
    "16 fr Foley placed. Pt was at bedside chair. Came from ED. OSH: none.",
    "pt from Maine originally, moved south in 2019.",  # a state is no Safe Harbor identifier (Maine: a surname)
    "St. John's wort at home - pharmacy says hold. Discussed with neurosurg.",
]


@pytest.mark.parametrize("text", PLACE_NEAR_MISSES)
def test_blind6_place_near_misses(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t) == [], (t, found(engine, t))


def test_control_without_the_blind6_place_rule_the_places_leak(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LocationDetector, "_places_after_where_cues", lambda self, text, can, add: None)
    assert not covered(engine, "goes to Glenrose on sat.", "Glenrose")
    assert not covered(engine, "D/C plan: back to Cedarfield vs Pinegate/ CM following.", "Pinegate")
    # ("grew up in Summit" is now also read by the travel cues of _HOME_CUE: test_travel_cue_towns.py)


# ---- ages, pagers, extensions
NUMBER_CASES = [
    ("pt is 99y.o., oriented to self only", "99", "AGE"),
    ("S: 93Y.O. PT W/ WORSENING RESP STATUS", "93", "AGE"),
    ("pt is a 97yf woman from derby", "97", "AGE"),
    ("S: 96 M pt w/ worsening resp status", "96", "AGE"),
    ("pt turned 92 on 4/10.", "92", "AGE"),
    ("Neice Thuy / pg 7-3789 / prefers txt.", "7-3789", "PHONE"),
    ("RT aware, pg 38-298.", "38-298", "PHONE"),
    ("Ext for charge RN is 3410.", "3410", "PHONE"),
]


@pytest.mark.parametrize(("text", "value", "type_"), NUMBER_CASES)
def test_blind6_number_shapes(engine: RedactionEngine, text: str, value: str, type_: str) -> None:
    for t in variants(text):
        assert value in found(engine, t, type_), (t, found(engine, t))


@pytest.mark.parametrize(
    "text",
    [
        "Ambulated 100 m with walker. Turned 90 degrees to the left. T 101 F, cultures sent.",
        "See pg 12-14 of the consent. B12 2000 pg/mL. HR 96 M-mode echo ordered.",
        "Ext for 2 hrs 1000 ml given.",
    ],
)
def test_blind6_number_near_misses(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t, "AGE") == [] and found(engine, t, "PHONE") == [], (t, found(engine, t))


def test_control_the_old_number_patterns_miss_these_shapes() -> None:
    """Control: only the alternatives this class added match (the older groups 1-4 of the age pattern, the pager
    pattern without ``pg`` and the extension pattern find none of them)."""
    for text, _value, type_ in NUMBER_CASES:
        if type_ == "AGE":
            m = patterns._AGE.search(text)
            assert m is not None and not any(m.group(g) for g in (1, 2, 3, 4)), text
    old_pager = re.compile(patterns._PAGER.pattern.replace("|pg|", "|"), re.I)
    assert old_pager.search("Neice Thuy / pg 7-3789 / prefers txt.") is None
    assert patterns._EXTENSION.search("Ext for charge RN is 3410.") is None


# ---- dates
DATE_CASES = [
    ("B: Adm 8.14 from Halden Valley Hospital ED.", "8.14"),  # a dotted month.day after an event word
    ("pt says she was born on 7.23 and was a teacher", "7.23"),
    ("Goals: per fam mtg on 11.20 w/ dtrs, full code.", "11.20"),
    ("pt says she was born on may 12 and was a teacher", "may 12"),  # a lower-case month after an event word
    ("PREV ADMIT 23RD OF SEPTEMBER FOR CHF.", "23RD OF SEPTEMBER"),  # an ordinal of a month, any case
    ("last d/c 18th of may, back in 2 wks.", "18th of may"),
]


@pytest.mark.parametrize(("text", "value"), DATE_CASES)
def test_blind6_date_shapes(engine: RedactionEngine, text: str, value: str) -> None:
    assert covered(engine, text, value), (text, found(engine, text))


@pytest.mark.parametrize(
    "text",
    [
        "On 2.5 L NC, started 2.5 mg, due 1.5 hrs, placed 7.5 ETT, on 2.5L, K 3.4, on 1.5 of neo.",
        "may 2 tabs prn. on mar 5 units. Pt may 2 more.",
    ],
)
def test_blind6_date_near_misses(engine: RedactionEngine, text: str) -> None:
    for t in (text, text.lower()):  # "MAY 2" in capitals was a date before this class (a capitalised month)
        assert found(engine, t, "DATE") == [], (t, found(engine, t))


def test_control_the_older_date_patterns_miss_these_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: without this class's alternatives (a dotted or lower-case month and day after an event word, an
    ordinal of a month in any case) the date detector finds none of these dates."""
    from sidecar.redaction.detectors import dates
    from sidecar.redaction.detectors.base import gated

    monkeypatch.setattr(dates, "_CUED_DATE", gated(r"\d", dates._CUED_DATE.pattern.replace(dates._B6_CUED, "")))
    monkeypatch.setattr(dates, "_NUM_PATTERNS", [p for p in dates._NUM_PATTERNS if "(?i:of)" not in p])
    monkeypatch.setattr(dates.DateDetector, "_ordinals_dashes_and_dots", staticmethod(lambda text: []))  # blind 11 also
    det = dates.DateDetector()
    for text, value in DATE_CASES:
        a = text.index(value)
        assert not any(s.start <= a < s.end for s in det.detect(text)), text


def test_blind6_phi_free_notes_untouched(engine: RedactionEngine) -> None:
    notes = phi_free(100, seed=79)
    altered = [r["text"] for r in notes if engine.detect(r["text"], "safe_harbor")]
    assert len(altered) <= 2, altered[:3]


STREAM_SHAPES = [
    "s/o Crystal here. rpt to Grace @ 0700. Report given by Corvash, received by Linnea.",
    "reports pain to Deb the PCA. the sitter kiki was with pt. family at bedside (Sterling and Holly).",
    "- Contacts: Xivanna 603-555-1148; Forrest 555-9352.\nRN: done",
    "D/C plan: back to Cedarfield vs Pinegate/ CM following. goes to glenrose on sat.",
    "PREV ADMIT AGH 07/27 FOR CHF. NEICE KENJI VISITING FROM FAIRHAVEN. S: 93Y.O. PT, PG 7-3789.",
    "adm 8.14 from halden. born on may 12 and. mtg on 11.20 w/ dtrs. prev admit 23rd of september for chf.",
    "she grew up in Summit and moved. Ext for charge RN is 3410. pt turned 92 on 4/10.",
]


@pytest.mark.parametrize("text", STREAM_SHAPES)
def test_blind6_shapes_hold_for_every_cut(engine: RedactionEngine, text: str) -> None:
    assert _oracle(engine, _cuts(text)) == []
