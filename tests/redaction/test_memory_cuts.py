"""Memory cuts of the redaction engine's word tables (docs/memory.md): a word gate keeps no python-hyperscan
leaked id ints once its database is built, and the listed names live in the trie."""

from __future__ import annotations

import gc
import tracemalloc

from sidecar.redaction.detectors import names, wordgate
from sidecar.redaction.detectors.wordgate import WordGate

_WORDS = [f"zq{i:05d}x" for i in range(5000)]


def _retained_bytes(build: object) -> int:
    """Python memory still allocated after ``build()`` ran and its result was dropped."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        obj = build()  # type: ignore[operator]
        del obj
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_word_gate_keeps_no_word_set_and_leaks_no_ids() -> None:
    gate = WordGate(_WORDS)
    assert gate.hit("a zq00042x b") and not gate.hit("a zq00042 b")
    _retained_bytes(lambda: WordGate(_WORDS))  # warm the module-level caches
    assert _retained_bytes(lambda: WordGate(_WORDS)) < 40_000


def test_the_leak_check_can_fail() -> None:
    """Control: compiling with an ``ids`` list (as the gate did) leaves an int per word behind."""
    hs = wordgate.hyperscan
    lits = [f" {w} ".encode() for w in _WORDS]

    def with_ids() -> object:
        db = hs.Database(mode=hs.HS_MODE_BLOCK)
        db.compile(expressions=lits, ids=list(range(len(lits))), flags=0, literal=True)
        return db

    assert _retained_bytes(with_ids) > 100_000


def test_listed_names_are_packed_in_the_trie() -> None:
    vocab = names.vocabulary()
    assert len(vocab._rare) < 10_000  # was ~60k with the world name lists in the dict
    assert vocab.get("adaeze", 0) == names.FIRST and vocab.get("okonkwo", 0) & names.LAST
