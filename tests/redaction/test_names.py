"""Names in any case, from lexicons guarded by the safe list and by cues (unit level, the detector alone), and
the stream contract ``open_at`` on the detector."""

from __future__ import annotations

import random

import pytest

from bench.clinical_corpus import corpus
from sidecar.redaction.detectors.names import NameDetector


@pytest.fixture(scope="module")
def names() -> NameDetector:
    return NameDetector()


def found(det: NameDetector, text: str) -> list[str]:
    return [text[s.start : s.end] for s in det.detect(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # titles in any case and spacing
        ("DR SMITH AWARE OF LABS", "SMITH"),
        ("dr garcia aware of labs", "garcia"),
        ("seen by mrs. Johnson today", "Johnson"),
        ("Dr.Patel called back", "Patel"),
        ("paged Dr Xylophon re: K", "Xylophon"),  # unknown word after a title
        # credentials after and before
        ("Jane Smith RN", "Jane Smith"),
        ("J SMITH RN", "J SMITH"),
        ("Signed: Maria Lopez, RN", "Maria Lopez"),
        ("pt seen by NP Okafor", "Okafor"),
        ("pt evaluated by HO Kissack, plan", "Kissack"),
        ("T. Pioske, PA-C pgr 61007", "T. Pioske"),
        # relation words, with ambiguous names and unknown words
        ("spoke with dtr Mary re: plan", "Mary"),
        ("wife Rose at bedside", "Rose"),
        ("friend Hope called", "Hope"),
        ("HCP: Kowalski aware", "Kowalski"),
        ("dtr xzyla present", "xzyla"),
        ("son Brian and daughter Kelly visited", "Brian"),
        ("son Brian and daughter Kelly visited", "Kelly"),
        # lists, initials, O'/Mc/hyphen, lexicon names alone in any case
        ("Dr. Sette and Malory in to see pt", "Malory"),
        ("Mr. O'Neil and Ms. Smith-Jones", "Smith-Jones"),
        ("o'brien at bedside", "o'brien"),
        ("MARY and JOHN at bedside", "MARY"),
        ("nguyen family at bedside", "nguyen"),
        ("John Q. Public", "John Q. Public"),
        ("J. Brown called", "J. Brown"),
        ("reviewed with Smith J. today", "Smith J."),
        ("PATIENT NAME: BLANSETT, GLENNA  MRN 58157298", "BLANSETT, GLENNA"),
        ("Dictated by: Trena Stofer, MD", "Trena Stofer"),
        ("Pt seen by Dr. Gump-Goodine today", "Dr. Gump-Goodine"),
        # a strong title before any word written as a name, in a mixed line or ALL CAPS; its list and surname
        ("Discussed with DR. Obermeier re: low UOP.", "DR. Obermeier"),
        ("DR. STAMPS AND WILLES IN TO SEE PT.", "DR. STAMPS"),
        ("DR. STAMPS AND WILLES IN TO SEE PT.", "WILLES"),
        ("PCP DR. SHELBA SANGES AT CLINIC", "DR. SHELBA SANGES"),
        ("dr. hope at bedside", "dr. hope"),
        # sign-offs: a line of names ending in a credential, any case
        ("neg. \nnovella wickings rn\n", "novella wickings"),
        ("dtr stacy. \ntula valrey pa\n", "tula valrey"),
        ("Patient: Jenifer Koller-Ridges  MRN: 2262104", "Jenifer Koller-Ridges"),
        # every relation word of the issue, in any case
        ("husband Bob at bedside", "Bob"),
        ("SISTER ANN CALLED", "ANN"),
        ("proxy: Jane aware", "Jane"),
        ("HCP is son Tom", "Tom"),
        ("pt's daughter, Lisa, called", "Lisa"),
        ("called dtr (Mary)", "Mary"),
        # single initials after a title, credentials before a name
        ("seen by Dr. K today", "Dr. K"),
        ("d/w Dr Z re plan", "Dr Z"),
        ("covering PA Rhee", "Rhee"),
        ("per RN Sue, pt slept", "Sue"),
        ("RN: B. Ortiz", "B. Ortiz"),
        ("TO SEE DR. MCKENZIE", "DR. MCKENZIE"),
    ],
)
def test_finds_names(names: NameDetector, text: str, name: str) -> None:
    got = found(names, text)
    assert any(name in g for g in got), got


@pytest.mark.parametrize(
    "text",
    [
        "Will see pt in AM. Mark the site. Grant funding ended.",
        "daughter called, wife present, son at bedside",
        "K, CA and Mg repleted per sliding scale",
        "Echo with EF 35-40%, mild MR. Cardiology following.",
        "Wells score of 3, Graves' disease, Lou Gehrig's disease, Kawasaki disease",
        "Will f/u with PCP in 1-2 weeks. Foley to gravity. Lines: R IJ TLC.",
        "Vitals stable overnight; continue current regimen and reassess in the morning.",
        "Discussed risks and benefits of anticoagulation; patient agrees with the plan.",
        "Updated guidelines for post-op care in a 45-year-old with first-line therapy",
        "paged covering MD re: low UOP",
        "dr aware of k 3.2; Dr. aware; DR. AWARE.",
        "DR. AWARE OF PLAN; seen by the team and family, staff aware",
        "Chest PA\nWound care RN\n",
        "pt is post-op day 2, s/p left-sided repair",
        "MS CHANGES NOTED. mild MR. Cardiology following.",
    ],
)
def test_leaves_words_alone(names: NameDetector, text: str) -> None:
    assert found(names, text) == []


