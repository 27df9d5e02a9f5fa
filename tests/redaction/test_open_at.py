"""The stream contract of ``Analyzer.open_at``: findings inside ``text[:open_at(text)]`` never change, whatever is
appended. Hypothesis texts built from the pieces identifiers are made of (digits, separators, cue words, month
names, invisible and full-width characters), adversarial continuations, and a control showing the oracle fails
for a greedy open_at."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sidecar.redaction.analyzer import Analyzer
from sidecar.redaction.detectors.base import fallback_open_at
from sidecar.redaction.detectors.dates import DateDetector
from sidecar.redaction.detectors.patterns import PatternDetector
from sidecar.redaction.profiles import ALL_TYPES
from sidecar.redaction.spans import Span

PIECES = [
    *"0123456789", "12", "555", "0199", "2022", "-", "/", ".", " ", "  ", ", ", "(", ")", "#", "@", ":", "%", "x",
    "ssn", "SSN ", "phone ", "call ", "pager ", "MRN: ", "id ", "age ", "aged ", "ninety", "-two", " years old",
    "one ", "two ", "five ", "nine ", "March ", "march ", "the ", "15th", ", 1962", "III", "Jan", "tab", " of",
    "mg", "www.", "http://", "ex.com", "jo", "\u200b", "\u2011", "\u2013", "\uff15", "\u0661", "\u00a0", "\u0430",
    "clots", "BP ", "120/80", "12/10/40", "TOXICITY-",
]
TEXT = st.lists(st.sampled_from(PIECES), min_size=0, max_size=14).map("".join)
CONTINUATIONS = [
    "", "0", "1", "12", "-45-6789", "4567", "99", "/22", "/2022", " 2022", "th, 1962", " tab", "%", ".com",
    "@ex.com", " years old", " yo", "five six seven eight nine", "-", " ", "0" * 40, " " * 120, "x", "ample.org/p",
    "\u200b9", "2 3 4 5 6 7 8 9", ".7788", "a", " of",
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer([PatternDetector(), DateDetector()])


def settled(spans: list[Span], cut: int) -> tuple[int, list[Span]]:
    """The stream's release point (left of a finding that straddles ``cut``) and the findings before it."""
    for s in spans:
        if s.start < cut < s.end:
            cut = s.start
    return cut, [s for s in spans if s.end <= cut]


def violation(an: Analyzer, text: str, cont: str, open_at: int) -> bool:
    cut, before = settled(an.analyze(text, ALL_TYPES), open_at)
    after = [s for s in an.analyze(text + cont, ALL_TYPES) if s.start < cut]
    return before != after


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, cont=st.sampled_from(CONTINUATIONS) | TEXT)
@example(text="call 617-555-", cont="0199")
@example(text="SSN 123-45-67", cont="89")
@example(text="aged ninety", cont="-two")
@example(text="seen 3/4", cont=" tab")
def test_released_findings_never_change(analyzer: Analyzer, text: str, cont: str) -> None:
    i = analyzer.open_at(text, ALL_TYPES)
    assert 0 <= i <= len(text)
    assert not violation(analyzer, text, cont, i), (text, cont, i)


def test_every_continuation_for_every_cut_of_a_note(analyzer: Analyzer) -> None:
    note = (
        "Pt seen 3/14 w/ BP 120/80, pager 4-1234. SSN 123-45-6789; call 617 555 0199 or jo@ex.com. "
        "Aged ninety-two, born 15/III/1962. Vent 12/10/40%. HR 120-150."
    )
    for k in range(len(note) + 1):
        text = note[:k]
        i = analyzer.open_at(text, ALL_TYPES)
        for cont in (note[k:], *CONTINUATIONS):
            assert not violation(analyzer, text, cont, i), (text, cont, i)


