"""Rule classes found on the blind corpus of model answers (bench/answers_corpus.py: letters, summaries, lists,
e-mails and multilingual replies in well-formed prose, names of many origins with their diacritics, addresses of
many countries; issue 16). Each class: the cases it must find (names and places not in the corpus's lists), near
misses in the same shape it must leave alone, a control showing the test fails without the rule, and every stream
cut of the cases agreeing with the whole text. Asserted through the engine (all detectors, resolved)."""

from __future__ import annotations

import pytest

from bench.answers_corpus import phi_free
from sidecar.redaction.detectors import locations, names
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_nursing_rules import covered, found
from tests.redaction.test_stream_divergences import streamed
from tests.redaction.test_stream_open_points import _cuts, _oracle

PROFILE = "safe_harbor"


# ---- names written as names in prose: two name words side by side, an initial between them
RUN_CASES = [
    ("Maybe it is filed under Radomir Kowalczyk, not under his wife.", "Radomir Kowalczyk"),  # both on no list
    ("Ifevra Obivarne is a 71-year-old with COPD.", "Ifevra Obivarne"),  # opening the answer
    ("The contact on file is Dagvý Þórsdóttir.", "Dagvý Þórsdóttir"),  # accented, folded to no lexicon name
    ("Search for Søvrin K. Ødvegård in the portal.", "Søvrin K. Ødvegård"),  # an initial between
    ("| Ngarbe Ezvolt | 4/2 | (555) 555-0101 |", "Ngarbe Ezvolt"),  # a table cell
    ("her brother, Tomasz Wróbel, drove her home", "Tomasz Wróbel"),
]
RUN_NEAR_MISSES = [
    "The Medtronic MiniMed 780G and the FreeStyle Libre 3 both pair with Epic MyChart.",  # product shapes
    "Texas Medicaid covers it; Ohio Medicaid does not.",  # a state names no one
    "Ménière's disease and Guillain-Barré syndrome are eponyms; so is Sjögren's syndrome.",
    "Die Behandlung erfolgt über die Notaufnahme. Mit freundlichen Grüßen",  # German nouns, a greeting formula
    "Bệnh nhân tiếp tục dùng thuốc mỗi ngày.",  # Vietnamese prose: accented words, no names
    "THE MEDTRONIC PUMP AND THE OMNIPOD POD ARE BOTH APPROVED.",  # a line without case: no accented word
]


@pytest.mark.parametrize(("text", "name"), RUN_CASES)
def test_name_runs_in_prose(engine: RedactionEngine, text: str, name: str) -> None:
    assert covered(engine, text, name), (text, found(engine, text))


@pytest.mark.parametrize("text", RUN_NEAR_MISSES)
def test_name_run_near_misses(engine: RedactionEngine, text: str) -> None:
    assert found(engine, text, "NAME") == [], (text, found(engine, text))


def test_a_line_without_case_needs_two_person_words(engine: RedactionEngine) -> None:
    assert covered(engine, "attendees: zoltán kovács and others", "zoltán kovács")  # two accented person words
    assert found(engine, "continued dùng thuốc daily", "NAME") == []  # a folded word that is also a word


def test_control_without_name_runs_the_pairs_leak(monkeypatch: pytest.MonkeyPatch, engine: RedactionEngine) -> None:
    monkeypatch.setattr(names._Scan, "_name_runs", lambda self, named: None)
    for text, name in RUN_CASES[1:5]:  # no word of them is a lexicon name on its own
        assert not covered(engine, text, name), text


# ---- the addressee of a greeting, the person a prose verb reaches or reports, accented names in lists
CUE_CASES = [
    ("Hi Grzegorz,\n\nThanks for the update.", "Grzegorz"),
    ("Dear Ingunn Aasland,\nplease find attached", "Ingunn Aasland"),
    ("hello bolesław!\nyour appointment", "bolesław"),  # any case
    ("You can reach Wawrzyniak at (555) 555-0199.", "Wawrzyniak"),
    ("Thanks for seeing Szczepańska on Monday.", "Szczepańska"),
    ("I also copied Nieminen from pharmacy.", "Nieminen"),
    ("Yesterday Wróblewski declined the flu vaccine.", "Wróblewski"),  # an accented surname before a prose verb
    ("At the last visit Łukasiewicz agreed to start rehab.", "Łukasiewicz"),
    ("Oncoming team: Ødegaard, Brzózka and Lê.", "Ødegaard"),  # accented list items
    ("Oncoming team: Ødegaard, Brzózka and Lê.", "Brzózka"),
]
CUE_NEAR_MISSES = [
    "Hi team,\nDear colleagues,\nHello everyone!",  # greetings to no one
    "You can reach Medicare at the number on the card.",  # a word on the safe list after a prose verb
    "Yesterday Omnipod announced a recall; Medicare declined the claim.",  # a product or payer before a verb
    "Résumé, naïve and façade are words; so are Exelon, Eliquis and Xarelto.",  # lists of known words
]


