"""The self-gating detectors' gates ride along the prefilter's whole-text scan (``joint_scan``): their answers
from that scan equal their own scans, only the very text object scanned is answered, an aborted scan answers
nothing, and the analyzer finds the same spans with and without the joint scan."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from sidecar.redaction.analyzer import Analyzer
from sidecar.redaction.detectors import default_detectors, joint_scan
from sidecar.redaction.detectors.regex_gate import RegexGate
from sidecar.redaction.detectors.wordgate import WordGate
from sidecar.redaction.prefilter import Prefilter
from sidecar.redaction.profiles import ALL_TYPES

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.redaction_corpus import _FILLER, corpus  # noqa: E402


@pytest.fixture(scope="module")
def detectors() -> list[object]:
    return list(default_detectors())


@pytest.fixture(scope="module")
def joined(detectors: list[object]) -> Analyzer:
    return Analyzer(detectors, Prefilter(detectors), padding=True)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def gates(joined: Analyzer) -> list[object]:
    return list(joined._joined)


def _texts() -> list[str]:
    """Long ASCII texts (the whole-text scan's case): prose, prose with findings, re-cased clinical notes."""
    rng = random.Random(7)
    prose = [" ".join(rng.choice(_FILLER) for _ in range(12)) for _ in range(30)]
    dense = [r["text"] for r in corpus(80, seed=3)]
    notes = [r["text"] for r in clinical_notes(40, seed=9)]
    mixed = [p + " " + d + " " + p for p, d in zip(prose, dense, strict=False)]
    return prose + mixed + notes + [n.upper() for n in notes[:10]] + [n.lower() for n in notes[:10]]


def _answer(gate: object, text: str) -> object:
    if isinstance(gate, RegexGate):
        return frozenset(gate.possible(text))
    assert isinstance(gate, WordGate)
    return gate.hit(text)


def test_both_gates_join(gates: list[object]) -> None:
    assert {type(g) for g in gates} == {RegexGate, WordGate}


def test_joint_answers_equal_own_scans(joined: Analyzer, gates: list[object]) -> None:
    pre = joined._prefilter
    assert pre is not None
    answered = 0
    for text in _texts():
        joint_scan.clear()
        own = [_answer(g, text) for g in gates]
        pre.regions(text)
        for g in gates:
            answered += joint_scan.hits_for(g, text) is not None
        assert [_answer(g, text) for g in gates] == own, text[:80]
    joint_scan.clear()
    assert answered > 100  # the joint path was taken, not only the gates' own scans


def test_control_a_wrong_joint_answer_shows(joined: Analyzer, gates: list[object]) -> None:
    """The oracle can fail: a published answer that differs from the scan changes the gate's answer."""
    text = "Patient seen at Mercy General Hospital in Springfield, IL 62704 by Dr. Alma Reyes. " * 4
    own = [_answer(g, text) for g in gates]
    joint_scan.publish(text, {id(g): set() for g in gates}, gates)
    try:
        assert [_answer(g, text) for g in gates] != own
    finally:
        joint_scan.clear()


def test_only_the_scanned_text_object_is_answered(joined: Analyzer, gates: list[object]) -> None:
    pre = joined._prefilter
    assert pre is not None
    text = " ".join(random.Random(1).choice(_FILLER) for _ in range(12))
    pre.regions(text)
    try:
        assert all(joint_scan.hits_for(g, text) is not None for g in gates)
        twin = "".join(list(text))  # equal, another object
        assert twin is not text
        assert all(joint_scan.hits_for(g, twin) is None for g in gates)
        assert joint_scan.hits_for(object(), text) is None  # a gate that did not join
    finally:
        joint_scan.clear()
    assert all(joint_scan.hits_for(g, text) is None for g in gates)


def test_no_answer_from_short_digit_dense_or_stopped_scans(joined: Analyzer, gates: list[object]) -> None:
    pre = joined._prefilter
    assert pre is not None
    short = "Seen by Dr. Alma Reyes at Mercy General Hospital."  # one block: scanned block by block
    digits = "MRN 4821-5521, 555-201-3344 on 03/14/2021; " * 30  # digit-dense: block by block
    stopped = "seen on a@b in March, pager paged July www.x " * 60  # over its budget of trigger ends: stopped
    for text in (short, digits, stopped):
        joint_scan.clear()
        pre.regions(text)
        assert all(joint_scan.hits_for(g, text) is None for g in gates), text[:40]
    joint_scan.clear()


def test_analyzer_same_spans_with_and_without_joint_scan(detectors: list[object], joined: Analyzer) -> None:
    alone = Analyzer(detectors, Prefilter(detectors), padding=True)  # type: ignore[arg-type]
    alone._prefilter.join_gates([])  # type: ignore[union-attr]
    for text in _texts():
        assert joined.analyze(text, ALL_TYPES) == alone.analyze(text, ALL_TYPES), text[:80]


def test_regions_without_gates_are_the_same_and_publish_nothing(joined: Analyzer, gates: list[object]) -> None:
    """``regions(text, gates=False)`` (no wanted detector reads the gates): the triggers' scan alone, the same
    regions, and no answer published for any gate (the gates scan themselves if asked)."""
    pre = joined._prefilter
    assert pre is not None
    published = 0
    for text in _texts():
        joint_scan.clear()
        with_gates = pre.regions(text)
        published += any(joint_scan.hits_for(g, text) is not None for g in gates)
        joint_scan.clear()
        assert pre.regions(text, gates=False) == with_gates, text[:80]
        assert all(joint_scan.hits_for(g, text) is None for g in gates), text[:80]
    joint_scan.clear()
    assert published > 30  # control: the default scan does publish on these texts


def test_analyzer_joins_the_gates_only_for_profiles_that_read_them(joined: Analyzer, gates: list[object]) -> None:
    """A type set without names and places (the ``clinical`` profile's identifiers) scans no gate; one with them
    still does; the spans are those of an analyzer whose prefilter joins no gate."""
    text = " ".join(random.Random(3).choice(_FILLER) for _ in range(40)) + " MRN 48215521 seen by Alma Reyes"
    identifiers = frozenset({"SSN", "CARD", "URL", "IP", "ACCOUNT", "LICENSE", "NPI"})
    seen: list[bool] = []
    pre = joined._prefilter
    assert pre is not None
    real = pre.regions

    def spy(t: str, gates: bool = True) -> list[tuple[int, int, int]]:
        seen.append(gates)
        return real(t, gates)

    pre.regions = spy  # type: ignore[method-assign]
    try:
        joined.analyze(text, identifiers)
        joined.analyze(text, ALL_TYPES)
    finally:
        del pre.regions
    assert seen == [False, True]
    alone = Analyzer(list(default_detectors()), Prefilter(list(default_detectors())), padding=True)  # type: ignore[arg-type]
    alone._prefilter.join_gates([])  # type: ignore[union-attr]
    for t in _texts()[:40]:
        assert joined.analyze(t, identifiers) == alone.analyze(t, identifiers), t[:80]
