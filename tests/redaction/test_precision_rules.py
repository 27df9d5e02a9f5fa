"""Precision by class (issue 16): PHI-free clinical shapes that read as PHI are left alone, in every case, and
each class has a recall control (the same shape holding real PHI is still redacted). Asserted through the
engine's analyzer (all detectors, resolved), plus the PHI-free corpus row of ``bench.redaction_eval``."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from bench.blind4_corpus import phi_free as blind4_phi_free
from bench.phifree_corpus import phi_free
from sidecar.redaction.detectors import dates, locations, names, patterns
from sidecar.redaction.detectors.names import eponym_terms
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.echo_e2e import check, echo, echo_streamed
from tests.redaction.test_nursing_rules import covered, found, variants
from tests.redaction.test_stream_divergences import assert_stream_equals_whole

# ---- eponyms: a bare name reading of a known eponymous term is the eponym
EPONYM_FREE = [
    "ALLEN TEST NEG PRIOR TO ABG, RADIAL A-LINE PLACED",  # first name + a surname-listed head word
    "Allen test positive on the left.",
    "negative Babinski, Romberg positive, Homans sign neg",
    "OOB to chair with Hoyer lift, Jackson-Pratt drain to bulb suction",
    "Swan-Ganz catheter in place, Salem sump to LWS, Stryker frame",
    "H/O MORSE FALL SCORE 45, BRADEN 14",  # a slash abbreviation's letter before the eponym
    "S/P CHEYNE STOKES overnight",
    "h/o Wegener, Goodpasture ruled out, Ewing sarcoma in remission",
    "Austin Flint murmur, Osler nodes and Janeway lesions noted",
    "placed in reverse Trendelenburg; Leopold maneuvers done",
    "s/p Whipple, Nissen fundoplication and Roux-en-Y; Kussmaul respirations",
]
# the same words as a person's name: a cue, a surname after the first name, a title
EPONYM_NAMES = [
    ("Allen Smith at bedside, updated on plan.", "Allen Smith"),
    ("DR ALLEN AWARE OF ABG", "ALLEN"),
    ("Dr. Romberg paged re: pressures.", "Romberg"),
    ("Mrs Hoyer called for update.", "Hoyer"),
    ("daughter Maria Block visiting.", "Maria Block"),
    ("Maria Block visiting, questions answered.", "Maria Block"),
    ("ALLEN TEST NEG. SPOKE WITH ALLEN GRANT RN", "ALLEN GRANT"),
    ("including Jeremy Hartmann of Gradiant Research", "Jeremy Hartmann"),  # an eponym word after a first name
    ("morse fall score 45; Rizalina O'Rourke, licsw", "Rizalina O'Rourke"),  # a name after a dropped eponym
]




def test_eponym_terms_are_read_from_the_data_file() -> None:
    terms = eponym_terms()
    assert ("allen", "test") in terms["allen"]
    assert ("allen", "tests") in terms["allen"]  # the plural of the last word
    assert ("osborn", "wave") in terms["osborn"] and ("osborn", "wavess") not in terms["osborn"]
    assert "garcia" not in terms  # a surname alone is no eponym


# ---- relation words after a credential; clinical shorthand in a name position
CUE_FREE = [
    "son updated by RN HUSBAND AWARE OF PLAN",
    "SEEN BY HO RECS APPRECIATED",
    "seen by PT/OT, recs appreciated; DR AWARE; WIFE AWARE",
    "PT TO OR THIS AM. SENT TO CT FOR HEAD CT. FROM PACU AT 1600. CALLED HO RE: LOW UO.",
]
CUE_NAMES = [
    ("RN Okafor aware of plan.", "Okafor"),
    ("RN Husband at bedside", "Husband"),  # written as a name in a line with case
    ("seen by HO Gallagher overnight", "Gallagher"),
]




# ---- departments, abbreviations and time words after place cues
PLACE_FREE = [
    "transferred from interventional radiology this am",
    "TRANSFERRED FROM EP LAB OVERNIGHT",
    "will transfer to central supply when bed available",
    "will transfer to blood bank when bed available",
    "sent to xray for CXR",
    "Drainage noted from Previous CATH site.",
    "Chvostek sign checked prior to ABG UCx VF. x 17 hrs",
    "zoloft 20 mg po x 2 doses. morse fall score 45",
    "Pt from Outside Hospital ED with STEMI, to Cath Lab emergently.",  # generic words before a facility word
    "Pt transferred to Floor 7 telemetry, discharged to Rehab with VNA services.",
    "Pt went to Nuclear Med for HIDA scan.",
    "CALLED HOUSE OFFICER RE: SBP 85",  # an inflected cue word is a known word
    "PT TRANSFERRED TO 6 NORTH AT 1500 VIA WHEELCHAIR.",
]
PLACE_PHI = [
    ("transferred from Lahey this am", "Lahey"),
    ("transferred from Lahey overnight", "Lahey"),
    ("TRANSFERRED FROM BAYSTATE LAB OVERNIGHT", "BAYSTATE"),
    ("transferred from Mount Auburn overnight", "Mount Auburn"),
    ("seen at Mount Sinai ICU", "Mount Sinai"),
    ("Patient lives at 45 Stony Brook Fall, Keene NH", "45 Stony Brook Fall"),
    ("lives at 12 Main St. Apt 4", "12 Main St. Apt 4"),
    ("Recently visiting family in Port China DC.", "Port China DC"),  # a state code is no clinical abbreviation
    ("transferred from Massachusetts General Hospital", "Massachusetts General Hospital"),
    ("discharged to Hebrew Rehab", "Hebrew Rehab"),
    ("transferred to Baystate Medical Center", "Baystate Medical Center"),
    ("pt moved to Fennimore House", "Fennimore House"),
    ("lives at 12 via Roma", "12 via Roma"),
    ("admitted to City Hospital on April 14", "City Hospital"),  # words facility names are made of
    ("seen at General Hospital, diagnosed w/ CHF", "General Hospital"),
    ("treated at Brigham and Women's Hospital, Boston", "Women's Hospital"),
]




# ---- counts, intake/output and shifts are no dates or identifiers
NUMBER_FREE = [
    "1. VANCOMYCIN 1 G IV Q12H, DAY 11/14\n2. ZOSYN",
    "cefepime day 12/14, afebrile",
    "HUSBAND AWARE OF PLAN, 2300-1100 shift uneventful",
    "md aware of plan.\no: i/o 3208/2284, uo 36-270 cc/hr.",
    "I/O 3199/2161, TV 500 X 14, PEEP 5, 12/10/40%, 2-3L NC, percocet 5/325 Q4-6H",
    "Apgars 8/9, Ballard 38 wks.",
]
NUMBER_PHI = [
    ("seen in clinic on 11/14, plan to return", "11/14"),
    ("last seen 12/10 by PCP", "12/10"),
    ("plan 2300-1100", "2300-1100"),  # a tight identifier cue right before
    ("insurance: 3208/2284", "3208/2284"),
    ("call daughter at 555-1234", "555-1234"),
]




# ---- what is not PHI in model answers (issue 16): countries, states and world regions alone; organisations and
# publications; eponymous methods and evidence sources
GEO_FREE = [
    "JAMA Internal Medicine published a cohort study from Denmark and Sweden.",
    "NICE guidelines in England differ from those in Canada and Australia.",
    "In Germany, Austria and Switzerland the insurer covers most of the cost.",
    "Hypothyroidism is common in the United States and in New Zealand.",
    "condition: Crohn's disease\nregion: Poland\nsource: The Lancet",
    "region: Georgia",  # a state that is also a first name, after a geography label
    "He was born in Jordan and moved from Kenya to Ireland.",  # countries that are first names, after "in"
    "Prevalence is highest across Scandinavia and Latin America.",
]
GEO_PHI = [
    ("son Jordan flying in from Avon tomorrow", "Jordan"),  # a relation word names the person
    ("Dr. England aware of plan.", "England"),  # a title
    ("Chad Okafor in to visit, updated.", "Chad Okafor"),  # a surname beside the country
    ("talked to Jordan re: plan", "Jordan"),  # a first name with no place cue stays a name
    ("HCP IS JORDAN", "JORDAN"),
    ("parents anjali and jordan in for cares", "jordan"),
    ("Send it to 5586 Lindenweg 31, Arnsdorf, Germany", "Germany"),  # a country that ends an address is kept
]
BODY_FREE = [
    "The American Heart Association and the American College of Cardiology updated their guideline.",
    "The Mayo Clinic Proceedings article was cited by Harvard Health Publishing.",
    "The World Health Organization and the CDC publish vaccine schedules.",
    "According to the New England Journal of Medicine, the trial met its primary endpoint.",
    "A Cochrane review in The Lancet found no benefit.",
    "source: Cochrane Library",
    "The Kaplan-Meier curves separated early; a Cox model and a Mann-Whitney test agreed.",
]
BODY_PHI = [
    ("seen at Mayo Clinic in March for a second opinion", "Mayo Clinic"),  # a clinic where the patient was seen
    ("Dr. Wexler journal club at noon", "Wexler"),  # a cue keeps the name before a publication word
    ("A. Cochrane reviewed the chart", "A. Cochrane"),  # an initial with its period is no article
    ("transferred to Harbor View Rehabilitation Center", "Harbor View Rehabilitation Center"),
]

# ---- clinical documents: a lettered list of specimen parts; a report clause after a participle
LETTER_FREE = [
    "FINAL DIAGNOSIS:\nA. Colon, sigmoid, biopsy: tubular adenoma.\nB. Lymph nodes 0/12.",
    "fluid bolus 1l given, np aware, will reassess at 2000",  # (lower case and as written: see below)
]
RHYTHM_FREE = [  # "SR" after a rhythm word is sinus rhythm, not the title "Sr."
    "pacer VVI 80, wires capped, underlying SR mon labs drawn",
    "pacer vvi 80, wires capped, underlying sr. babinski neg bilat, perrl 3-2mm brisk.",
]
LETTER_PHI = [
    ("spoke to Sr. Agnes, chaplain", "Agnes"),  # the title after a word that is no rhythm word
    ("chaplain Sr. Mary Okafor visited", "Mary Okafor"),
    ("Staff:\nA. Colon", "A. Colon"),  # a heading of people: the letter and word are an initial and a surname
    ("Specimens:\nA. Colon\nB. Okonkwo", "Okonkwo"),  # a name on its own stays one in a lettered list
    ("pt seen by rose, np aware", "rose"),  # a first name before the credential
    ("seen by brown, np aware", "brown"),  # no participle
    ("Seen by Jane Smith, NP aware of plan", "Jane Smith"),
]


def _old_precision(monkeypatch: pytest.MonkeyPatch) -> None:
    """The behaviour before the rules above: countries, bodies and sentence articles read as names and places."""
    monkeypatch.setattr(names._Scan, "_drop_countries", lambda self, named: None)
    monkeypatch.setattr(names._Scan, "_drop_bodies", lambda self, named: None)
    monkeypatch.setattr(names._Scan, "_sentence_article", lambda self, i: False)
    monkeypatch.setattr(names._Scan, "_drop_list_letters", lambda self, named: None)
    monkeypatch.setattr(names._Scan, "_reporting_role", lambda self, k: False)
    monkeypatch.setattr(names._Scan, "_rhythm_sr", lambda self, k: False)
    monkeypatch.setattr(locations, "_countries", lambda text, sp: False)
    monkeypatch.setattr(locations, "_body", lambda text, sp: False)
    monkeypatch.setattr(names, "eponym_terms", functools.cache(lambda: _OLD_EPONYMS))


_OLD_EPONYMS = {
    w: tuple(t for t in ts if t[0] not in ("kaplan-meier", "cochrane", "cox", "mann-whitney"))
    for w, ts in eponym_terms().items()
}


def test_control_the_old_rules_alter_every_answer(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: with the rules off, each PHI-free shape of this class is altered (the test above can fail)."""
    _old_precision(monkeypatch)
    texts = [t for t in GEO_FREE + BODY_FREE + LETTER_FREE + RHYTHM_FREE if "Latin" not in t]
    assert all(found(engine, t) for t in texts), [t for t in texts if not found(engine, t)]


