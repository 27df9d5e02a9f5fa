"""Whole spans (issue 16, recall(full)): a name, place or date found by its first part is redacted whole.

A partly redacted name or place is still PHI on the page: the readable half identifies. The classes grown here:
a place's ward number and compass word, the head words of a facility or place name and "of" + its town
(``LocationDetector._grow_tail``); a name's leading surname particles, ``St.`` and an initial before them, a
hyphenated surname and the kind of business after it (``_Scan._name_edges``); a written date's year after 2099
(``dates._YEAR``: date-shifted records). Near misses keep the ordinary word that follows, and the controls show
each case fails without the rule.
"""

from __future__ import annotations

import re

import pytest

from sidecar.redaction.detectors import dates, names
from sidecar.redaction.detectors.locations import LocationDetector
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.spans import Span
from tests.redaction.test_names import _contract_holds
from tests.redaction.test_stream_divergences import streamed

# (text, words that must be gone)
PLACES = [
    ("bed on Halvorsen 7 West requested.", ["Halvorsen", "7", "West"]),
    ("GAVE REPORT TO RN ON HALVORSEN 7 WEST. NEURO: INTACT", ["HALVORSEN", "WEST"]),
    ("pt transferred from MICU Ashby 5 on monday for cath", ["Ashby", "5"]),
    ("DISPO: BACK TO LARCHMONT SUBACUTE WHEN STABLE", ["LARCHMONT", "SUBACUTE"]),
    ("Dispo: likely Oakmere Extended Care vs home", ["Oakmere", "Extended", "Care"]),
    ("pt went home to pocomoke neck last night", ["pocomoke", "neck"]),
    ("He was seen by Dr Lee, NP at Good Samaritan of Castlebury in May", ["Samaritan", "Castlebury"]),
]
NAMES = [
    ("stroke fellow Di Russo at bedside", ["Di", "Russo"]),
    ("code leader de la Vega; recorder", ["de", "la", "Vega"]),
    ("-- M. van der Berg RN", ["M.", "van", "der", "Berg"]),
    ("SEEN BY PRIYA ST. JOHN FROM PALLIATIVE", ["PRIYA", "ST.", "JOHN"]),
    ("The study coordinators are Travis Al-Hakim, and others", ["Travis", "Al-Hakim"]),
    ("PRESENT: FELLOW,ORRIN AL-HAKIM RN, RT", ["ORRIN", "AL-HAKIM"]),
    ("pt worked 12 yrs for Ostrander Freight. no etoh", ["Ostrander", "Freight"]),
    ("SH: RETIRED FROM BRANNOCK ELECTRIC IN 2060", ["BRANNOCK", "ELECTRIC"]),
    ("Per VNA: varnum vna will see pt", ["varnum", "vna"]),
]
DATES = [
    ("seen July 14, 2146 in clinic", ["July", "14", "2146"]),
    ("s/p CABG in March 2146, no angina since", ["March", "2146"]),
    ("Last seen on Aug 2100 by RN", ["Aug", "2100"]),
    ("bx 13 jun 2146 benign", ["jun", "2146"]),
    ("stress test in spring of 2146, normal", ["spring", "2146"]),
]
# a day, a month in another language and a year (model answers in the patient's language)
FOREIGN_DATES = [
    ("Consulta el 14 de marzo de 2026.", ["14", "marzo", "2026"]),
    ("consultation le 9 janvier 2026 par", ["9", "janvier", "2026"]),
    ("le 3 août 2025, elle", ["3", "août", "2025"]),
    ("WOHNHAFT SEIT 2. FEBRUAR 2024, WOHN", ["2.", "FEBRUAR", "2024"]),
    ("em 8 de junho de 2026 no", ["8", "junho", "2026"]),
    ("am 3. Jänner 2026 kam", ["3.", "Jänner", "2026"]),
    ("il 12 dicembre 2025 alle", ["12", "dicembre", "2025"]),
    ("em 9 de março de 2026 no", ["9", "março", "2026"]),
    ("op 4 maart 2026 werd", ["4", "maart", "2026"]),
]
# (text, what must stay readable): a name or place followed by an ordinary word, a count, a plain compound
NEAR_MISSES = [
    ("lives in Boston 3 days a week", ["3 days a week"]),
    ("she visits Ashby 5 times a week", ["5 times a week"]),
    ("Dr. Amara follow-up in clinic", ["follow-up in clinic"]),
    ("stroke fellow Di Russo agreed with plan", ["agreed with plan"]),
    ("Dispo: Oakmere home tomorrow", ["home tomorrow"]),
    ("went to Boston of course", ["of course"]),
    ("Plan: d/c to Oakhurst Care Center vs home today", ["home today"]),
    ("s/p cholecystectomy at MVMC, OR 7 on", ["7 on"]),
    ("given 2100 units of heparin in March", ["2100 units"]),
    ("gave 5 mai tabs", ["5 mai tabs"]),
]


