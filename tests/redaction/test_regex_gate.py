"""The hyperscan regex gate skips only regexes that cannot match: gated detectors find exactly what ungated
ones find, on generated notes, third-party eval text and random ASCII."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.redaction_corpus import corpus
from sidecar.redaction.detectors.locations import LocationDetector
from sidecar.redaction.detectors.patterns import PatternDetector
from sidecar.redaction.detectors.regex_gate import RegexGate, relax

EVAL = Path(__file__).resolve().parents[2] / "bench" / "eval_data"


@pytest.fixture(scope="module")
def detectors() -> list[PatternDetector | LocationDetector]:
    return [PatternDetector(mrn_patterns=[r"\bUPMC-\d{6}[A-Z]{2}\b"]), LocationDetector()]


@contextmanager
def ungated(det: PatternDetector | LocationDetector) -> Iterator[None]:
    db = det._gate._db
    det._gate._db = None  # possible() then answers "all of them"
    try:
        yield
    finally:
        det._gate._db = db


def same_findings(det: PatternDetector | LocationDetector, text: str) -> None:
    gated = sorted(det.detect(text))
    with ungated(det):
        full = sorted(det.detect(text))
    assert gated == full, text


def test_every_scanning_regex_is_gated(detectors: list[PatternDetector | LocationDetector]) -> None:
    """Nothing silently falls back to always running (a pattern hyperscan refused would show here)."""
    for det in detectors:
        assert det._gate._db is not None
        assert det._gate._always == set(), type(det).__name__


def test_relax_is_a_superset_form() -> None:
    assert relax(r"(?<![\w-])(?P<v>\d{3})(?!\d)") == r"(\d{3})"
    assert relax(r"[A-Z][\w'’&-]*") == r"[A-Z][\w'&-]*"
    assert relax(r"(\d)-\1") is None  # backreferences are not relaxed
    assert relax(r"[(?<!x)]a") == r"[(?<!x)]a"  # inside a class nothing is an assertion
    gate = RegexGate([re.compile(r"(?<=id )\d+"), re.compile(r"(?i)\bmrn\b")])
    assert gate.possible("id 42") == {0}
    assert gate.possible("MRN: x") == {1}
    assert gate.possible("nothing here") == set()
    assert gate.possible("café 42 MRN") == {0, 1}
    assert gate.possible("café crème °C") == set()  # non-ASCII text is gated through its ASCII proxy
    assert re.search(r"\bkm\b", "5 \u212am", re.I)  # the Kelvin sign matches k case-insensitively...
    assert RegexGate([re.compile(r"\bkm\b", re.I)]).possible("5 \u212am") == {0}  # ...and so does its proxy
    lossy = RegexGate([re.compile(r"[a-zà-ÿ]{3}\d"), re.compile(r"[^a-z]\d{2}")])
    assert lossy.possible("é 12") == {0, 1}  # classes the proxy cannot stand for: never skipped on such text
    assert lossy.possible("abc") == set()
    assert gate.possible("a\x1cb") == {0, 1}  # re's \s matches 0x1C-0x1F, hyperscan's does not
    for sep in "\x1c\x1d\x1e\x1f":  # each of them (tested one by one, not as a regex class)
        assert gate.possible(f"a{sep}b") == {0, 1}
    assert gate.possible("a\x1bb\x20c") == set()  # control: the neighbours 0x1B and 0x20 are gated as usual


def test_generated_notes(detectors: list[PatternDetector | LocationDetector]) -> None:
    for rec in corpus(300, seed=11, phi_rate=0.6):
        for det in detectors:
            same_findings(det, rec["text"])


@pytest.mark.parametrize("name", ["asq-phi/asq.jsonl", "presidio-research/synth_v2.jsonl"])
def test_third_party_eval_text(detectors: list[PatternDetector | LocationDetector], name: str) -> None:
    path = EVAL / name
    for line in path.read_text(encoding="utf-8").splitlines()[:600]:
        text = json.loads(line)["text"]
        for det in detectors:
            same_findings(det, text)


_PIECES = st.sampled_from(
    [" ", "\n", "\t", "-", ".", ",", ":", "#", "(", ")", "/", "@", "+", "'", "x", "Dr.", "MRN", "mrn", "SSN",
     "Apt", "St.", "Street", "Main", "Boston", "MA", "NY", "Hospital", "at", "in", "to", "the", "Saint",
     "seen", "age", "yo", "ID", "no", "fax", "acct", "DEA", "www.", "http://", ".com", "1", "12", "123", "1234",
     "02115", "555", "0123", "99", "A1", "ZZ", "::", "1.2.3.4", "4111 1111 1111 1111", "AB1234563"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=40).map("".join))
def test_random_ascii(detectors: list[PatternDetector | LocationDetector], text: str) -> None:
    for det in detectors:
        same_findings(det, text)


def test_a_gate_that_skipped_wrongly_would_be_caught(detectors: list[PatternDetector | LocationDetector]) -> None:
    """Control: a gate that claims nothing can match loses findings, and the comparison sees it."""
    det = detectors[0]
    text = "SSN 123-45-6789, call (617) 555-0199"
    with ungated(det):
        full = sorted(det.detect(text))
    original = det._gate.possible
    det._gate.possible = lambda _t: set()  # type: ignore[method-assign]
    try:
        assert sorted(det.detect(text)) != full
    finally:
        det._gate.possible = original  # type: ignore[method-assign]
    assert sorted(det.detect(text)) == full and len(full) >= 2


_NON_ASCII_PIECES = st.sampled_from(
    ["é", "É", "°", "±", "•", "中", "\u212a", "\u017f", "\u0131", "\u0130", "\u0661", "\u00a0", "\u0085", "\u2028",
     "\u0301", "\u2019", "ß", "ﬁ", "²", "™", "\U0001f600"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES | _NON_ASCII_PIECES, min_size=1, max_size=40).map("".join))
def test_random_non_ascii_through_the_proxy(text: str) -> None:
    """Non-ASCII text is gated through its ASCII proxy: every detector still finds what it finds ungated."""
    for det in _all_detectors():
        same_findings(det, text)  # type: ignore[arg-type]


_ALL: list[object] = []


def _all_detectors() -> list[object]:
    if not _ALL:
        from sidecar.redaction.detectors import default_detectors

        dets = default_detectors(mrn_patterns=[r"\bUPMC-\d{6}[A-Z]{2}\b"])
        _ALL.extend(d for d in dets if hasattr(d, "_gate"))  # the gated ones (data_urls has no regex gate)
    return _ALL


def test_a_pattern_naming_a_non_ascii_character_is_gated_on_texts_without_it() -> None:
    """A class naming ``’`` cannot be stood for by the proxy only on texts holding ``’`` (or a case partner of a
    named letter): other non-ASCII texts are gated as usual."""
    gate = RegexGate([re.compile(r"\b[A-Z][a-z'’]+ Hospital\b"), re.compile(r"(?i)caf[eé]\b")])
    assert gate.possible("“quoted” nothing here ✓") == set()  # non-ASCII, but no ’ and no é: both skipped
    assert gate.possible("seen at O’Neil Hospital") == {0}  # holds ’: never skipped
    assert gate.possible("the CAFÉ “x”") == {1}  # É is the upper case of the named é
    assert gate.possible("seen at Mercy Hospital “x”") == {0}  # the ASCII match is still found through the proxy
    from sidecar.redaction.detectors.regex_gate import _named_chars

    assert _named_chars(r"[A-Za-z'’-]") == {"’"}  # a "-" before "]" is a literal, not a range
    assert _named_chars(r"[à-ÿ]") is None and _named_chars(r"[a-é]") is None  # ranges: never gated on such text
    assert _named_chars(r"[^a’]") is None  # a negated class naming a letter: never gated on such text
    for text in ("O’Neil Hospital", "Mercy Hospital “x”", "CAFÉ", "cafe ✓"):  # never skips a match
        assert {i for i, rx in enumerate(gate._patterns) if rx.search(text)} <= gate.possible(text), text


def test_word_gate_proxy_equals_the_word_lookup() -> None:
    """Non-ASCII texts: the hyperscan proxy answers what the set lookup over Unicode words answers."""
    from sidecar.redaction.detectors.wordgate import WordGate

    gate = WordGate(["kim", "jose", "smith"], [r"\b[A-Z]\.\s?[A-Z][a-z]"])
    cases = {
        "Jos\u00e9 came “today”": False,  # the word is José: not jose
        "\u212aim is here ✓": True,  # the Kelvin sign lowers to k: kim
        "SMITH—“x”": True,
        "smith_x “y”": True,  # _ ends a word, as in [^\W_]+
        "smithé “y”": False,
        "中smith中": False,  # CJK letters are word characters: one word
        "中 smith 中": True,
        "“J. Doe” said": True,  # the pattern, through the regex gate
        "“j. doe” said": False,
        "Boston\u0661 “x”": False,  # an Arabic-Indic digit is a word character: one word
        "smith\x01é": True,  # an ASCII control character still ends a word
    }
    for text, want in cases.items():
        assert gate._slow(text) is want, text  # the oracle agrees with the table (control)
        assert gate.hit(text) is want, text


def test_possible_patterns_tests_the_gates_own_patterns_by_identity() -> None:
    """``possible_patterns`` answers ``rx in can`` by identity (no hash of the compiled code), for the gate's
    own pattern objects, as the index form ``possible`` does."""
    import re as re_

    from sidecar.redaction.detectors.regex_gate import RegexGate

    a, b = re_.compile(r"\d{3}-\d{4}"), re_.compile(r"(?i)\bpager\b")
    gate = RegexGate([a, b])
    can = gate.possible_patterns("call 555-1234")
    assert a in can and b not in can and len(can) == 1
    assert a in gate.possible_patterns("pager 555-1234") and b in gate.possible_patterns("PAGER 555-1234")
    # control: an equal pattern compiled anew is another object: identity, not equality, is what is tested
    re_.purge()
    a2 = re_.compile(r"\d{3}-\d{4}")
    assert a2 == a and a2 is not a and a2 not in can
