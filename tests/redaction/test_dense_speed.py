"""Speed-ups of the PHI-dense path answer exactly as the forms they replace (issue 16, docs/guard-cpu.md):

- every regex the place, identifier and name rules scan whole texts with runs as its ``re.ASCII`` twin on
  ``ascii_safe`` text: same matches, groups included;
- the names detector remembers the derived flags of known word forms (``results``, ``year-old``) and
  ``known_word`` the words it found known: the answers equal a fresh computation, and a word that may be a name
  (a lexicon name, an unknown word) is never kept in either memo.
"""

from __future__ import annotations

import sys
from collections import ChainMap
from pathlib import Path

import pytest

from sidecar.redaction.detectors import locations, names, patterns
from sidecar.redaction.detectors.regex_gate import ascii_safe, ascii_twin

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.redaction_corpus import corpus  # noqa: E402


def _texts(seed: int) -> list[str]:
    texts = [r["text"] for r in corpus(150, seed=seed, phi_rate=0.6)]
    texts += [r["text"] for r in clinical_notes(60, seed=seed)]
    texts += [t.upper() for t in texts[:60]] + [t.lower() for t in texts[:60]]
    texts += [
        "lives at 12 main st apt 4, springfield, il 62704; TRANSFERRED TO ELLISON 8 from Mass General Hospital",
        "SSN 123-45-6789, call (617) 555-0199, pgr 4-1234, 10.0.0.1, 4111 1111 1111 1111, MRN: 12345ABC",
        "Pt lives with dtr in Dorchester; dc'd to Marian Manor in leominster. PSC 1234, Box 5678 APO AE 09012",
        "moved to Boston; 31 Via Linda; works at Market Basket; Location: Ellis 4; on CC7; CVS on Centre St",
        "ssn 123456789 +44 20 7946 0958 GB82WEST12345698765432 fe80::1:2:3 AB1234563 1HGCM82633A004352 aged 93",
        "a ninety-three year old; one two three four five six seven eight nine; jane dot doe at example dot com",
        "1" * 45 + " ext 4411; report called to Hope on 7; B12-34567; P4-1234; 6, 1, 7, 5, 5, 5, 0, 1, 9, 9",
        "send to PO Box 4411, Salem; RR 2 Box 9; VNA of Quincy following; elder services in Lynn; widow from Hull",
        "SSN 478,215,096 and call 5.124377788e9; cost 1,250,000",
        "referral faxed to Maristhill; Nursing Progress Note, Baker 6; pt from Hope, AR. PT IS 93, lives alone",
        "Ext for charge RN is 3410; adm 3/2 from Birchwood w/ pna; grew up in Summit; s/o Crystal here; 99y.o.",
        "spoke w/ admissions at Fieldstone; GCH records obtained; from Sable Harbor on 8/11; son called from Ware",
        "ref 478+21+5096 and 478:21:5096; card 4111.1111.1111.1111, 4111_1111_1111_1111",
        "lives at Hersnapvej 18, 2100 Aarhus C; ul. Dluga 14/3, 80-827 Gdansk; Flat 2, 14 Larch Close, York YO24 3DF",
        "FH: mother died at 92 of MI, father passed away at 101.\nDr. Bell\n\nYTL/xw23\n  DFW/erb\nDD: 04/07/69",
        "dtr from north attleford called at 1400; MVC on rt 9, seen by officers from Quincy PD and Milton FD",
        "SSN parts: [478, 21, 5096]; card [4111, 1111, 1111, 1111]; zip code six two seven zero four; 478 = 21 = 5096",
        "pt attends St Brigid Parish; to Bellmeade LTC; lives at the Arbors at Millhaven; Our Lady of Mercy",
        "from OSH (Grafton Memorial) today; tx to Lindenwood General; medflighted to Kessler; accepting md at Ames",
        "name is M a r g a r e t, spelled T-H-O-R-N-B-U-R-Y",
        "s/p MVC near Quinsett; WITNESSED SEIZURE IN EAST BRACKLEY; extubated 2nd; last BM Oct7",
        "City: Fall River; ZIP: 3520; Postcode: SW1A 1AA; license plate 8XYZ 412; my home town is Lowell",
        "PCP Dr. Rivkin of Amesfield; husband Lou from Brockhaven; from Glenmoor 02688; SBH ED->cath lab",
    ]
    return [t for t in texts if ascii_safe(t)]


