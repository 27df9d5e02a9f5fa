"""A read-only word -> flags table packed for memory: the few words with rare flags in a dict, the bulk (the
words whose flags are exactly one common value, e.g. the ~230k safe-list words, and the words whose flags are
one of a few ``packed`` values, e.g. the ~54k listed names) in one ``marisa_trie.Trie`` whose key ids index a
byte array of flag codes.

A ``dict`` of 265k ``str`` keys holds ~22 MB of Python objects; the trie holds the same words in about 1 MB,
and a listed name costs ~6 bytes there instead of ~85 in the dict. Lookups answer as the dict did
(``get(word, default)``, ``in``, ``[word]``, iteration); a packed word costs one trie probe (~0.4 µs) after the
dict misses. The bulk words a process meets are memoised in a bounded dict (``MEMO_MAX`` words, ~4 MB at most),
so a repeated known word costs a dict lookup. Words with other flags (listed names) and words in neither part
(unknown words: possibly PHI) are never kept.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, ItemsView, Iterator, Mapping
from typing import overload

import marisa_trie

MEMO_MAX = 32768  # memoised trie answers: words beyond it are probed each time (traffic's vocabulary is small)


class WordFlags(Mapping[str, int]):
    """``word -> flags``; words whose flags equal ``bulk_flags`` or are one of ``packed`` live in the trie (their
    flags as a code per key id), the rest in a dict. Only ``bulk_flags`` words are memoised."""

    __slots__ = ("_bulk_flags", "_codes", "_memo", "_rare", "_trie", "_values")

    def __init__(self, rare: dict[str, int], trie: marisa_trie.Trie, codes: bytes, values: tuple[int, ...],
                 bulk_flags: int) -> None:
        self._rare = rare
        self._trie = trie
        self._codes = codes  # key id -> index into ``values``
        self._values = values
        self._bulk_flags = bulk_flags
        # bulk words met so far; only those (known words): a word on no list (a name, PHI) is never kept
        self._memo: dict[str, None] = {}

    @classmethod
    def build(cls, make: Callable[[], dict[str, int]], bulk_flags: int,
              packed: Collection[int] = ()) -> WordFlags:
        """Pack the table ``make()`` returns (at most 256 distinct packed values). The full dict is dropped
        before the rare part is re-created, so the kept ``str`` objects are not scattered among the freed ones
        (CPython only returns whole arenas)."""
        full = make()
        values = (bulk_flags, *sorted(set(packed) - {bulk_flags}))
        index = {v: k for k, v in enumerate(values)}
        trie = marisa_trie.Trie([w for w, f in full.items() if f in index])
        codes = bytearray(len(trie))
        for w, i in trie.iteritems():
            codes[i] = index[full[w]]
        packed_rare = "\n".join(f"{f} {w}" for w, f in full.items() if f not in index)
        del full
        gc.collect()
        rare: dict[str, int] = {}
        for line in packed_rare.split("\n") if packed_rare else ():
            f, w = line.split(" ", 1)
            rare[w] = int(f)
        return cls(rare, trie, bytes(codes), values, bulk_flags)

    def _probe(self, word: str) -> int:
        """The flags the trie holds for ``word`` (0: not in it); a bulk word joins the memo."""
        i = self._trie.get(word)
        if i is None:
            return 0
        f = self._values[self._codes[i]]
        if f == self._bulk_flags and len(self._memo) < MEMO_MAX:
            self._memo[word] = None
        return f

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
        return self._probe(word) or default

    def flags_of(self, words: list[str]) -> list[int]:
        """``[self.get(w, 0) for w in words]`` (speed: dict probes in one comprehension, the trie only for the
        words both dicts miss; the memo fills as ``get`` fills it)."""
        rare, memo, bf = self._rare.get, self._memo, self._bulk_flags
        out = [rare(w, 0) or (bf if w in memo else 0) for w in words]
        for k in [k for k, f in enumerate(out) if not f]:
            out[k] = self._probe(words[k])
        return out

    def __getitem__(self, word: str) -> int:
        # not memoised: ``items()`` and ``values()`` come through here and would fill the memo with the table
        f = self._rare.get(word)
        if f is not None:
            return f
        i = self._trie.get(word)
        if i is None:
            raise KeyError(word)
        return self._values[self._codes[i]]

    def __contains__(self, word: object) -> bool:
        return word in self._rare or (isinstance(word, str) and word in self._trie)

    def __iter__(self) -> Iterator[str]:
        yield from self._rare
        yield from self._trie

    def __len__(self) -> int:
        return len(self._rare) + len(self._trie)

    def items(self) -> ItemsView[str, int]:
        """As ``Mapping.items`` (same pairs, same order), read from the trie in one walk: not one ``[word]``
        probe per word (a full pass over the table is 4x faster; the names detector makes two at start-up)."""
        return _Items(self)

    def _iter_items(self) -> Iterator[tuple[str, int]]:
        yield from self._rare.items()
        values, codes = self._values, self._codes
        for w, i in self._trie.iteritems():
            yield w, values[codes[i]]


class _Items(ItemsView[str, int]):
    _mapping: WordFlags

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return self._mapping._iter_items()
