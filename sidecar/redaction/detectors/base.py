"""The detector plug-in contract: text in, spans out. Detectors are pure and thread-safe.

A detector scans the normalised view (sidecar/redaction/normalize.py); offsets it returns are view offsets, the
Analyzer maps them back. Optional attributes a detector may declare (the Analyzer reads them with defaults):

- ``types: frozenset[str]`` the types it can emit (absent: unknown, it always runs and is filtered by type);
- ``triggers: Sequence[tuple[bytes, int]] | None`` hyperscan expressions that every finding contains (the prefilter
  wakes the detector only in regions around them); absent or None: the detector scans whole texts;
- ``folded: bool`` scan the lower-cased view instead of the original case;
- ``open_at(text) -> int`` the stream contract for this detector alone (see ``Analyzer.open_at``); absent: the
  fixed-reach fallback ``len(text) - reach``, back to the start of the word it cuts. ``open_at(text, start=0)``
  when it can use a settled index (nothing before ``start`` can change: look only from there);
  ``open_at(text, start=0, types=None)`` when it emits several types and holds only for the wanted ``types``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

import regex

from sidecar.redaction.spans import Span

# How far right of a match a detector's context checks read (lookaheads, unit words after a number).
RIGHT_CONTEXT = 16


class Detector(Protocol):
    name: str
    # Longest span this detector can produce plus how far right its context reaches: bounded, so that a stream
    # never has to hold more than this behind the newest text to decide a finding.
    reach: int

    def detect(self, text: str) -> Iterable[Span]: ...


def gated(first: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled behind a lookahead on ``first``, a character class holding the first character of
    every possible match: the same matches, but most positions fail after one test instead of trying every
    alternative (3-4x faster on long alternations in CPython's ``re``). Flags apply to ``first`` too."""
    return re.compile(f"(?={first})(?:{pattern})", flags)


_LITERAL = re.compile(r"[A-Za-z0-9 '&]+")


def mixed_case(s: str) -> bool:
    """``s`` holds a lower-case and an upper-case letter: ``any(c.islower() ...) and any(c.isupper() ...)``.
    Speed: on ASCII text a letter is lower case exactly when ``upper()`` changes it (two C calls instead of a
    Python step per character, which a line in capitals paid whole); other text is read character by character
    (``ª`` is lower case and ``upper()`` keeps it)."""
    if s.isascii():
        return s.upper() != s and s.lower() != s
    return any(c.islower() for c in s) and any(c.isupper() for c in s)


def substrings(items: Sequence[str]) -> re.Pattern[str]:
    """A regex whose ``search(s)`` finds something exactly when one of ``items`` (non-empty strings) is a
    substring of ``s``: ``any(w in s for w in items)`` as one scan in C (speed: no Python step per item)."""
    if not items or not all(items):
        raise ValueError("substrings needs non-empty items")
    return re.compile("|".join(re.escape(w) for w in items))


def longest_first(word: str) -> tuple[int, str]:
    """Sort key: longer words first, ties in text order (never a set's order: the same pattern in every process,
    so a compiled database's cache key stays the same)."""
    return -len(word), word


def literal_union(items: Sequence[str]) -> str:
    """The alternation ``"|".join(items)`` of plain words (letters, digits, blanks, ``'``, ``&``) written as a
    prefix tree: ``N(?:ew (?:York|Jersey)|evada)``. Same matches with any flags: alternatives with different
    first characters cannot match at one position, and those sharing one keep their order (a level holding case
    partners as first characters, or an item that is a prefix of others between them, is left as written).
    Speed: CPython's ``re`` tries every branch of a flat alternation at each position; the tree fails early."""
    if not items or not all(_LITERAL.fullmatch(w) for w in items) or len(set(items)) != len(items):
        return "|".join(items)
    return "|".join(_tree(list(items)))


