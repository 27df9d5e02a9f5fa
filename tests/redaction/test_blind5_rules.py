"""Rule classes found on the fifth blind corpus (bench/blind5_corpus.py: ICU/NICU nursing, hand-off, case-management
and family-meeting notes by a fresh author; issue 16): each class is found in any case, its near miss (the same
shape in clinical prose: devices, eponyms, drugs, kinds of nurse) is left alone, and a control per class shows the
oracle fails without the rule. Asserted through the engine's analyzer (all detectors, resolved)."""

from __future__ import annotations

import pytest

from bench.blind5_corpus import phi_free
from sidecar.redaction.detectors import names
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_nursing_rules import covered, found, variants
from tests.redaction.test_stream_open_points import _cuts, _oracle

NAME_CASES = [
    ("Spoke w/ Frank in pharmacy re: vanco dosing.", "Frank"),  # a name that is a word, after "spoke w/"
    ("CASE MGMT: D/W Buck re: rehab options.", "Buck"),  # "d/w": discussed with
    ("Family meeting 6/2 @ 1345 w/ Carol, Joy, Dr Haddad and SW Olga.", "Joy"),  # a "w/" list
    ("Family meeting 6/2 @ 1345 w/ Carol, Joy, Dr Haddad and SW Olga.", "Carol"),
    ("Pain controlled.\nRose in to visit this evening, tearful.", "Rose"),  # a clause-opening first name
    ("Pain controlled. Dawn would like a call at home if any change.", "Dawn"),
    ("Pain controlled.\nConceicao in to visit, asking questions.", "Conceicao"),  # a name on no list
    ("Sats stable. Hunter and Pat at bedside most of shift.", "Pat"),  # two names before what visitors do
    ("FAMILY: Kavanagh's wife called @ 2100, updated.", "Kavanagh's"),  # a possessive before a relation
    ("cards attending Raposo's team following.", "Raposo's"),
    ("NICU NURSING NOTE, BABY BOY Green\nTwin B Stone on NCPAP +6.", "Green"),  # BABY BOY + a word-like name
    ("NICU NURSING NOTE, BABY BOY Green\nTwin B Stone on NCPAP +6.", "Stone"),
    ("Neuro resident Hall paged, CT head ordered.", "Hall"),  # a role, a name, what staff do
    ("Elder services involved, worker Jian Bell.", "Jian Bell"),
    ("Friend Sunny and pastor Frost visited; pt pleased.", "Frost"),
    ("Covering for Rose during break 1530-1600.", "Rose"),  # the person one covers for
    ("n2n report from Green @ 0700: no acute events.", "Green"),
    ("Paged Bond @ 1800 re: SBP 80s, no call back.", "Bond"),
    ("per Sunny, float RN from Baker 6 covering 1:1.", "Sunny"),
    ("Plan per Green/Donnelly: diurese, recheck lytes.", "Green"),
    ("Coumadin held for INR 3.4.\nacb/rn", "acb"),  # initials signing off
    ("Coumadin held for INR 3.4.\nK.W RN", "K.W"),
    ("Wound care done. M.B. RN", "M.B."),
    ("Pt's son Manuel is HCP; daughter-in-law Heather visits daily.", "Heather"),  # an in-law relation
    ("Lives in Ayer with wife Skip. Husband Chip at bedside.", "Skip"),  # nicknames (data/nicknames.txt)
    ("Lives in Ayer with wife Skip. Husband Chip at bedside.", "Chip"),
    ("Mom asking about circ, to discuss w/ Lombardozzi.", "Lombardozzi"),  # "discuss w/"
    ("Float RN covering 1:1. Dawn and Dimitrios turned pt @ 0400.", "Dimitrios"),  # beside a first name
    ("PER SHARP OK TO GIVE 500CC NS BOLUS.", "SHARP"),  # "per X ok" in capitals
    ("Pt resting comfortably.\ns.w. rn", "s.w."),  # dotted initials that spell a role
    ("Pt resting comfortably.\ngrr/rn", "grr"),  # undotted initials that are a word
]


@pytest.mark.parametrize(("text", "name"), NAME_CASES)
def test_blind5_name_positions(engine: RedactionEngine, text: str, name: str) -> None:
    for t in variants(text):
        n = name.upper() if t.isupper() else name.lower() if t.islower() else name
        assert covered(engine, t, n), (t, found(engine, t))


