"""``regex_gate.lower_twin``: an any-case regex run case-sensitively over the lower-cased text must find the spans
the regex finds on the text itself, and patterns outside the form it reads must be refused."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from sidecar.redaction.detectors import names
from sidecar.redaction.detectors.regex_gate import ascii_safe, lower_twin

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.redaction_corpus import corpus  # noqa: E402

_RULES = (names._GREETING, names._PROSE_OBJECT)


def _texts() -> list[str]:
    """Notes in their own case, capitals and lower case, and random strings built from the rules' own words in
    random case with blanks, digits and punctuation between them."""
    base = [r["text"] for r in corpus(80, seed=3, phi_rate=0.5)] + [r["text"] for r in clinical_notes(40, seed=9)]
    rng = random.Random(5)
    parts = ["hi", "hello", "hey", "dear", "greetings", "reach", "cc'd", "cc", "met", "with", "spoke", "to",
             "e-mailed", "emailed", "filed", "under", "Bob", "Ana", "x_", "1", "_", "-", ",", "!"]
    seps = [" ", "  ", "\t", "\n", "", " \t ", "    "]
    soup = []
    for _ in range(3000):
        words = [rng.choice(parts) for _ in range(rng.randint(1, 8))]
        words = [w.upper() if rng.random() < 0.3 else w.title() if rng.random() < 0.3 else w for w in words]
        soup.append("".join(w + rng.choice(seps) for w in words))
    return base + [t.upper() for t in base] + [t.lower() for t in base] + soup


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


def test_lower_twin_finds_the_spans_of_the_rules_on_ascii_text() -> None:
    texts = [t for t in _texts() if ascii_safe(t)]
    for rx in _RULES:
        twin, hits = lower_twin(rx), 0
        for t in texts:
            spans = _spans(rx, t)
            assert _spans(twin, t.lower()) == spans, (rx.pattern[:40], t)
            hits += len(spans)
        assert hits > 300  # the texts hold the rules' words: the comparison is not between two misses


def test_control_the_twin_on_text_not_lower_cased_misses() -> None:
    """Control: the same comparison fails when the text is not lower-cased (the twin is case-sensitive)."""
    text = "Dear Ana, please REACH Bob at the desk."
    for rx in _RULES:
        assert _spans(rx, text)
        assert _spans(lower_twin(rx), text) != _spans(rx, text)
        assert _spans(lower_twin(rx), text.lower()) == _spans(rx, text)


def test_scan_uses_the_twin_only_on_ascii_text() -> None:
    """``_Scan._any_case`` gives the original regex's spans on ASCII and non-ASCII text alike."""
    flags = names.vocabulary()
    for text in ("Hi Zsófia, you can reach Vörös at", "HELLO BOB, I TOLD Ana", "hi \u212aelly, reached K\u0131m"):
        sc = names._Scan(text, flags, frozenset())
        for rx in _RULES:
            assert [m.span() for m in sc._any_case(rx)] == _spans(rx, text), (rx.pattern[:40], text)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b(?i:Hi|hello)[ \t]",  # an upper-case letter in the any-case group
        r"\b(?i:hi) bob",  # a letter outside the group: case-sensitive there
        r"(?i)\bhi[ \t]",  # global flags
        r"\b(?i:hi)[0-_]",  # a range covering upper-case letters but not their lower case
        r"\b(?i:\x68i)[ \t]",  # an escape naming a code point
        r"\b(?i:hi)(?-i:x)",  # a group form it does not read
        r"\b(?i:hé)[ \t]",  # non-ASCII
        r"\(?i:hi\)",  # an escaped parenthesis, not an any-case group
    ],
)
def test_lower_twin_refuses_patterns_outside_its_form(pattern: str) -> None:
    with pytest.raises(ValueError, match="lower_twin"):
        lower_twin(re.compile(pattern))


def test_control_the_refused_forms_would_differ() -> None:
    """Control for the refusals: naively lowering two of the refused patterns changes their matches."""
    assert re.search(r"\b(?:hi) bob", "hi Bob".lower()) and not re.search(r"\b(?i:hi) bob", "hi Bob")
    assert re.search(r"(?i:hi)[0-_]", "hiA") and not re.search(r"(?:hi)[0-_]", "hiA".lower())
