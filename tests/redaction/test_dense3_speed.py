"""Speed-ups of the name rules' per-word loops (issue 16, fourth round) answer exactly as the loops they replace:

- the named words are found with ``bytearray.find`` (``names._positions``, ``named.find``) instead of a Python
  step per word: equal to the enumeration they replace on every 0/1 array, and every mark a rule leaves in
  ``named`` is 0 or 1 (the precondition of ``find(1)``);
- a predicate is asked only when its cheap necessary condition holds (``strong`` needs a name or staff flag,
  ``initial`` one letter): on every token of the corpora the predicate is false where the condition is.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from sidecar.redaction.detectors import names
from sidecar.redaction.spans import Span

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.redaction_corpus import corpus  # noqa: E402


def _texts() -> list[str]:
    texts = [r["text"] for r in corpus(150, seed=31, phi_rate=0.6)]
    texts += [r["text"] for r in clinical_notes(80, seed=31)]
    texts += [t.upper() for t in texts[:60]] + [t.lower() for t in texts[:60]]
    texts += [
        "Dr. J. Smith and Brown J. saw Jack Smith; ALLEN TEST NEG per Hunt and Hess 3, pt from Maine",
        "Lily A. called; RN Jones, NP Garcia; Dr. De la Cruz / Okonkwo, Maria; HOYER LIFT used by Mrs Hoyer",
    ]
    return texts


def _enumerated(flags: bytearray, start: int = 0) -> list[int]:
    """The definition ``_positions`` stands for: a Python step per word."""
    return [k for k in range(start, len(flags)) if flags[k]]


def test_positions_equal_the_enumeration_on_marks() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        n = rng.randrange(0, 40)
        flags = bytearray(rng.random() < rng.random() for _ in range(n))
        start = rng.randrange(0, n + 1)
        assert names._positions(flags, start) == _enumerated(flags, start)
        assert names._positions(flags) == _enumerated(flags)


def test_control_positions_read_only_marks_of_one() -> None:
    """Control: a value other than 1 is not found, so the marks must be 0 or 1 (checked on the corpora below)."""
    flags = bytearray([0, 2, 1])
    assert names._positions(flags) != _enumerated(flags)


def test_every_name_mark_is_zero_or_one(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[set[int]] = []
    spans = names._Scan._spans

    def recording(self: names._Scan, named: bytearray) -> list[Span]:
        seen.append(set(named) | set(self.cued))
        return spans(self, named)

    monkeypatch.setattr(names._Scan, "_spans", recording)
    det = names.NameDetector()
    found = sum(len(list(det.detect(t))) for t in _texts())
    assert found > 200 and len(seen) > 300  # the rules ran and named words
    assert set().union(*seen) == {0, 1}


def test_predicates_are_false_where_their_precondition_is() -> None:
    """``strong`` is never true without a name or staff flag, ``initial`` never on a word of more letters; both
    are true on some tokens (the comparison is not of empty sets)."""
    flags = names.vocabulary()
    strong = initial = 0
    for t in _texts():
        sc = names._Scan(t, flags, frozenset({"tamsin"}))
        for k, f in enumerate(sc.flags):
            if sc.strong(k):
                strong += 1
                assert f & (names.STAFF | names._NAMEISH)
            if sc.initial(k):
                initial += 1
                assert len(sc.words[k]) == 1
    assert strong > 100 and initial > 20


def test_substrings_search_equals_any_substring_test() -> None:
    """``substrings(items).search(s)`` finds something exactly when ``any(w in s for w in items)``; on the cue lists
    it replaces and on random strings over their letters (hits and misses both occur)."""
    from sidecar.redaction.detectors import base, dates

    rng = random.Random(9)
    for items in (names._B4_CALL_WORDS, dates._YEAR_CUE_WORDS, ("a.b", "x+", "(c)")):
        rx = base.substrings(items)
        alphabet = "".join(sorted(set("".join(items)))) + " q"
        outcomes = set()
        for _ in range(3000):
            s = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
            want = any(w in s for w in items)
            assert (rx.search(s) is not None) == want, (items, s)
            outcomes.add(want)
        assert outcomes == {True, False}
    # control: the items are literals (unescaped, "a.b" would find "axb"); no item is no pattern (it would match all)
    assert base.substrings(("a.b",)).search("axb") is None
    with pytest.raises(ValueError):
        base.substrings(())


def test_place_rule_groups_are_the_indexes_they_replace() -> None:
    from sidecar.redaction.detectors import locations

    assert frozenset((17, 18, 19, 20, 21)) == locations._NURSING_RULES
    assert frozenset(range(22, 31)) == locations._REPORT_RULES
    # the groups name the rules the two functions run (their first and last regexes)
    scanned = locations._SCANNED
    assert scanned[17] is locations._HOME_CUE and scanned[21] is locations._UNIT_AT
    assert scanned[22] is locations._TOWN_IN_CLAUSE and scanned[30] is locations._TRANSFER_FROM


def _mixed_reference(s: str) -> bool:
    return any(c.islower() for c in s) and any(c.isupper() for c in s)


def test_mixed_case_equals_the_character_test() -> None:
    from sidecar.redaction.detectors.base import mixed_case

    rng = random.Random(13)
    alphabet = "aZ 9.-\n\x1c" + "ªßǅΣσ\u212aµé"  # ASCII and non-ASCII cased, uncased and title-case letters
    outcomes = set()
    for _ in range(5000):
        s = "".join(rng.choice(alphabet[: 8 if rng.random() < 0.5 else None]) for _ in range(rng.randrange(0, 10)))
        assert mixed_case(s) == _mixed_reference(s), repr(s)
        outcomes.add((s.isascii(), mixed_case(s)))
    assert outcomes == {(True, True), (True, False), (False, True), (False, False)}
    for t in _texts()[:200]:
        for line in t.split("\n"):
            assert mixed_case(line) == _mixed_reference(line)
    # control: the ASCII shortcut read on other text would differ ("ª" is lower case, upper() keeps it)
    s = "ªA"
    assert _mixed_reference(s) and not (s.upper() != s and s.lower() != s)