def _gone(engine: RedactionEngine, text: str, words: list[str]) -> bool:
    """None of ``words`` is left readable in the redacted text (punctuation around a word ignored)."""
    left = {tok.strip(".,;:") for tok in engine.redact_text(text, "safe_harbor").text.split()}
    return not any(w.strip(".,;:") in left for w in words)


@pytest.mark.parametrize(("text", "words"), PLACES + NAMES + DATES + FOREIGN_DATES)
def test_the_span_is_redacted_whole(engine: RedactionEngine, text: str, words: list[str]) -> None:
    out = engine.redact_text(text, "safe_harbor").text
    assert _gone(engine, text, words), out


@pytest.mark.parametrize(("text", "kept"), NEAR_MISSES)
def test_an_ordinary_word_after_the_span_stays(engine: RedactionEngine, text: str, kept: list[str]) -> None:
    out = engine.redact_text(text, "safe_harbor").text
    assert all(k in out for k in kept), out


@pytest.mark.parametrize(("text", "words"), PLACES + NAMES + DATES + FOREIGN_DATES)
def test_stream_equals_whole_text(engine: RedactionEngine, text: str, words: list[str]) -> None:
    whole = engine.redact_text(text, "safe_harbor").text
    for step in (1, 3):
        assert streamed(engine, text, step) == whole, (step, text)


def test_control_places_are_left_partly_without_the_rule(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unchanged(self: LocationDetector, text: str, sp: Span) -> Span:
        return sp

    monkeypatch.setattr(LocationDetector, "_grow_tail", unchanged)
    assert not any(_gone(engine, t, w) for t, w in PLACES), "each case is partial without the rule"


def test_control_names_are_left_partly_without_the_rule(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(names._Scan, "_name_edges", lambda self, named: None)
    # the place rules find some of these businesses whole on their own ("RETIRED FROM BRANNOCK ELECTRIC")
    monkeypatch.setattr(LocationDetector, "detect", lambda self, text: [])
    assert not any(_gone(engine, t, w) for t, w in NAMES), "each case is partial without the rule"


def test_control_years_after_2099_were_left_readable() -> None:
    old_year = r"(?:1[89]\d\d|20\d\d|'\d\d)"
    for _, words in DATES:
        year = words[-1]
        assert re.fullmatch(dates._YEAR, year) and not re.fullmatch(old_year, year)


@pytest.mark.parametrize(("text", "words"), FOREIGN_DATES)
def test_a_foreign_date_in_a_long_text_is_found(engine: RedactionEngine, text: str, words: list[str]) -> None:
    filler = "The patient rested well and the plan was reviewed with the team. " * 60
    assert _gone(engine, filler + text + " " + filler, words)


def test_control_foreign_dates_were_not_whole_dates() -> None:
    old = [re.compile(p.replace(chr(92) + "1", "[-/.]")) for p in dates._NUM_PATTERNS if "janvier" not in p]
    assert len(old) == len(dates._NUM_PATTERNS) - 1
    for text, words in FOREIGN_DATES:
        whole = text[text.index(words[0]) : text.index(words[-1]) + len(words[-1])]
        assert not any(rx.fullmatch(whole) for rx in old), whole


@pytest.mark.parametrize("text", ["ADMITTED FROM ST. FRANCENE HOSPITAL WITH SOB", "seen by Ste. Marguerite today"])
def test_a_saint_word_is_held_until_the_name_after_it(text: str) -> None:
    """``St.`` joins the name after it, so a stream must not release it at ``ST. `` (the open point holds it)."""
    det = names.NameDetector()
    for cut in range(1, len(text) + 1):
        _contract_holds(det, text, cut)
