"""Rule classes found on the second blind nursing corpus (bench/blind2_corpus.py, issue 16): each class is found
in any case, and its near miss (the same shape in clinical prose) is left alone. Asserted through the engine's
analyzer (all detectors, resolved)."""

from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_nursing_rules import covered, found, variants
from tests.redaction.test_stream_open_points import _cuts, _oracle

# ---- phone, pager and extension numbers
PHONE_CASES = [
    ("call Sunil at ext. 41125 w/ any questions", "41125"),  # extension after "ext."
    ("CALL ABEBE AT X 48568 W/ ANY QUESTIONS", "48568"),  # "x" and a space
    ("blood bank called (x4417), 2u prbc ready", "4417"),
    ("call back at 765-734-5978 ext #1-8759", "1-8759"),
    ("report called to Shaniqua on Kessler 6 x5-9901", "5-9901"),  # a ward number, then the extension
    ("son Sal (2-4455) aware of plan", "2-4455"),  # a short number in parentheses after a family name
    ("pt's niece Bobby (#3-6412) would like a call", "3-6412"),
    ("pt's niece Jimmy (93806) would like a call", "93806"),
    ("son Bao (9717) aware of plan", "9717"),  # four digits: after a relation word and a name
    ("report called to esperanza 21353, pt transferred", "21353"),  # after "report called to X"
    ("report called to Bobby #7-7664, pt transferred", "7-7664"),
    ("report given to tyrone 9632, pt transferred", "9632"),  # four digits that are no time of day
    ("she can be reached at 795 359 43 18", "795 359 43 18"),  # digit groups after "reached at"
    ("wants his wife called at 269 477 89 71 before any procedure", "269 477 89 71"),
    ("she can be reached at 977-2080828", "977-2080828"),
    ("cell 215-319-3467, home 4213187115", "4213187115"),  # ten digits after "home"
]


@pytest.mark.parametrize(("text", "number"), PHONE_CASES)
def test_phone_numbers_in_nursing_positions(engine: RedactionEngine, text: str, number: str) -> None:
    for t in variants(text):
        assert covered(engine, t, number), (t, found(engine, t))


@pytest.mark.parametrize(
    "text",
    [
        "wbc 14 x 1000, given 2 x 1000cc boluses.",  # products, not extensions
        "NS bolus x 1000 ml given, x2 today, x 2000 units heparin.",
        "I/O (1500) today, UOP (1200) overnight.",  # four digits in parentheses after a non-relation word
        "plt (12000) this am.",  # a lab value in parentheses
        "report called to 4 north 1900, pt transferred.",  # a time after "report called to"
        "report given to oncoming RN 1915.",
    ],
)
def test_phone_near_misses_left_alone(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t, "PHONE") == [], t


def test_phone_oracle_can_fail(engine: RedactionEngine) -> None:
    """Control: the oracle reports a number that no rule takes as not covered."""
    text = "son Bao 9717 aware of plan"  # four digits without parentheses: no rule
    assert not covered(engine, text, "9717")


# ---- names
NAME_CASES = [
    ("case d/w Dr. Ivanova, Marguerite NP and Adwoa (charge)", "Adwoa"),  # a role in parentheses after a name
    ("2300 spoke w/ wojciech (dtr) at home", "wojciech"),  # a relation in parentheses after a name
    ("visited by Lupe (pt's friend from church)", "Lupe"),
    ("pt seen by PT (Padraig), OOB to chair", "Padraig"),  # a role, then the name in parentheses
    ("rt Abebe suctioned for thick tan secretions", "Abebe"),
    ("Dmitri/Yusuf notified, no new orders", "Dmitri"),  # a slash pair before "notified"
    ("Dmitri/Yusuf notified, no new orders", "Yusuf"),
    ("team (priya/sipho) aware of low uop", "priya"),
    ("team (priya/sipho) aware of low uop", "sipho"),
    ("labs sent, Yaroslav aware K 3.1", "Yaroslav"),  # "aware" after a comma
    ("called will re: labs, K repleted", "will"),  # the person of a call: a name that is a modal verb
    ("CALL TARIQ AT X59441 W/ ANY QUESTIONS", "TARIQ"),
    ("1700 report to Hope on CC7", "Hope"),  # a report hand-off
    ("report called to Sipho, pt transferred", "Sipho"),
    ("Zbigniew from IV team placed 20g L FA", "Zbigniew"),  # a person from a service
    ("spoke with Sunil from pharmacy re vanco trough", "Sunil"),
    ("pt states her name is Chinedu, oriented x2", "Chinedu"),
    ("spoke to Baker family, they will be in at 1000", "Baker"),
    ("dragana R.N.", "dragana"),  # a dotted credential
    ("tol well, Thandiwe R.N.", "Thandiwe"),
    ("k 3.2 repleted\nFerenc\n", "Ferenc"),  # a sign-off line of one name
    ("k 3.2 repleted\nDMITRI.", "DMITRI"),
    ("cont to monitor, -khalid", "khalid"),  # a dash sign-off after a comma
    ("discussed w/ attending dr. may who agrees", "may"),  # a title before a name that is a modal verb
    ("fam mtg today w DR MAY'S TEAM", "MAY"),
    ("tele: afib 80-100s, rate controlled\nMirela WILL RN", "Mirela WILL"),  # sign-off, a name that is a word
    ("no ptx. Chinedu YOUNG RN", "Chinedu YOUNG"),  # capitalised and ALL CAPS parts of one name
    ("MR. adeyemi wants his wife called", "adeyemi"),
    ("granddaughter MANNY and sister present", "MANNY"),  # ALL CAPS after a relation in lower-case prose
]