def test_control_greedy_open_at_fails_the_oracle(analyzer: Analyzer) -> None:
    """The oracle can fail: releasing everything lets a continuation change a released finding."""
    cases = [("call 617-555-", "0199"), ("SSN 123-45-67", "89"), ("seen 3/4", " tab"), ("jo@ex", ".com")]
    assert all(violation(analyzer, t, c, len(t)) for t, c in cases)
    assert not any(violation(analyzer, t, c, analyzer.open_at(t, ALL_TYPES)) for t, c in cases)


def test_prose_is_held_at_most_one_word(analyzer: Analyzer) -> None:
    """Prose holds back at most its last word (it could still become the local part of a spelled-out e-mail
    address: "... condition at example dot com")."""
    text = "The patient tolerated the procedure well and was discharged home in stable condition. "
    assert len(text) - analyzer.open_at(text, ALL_TYPES) <= len("condition. ")
    text = "The patient tolerated the procedure well; plan unchanged;"
    assert len(text) - analyzer.open_at(text, ALL_TYPES) <= len("unchanged;")


def test_open_at_is_bounded_by_the_reach(analyzer: Analyzer) -> None:
    """A candidate that keeps growing is never held further back than the detectors' largest reach."""
    text = "see http://ex.com/" + "a" * 5000
    reach = max(getattr(d, "max_reach", d.reach) for d in analyzer._detectors)
    assert analyzer.open_at(text, ALL_TYPES) >= len(text) - reach
    digits = "ref " + "7" * 3000
    assert analyzer.open_at(digits, ALL_TYPES) >= len(digits) - reach


def test_plug_in_without_open_at_gets_the_fixed_window(analyzer: Analyzer) -> None:
    class Plug:
        name = "plug"
        reach = 10

        def detect(self, text: str) -> list[Span]:
            return []

    an = Analyzer([Plug()])
    text = "word " * 10
    assert an.open_at(text, ALL_TYPES) == fallback_open_at(text, 10) < len(text)


def test_offsets_map_through_the_view(analyzer: Analyzer) -> None:
    text = "ok \u200b\u200b call 617\u2011555\u2011"
    i = analyzer.open_at(text, ALL_TYPES)
    assert text[i:].startswith("617")
    assert not violation(analyzer, text, "0199", i)


def test_every_built_in_pattern_is_bounded() -> None:
    """No unbounded whitespace or word runs: every scanning regex has a finite longest match."""
    import re

    from sidecar.redaction.detectors import dates, patterns
    from sidecar.redaction.detectors.base import OpenScanner, width

    for rx in (*patterns._SCANNED, patterns._SSN, patterns._EMAIL, dates._MONTH_DAY):
        assert width(rx) < 4096, rx.pattern
    for p in dates._PATTERNS:
        assert width(re.compile(p.replace("\\1", "[-/.]"))) < 200, p
    with pytest.raises(ValueError, match="unbounded"):
        OpenScanner([re.compile(r"MRN\s+\d+")])


def test_operator_mrn_format_may_be_unbounded() -> None:
    """An operator's unbounded MRN format is capped for the stream, not refused at start-up."""
    det = PatternDetector(mrn_patterns=[r"\bMRN\d+"])
    text = "see MRN" + "1" * 20
    assert det.open_at(text) <= text.index("MRN")
    assert any(s.type == "MRN" for s in det.detect(text))


NAME_PIECES = ["Dr. ", "John ", "Smith", " lives at ", "42 Elm ", "Street", ", Boston, MA ", "Mary", "\u0410nna "]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=TEXT | st.lists(st.sampled_from(NAME_PIECES), max_size=8).map("".join),
    cont=st.sampled_from(CONTINUATIONS + NAME_PIECES),
)
def test_the_engine_analyzer_combines_every_detector(engine: object, text: str, cont: str) -> None:
    """All built-in detectors behind the prefilter: own open points and the fixed window for the others."""
    an = engine.analyzer  # type: ignore[attr-defined]
    assert not violation(an, text, cont, an.open_at(text, ALL_TYPES)), (text, cont)