@pytest.mark.parametrize(
    "text",
    [
        "NICE guidelines in England differ from those in Canada. Spoke with daughter Signe Xu in Leeds.",
        "region: Georgia\nHCP IS JORDAN. The Mayo Clinic Proceedings article; seen at Mayo Clinic.",
    ],
)
def test_streams_equal_whole_around_countries_and_bodies(engine: RedactionEngine, text: str) -> None:
    assert_stream_equals_whole(engine, text)


@pytest.mark.parametrize("text", LETTER_FREE)
def test_document_shapes_are_left_alone(engine: RedactionEngine, text: str) -> None:
    for t in (text, text.lower()) if text[0].isupper() else (text,):
        assert found(engine, t) == [], t


# ---- every class in every case: the PHI-free shape is left alone, the same shape with PHI is redacted
@pytest.mark.parametrize(
    "text", EPONYM_FREE + CUE_FREE + PLACE_FREE + NUMBER_FREE + GEO_FREE + BODY_FREE + RHYTHM_FREE
)
def test_phi_free_shapes_are_left_alone(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t) == [], t


@pytest.mark.parametrize(
    ("text", "value"), EPONYM_NAMES + CUE_NAMES + PLACE_PHI + NUMBER_PHI + GEO_PHI + BODY_PHI + LETTER_PHI
)
def test_the_same_shapes_with_phi_are_redacted(engine: RedactionEngine, text: str, value: str) -> None:
    # the recall control of each precision rule; names and places also in ALL CAPS and lower case
    texts = variants(text) if (text, value) in EPONYM_NAMES else [text]
    for t in texts:
        v = value.upper() if t.isupper() else value.lower() if t.islower() else value
        assert covered(engine, t, v), (t, found(engine, t))


