"""A read-only word -> flags table packed for memory: the few words with rare flags in a dict, the bulk (the
words whose flags are exactly one common value, e.g. the ~230k safe-list words) in a ``marisa_trie.Trie``.

A ``dict`` of 265k ``str`` keys holds ~22 MB of Python objects; the trie holds the same words in about 1 MB.
Lookups answer as the dict did (``get(word, default)``, ``in``, ``[word]``, iteration); a bulk word costs one
trie probe (~0.4 µs) after the dict misses, once: the bulk words a process meets are memoised in a bounded dict
(``MEMO_MAX`` words, ~4 MB at most), so a repeated known word costs a dict lookup. Words in neither part (names,
unknown words: possibly PHI) are never kept.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from typing import overload

import marisa_trie

MEMO_MAX = 32768  # memoised trie answers: words beyond it are probed each time (traffic's vocabulary is small)


class WordFlags(Mapping[str, int]):
    """``word -> flags``; words whose flags equal ``bulk_flags`` live in the trie, the rest in a dict."""

    __slots__ = ("_bulk", "_bulk_flags", "_memo", "_rare")

    def __init__(self, rare: dict[str, int], bulk: marisa_trie.Trie, bulk_flags: int) -> None:
        self._rare = rare
        self._bulk = bulk
        self._bulk_flags = bulk_flags
        # bulk words met so far; only those (known words): a word on no list (a name, PHI) is never kept
        self._memo: dict[str, None] = {}

    @classmethod
    def build(cls, make: Callable[[], dict[str, int]], bulk_flags: int) -> WordFlags:
        """Pack the table ``make()`` returns. The full dict is dropped before the rare part is re-created, so
        the kept ``str`` objects are not scattered among the freed ones (CPython only returns whole arenas)."""
        full = make()
        bulk = marisa_trie.Trie([w for w, f in full.items() if f == bulk_flags])
        packed = "\n".join(f"{f} {w}" for w, f in full.items() if f != bulk_flags)
        del full
        gc.collect()
        rare: dict[str, int] = {}
        for line in packed.split("\n") if packed else ():
            f, w = line.split(" ", 1)
            rare[w] = int(f)
        return cls(rare, bulk, bulk_flags)

    @overload  # type: ignore[override]
    def get(self, word: str) -> int | None: ...
    @overload
    def get(self, word: str, default: int) -> int: ...
    def get(self, word: str, default: int | None = None) -> int | None:
        f = self._rare.get(word)
        if f is not None:
            return f
        if word in self._memo:
            return self._bulk_flags
        if word in self._bulk:
            if len(self._memo) < MEMO_MAX:
                self._memo[word] = None
            return self._bulk_flags
        return default

    def flags_of(self, words: list[str]) -> list[int]:
        """``[self.get(w, 0) for w in words]`` (speed: dict probes in one comprehension, the trie only for the
        words both dicts miss; the memo fills as ``get`` fills it)."""
        rare, memo, bulk, bf = self._rare.get, self._memo, self._bulk, self._bulk_flags
        out = [rare(w, 0) or (bf if w in memo else 0) for w in words]
        for k in [k for k, f in enumerate(out) if not f]:
            w = words[k]
            if w in bulk:
                if len(memo) < MEMO_MAX:
                    memo[w] = None
                out[k] = bf
        return out

    def __getitem__(self, word: str) -> int:
        # not memoised: ``items()`` and ``values()`` come through here and would fill the memo with the table
        f = self._rare.get(word)
        if f is not None:
            return f
        if word in self._bulk:
            return self._bulk_flags
        raise KeyError(word)

    def __contains__(self, word: object) -> bool:
        return word in self._rare or (isinstance(word, str) and word in self._bulk)

    def __iter__(self) -> Iterator[str]:
        yield from self._rare
        yield from self._bulk

    def __len__(self) -> int:
        return len(self._rare) + len(self._bulk)