@pytest.mark.parametrize(("text", "name"), CUE_CASES)
def test_prose_cues_name_the_person(engine: RedactionEngine, text: str, name: str) -> None:
    assert covered(engine, text, name), (text, found(engine, text))


@pytest.mark.parametrize("text", CUE_NEAR_MISSES)
def test_prose_cue_near_misses(engine: RedactionEngine, text: str) -> None:
    assert found(engine, text, "NAME") == [], (text, found(engine, text))


def test_control_without_the_prose_cues_the_names_leak(
    monkeypatch: pytest.MonkeyPatch, engine: RedactionEngine
) -> None:
    for rule in ("_greeted", "_prose_objects", "_prose_subjects", "_speaker_subjects", "_called_and_attributed_names"):
        monkeypatch.setattr(names._Scan, rule, lambda self, named, cued: None)
    monkeypatch.setattr(names._Scan, "_accented_list_items", lambda self, named: None)
    monkeypatch.setattr(names._Scan, "_team_lists", lambda self, named, cued: None)  # also reads "Oncoming team:"
    leaked = [name for text, name in CUE_CASES if not covered(engine, text, name)]
    # all but the lexicon names that other rules find (Aasland, Wawrzyniak; Grzegorz, Ingunn, Nieminen are on the
    # world lists)
    assert len(leaked) >= 6, leaked


# ---- addresses of other countries, and the US roads and units the USPS shapes left out
ADDRESS_CASES = [
    "She lives at Skovvej 7, 8600 Silkeborg.",  # Danish: the type glued to the name, code and town
    "Adresse: Birkenweg 12a, 79098 Freiburg im Breisgau",
    "address: Torggata 3, 0181 Oslo",
    "address: Aleksanterinkatu 21 B 4, 33100 Tampere",
    "mora na Rua Voluntários da Pátria, 188, apto 51, Pelotas - RS, 96015-730.",  # the type before the name
    "zamieszkała ul. Ogrodowa 7/2, 61-821 Poznań.",
    "address: Deák Ferenc utca 9., 6720 Szeged",
    "Elle habite 4 impasse des Tilleuls, 35000 Rennes.",
    "address: Flat 2, 14 Larch Close, York YO24 3DF",  # a UK postcode after a street the USPS rule found
    "He lives at 4410 Farm to Market Road 1960, Humble, TX 77338.",  # a Texas road's name
    "address: W4412 County Road KK, Black Creek, WI 54106",  # a grid house number, a lettered county road
    "He lives at 27 Owl Ridge Bldg C, Boone, NC 28607.",  # a lettered unit
]
ADDRESS_NEAR_MISSES = [
    "Board at gate 12 and take the bus to Level 2 of the garage.",
    "Take Omnipod 5 with Dexcom G7; Step 3 therapy follows.",
    "Smith et al. Lancet 2019 reported the same effect.",
    "The farm to market pipeline moved 12 trucks.",
]


@pytest.mark.parametrize("text", ADDRESS_CASES)
def test_addresses_found_whole(engine: RedactionEngine, text: str) -> None:
    start = next(i for i, c in enumerate(text) if c.isdigit() or text[i:].startswith(("Skov", "Birk", "Torg", "Alek",
                                                                                        "Rua", "ul.", "Deák", "Flat")))
    end = len(text.rstrip("."))
    body = text[start:end]
    assert covered(engine, text, body), (body, found(engine, text))


@pytest.mark.parametrize("text", ADDRESS_NEAR_MISSES)
def test_address_near_misses(engine: RedactionEngine, text: str) -> None:
    assert [f for f in found(engine, text) if any(c.isdigit() for c in f)] == [], found(engine, text)


def test_control_without_the_rules_the_addresses_leak(
    monkeypatch: pytest.MonkeyPatch, engine: RedactionEngine
) -> None:
    monkeypatch.setattr(locations.LocationDetector, "_international_addresses", lambda self, text, can, out: None)
    for text in ADDRESS_CASES[:8]:
        start = text.index(next(w for w in text.split() if w[0].isupper() and w not in ("She", "Adresse:", "Elle")))
        assert not covered(engine, text, text[start : len(text.rstrip("."))]), text


# ---- precision: the corpus's PHI-free answers stay as written; streams agree with the whole text
def test_phi_free_answers_stay_mostly_untouched(engine: RedactionEngine) -> None:
    altered = [r["text"] for r in phi_free(100, seed=101) if engine.detect(r["text"], PROFILE)]
    assert len(altered) <= 38, altered[:5]  # 38/100 before these rules (countries, "Florida Blue"): no worse


@pytest.mark.parametrize(
    "text",
    [t for t, _ in RUN_CASES[:4]] + [t for t, _ in CUE_CASES[:1] + CUE_CASES[3:4] + CUE_CASES[6:9]]
    + ADDRESS_CASES[:2] + ADDRESS_CASES[4:6] + ADDRESS_CASES[9:10],
)
def test_the_cases_hold_for_every_stream_cut(engine: RedactionEngine, text: str) -> None:
    assert _oracle(engine, _cuts(text)) == []
    for step in (1, 3):
        assert streamed(engine, text, step) == engine.redact_text(text, PROFILE).text
