"""Known miss classes of the name, place and date detectors (issue 16), closed by class: each class is found in
any case, its near misses (the same shape in clinical prose) are left alone, and a control per class shows the
test fails on the old behaviour. Asserted through the engine's analyzer (all detectors, resolved)."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import names
from sidecar.redaction.detectors.dates import DateDetector
from sidecar.redaction.detectors.locations import LocationDetector
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings
from tests.redaction.conftest import KEY
from tests.redaction.test_nursing_rules import covered, found, variants
from tests.redaction.test_stream_open_points import _cuts, _oracle


def assert_found_in_every_case(engine: RedactionEngine, text: str, value: str, upper_only: bool = False) -> None:
    """``value`` is redacted in ``text`` as written, in capitals and (unless ``upper_only``) in lower case."""
    for t in (text, text.upper()) if upper_only else variants(text):
        v = value.upper() if t.isupper() else value.lower() if t.islower() else value
        assert covered(engine, t, v), (t, found(engine, t))


def assert_no_finding_in_any_case(engine: RedactionEngine, text: str, type_: str) -> None:
    """No ``type_`` finding in ``text`` as written, in capitals or in lower case."""
    for t in variants(text):
        assert found(engine, t, type_) == [], (t, found(engine, t))


# ---- 1. rare dictionary words as names in a strong name position (the frequency tier)
# the names are safe-list words (web2) that are rare in real English use
TIER_CASES = [
    ("Son Goran called, updated on plan.", "Goran"),  # relation word
    ("Brother Yaw at bedside this evening.", "Yaw"),
    ("Pt's wife is Sora, she is HCP.", "Sora"),  # relation word + "is"
    ("HCP: Bola (niece) aware of plan.", "Bola"),  # relation word as a label
    ("Spoke with Ife re: goals of care.", "Ife"),  # contact verb + link
    ("Paged Ulla re: K 3.1, repleted.", "Ulla"),  # contact verb
    ("Dr. Taro aware of low UO.", "Taro"),  # strong title
    ("Pt resting.\nUlla RN", "Ulla"),  # sign-off
]


TIER_NEAR_MISSES = [
    "Son visited today. Wife aware of plan. Daughter tearful at bedside. Sister updated by phone.",
    "Husband anxious, asking questions. Brother supportive. Son upset. Daughter teary.",
    "Insulin per wean protocol. Examined coccyx: stage 2. Called to triage. Seen by derm.",
    "Spoke with neurosurgery. Discussed with ortho. Paged heme/onc. Notified nephrology.",
    "Bolus given, sputum thick, yaw of the bed adjusted, taro root in diet.",  # rare words in free text
]


def test_clinical_words_stay_common_whatever_their_frequency() -> None:
    """Medical words are rare in general English: the tier keeps them (shape, abbreviation expansions, lists)."""
    assert not any(names.rare_word(w) for w in ("neurosurgery", "nephrology", "derm", "heme", "ortho"))
    assert all(names.rare_word(w) for w in ("goran", "yaw", "ulla", "bola"))


@pytest.mark.parametrize(("text", "name"), [c for c in TIER_CASES if c[1] != "Taro"])
def test_control_without_the_tier_rare_names_leak(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch, text: str, name: str
) -> None:
    monkeypatch.setattr(names, "rare_word", lambda low: False)
    t = text.lower()
    assert not covered(engine, t, name.lower()), found(engine, t)


def test_tier_shapes_hold_for_every_cut(engine: RedactionEngine) -> None:
    text = "son goran called. BROTHER YAW AT BEDSIDE. spoke with ife re plan.\nulla rn"
    assert _oracle(engine, _cuts(text)) == []


# ---- 4. hyphenated month-day dates after a date cue
DATE_CASES = [
    ("Cx from 8-2 with GNR, abx broadened.", "8-2"),
    ("last drink 1-18, CIWA started.", "1-18"),
    ("BCX 9-30 NGTD.", "9-30"),
    ("f/u 9-30 w/ PCP.", "9-30"),
    ("Pt fell 3-14 at home.", "3-14"),
    ("cx from 8-2 to 8-5 neg.", "8-5"),  # the second half of a date range
]


DATE_NEAR_MISSES = [
    "weaned from 4-6 L. pain from 8-10 to 4. HR from 8-10 to 12.",  # ranges after "from"
    "Sitter from 7-4, then from 11-3. Cx from 8-10 to 4 colonies.",  # clock hours: "from" alone is no cue
    "from 2-3 L NC, 8-10 units, q4-6h, 2-3 L.",
    "sz 2-3 times. pending 2-3 days. drink 2-3 beers a day. fall 2-3 x/wk.",
]


def test_control_without_the_cue_the_dates_leak(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DateDetector, "_km_cued", staticmethod(lambda text, m: False))
    fresh = RedactionEngine(RedactionSettings(unknown_content_type="withhold"), KEY)
    assert not any(covered(fresh, t, d) for t, d in DATE_CASES[:5])


def test_date_shapes_hold_for_every_cut(engine: RedactionEngine) -> None:
    assert _oracle(engine, _cuts("cx from 8-2 with gnr. last drink 1-18. F/U 9-30.")) == []


# ---- 2. facilities with no facility word after a communication or transfer cue; named wards
PLACE_CASES = [
    ("Case mgmt: referral faxed to Maristhill, awaiting bed.", "Maristhill"),  # a word on no list
    ("Packet sent to Bellwether today.", "Bellwether"),  # a rare safe-list word (the tier)
    ("Screened by Lindenwood liaison.", "Lindenwood"),
    ("Nursing Progress Note, Baker 6", "Baker 6"),  # a named ward after a note heading
    ("Pt back to floor Corwin 7 after CT.", "Corwin 7"),  # after a ward cue
    ("NPN Corwin 7: stable night.", "Corwin 7"),
    ("Report given, pt to floor Marigold 4.", "Marigold 4"),  # a ward named by a rare word
]


PLACE_NEAR_MISSES = [
    "Faxed to PCP. Sent to CT. Sent to lab. Faxed to pharmacy. Sent to rehab. Referral sent to VNA.",
    "Sent to Pharmacy. Faxed to Cardiology. Sent to the floor. Sent to PACU. Transferred to MICU.",
    "Floor 6, unit 5. Progress Note, Day 3. Floor Lasix 20 given. 5 West. NPN Bed 4.",  # generic units
    "Sent to him. D/C to home. D/C to SNF. Accepted to acute rehab. Back to the floor.",
]


# ---- 3. towns that are words, before ", ST" after a residence or origin cue (a state in capitals: no lower case)
TOWN_NEAR_MISSES = [
    "In pain, MD aware. Echo: mild MR, AR. K, CA repleted.",
    "Moved to chair, PA notified. in bed, NP aware.",
]
TOWN_CASES = [
    ("Pt from Hope, AR.", "Hope, AR"),
    ("Lives in Friendship, ME with wife.", "Friendship, ME"),
    ("found down at home in Paradise, NV 89109.", "Paradise, NV"),
]


def test_control_without_the_known_miss_places_they_leak(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LocationDetector, "_known_miss_places", lambda self, text, can, out: None)
    leaked = [("faxed to maristhill.", "maristhill"), ("Progress Note, Baker 6", "Baker 6"), ("from Hope, AR.", "Hope")]
    assert not any(covered(engine, t, v) for t, v in leaked)


def test_place_shapes_hold_for_every_cut(engine: RedactionEngine) -> None:
    text = "referral faxed to maristhill, awaiting bed.\nNursing Progress Note, Baker 6\npt from Hope, AR."
    assert _oracle(engine, _cuts(text)) == []


# ---- 5. eponymous scales without their noun; ages over 89 as the complement of "pt is"
EPONYM_NEAR_MISSES = [
    "SAH: Hunt and Hess 3, Fisher 2. Glasgow 14. Morse fall risk 45. Braden 18.",
    "SAH, Hunt Hess 3, Fisher 3. HUNT HESS 2 ON ADMISSION.",  # the scale without "and" (blind 8)
]
AGE_CASES = [
    ("PT IS 93, LIVES ALONE.", "93"),
    ("pt is ninety three", "ninety three"),
    ("She was 101 when admitted.", "101"),
]
AGE_NEAR_MISSES = ["pt is 93% on RA. she is 97.5. pt is 92 on 2L. he was 95 kg. pt is 95/60. pt is 90 and 100."]


def test_a_cue_keeps_the_eponyms_words_names(engine: RedactionEngine) -> None:
    assert covered(engine, "Son Hess called. Ms Hunt and Hess aware.", "Hess")
    assert covered(engine, "Ms Hunt and Hess aware.", "Hess")


def test_control_without_the_inner_eponym_rule_hess_is_a_name(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(names._Scan, "_drop_inner_eponyms", lambda self, named: None)
    assert found(engine, "SAH: Hunt and Hess 3.", "NAME") == ["Hess"]


def test_control_without_the_age_rule_pt_is_93_leaks(monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar.redaction.detectors import patterns

    monkeypatch.setattr(patterns, "_KM_AGE", patterns.re.compile(r"(?!)"))
    fresh = RedactionEngine(RedactionSettings(unknown_content_type="withhold"), KEY)
    assert not covered(fresh, "PT IS 93, LIVES ALONE.", "93")


def test_age_shapes_hold_for_every_cut(engine: RedactionEngine) -> None:
    assert _oracle(engine, _cuts("PT IS 93, lives alone. pt is 92 on 2L. pt is ninety three.")) == []


# ---- every class: found in every case; near misses left alone
FOUND = [(t, v, False) for t, v in TIER_CASES + DATE_CASES + PLACE_CASES + AGE_CASES]
FOUND += [(t, v, True) for t, v in TOWN_CASES]
NEAR_MISSES = [(t, "NAME") for t in TIER_NEAR_MISSES + EPONYM_NEAR_MISSES] + [(t, "DATE") for t in DATE_NEAR_MISSES]
NEAR_MISSES += [(t, "LOCATION") for t in PLACE_NEAR_MISSES + TOWN_NEAR_MISSES] + [(t, "AGE") for t in AGE_NEAR_MISSES]


@pytest.mark.parametrize(("text", "value", "upper_only"), FOUND)
def test_known_miss_classes_are_found(engine: RedactionEngine, text: str, value: str, upper_only: bool) -> None:
    assert_found_in_every_case(engine, text, value, upper_only)


@pytest.mark.parametrize(("text", "type_"), NEAR_MISSES)
def test_near_misses_are_left_alone(engine: RedactionEngine, text: str, type_: str) -> None:
    assert_no_finding_in_any_case(engine, text, type_)