_RULES = [
    *(("locations", i, rx) for i, rx in enumerate(locations._SCANNED)),
    *(("patterns", i, rx) for i, rx in enumerate(patterns._SCANNED)),
    ("names", 0, names._TOK),
]


@pytest.mark.parametrize(("module", "index", "rx"), _RULES, ids=[f"{m}-{i}" for m, i, _ in _RULES])
def test_scanned_regexes_ascii_twins_find_what_they_find(module: str, index: int, rx: object) -> None:
    """Each whole-text regex of the place, identifier and name rules: on ASCII-safe text its twin's matches
    (spans and groups) are the regex's own."""
    import re

    assert isinstance(rx, re.Pattern)
    twin = ascii_twin(rx)
    for t in _texts(23):
        fast = [(m.span(), m.groups()) for m in twin.finditer(t)]
        slow = [(m.span(), m.groups()) for m in rx.finditer(t)]
        assert fast == slow, (module, index, t[:80])


def test_the_twins_are_compared_on_texts_with_matches() -> None:
    """Control for the comparison above: the texts hold matches of most rules (not a comparison of empty lists),
    and on a text that is not ASCII-safe a twin can differ (0x1C is ``\\s`` only without ``re.ASCII``)."""
    texts = _texts(23)
    matched = sum(any(rx.search(t) for t in texts) for _, _, rx in _RULES)
    assert matched >= len(_RULES) - 2
    t = "transferred to\x1cEllison 8"
    assert not ascii_safe(t)
    rx = locations._WARD_CUE
    assert [m.span() for m in rx.finditer(t)] != [m.span() for m in ascii_twin(rx).finditer(t)]


def _fresh_flags(text: str) -> list[int]:
    """The scan's word flags computed without the memo: ``_Scan`` uses it only with the shared vocabulary itself,
    here the vocabulary is read through another mapping."""
    return names._Scan(text, ChainMap(names.vocabulary()), frozenset()).flags


def test_known_forms_memo_answers_as_a_fresh_computation() -> None:
    texts = _texts(29)
    names._KNOWN_FORMS.clear()
    first = [names._Scan(t, names.vocabulary(), frozenset()).flags for t in texts]
    assert names._KNOWN_FORMS  # the corpus holds inflected and compound words: the memo was used
    again = [names._Scan(t, names.vocabulary(), frozenset()).flags for t in texts]
    fresh = [_fresh_flags(t) for t in texts]
    assert first == again == fresh


def test_known_forms_memo_keeps_no_name() -> None:
    """Only forms that are known words: no lexicon name, no unknown word (possibly PHI), no possessive of a
    name. Control: a memo that lied would change the flags, so the comparison above can fail."""
    names._KNOWN_FORMS.clear()
    text = "Results of Smith-Jones and Adaeze Okonkwo's follow-up: year-old Qzxvbert denies pain; Garcia's visits"
    names._Scan(text, names.vocabulary(), frozenset())
    kept = set(names._KNOWN_FORMS)
    assert {"results", "follow-up", "visits"} <= kept  # forms no list holds as written
    assert kept.isdisjoint({"smith-jones", "adaeze", "okonkwo's", "qzxvbert", "garcia's", "smith", "garcia"})
    assert all(not f & (names.FIRST | names.LAST | names.STAFF) for f in names._KNOWN_FORMS.values())
    names._KNOWN_FORMS["qzxvbert"] = names.SAFE | names.MORPH
    try:
        lied = names._Scan("Qzxvbert", names.vocabulary(), frozenset()).flags
        assert lied != _fresh_flags("Qzxvbert")
    finally:
        names._KNOWN_FORMS.clear()


def test_known_word_memo_keeps_only_known_words() -> None:
    names._KNOWN_WORDS.clear()
    asked = ["visited", "clinics", "hospital", "the", "qzxvbert", "adaeze", "okonkwo"]
    first = [names.known_word(w) for w in asked]
    assert first == [True, True, True, True, False, False, False]
    assert {"visited", "clinics", "hospital", "the"} == names._KNOWN_WORDS
    assert [names.known_word(w) for w in asked] == first  # answered from the memo: the same
    # control: a word wrongly remembered would be answered as known
    names._KNOWN_WORDS.add("qzxvbert")
    try:
        assert names.known_word("qzxvbert")
    finally:
        names._KNOWN_WORDS.clear()
