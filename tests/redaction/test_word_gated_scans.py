"""Whole-text scans of the name rules skipped by a substring test (issue 16, speed): on ASCII text the any-case
regex can match only where its lower-cased cue word is in the lower-cased text, so skipping the scan when none is
there finds the same names."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from sidecar.redaction.detectors import dates, names
from sidecar.redaction.detectors.regex_gate import ascii_safe, ascii_twin

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.redaction_corpus import corpus  # noqa: E402

_CUED = [
    "T/C FROM ANJALI AT 1400, PLEASE PAGE ROSELAURE @ 4411",
    "married to Pat; report given to Hope; call from Jian re: labs",
    "t/c w/ daughter, page me if needed, CALL FROM SON",
    "Re-page Dr. Okafor; t/c  to Bo; REPORT GIVEN TO KIM.",
]


def _texts() -> list[str]:
    texts = [r["text"] for r in corpus(200, seed=31, phi_rate=0.6)] + [r["text"] for r in clinical_notes(80, seed=9)]
    texts += _CUED
    return texts + [t.upper() for t in texts] + [t.lower() for t in texts]


def test_every_call_cue_match_holds_a_cue_word() -> None:
    found = 0
    for t in _texts():
        for m in names._B4_CALL_CUE.finditer(t):
            assert any(w in m.group().lower() for w in names._B4_CALL_WORDS), m.group()
            found += 1
    assert found >= 3 * len(_CUED)  # the cued texts match in each case: the claim is tested on matches


def _marks(text: str, ascii_low: str | None) -> bytes:
    sc = names._Scan(text, names.vocabulary(), frozenset())
    sc.ascii_low = ascii_low
    n = len(sc.words)
    named, cued = bytearray(n), bytearray(n)
    sc.cued = cued
    sc._word_names_in_staff_positions(named, cued)
    return bytes(named) + b"|" + bytes(cued)


def test_gated_call_cues_mark_what_the_full_scan_marks() -> None:
    """The rule with the gate (the scan's own ``ascii_low``) marks what it marks with the scan always run."""
    marked = 0
    for t in _texts():
        sc = names._Scan(t, names.vocabulary(), frozenset())
        assert sc.ascii_low == (t.lower() if t.isascii() else None)
        fast = _marks(t, sc.ascii_low)
        assert fast == _marks(t, None), t
        marked += b"\x01" in fast
    assert marked >= len(_CUED)


def test_control_a_gate_without_the_cue_word_loses_names() -> None:
    """Control: a gate that read the wrong text (one without the cue word) would drop the call cue's name, so
    the comparison above can fail."""
    t = "PLEASE PAGE ROSELAURE @ 4411"
    assert b"\x01" in _marks(t, t.lower())
    assert _marks(t, "no cue here") != _marks(t, t.lower())


_YEARS = [
    "s/p cabg in 2098; hx of ESRD, on HD since 1985",
    "STATUS POST MVR IN 2001. DX WITH DM SINCE 1999; H/O CVA in 2010",
    "Diagnosed in 2021 (no cue); born 1950; Dx: CHF, since 2019",
]


def _dates(texts: list[str]) -> list[list[tuple[int, int]]]:
    det = dates.DateDetector()
    return [[(s.start, s.end) for s in det.detect(t)] for t in texts]


def test_year_cue_gate_finds_what_the_ungated_rule_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts() + _YEARS + [t.upper() for t in _YEARS]
    gated = _dates(texts)
    monkeypatch.setattr(dates, "_year_cue_possible", lambda text: True)
    assert gated == _dates(texts)
    for t in texts:  # the claim itself: a cue match anywhere means a cue word in the lower-cased text
        for a in range(len(t)):
            if dates._YEAR_CUE_BEFORE.search(t, max(0, a - 64), a) and t.isascii():
                assert any(w in t.lower() for w in dates._YEAR_CUE_WORDS), t
                break


def test_control_year_cue_gate_closed_loses_cued_years(monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: with the gate shut the cued years go (so the comparison above can fail)."""
    found = _dates(_YEARS)
    assert (12, 16) in found[0]  # "s/p cabg in 2098": the year
    monkeypatch.setattr(dates, "_year_cue_possible", lambda text: False)
    assert _dates(_YEARS) != found


_DATE_TWINS = ["_MONTH_DAY", "_CUED_DATE", "_B4_DAY_MONTH", "_ORDINAL", "_YEAR_IN"]


@pytest.mark.parametrize("name", _DATE_TWINS)
def test_date_rules_ascii_twins_find_what_they_find(name: str) -> None:
    """The date rules ``DateDetector.detect`` scans with their ``re.ASCII`` twins on ``ascii_safe`` text: same
    matches, groups included."""
    rx = getattr(dates, name)
    twin = ascii_twin(rx)
    assert twin is not rx and twin.flags & re.ASCII
    extra = ["cath on the 10th, 12th@1400, since 5TH; echo on 4-13, cxr 4/12, last bm 14/7, s/p cabg in 2098",
             "16 may to 4L; 3/4@1400 lactate; dos 3-2; born 1950; 2000 mg; on 5th attempt"]
    hits = 0
    for t in [x for x in _texts() + extra + [e.upper() for e in extra] if ascii_safe(x)]:
        want = [(m.span(), m.groups()) for m in rx.finditer(t)]
        assert [(m.span(), m.groups()) for m in twin.finditer(t)] == want, t
        hits += len(want)
    assert hits > 0


def test_control_a_twin_differs_on_unicode_digits() -> None:
    """Control: on text that is not ASCII the twin misses what the rule finds (why it is used on ASCII only)."""
    t = "s/p cabg in 19\u0668\u0665."  # Arabic-Indic digits: \d in Unicode mode only
    assert dates._YEAR_IN.search(t) is not None
    assert ascii_twin(dates._YEAR_IN).search(t) is None
