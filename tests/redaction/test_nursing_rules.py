"""Nursing-note rule classes (issue 16, blind corpus): each class is found in any case, and its near miss (the
same shape in clinical prose) is left alone. Asserted through the engine's analyzer (all detectors, resolved)."""

from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine


def found(engine: RedactionEngine, text: str, type_: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in engine.detect(text, "safe_harbor") if type_ is None or s.type == type_]


def covered(engine: RedactionEngine, text: str, value: str) -> bool:
    """Every character of ``value`` (its first occurrence in ``text``) lies in a finding."""
    a = text.index(value)
    spans = engine.detect(text, "safe_harbor")
    return all(any(s.start <= i < s.end for s in spans) for i in range(a, a + len(value)))


def variants(text: str) -> list[str]:
    return [text, text.upper(), text.lower()]


# ---- names
NAME_CASES = [
    ("SW Oksana following for dispo.", "Oksana"),  # staff role before a name
    ("cards fellow Tamsin aware, will see pt.", "Tamsin"),
    ("covering MD (Tamsin) aware of low UO.", "Tamsin"),  # a name in parentheses after a role
    ("RN: J. Nwosu", "J. Nwosu"),  # credential as a label, with an initial
    ("Tamsin aware of plan, will call back.", "Tamsin"),  # first name before "aware" at a clause start
    ("will discuss at rounds.\n-Tamsin", "Tamsin"),  # dash sign-off
    ("Achterberg, Tamsin RN", "Achterberg, Tamsin"),  # "Last, First RN" sign-off
    ("Tamsin/Achterberg RN", "Achterberg"),  # "First/Last RN" sign-off
    ("Priya Oyelaran, SN", "Priya Oyelaran"),  # student nurse sign-off
    ("Pt seen by Drs Wexler/Abernathy/Oyelaran today.", "Oyelaran"),  # third name of a slash list
    ("updated by drs sharp & brannigan.", "sharp"),  # plural title: list with &, surname that is a word
    ("f/u w/ Dr. Stavros/Baker in am.", "Baker"),
    ("ID consult following (dr. p), pager 4-1565.", "p"),  # an initial after a title, in any case
    ("Cosima Z., RN", "Cosima Z."),  # sign-off ending in an initial
    ("cousin Y. Grant is HCP.", "Y. Grant"),  # an initial after a relation word
    ("sw Grace Sharp following.", "Grace Sharp"),  # first and last name after a role, both words
]


@pytest.mark.parametrize(("text", "name"), NAME_CASES)
def test_nursing_name_positions_any_case(engine: RedactionEngine, text: str, name: str) -> None:
    for t, n in zip(variants(text), variants(name), strict=True):
        assert covered(engine, t, n), (t, found(engine, t))


@pytest.mark.parametrize(
    "text",
    [
        "SW following, RN aware. Staff aware. Team aware. pt aware of plan. Family aware.",
        "covering MD aware of low UO. resident aware. Cards aware.",
        "-cont to monitor",
        "fingersticks 140-180, covered per SS insulin. NPH 10u held.",
        "meds held for SBP 80s. Dr. aware.",
        "wife In to visit. son Will call back. a. rn",
    ],
)
def test_nursing_name_cues_leave_clinical_words(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t, "NAME") == [], (t, found(engine, t))


# ---- dates
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("echo on 4-13 showed EF 25%.", "4-13"),
        ("foley d/c'd 6/13, voiding qs.", "6/13"),
        ("bld cx x2 sent 12-20, pending.", "12-20"),
        ("s/p cabg in 2098, admitted with CP.", "2098"),
        ("hx ESRD, on HD since 1985.", "1985"),
        ("dx with lung ca in 2101, s/p lobectomy.", "2101"),
        ("extubated 16 may to 4L NC.", "16 may"),
        ("cxr on 23 mar w/ improving LLL infiltrate.", "23 mar"),
    ],
)
def test_nursing_dates_after_event_words(engine: RedactionEngine, text: str, date: str) -> None:
    for t, d in zip(variants(text), variants(date), strict=True):
        assert covered(engine, t, d), (t, found(engine, t))


@pytest.mark.parametrize(
    "text",
    [
        "on 2-3 pressors overnight.",
        "on 2-4L NC, sats 94-97%.",
        "heparin started 2100, next ptt due 2300.",
        "since 1900 no events. Diagnosed in 2021. s/p cabg. heparin started 2100.",
        "goal in 2000 ml; 2000cc.",
        "pt may need PICC.",
    ],
)
def test_nursing_date_near_misses(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t, "DATE") == [], (t, found(engine, t))