# ---- session 13: instruments named after places, wayfinding letters, state health plans, hyphenated eponyms on a
# line of their own, billing codes in texts without case
INSTRUMENT_FREE = [
    "groin site dry. King's College criteria. c diff neg",  # a place before a criteria/score/scale word
    "nicu npn braden 12. cont abx",  # an eponymous scale and its value after a note heading
    "Park the car in Lot B and take Elevator C to Level 2.",  # a site part and a letter
    "Texas Medicaid and Florida Blue have different prior authorization rules.",  # a state's health plan
    "CVP 12.\nROUX-EN-Y.\nPT STATES HE HAS NO FAMILY NEARBY.",  # a hyphenated eponym alone on a line
    "will bill for prolonged service (99417). no new orders",  # a billing clause before the code
    "blood cx 2/4 GPC in clusters, id aware",  # bottles grown of a culture set, before a Gram stain
]
INSTRUMENT_PHI = [
    ("seen at King's College Hospital in March", "King's College Hospital"),  # no instrument word after it
    ("floor Braden 6 tonight", "Braden 6"),  # after floor/unit/ward a scale's word stays a ward's name
    ("NPN Baker 6: pt stable", "Baker 6"),  # no eponym: a ward after a note heading
    ("moved to Gate Haven in May", "Gate Haven"),  # a site word and a word, not a letter
    ("Georgia Brown called re: plan", "Georgia Brown"),  # a state that is a first name before a surname
    ("wife Georgia Blue at bedside", "Georgia Blue"),  # a plan word after a relation cue
    ("plan reviewed.\nMORSE", "MORSE"),  # a one-word eponym alone on a line may sign the note
    ("call bill (99417)", "99417"),  # the word before the number is a first name
    ("WILL BILL, CALL SMITH (99417)", "99417"),  # a contact verb and a surname after the billing clause
    ("will bill for visit with brown (99417)", "99417"),  # a function word before the surname
    ("Will bill for this. Son Mark (99417)", "99417"),  # another sentence, in a text with case
    ("blood cx 2/4 pending", "2/4"),  # no Gram stain or bottles after it
    ("blood cx 2/14 GPC", "2/14"),  # more than six bottles: a date
    ("blood cx drawn 2/4 GPC", "2/4"),  # an event word between the culture and the value
]


