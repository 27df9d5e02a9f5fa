"""Whole-text scans of the name rules skipped by a substring test (issue 16, speed): on ASCII text the any-case
regex can match only where its lower-cased cue word is in the lower-cased text, so skipping the scan when none is
there finds the same names."""

from __future__ import annotations

import sys
from pathlib import Path

from sidecar.redaction.detectors import names

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
    sc._blind4_cues(named, cued)
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