# ---- places
@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("lives with partner in dorchester, retired.", "dorchester"),  # town after a residence cue
        ("pt is from Quenton, retired bus driver.", "Quenton"),
        ("Lives in Harwell Falls with husband.", "Harwell Falls"),
        ("transferred from bmc for cath.", "bmc"),  # hospital abbreviation in a place position
        ("seen at QVH ED yesterday.", "QVH"),
        ("transfer back to st elsewhere hospital once stable.", "st elsewhere hospital"),
        ("transferred to ST. ALDRIC'S for rehab.", "ST. ALDRIC'S"),
        ("Plan: d/c to Bellwether Manor when bed available.", "Bellwether Manor"),
        ("screening for Cedar Hollow Rehabilitation Center.", "Cedar Hollow Rehabilitation Center"),
        ("pt transferred to Corwin 7 from MICU.", "Corwin 7"),
        ("report called to Treat 4.", "Treat 4"),  # a unit named by a word
    ],
)
def test_nursing_places_any_case(engine: RedactionEngine, text: str, place: str) -> None:
    for t, p in zip(variants(text), variants(place), strict=True):
        if t == text.lower() and place == "Treat 4":
            continue  # a known word in a lower-case line: no case to tell a ward from "treat"
        assert covered(engine, t, p), (t, found(engine, t))


@pytest.mark.parametrize(
    "text",
    [
        "transferred to rehab team for eval, likely will need rehab at d/c.",
        "lives alone in apartment; lives in senior housing.",
        "transfer to room 4 on day 3, on lasix 40, to bed 2.",
        "increased to high flow; seen at the ED.",
        "Heart Failure Clinic f/u; pain clinic referral; CARDIAC REHAB.",
        "pt to cath lab; back to MICU; K 3.2, CA 8.4.",
    ],
)
def test_nursing_place_near_misses(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert [s for s in engine.detect(t, "safe_harbor") if s.type == "LOCATION"] == [], (t, found(engine, t))


def test_control_a_name_with_no_cue_is_not_found(engine: RedactionEngine) -> None:
    """Control: the oracle can fail: an unknown word with no cue and the same word after a cue."""
    assert not covered(engine, "the tamsin was fine", "tamsin")
    assert covered(engine, "SW tamsin was fine", "tamsin")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("text,value", [
    ("transferred to Cedar  Hollow  Rehab", "Hollow"),
    ("TRANSFERRED TO CEDAR  HOLLOW  REHAB", "HOLLOW"),
    ("to st  elsewhere  hospital", "elsewhere"),
    ("d/c to halvering  manor", "halvering"),
])
def test_named_facility_with_double_spaces_terminates_and_is_found(engine: RedactionEngine, text: str,
                                                                    value: str) -> None:
    """The nursing facility rule's name may be joined by two spaces: its start is searched leftwards from the
    facility word (searching rightwards never met the name and looped forever: the worker hung)."""
    assert covered(engine, text, value)


# ---- short in-house numbers after a contact word (pagers, cells, extensions written without an area code)
CONTACT_CASES = [
    ("will see pt. page 4-9948 w/ questions.", "4-9948"),
    ("HCP is wife Dana, home # 4-5607, cell 73559.", "73559"),
    ("HCP is wife Dana, home # 4-5607, cell 73559.", "4-5607"),
    ("son called, wants call back at 6-4702.", "6-4702"),
    ("dtr called x2 for update, number 19762.", "19762"),
    ("reached at x4-1187 overnight", "4-1187"),
]
CONTACT_NEAR_MISSES = [
    "page 2 of the MAR reviewed.",  # a page, not a pager
    "cell count 12500 on the tap.",  # a lab value after "cell count"
    "called at 0300 for hypotension.",  # a time
    "number of stools 3-4 today.",
    "phone consult with renal, 1-2 L off with HD.",
    "WBC 12.5, cell 10.2.",
]


@pytest.mark.parametrize("text,value", CONTACT_CASES)
def test_short_numbers_after_a_contact_word_are_phones(engine: RedactionEngine, text: str, value: str) -> None:
    for t in variants(text):
        v = value.upper() if t.isupper() else value
        assert covered(engine, t, v), t


@pytest.mark.parametrize("text", CONTACT_NEAR_MISSES)
def test_numbers_after_contact_words_that_no_phone_takes_stay(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert "PHONE" not in {s.type for s in engine.detect(t, "safe_harbor")}, t


def test_control_the_contact_oracle_fails_without_the_cue(engine: RedactionEngine) -> None:
    assert not covered(engine, "will see him, paper 4-9948 w/ questions.", "4-9948")
    assert not covered(engine, "dtr Dana, 73559, updated.", "73559")
