"""Speed-only rewrites answer exactly as the plain forms they replace: ``WordFlags.flags_of`` as ``get`` per
word, ``has_padding``'s ordered substring tests as the plain disjunction, and a word gate answered by the joint
scan as the gate scanning itself (also when a pattern hits and the word scan is skipped)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping

import pytest

from sidecar.redaction import normalize
from sidecar.redaction.detectors import joint_scan, names
from sidecar.redaction.detectors.word_flags import WordFlags
from sidecar.redaction.detectors.wordgate import WordGate


def test_flags_of_equals_get_per_word() -> None:
    vocab = names.vocabulary()
    words = ["the", "hospital", "smith", "adaeze", "qzxv", "may", "dr", "", "clinics", "hospital"]
    assert vocab.flags_of(words) == [vocab.get(w, 0) for w in words]
    src = {"hospital": 4, "smith": 2, "clinic": 4}
    t = WordFlags.build(lambda: dict(src), bulk_flags=4)
    ws = ["smith", "clinic", "adaeze", "hospital", "clinic"]
    assert t.flags_of(ws) == [2, 4, 0, 4, 4]
    assert set(t._memo) == {"clinic", "hospital"}  # only known bulk words are kept, as ``get`` keeps them
    # control: a memo that lied changes the answer, so the comparison above can fail
    t._memo["adaeze"] = None
    assert t.flags_of(["adaeze"]) == [4]


def test_items_walk_equals_the_mapping_items() -> None:
    """``WordFlags.items`` (one trie walk) yields the pairs ``Mapping.items`` (a probe per word) yields, in order:
    rare, bulk and packed words alike."""
    t = WordFlags.build(lambda: {"hospital": 4, "smith": 2, "clinic": 4, "dr": 9, "ada": 2 | 1}, bulk_flags=4,
                        packed=(2, 2 | 1))
    assert list(t.items()) == list(Mapping.items(t)) and len(t.items()) == 5
    assert dict(t.items()) == {"hospital": 4, "smith": 2, "clinic": 4, "dr": 9, "ada": 3}
    assert ("dr", 9) in t.items() and ("dr", 4) not in t.items()
    vocab = names.vocabulary()
    assert list(itertools.islice(vocab.items(), 0, None, 997)) == list(
        itertools.islice(Mapping.items(vocab), 0, None, 997))


def _padding_reference(text: str) -> bool:
    """``has_padding`` as it was written before: every substring test in one disjunction."""
    pieces = ("&", "|", "%", "  ", "\n\n", " \n", "\t", "\r")
    uni = not text.isascii() and not normalize._UNI_SPACES.isdisjoint(text)
    if not (any(p in text for p in pieces) or uni):
        return False
    return normalize._PIECE.search(text) is not None


def test_has_padding_equals_the_plain_disjunction() -> None:
    atoms = ["a", " ", "\n", "\t", "\r", "&amp;", "|", "%20", "\u00a0", "\u2003", "x y"]
    texts = ["".join(p) for n in range(1, 5) for p in itertools.product(atoms, repeat=n)]
    rng = random.Random(5)
    texts += ["".join(rng.choice(atoms) for _ in range(rng.randint(5, 40))) for _ in range(3000)]
    assert sum(normalize.has_padding(t) for t in texts) > 100  # both answers occur
    assert [normalize.has_padding(t) for t in texts] == [_padding_reference(t) for t in texts]
    # control: the oracle tells a newline pair apart (a form that drops it would fail above)
    assert _padding_reference("a\n\n\n\nb") and not _padding_reference("a\nb")


@pytest.fixture(scope="module")
def gate() -> WordGate:
    return WordGate(["smith", "garcia"], patterns=[r"\b[A-Z]\.\s?[A-Z][a-z]"], letters_only=True)


@pytest.mark.parametrize(
    "text", ["seen by J. Doe today", "no names here at all", "Smith was seen", "GARCIA3 noted", "J. Smith"]
)
def test_word_gate_answers_alike_with_and_without_the_joint_scan(gate: WordGate, text: str) -> None:
    own = gate.hit(text)
    pattern_hit = any(p.search(text) for p in gate._patterns)
    try:
        joint_scan.publish(text, {id(gate): {0} if pattern_hit else set()}, [gate])
        assert gate.hit(text) == own
        # control: a joint answer that lied about the pattern flips a text without gate words
        joint_scan.publish(text, {id(gate): {0}}, [gate])
        assert gate.hit(text) is True
    finally:
        joint_scan.clear()
    assert gate.hit("no names here at all") is False
