"""Speed-ups that must not change findings: each fast form is compared with the form it replaces."""

from __future__ import annotations

import sys
from pathlib import Path

from sidecar.redaction.detectors import patterns
from sidecar.redaction.detectors.base import left

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.redaction_corpus import corpus  # noqa: E402


def _contexts() -> list[str]:
    texts = [r["text"] for r in corpus(120, seed=7, phi_rate=0.6)] + [r["text"] for r in clinical_notes(60, seed=5)]
    texts += ["Apt 4 ste 2 P.O. Box 12 12 Main Street #55 a/c 9 ſt kelvin \u212a acct 5 ı d"]
    out = []
    for t in texts:
        for i in range(0, len(t), 3):
            out.append(left(t, i, 32))
    return out


def test_ascii_cue_search_equals_the_any_case_search() -> None:
    """``_any_cue`` / ``_cues`` (no IGNORECASE on ASCII context) find what ``_ANY_CUE`` / ``_CUES`` find."""
    hits = 0
    for ctx in _contexts():
        fast, slow = patterns._any_cue(ctx), patterns._ANY_CUE.search(ctx)
        assert (fast and fast.span()) == (slow and slow.span()), ctx
        hits += slow is not None
        for (n1, fast_rx), (n2, slow_rx) in zip(patterns._cues(ctx), patterns._CUES, strict=True):
            f, s = fast_rx.search(ctx), slow_rx.search(ctx)
            assert n1 == n2 and (f and f.span()) == (s and s.span()), (n1, ctx)
    assert hits > 100  # the contexts hold cues: the comparison is not between two misses


def test_control_street_suffixes_in_capitals_need_the_any_case_form() -> None:
    """Control: the ASCII forms rely on lower-cased context; on capitals only the any-case form finds the
    suffix (so the comparison above would catch an ASCII form used on the wrong text)."""
    ctx = "12 MAIN STREET "
    assert patterns._ANY_CUE.search(ctx) is not None
    assert patterns._ANY_ASCII_CUE.search(ctx) is None