def _tree(items: list[str]) -> list[str]:
    """The alternatives of ``items`` (distinct, in order) with common first characters factored out."""
    if len(items) == 1:
        return items
    groups: dict[str, list[str]] = {}
    for w in items:
        if w:
            groups.setdefault(w[0], []).append(w[1:])
    empty_at = items.index("") if "" in items else None
    partners = any(c.lower() != c and c.lower() in groups or c.upper() != c and c.upper() in groups for c in groups)
    if partners or empty_at not in (None, 0, len(items) - 1):
        return items
    parts = []
    for c, sub in groups.items():
        alts = _tree(sub)
        parts.append(c + (alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"))
    if empty_at is not None:
        parts.insert(0 if empty_at == 0 else len(parts), "")
    return parts


def left(text: str, start: int, width: int) -> str:
    """Lower-cased context just before ``start``."""
    return text[max(0, start - width) : start].lower()


def width(rx: re.Pattern[str]) -> int:
    """The longest match of ``rx`` (lookarounds count 0); ValueError when it is unbounded."""
    hi = re._parser.parse(rx.pattern, rx.flags).getwidth()[1]  # type: ignore[attr-defined]
    if hi >= 1 << 16:
        raise ValueError(f"unbounded pattern: {rx.pattern[:60]!r}")
    return int(hi)


def fallback_open_at(text: str, reach: int) -> int:
    """The fixed hold-back: ``reach`` characters, back to the start of the word it cuts."""
    cut = max(0, len(text) - reach)
    while cut > 0 and not text[cut - 1].isspace():
        cut -= 1
    return cut


class OpenScanner:
    """Where a continuation of a text could change what a set of bounded regexes finds (the stream contract).

    For each regex, only the last ``width + RIGHT_CONTEXT`` characters can be affected: a match starting earlier
    is complete and its context read. There, a position is open when (a) a partial match starts there (the
    ``regex`` package's ``partial=True`` on the pattern followed by a forced failure, so every path that runs
    into the end of the text is reported, also a greedy part that could grow), or (b) a complete match starts
    there that ends within RIGHT_CONTEXT of the end (``\\b`` and context checks on the right read past it)."""

    # (a) and (b) in one search: ``near`` (the regex, then at most RIGHT_CONTEXT characters to the end) searched
    # with ``partial=True`` stops at the first position where a path runs into the end, in the regex or in the
    # lookahead; tests turn it off to compare with the two searches
    joined = True

    def __init__(self, patterns: Sequence[re.Pattern[str]], unbounded_reach: int | None = None) -> None:
        """ValueError for an unbounded pattern, unless ``unbounded_reach`` caps it (operators' own patterns: a
        longer candidate is then the stream's to redact whole)."""
        self._items: list[tuple[regex.Pattern[str], regex.Pattern[str], int]] = []
        for rx in patterns:
            try:
                w = width(rx)
            except ValueError:
                if unbounded_reach is None:
                    raise
                w = unbounded_reach
            self._items.append(_probes(_scoped(rx), w + RIGHT_CONTEXT))
        self.reach = max((r for _, _, r in self._items), default=0)
        # per regex, the ASCII characters a candidate can begin with: a stream's new tail (a few characters
        # after the settled point) that holds none of them needs no search for that regex
        self._firsts = [_first_chars(near, probe) for near, probe, _ in self._items]
        # the same sets read the other way (``_candidates``), built for these lists of regexes and first sets
        self._indexed: tuple[object, object] | None = None
        self._starting: dict[str, int] = {}
        self._chosen: dict[int, tuple[tuple[regex.Pattern[str], regex.Pattern[str], int], ...]] = {}

    def open_at(self, text: str, start: int = 0, complete: bool = True, stop: int | None = None) -> int:
        """The open point of ``text`` for these regexes; ``start``: no candidate can start before it;
        ``complete=False``: the caller knows no complete match can start at or after ``start`` (only paths
        that run into the end are looked for); ``stop``: the caller holds from there anyway (the answer is
        exact below it, ``stop`` or more otherwise)."""
        n = len(text)
        best = n if stop is None else min(n, stop)
        joined = complete and self.joined
        for near, probe, reach in self._candidates(text, start):
            pos = max(start, n - reach)
            if pos >= best:
                continue
            # ``near`` searched for partial matches finds both (a) and (b): a path of the regex that runs into
            # the end, and a complete match whose right-context lookahead does
            m = (near if joined else probe).search(text, pos, partial=True)
            if m is not None and m.start() < best:
                best = m.start()
            if not complete or joined:
                continue
            f = near.search(text, pos)
            if f is not None and f.start() < best:
                best = f.start()
        return best

    def _candidates(self, text: str, start: int) -> Sequence[tuple[regex.Pattern[str], regex.Pattern[str], int]]:
        """The regexes to search from ``start``: all of them, or for a short ASCII tail after ``start`` those a
        character of it can begin (the others cannot match there)."""
        if len(text) - start > _SHORT_TAIL or not text.isascii():
            return self._items
        if self._indexed is None or self._indexed[0] is not self._items or self._indexed[1] is not self._firsts:
            self._index()
        bits = 0
        starting = self._starting
        for c in set(text[start:]):
            bits |= starting[c]
        chosen = self._chosen.get(bits)
        if chosen is None:
            if len(self._chosen) >= _CHOSEN_MAX:
                self._chosen.clear()
            chosen = self._chosen[bits] = tuple(it for k, it in enumerate(self._items) if bits >> k & 1)
        return chosen

    def _index(self) -> None:
        """Per ASCII character, the regexes (bits, in ``_items`` order) a candidate beginning with it may belong
        to; and an empty memo of the regexes per set of bits (speed: a short tail costs a lookup per distinct
        character, not a set test per regex)."""
        self._starting = {c: sum(1 << k for k, f in enumerate(self._firsts) if c in f) for c in _ALL_ASCII}
        self._chosen = {}
        self._indexed = (self._items, self._firsts)


_SHORT_TAIL = 64
_CHOSEN_MAX = 512  # candidate sets kept per scanner (a stream's tails repeat a few hundred; then start over)


_ALL_ASCII = frozenset(map(chr, range(128)))
# what can fail at the start of a string but hold inside a text (a positive lookbehind, \B, anchors):
# such a regex gets no first-character set
_CONTEXT_BOUND = re.compile(r"\(\?<=|\\B|\\A|(?<!\[)\^|\(\?[a-z]*m")


def _first_chars(near: regex.Pattern[str], probe: regex.Pattern[str]) -> frozenset[str]:
    """The ASCII characters a partial or a complete match can begin with (every consumed path starts with one;
    negative lookbehinds and ``\b`` pass at the start of the string, so the set can only be too large)."""
    if _CONTEXT_BOUND.search(probe.pattern):
        return _ALL_ASCII
    return frozenset(c for c in _ALL_ASCII if probe.match(c, partial=True) is not None or near.match(c) is not None)


def _scoped(rx: re.Pattern[str]) -> str:
    """``rx`` as a group with its flags scoped to it."""
    body = rx.pattern[4:] if rx.pattern.startswith("(?i)") else rx.pattern
    return f"(?i:{body})" if rx.flags & re.IGNORECASE else f"(?:{body})"


def _probes(body: str, reach: int) -> tuple[regex.Pattern[str], regex.Pattern[str], int]:
    """(a complete match that ends within RIGHT_CONTEXT of the end, any path that runs into the end, reach)."""
    near = regex.compile(f"(?:{body})(?=[\\s\\S]{{0,{RIGHT_CONTEXT}}}\\Z)")
    return near, regex.compile(f"(?:{body})(?!)"), reach