@pytest.mark.parametrize(("text", "name"), NAME_CASES)
def test_blind2_name_positions(engine: RedactionEngine, text: str, name: str) -> None:
    assert covered(engine, text, name), (text, found(engine, text))


@pytest.mark.parametrize(
    "text",
    [
        "call back at 4 pm, called pharmacy re: dosing, called team re plan.",  # no person after the call
        "report called to MICU team, report given to oncoming RN.",
        "pt rose from chair w/ 2 assist. transfer from rehab today.",  # "from" after prose
        "tylenol (pt's home med) given. foley (placed 3 days ago) draining.",
        "dr will see pt in am. Dr. may call back.",  # modal verbs after a title, a verb follows
        "spoke to the family, they will be in at 1000.",
        "mild MR. cardiology following.",
        "endo: ssri, fs bs 180-220\nneuro: a+ox3\nPlan:\nstable\n",  # headers and one-word lines of prose
        "pt c/o 8/10 back pain, pain 4/10 after dilaudid.",  # pain scores are no dates
        "MICU NSG NOTE 1900-0700\nNPN 0700-1900",  # a shift is no identifier
        "Callum's wife asking about dc date.",  # an inflected verb with a short stem
    ],
)
def test_blind2_near_misses_left_alone(engine: RedactionEngine, text: str) -> None:
    spans = engine.detect(text, "safe_harbor")
    kept = [text[s.start : s.end] for s in spans if text[s.start : s.end] not in ("Callum", "Callum's")]
    assert kept == [], text


def test_names_oracle_can_fail(engine: RedactionEngine) -> None:
    """Control: a name with no cue at all (a modal-verb name mid-sentence) is not covered."""
    text = "pt will need a sitter tonight"
    assert not covered(engine, text, "will")


# ---- dates and places
DATE_PLACE_CASES = [
    ("cath on the 10TH showed 3vd", "10TH"),  # an ordinal day after "on the"
    ("appt w/ dr x on 5th at 10am", "5th"),
    ("12th@1400 repeat lactate 2.1", "12th"),  # an ordinal day before a clock time
    ("cabg planned for sat 2/23", "2/23"),  # a weekday before a month/day
    ("will readdress tuesday 11-2.", "11-2"),
    ("events: 2-20 0300 desat to 82%", "2-20"),  # a month/day before a clock time
    ("bed requested on Gryzmish 8, pending", "Gryzmish 8"),  # a ward after "on"
    ("BED REQUESTED ON FELDBERG 7, PENDING", "FELDBERG 7"),
    ("lives with dtr in DRACUT, baseline ambulates", "DRACUT"),  # an ALL CAPS town in a line with case
    ("pt to return to Attleboro with VNA when stable", "Attleboro"),
    ("seen at FOX RUN CARE CENTER last wk", "FOX RUN CARE CENTER"),  # more facility words
    ("pt was at elmwood health care until 2/25", "elmwood health care"),
    ("transferred from Wexford General for further mgmt", "Wexford General"),
    ("pt's PCP at MARIGOLD TERRACE, fax 617-555-0142", "MARIGOLD TERRACE"),
]


@pytest.mark.parametrize(("text", "value"), DATE_PLACE_CASES)
def test_blind2_dates_and_places(engine: RedactionEngine, text: str, value: str) -> None:
    assert covered(engine, text, value), (text, found(engine, text))


@pytest.mark.parametrize(
    "text",
    [
        "pt to 4th floor, on the 5th attempt, 2nd dose given.",  # ordinals that are no day of the month
        "peep 5 fio2 40% sat 92%. on lasix 40, on day 3, on Lasix 20, on Vanco 1.",
        "on Room 4, on Bed 2. return to baseline, return to OR in am.",
        "in general pt is stable. General Surgery following. regional anesthesia.",
    ],
)
def test_blind2_date_place_near_misses(engine: RedactionEngine, text: str) -> None:
    assert [s for s in engine.detect(text, "safe_harbor") if s.type in ("DATE", "LOCATION")] == [], text


def test_dates_oracle_can_fail(engine: RedactionEngine) -> None:
    """Control: an ordinal with no date cue around it is not a date."""
    assert not covered(engine, "told 2nd tentative", "2nd")


# ---- streaming: every cut of the new shapes holds against every continuation (tests/redaction/test_stream_open_points)
STREAM_SHAPES = [
    "case d/w Marguerite NP and Adwoa (charge)",
    "spoke w/ wojciech (dtr) at",
    "called will re: labs, Dmitri/Yusuf notified",
    "Zbigniew from IV team placed",
    "k 3.2 repleted\nFerenc\nwill recheck lytes.\nDmitri.",
    "report called to esperanza 21353, son Bao (9717) aware",
    "cath on the 10th showed 3vd, bed requested on Gryzmish 8",
]


@pytest.mark.parametrize("text", STREAM_SHAPES)
def test_blind2_shapes_hold_for_every_cut(engine: RedactionEngine, text: str) -> None:
    assert _oracle(engine, _cuts(text)) == []
