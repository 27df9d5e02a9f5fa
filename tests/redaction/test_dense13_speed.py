"""Speed-ups of the sixth round (issue 16, dense text) answer exactly as the code they replace:

- ``_Scan._name_runs`` starts runs only at the words ``_Scan._run_starts`` lists (from the flags alone) instead
  of at every word: the same marks on generated notes in three cases and on accented names in model answers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sidecar.redaction.detectors import names

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.redaction_corpus import corpus  # noqa: E402


def _scans() -> list[names._Scan]:
    texts = [r["text"] for r in corpus(120, seed=13, phi_rate=0.6)]
    texts += [r["text"] for r in clinical_notes(60, seed=13)]
    texts += [t.upper() for t in texts[:50]] + [t.lower() for t in texts[:50]] + _ANSWERS
    flags = names.vocabulary()
    return [names._Scan(t, flags, frozenset({"tamsin"})) for t in texts]


# model answers: accented names in runs, lists and before prose verbs
_ANSWERS = [
    "Thanks for seeing Zsófia Szalai and Kwame D. Okonkwo; Eero M. Kjærgaard and Tendai Fields also came.",
    "oncoming: eero kjærgaard, jürgen mensah, J. Echeverría and c. magalhães; Texas Medicaid covers it.",
    "Hi Halldór, Yesterday Nguyễn declined. Signe Thorsen, Brzęczek and Võ. Rose Hardy saw J. Smith.",
    "PATIENT ADAEZE OKAFOR SEEN BY DR. LU; a. bede and M. Quist; MiniMed Pump per Jack Brown.",
    "Then Phạm would prefer mornings, Kübler agreed and Szymańska declined; Ngozi Okafor called.",
]


def _runs(sc: names._Scan) -> bytearray:
    named = bytearray(len(sc.words))
    sc._name_runs(named)
    return named


def _every_word(sc: names._Scan) -> list[int]:
    """What ``_run_starts`` stands for: every word but the last."""
    return list(range(len(sc.words) - 1))


def test_run_starts_give_the_marks_of_every_word(monkeypatch: pytest.MonkeyPatch) -> None:
    scans = _scans()
    fast = [_runs(sc) for sc in scans]
    skipped = sum(len(sc.words) - 1 - len(sc._run_starts()) for sc in scans)
    monkeypatch.setattr(names._Scan, "_run_starts", _every_word)
    slow = [_runs(sc) for sc in scans]
    assert fast == slow
    assert sum(sum(m) for m in slow) > 300  # runs were found: not a comparison of empty marks
    assert skipped > 1000  # and the starts leave words out (the speed-up is real)


def test_control_starts_without_initials_lose_marks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: a start list that leaves out the one-letter words misses ``J. Echeverría``-like runs, so the
    comparison above can fail."""
    scans = _scans()
    full = [_runs(sc) for sc in scans]
    monkeypatch.setattr(names._Scan, "_run_starts", lambda sc: [k for k in _every_word(sc) if len(sc.words[k]) > 1])
    assert [_runs(sc) for sc in scans] != full


def test_accented_list_items_need_a_non_ascii_text() -> None:
    """The early return on ASCII text: the word loop (forced by clearing ``ascii_low``) marks nothing there, and
    marks accented list items in the model answers (control: the loop is not idle everywhere)."""
    ascii_marks = accented_marks = 0
    for sc in _scans():
        fast = bytearray(len(sc.words))
        sc._accented_list_items(fast)
        ascii_text = sc.ascii_low is not None
        sc.ascii_low = None
        slow = bytearray(len(sc.words))
        sc._accented_list_items(slow)
        assert fast == slow or not ascii_text
        ascii_marks += sum(slow) if ascii_text else 0
        accented_marks += 0 if ascii_text else sum(slow)
    assert ascii_marks == 0 and accented_marks >= 3


def _prose_subjects_per_word(sc: names._Scan, named: bytearray, cued: bytearray) -> None:
    """The loop ``_prose_subjects`` replaced: a step per word."""
    for v in range(1, len(sc.words)):
        if sc.lows[v] not in names._PROSE_SUBJECT_VERBS or not sc.words[v].islower() or not names._SP.match(sc.gap(v)):
            continue
        if sc.written_name(v - 1) and sc.person_word(v - 1):
            named[v - 1] = cued[v - 1] = 1


def test_prose_subjects_equal_the_per_word_loop() -> None:
    marked = 0
    for sc in _scans():
        a, b = bytearray(len(sc.words)), bytearray(len(sc.words))
        sc._prose_subjects(a, bytearray(len(sc.words)))
        _prose_subjects_per_word(sc, b, bytearray(len(sc.words)))
        assert a == b
        marked += sum(a)
    assert marked >= 2  # "Yesterday Nguyễn declined", "Signe Thorsen": the rule fired