def _old_session13(monkeypatch: pytest.MonkeyPatch) -> None:
    """The behaviour before the session-13 rules."""
    monkeypatch.setattr(locations, "_instrument", lambda text, sp: False)
    monkeypatch.setattr(locations, "_site_part", lambda ws: False)
    monkeypatch.setattr(locations, "_scale_after_heading", lambda m, low: False)
    monkeypatch.setattr(names._Scan, "_lone_eponym", lambda self, k: False)
    monkeypatch.setattr(names._Scan, "_drop_state_plans", lambda self, named: None)
    monkeypatch.setattr(patterns, "_billed_code", lambda text, m: False)
    monkeypatch.setattr(dates, "_culture_count", lambda text, m: False)


@pytest.mark.parametrize("text", INSTRUMENT_FREE)
def test_instruments_plans_and_codes_are_left_alone(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t) == [], t


@pytest.mark.parametrize("text", INSTRUMENT_FREE)
def test_control_the_old_rules_alter_them(engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Control: with the session-13 rules off, each shape is altered (the test above can fail)."""
    _old_session13(monkeypatch)
    assert found(engine, text), text


@pytest.mark.parametrize(("text", "value"), INSTRUMENT_PHI)
def test_near_misses_of_instruments_plans_and_codes_are_redacted(
    engine: RedactionEngine, text: str, value: str
) -> None:
    assert covered(engine, text, value), (text, found(engine, text))


@pytest.mark.parametrize(
    "text",
    [
        "groin dry. King's College criteria; seen at King's College Hospital. Park in Lot B. npn braden 12",
        "TEXAS MEDICAID AND FLORIDA BLUE; WIFE GEORGIA BLUE.\nROUX-EN-Y.\nWILL BILL FOR PROLONGED SERVICE (99417).",
        "call bill (99417). will bill for prolonged service (99417)",
        "blood cx 2/4 GPC in clusters; blood cx 2/4 pending; seen 2/4",
    ],
)
def test_streams_equal_whole_around_instruments_plans_and_codes(engine: RedactionEngine, text: str) -> None:
    assert_stream_equals_whole(engine, text)


# ---- the corpora: PHI-free text altered < 5 %
@pytest.mark.parametrize(("name", "records"), [("phifree", phi_free(400)), ("blind4", blind4_phi_free(100))])
def test_phi_free_notes_altered_under_5_percent(engine: RedactionEngine, name: str, records: list[dict]) -> None:
    altered = [r["text"] for r in records if engine.detect(r["text"], "safe_harbor")]
    assert len(altered) / len(records) < 0.05, (name, len(altered), altered[:3])


def test_phifree_corpus_is_deterministic_and_in_three_cases() -> None:
    a, b = phi_free(60, seed=5), phi_free(60, seed=5)
    assert [r["text"] for r in a] == [r["text"] for r in b]
    assert {r["style"] for r in a} == {"upper", "lower", "mixed"}
    assert all(not r["spans"] for r in a)
    assert any(r["text"].isupper() for r in a) and any(r["text"].islower() for r in a)


# ---- through the real path: Envoy, the guard's ext_proc, the demo model's echo answer (safe_harbor)
E2E_NOTE = (
    "ALLEN TEST NEG PRIOR TO ABG. SEEN BY HO RECS APPRECIATED. TRANSFERRED FROM EP LAB OVERNIGHT. "
    "VANCO DAY 11/14, I/O 3208/2284. SPOKE WITH ALLEN SMITH RN, TRANSFERRED FROM LAHEY."
)
E2E_PHI = ("ALLEN SMITH", "LAHEY")
E2E_KEPT = (
    "ALLEN TEST NEG PRIOR TO ABG",
    "SEEN BY HO RECS APPRECIATED",
    "TRANSFERRED FROM EP LAB OVERNIGHT",
    "VANCO DAY 11/14, I/O 3208/2284",
)


@pytest.mark.e2e
@pytest.mark.parametrize("chunk_chars", ["", "1", "4"])
def test_precision_through_envoy(stack: Any, chunk_chars: str) -> None:
    """Whole and streamed one and four characters per event: the PHI-free shapes reach the caller as sent, the
    same shapes with PHI are redacted (``check`` asserts both: the oracle fails either way)."""
    text = echo_streamed(stack, E2E_NOTE, chunk_chars) if chunk_chars else echo(stack, E2E_NOTE)
    check(text, E2E_PHI, E2E_KEPT)
