"""The name detector's gate (``NameDetector._gate``: gate words and patterns that let a text skip the rules) is a
pure speed device: it must never suppress a finding the rules make. A gate that misses a rule's cue makes a name
depend on unrelated words elsewhere in the text: ``Handed off to Kiki at 1915.`` alone was left as written (the
gate knew ``hand-off to`` but not ``handed off to``), and redacted once the note went on to ``Halden Va`` (a gate
word). A stream then released ``Kiki`` that the whole-text redaction of the same note hid.

Checked on every line and sentence of a sample of the shipped corpora: the redaction with the gate as shipped
equals the redaction with the gate always open. Control: a gate without its patterns fails the same check."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bench import (
    answers_corpus,
    blind2_corpus,
    blind3_corpus,
    blind4_corpus,
    blind5_corpus,
    blind6_corpus,
    blind7_corpus,
    clinical_corpus,
    nursing_corpus,
)
from sidecar.redaction.detectors.names import NameDetector
from sidecar.redaction.detectors.wordgate import WordGate
from sidecar.redaction.engine import RedactionEngine

from .test_stream_divergences import streamed

CORPORA = (nursing_corpus, blind2_corpus, blind3_corpus, blind4_corpus, blind5_corpus, blind6_corpus,
           blind7_corpus, clinical_corpus, answers_corpus)
PROFILE = "safe_harbor"


def _pieces() -> list[str]:
    out: set[str] = set()
    for mod in CORPORA:
        notes = mod.corpus(120) + (mod.phi_free(30) if hasattr(mod, "phi_free") else [])
        for rec in notes:
            text = rec["text"]
            out.update(p for p in (*text.split("\n"), *re.split(r"(?<=[.;])\s", text)) if p.strip())
    return sorted(out)


PIECES = _pieces()


def _names(engine: RedactionEngine) -> NameDetector:
    return next(d for d in engine.analyzer._detectors if isinstance(d, NameDetector))


def _suppressed(engine: RedactionEngine, gate: WordGate | None) -> Iterator[str]:
    """The pieces whose redaction changes when the gate is always open (``gate``: the gate to check)."""
    det = _names(engine)
    shipped = det._gate
    if gate is not None:
        det._gate = gate
    try:
        gated = [engine.redact_text(p, PROFILE).text for p in PIECES]
        det._gate = _Open()  # type: ignore[assignment]
        open_ = [engine.redact_text(p, PROFILE).text for p in PIECES]
    finally:
        det._gate = shipped
    return (p for p, a, b in zip(PIECES, gated, open_, strict=True) if a != b)


class _Open:
    def hit(self, text: str) -> bool:
        return True


def test_the_gate_suppresses_no_finding(engine: RedactionEngine) -> None:
    assert len(PIECES) > 8000
    missed = list(_suppressed(engine, None))
    assert not missed, missed[:20]


def test_the_gate_skips_most_prose(engine: RedactionEngine) -> None:
    """The gate still does its job: PHI-free prose skips the rules (an always-open gate would pass the check)."""
    from bench.redaction_speed import speed_sets

    prose = speed_sets()["prose"]
    assert sum(_names(engine)._gate.hit(t) for t in prose) <= len(prose) // 10


@pytest.mark.parametrize("text", ["Handed off to Kiki at 1915.", "HANDED OFF TO NKECHI AT 1915.",
                                  "GENE AND JIAN TURNED PT @ 0530.", "father (chuck) called, updated.",
                                  "pt ate 3/4 of dinner tray, gus", "pt grace deshpande 90 yof.",
                                  "thank you for referring rose hardy, a pleasant 80-year-old"])
def test_names_the_gate_used_to_hide(engine: RedactionEngine, text: str) -> None:
    out = engine.redact_text(text, PROFILE).text
    assert "[NAME]" in out, out


def test_control_a_gate_without_its_patterns_suppresses_findings(engine: RedactionEngine) -> None:
    det = _names(engine)
    bare = WordGate(det._gate._words, letters_only=True)
    assert len(list(_suppressed(engine, bare))) > 50


@pytest.mark.parametrize("text", [blind6_corpus.corpus(120)[98]["text"], blind6_corpus.phi_free(30)[11]["text"]])
def test_streamed_notes_the_gate_made_diverge(engine: RedactionEngine, text: str) -> None:
    """The two notes of blind 6 whose stream differed from their whole-text redaction (``Kiki`` released; ``staff``
    named once ``family`` opened the gate), one character per event."""
    assert streamed(engine, text, 1, PROFILE) == engine.redact_text(text, PROFILE).text
