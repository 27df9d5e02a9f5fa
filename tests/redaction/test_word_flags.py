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
        assert t.get("adaeze", 0) == 0 and t.get("adaeze") is None and "adaeze" not in t
    # only known (bulk) words are kept: never a word on no list (a name in a text), never the rare part
    assert set(t._memo) == {"hospital", "clinic"}
    # control: a memo that lied would change the answer (the oracle can fail)
    t._memo["adaeze"] = None
    assert t.get("adaeze", 0) == 4
    del t._memo["adaeze"]
    # bounded: past MEMO_MAX words are probed, not stored, and still answer right
    monkeypatch.setattr(word_flags, "MEMO_MAX", 2)
    t2 = WordFlags.build(lambda: {"a": 4, "b": 4, "c": 4}, bulk_flags=4)
    assert [t2.get(w, 0) for w in "abcab"] == [4, 4, 4, 4, 4]
    assert set(t2._memo) == {"a", "b"} and t2.get("c", 0) == 4 and t2.get("d", 0) == 0
    # iterating the table (start-up code reads items()) does not fill the memo
    t3 = WordFlags.build(lambda: {"a": 4, "b": 4, "c": 2}, bulk_flags=4)
    assert dict(t3.items()) == {"a": 4, "b": 4, "c": 2} and not t3._memo


def test_packed_flag_values_answer_like_the_dict_and_are_never_memoised() -> None:
    src = {"hospital": 4, "smith": 2, "john": 1, "jordan": 3, "the": 8, "rose": 5, "clinic": 4}
    t = WordFlags.build(lambda: dict(src), bulk_flags=4, packed=(1, 2, 3))
    assert set(t._rare) == {"the", "rose"}  # control: without ``packed`` the names stay in the dict
    assert set(WordFlags.build(lambda: dict(src), bulk_flags=4)._rare) == {"the", "rose", "smith", "john", "jordan"}
    assert dict(t.items()) == src and len(t) == len(src)
    words = [*src, "adaeze", "Smith", "", "hospital", "john"]
    for _ in range(2):  # the second round answers from the memo where there is one
        assert [t.get(w, 0) for w in words] == [src.get(w, 0) for w in words]
        assert t.flags_of(words) == [src.get(w, 0) for w in words]
    assert all((w in t) == (w in src) for w in words)
    assert set(t._memo) == {"hospital", "clinic"}  # a listed name is never kept, as a word on no list is not
    with pytest.raises(KeyError):
        t["adaeze"]
