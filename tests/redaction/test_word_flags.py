"""The packed word -> flags table answers exactly as the dict it was built from."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import names
from sidecar.redaction.detectors.word_flags import WordFlags


def test_packed_table_answers_like_the_dict() -> None:
    src = {"hospital": 4, "smith": 2, "john": 1, "the": 8, "jordan": 5, "clinic": 4}
    t = WordFlags.build(lambda: dict(src), bulk_flags=4)
    assert dict(t.items()) == src
    assert len(t) == len(src)
    for w, f in src.items():
        assert t.get(w, 0) == f and t[w] == f and w in t
    # control: words that are in neither part miss, as with the dict
    for w in ("hospitals", "smit", "", "Smith"):
        assert t.get(w, 0) == 0 and t.get(w) is None and w not in t
        with pytest.raises(KeyError):
            t[w]
    assert 4 not in t  # type: ignore[comparison-overlap]


def test_shipped_vocabulary_equals_the_unpacked_table() -> None:
    full = names._vocab()
    packed = names.vocabulary()
    assert len(packed) == len(full)
    assert all(packed.get(w, 0) == f for w, f in full.items())
    assert sum(1 for f in full.values() if f == names.SAFE) > 100_000  # the bulk really is in the trie
    assert packed.get("qzxvjklm", 0) == 0


def test_memoised_answers_equal_the_trie_and_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar.redaction.detectors import word_flags

    src = {"hospital": 4, "smith": 2, "clinic": 4}
    t = WordFlags.build(lambda: dict(src), bulk_flags=4)
    for _ in range(2):  # the second round answers from the memo
        assert t.get("hospital", 0) == 4 and t.get("clinic") == 4 and t.get("smith", 0) == 2
        assert t.get("hospitals", 0) == 0 and t.get("hospitals") is None and "hospitals" not in t
    assert t._memo == {"hospital": 4, "clinic": 4, "hospitals": -1}  # rare words are never memoised
    # control: a memo that lied would change the answer (the oracle can fail)
    t._memo["hospitals"] = 4
    assert t.get("hospitals", 0) == 4
    # bounded: past MEMO_MAX words are probed, not stored, and still answer right
    monkeypatch.setattr(word_flags, "MEMO_MAX", 4)
    for w in ("a1", "a2", "a3", "clinicx"):
        assert t.get(w, 0) == 0
    assert len(t._memo) == 4 and t.get("clinic", 0) == 4
    # a bulk value of 0 is still told apart from a miss
    z = WordFlags.build(lambda: {"x": 0, "y": 2}, bulk_flags=0)
    assert z.get("x", 7) == 0 and z.get("x", 7) == 0 and z.get("q", 7) == 7