NEAR_MISSES = [
    "Ambu at bedside. Yankauer at bedside. Jackson-Pratt x2. Penrose removed by team.",  # devices at bedside
    "Trach 8 Shiley, HME on. Salem sump to LIWS. Hickman line site clean.",
    "Wells score low. Ranson 2. Morse fall risk 45. Child-Pugh B. brady x2 self-resolved.",
    "Insulin gtt per Portland protocol, FS 140-180.",  # an eponym after "per"
    "Charge RN aware of plan. Resource RN assisted with transport.",  # the kind of nurse
    "Spoke w/ team re: plan. Discussed w/ pharmacy, ok to give. Met w/ family at bedside.",
    "Temp rose to 101.2. Frank blood per NGT. Will cont to monitor, hope to extubate.",
    "Family in to visit. Pt would like ice chips. MD at bedside for line placement.",
    "Pt's wife updated. Baby boy born at 32 wk, twin A stable on room air.",
    "Resident aware. Fellow following. Report from ED: no acute events. Covering for break.",
    "per protocol, heparin gtt. per pharmacy, ok to give 500cc NS.",
    "Wound care done. ICU RN\nIV RN",  # words that are no initials before a credential
    "Discussed w/ PEG team re: tube. Spoke w/ GI fellow. Spoke w/ pharmacy.",  # a service, not a person, after w/
    "Salem sump to LIWS, Penrose drain removed.",  # eponyms before a device head
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_blind5_name_near_misses(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t, "NAME") == [], (t, found(engine, t))


def test_blind5_phi_free_notes_mostly_untouched(engine: RedactionEngine) -> None:
    notes = phi_free(100)
    altered = sum(bool(engine.detect(r["text"], "safe_harbor")) for r in notes)
    assert altered <= 10, altered


@pytest.mark.parametrize(("text", "name"), [c for c in NAME_CASES[:6] + NAME_CASES[10:21] if c[1] != "Frost"])
def test_control_without_the_blind5_rules_the_names_leak(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch, text: str, name: str
) -> None:
    monkeypatch.setattr(names._Scan, "_visit_list_and_handoff_names", lambda self, named, cued: None)
    t = text.lower()
    assert not covered(engine, t, name.lower()), found(engine, t)


def test_control_the_eponym_files_and_nurse_kinds_are_what_keeps_them() -> None:
    """Control: the near misses' words are on the safe list (data) or unnamed by the kind-of-nurse pass."""
    flags = names.vocabulary()
    assert all(flags.get(w, 0) & names.SAFE for w in ("penrose", "shiley", "hickman", "jackson-pratt", "brady"))


STREAM_SHAPES = [
    "Pain controlled.\nRose in to visit this evening, tearful. Will cont to monitor.",
    "FAMILY: Kavanagh's wife called @ 2100, updated. Sats 96%.",
    "Neuro resident Hall paged, CT head ordered. Plan per Green/Donnelly: diurese.",
    "Coumadin held for INR 3.4.\nacb/rn\nK.W RN",
    "spoke w/ frank in pharmacy re: vanco. per sunny, float rn covering.",
]


@pytest.mark.parametrize("text", STREAM_SHAPES)
def test_blind5_shapes_hold_for_every_cut(engine: RedactionEngine, text: str) -> None:
    assert _oracle(engine, _cuts(text)) == []


def test_control_the_stream_oracle_fails_when_the_open_point_releases_a_name(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: the oracle above can fail: with the name open point releasing every complete word, a name these
    rules find from the word after it ("Hunter" + " visited", "resident hall" + " paged,") is released first."""
    texts = ["pain controlled. Hunter ", "Sats ok. Neuro resident hall ", "FAMILY: stone's "]
    conts = [" visited", " paged, ct ordered", " wife called"]
    assert _oracle(engine, texts, continuations=conts) == []
    assert _oracle(engine, texts, open_at=len, continuations=conts)


PLACE_CASES = [
    ("Pt lives alone at 317 Centre St, Mattapan. PCP Dr Lamb.", "Mattapan"),  # a town after a street address
    ("Lives at 12 Adams Rd, Reading; wife at home.", "Reading"),  # a town that is an English word
    ("Case mgmt: VNA of Dover to resume services.", "Dover"),  # a town after a nursing cue
    ("Elder services in Dracut involved.", "Dracut"),
    ("Son flying in from Ware tomorrow.", "Ware"),
    ("Pt is a 96 y/o widow from Salem, transferred from Carney.", "Salem"),
    ("Her daughter's address is 22 Pond St in Salem.", "Salem"),  # a town that is also a sump's eponym
]


@pytest.mark.parametrize(("text", "place"), PLACE_CASES)
def test_blind5_town_positions(engine: RedactionEngine, text: str, place: str) -> None:
    for t in variants(text):
        p = place.upper() if t.isupper() else place.lower() if t.islower() else place
        assert covered(engine, t, p), (t, found(engine, t))


@pytest.mark.parametrize(
    "text",
    [
        "Son flying in from the airport tomorrow. Elder services in place.",  # no town after the cue
        "BP 120/80, reading from the A-line. Wife from home called.",
        "Drain output 30 cc, Salem sump to LIWS, reading 98% on 2L.",
    ],
)
def test_blind5_town_near_misses(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t, "LOCATION") == [], (t, found(engine, t))


def test_control_without_the_blind5_town_rule_a_town_leaks(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sidecar.redaction.detectors.locations import LocationDetector

    monkeypatch.setattr(LocationDetector, "_towns_after_street_or_visit_cue", lambda self, text, can, out: None)
    assert not covered(engine, "vna of dover to resume services.", "dover")
    assert not covered(engine, "lives at 12 adams rd, reading; wife at home.", "reading")


PLACE_STREAM_SHAPES = [
    "Case mgmt: VNA of Dover to resume services. Lives at 12 Adams Rd, Reading; wife at home.",
    "son flying in from ware tomorrow. pt is a 96 y/o widow from salem.",
]


@pytest.mark.parametrize("text", PLACE_STREAM_SHAPES)
def test_blind5_place_shapes_hold_for_every_cut(engine: RedactionEngine, text: str) -> None:
    assert _oracle(engine, _cuts(text)) == []