def test_control_the_safe_list_is_what_keeps_words_alone() -> None:
    """Control: without the safe list, the same cue positions take ordinary words as names (the oracle above
    can fail)."""
    det = NameDetector()
    det._flags = {w: f & ~4 for w, f in det._flags.items()}  # SAFE cleared
    assert found(det, "wife present at bedside") == ["present"]
    assert found(NameDetector(), "wife present at bedside") == []


def test_reach_is_bounded(names: NameDetector) -> None:
    """John + 120 spaces + Smith is never one candidate of unbounded length (Smith alone is ambiguous)."""
    text = "John" + " " * 120 + "Smith"
    spans = list(names.detect(text))
    assert all(s.end - s.start <= names.reach for s in spans)
    assert [text[s.start : s.end] for s in spans] == ["John"]


def _contract_holds(det: NameDetector, text: str, cut: int) -> None:
    prefix = text[:cut]
    i = det.open_at(prefix)
    assert 0 <= i <= len(prefix)
    full = {(s.start, s.end) for s in det.detect(text)}
    pre = {(s.start, s.end) for s in det.detect(prefix)}
    # what is decided left of i is the same whatever follows
    assert {s for s in full if s[0] < i} == {s for s in pre if s[0] < i}, (prefix[-60:], i)


def test_open_at_on_generated_notes(names: NameDetector) -> None:
    rng = random.Random(5)
    for rec in corpus(24, seed=21):
        text = rec["text"]
        for cut in sorted({rng.randrange(1, len(text)) for _ in range(40)}):
            _contract_holds(names, text, cut)


@pytest.mark.parametrize(
    "text",
    ["Discussed with Jane Smith RN", "spoke with dtr Mary Ann Xzyla today", "seen by Dr. Smith and Garcia", "J. Brown"],
)
def test_open_at_every_cut(names: NameDetector, text: str) -> None:
    for cut in range(1, len(text) + 1):
        _contract_holds(names, text, cut)


def test_open_at_releases_prose(names: NameDetector) -> None:
    text = "Vitals stable overnight; continue current regimen and reassess in the morning. "
    assert names.open_at(text) == len(text)
    assert names.open_at("continue current regimen and reas") >= len("continue current regimen and ")


def test_open_at_control_greedy_release_breaks_the_contract(names: NameDetector) -> None:
    """Control: releasing everything (open_at = len) would break the property on a name cut in half."""
    # lower case: two capitalised words on no list are a name on their own in prose (``_name_runs``)
    text = "note by xzyla qwerty rn"
    prefix = text[: len("note by xzyla qwerty")]
    full = {(s.start, s.end) for s in names.detect(text)}
    pre = {(s.start, s.end) for s in names.detect(prefix)}
    greedy = len(prefix)
    assert {s for s in full if s[0] < greedy} != {s for s in pre if s[0] < greedy}


def test_engine_finds_any_case_names_and_places_deep_in_long_texts() -> None:
    """The analyzer's prefilter narrows long texts to trigger regions; names and places gate themselves
    (any case), so a lower-case name or address in 100 KB of prose is still found through the engine."""
    from sidecar.redaction.engine import RedactionEngine
    from sidecar.redaction.settings import RedactionSettings

    from .conftest import KEY

    eng = RedactionEngine(RedactionSettings(), KEY)
    prose = "Vitals stable overnight; continue current regimen and reassess in the morning. " * 600
    text = prose + "spoke with dtr xzyla at 4821 wisteria lane today. " + prose
    got = {text[s.start : s.end]: s.type for s in eng.detect(text, "safe_harbor")}
    assert got.get("xzyla") == "NAME" and got.get("4821 wisteria lane") == "ADDRESS", got


def test_control_without_self_gating_the_prefilter_hides_lower_case_names() -> None:
    """Control: were the name detector left to the prefilter's regions, the lower-case name would be missed."""
    from sidecar.redaction.engine import RedactionEngine
    from sidecar.redaction.settings import RedactionSettings

    from .conftest import KEY

    eng = RedactionEngine(RedactionSettings(), KEY)
    for det in eng.analyzer._detectors:
        if det.name == "names":
            det.gates_itself = False  # type: ignore[misc]
    prose = "Vitals stable overnight; continue current regimen and reassess in the morning. " * 600
    text = prose + "spoke with dtr xzyla today. " + prose
    assert "xzyla" not in {text[s.start : s.end] for s in eng.detect(text, "safe_harbor")}
