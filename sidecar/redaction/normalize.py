"""The normalised view every detector scans, and the offset map back to the original text.

``normalize(text)`` folds what an evader (or a word processor) puts between a detector and an identifier:
NFKC (full-width forms, ``＠``), format and other invisible characters removed (zero-width space/joiners, soft
hyphen, word joiner, BOM, Hangul fillers, braille blank, variation selectors, combining marks that do not compose),
every dash variant to ``-``, fraction and division slashes to ``/``,
every space variant to ``' '``, curly apostrophes to ``'``, every Unicode decimal digit to ASCII, and the
Cyrillic/Greek/Armenian/Cherokee look-alikes of Latin letters (UTS #39 confusables, data from the
``confusable-homoglyphs`` package) to those letters.

The map is exact: a view span maps back to the original characters that produced it, including removed
characters inside it (a span over ``123<ZWSP>45`` in the view covers the ZWSP). Pure-ASCII text is its own view
(identity map, no copy).
"""

from __future__ import annotations

import json
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from importlib import resources

import regex

# Invisible characters that are not category Cf (which is removed whole).
_INVISIBLE = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
    + "".join(chr(c) for c in range(0xE0100, 0xE01F0))
)
# Dashes that are not category Pd.
_DASHES = frozenset("\u2212\u2043\u02d7\u207b\u208b\ufe63\uff0d\u2e3a\u2e3b")
_APOSTROPHES = frozenset("\u2018\u2019\u201b\u02bc\u02b9\u0060\u00b4\u2032")
_SLASHES = frozenset("\u2044\u2215\u29f8\u2571\u30fb")
_FOLD_SCRIPTS = ("CYRILLIC", "GREEK", "COPTIC", "ARMENIAN", "CHEROKEE", "LATIN")
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")  # the ``regex`` package finds these runs 3x faster than ``re``
_NO_STARTS: list[int] = []


@lru_cache(maxsize=1)
def _confusables() -> dict[str, str]:
    """Non-ASCII letters of the scripts above whose UTS #39 prototype is one ASCII letter."""
    raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for ch, entries in json.loads(raw).items():
        if len(ch) != 1 or ch.isascii() or not unicodedata.name(ch, "").startswith(_FOLD_SCRIPTS):
            continue
        for e in entries:
            c = e["c"]
            if len(c) == 1 and c.isascii() and c.isalpha():
                out[ch] = c
                break
    return out


@lru_cache(maxsize=8192)
def _simple(ch: str) -> str:
    """One character (already NFKC) in the view: removed, unified or folded."""
    if ch.isascii():
        return ch
    cat = unicodedata.category(ch)
    if cat == "Cf" or ch in _INVISIBLE:
        return ""
    if cat == "Pd" or ch in _DASHES:
        return "-"
    if cat in ("Zs", "Zl", "Zp"):
        return " "
    if ch in _APOSTROPHES:
        return "'"
    if ch in _SLASHES:
        return "/"
    if unicodedata.combining(ch):
        return ""  # a mark left over after composition (strike-through, zalgo) must not split an identifier
    d = unicodedata.decimal(ch, None)
    if d is not None:
        return str(d)
    return _confusables().get(ch, ch)


@lru_cache(maxsize=8192)
def _fold(cluster: str) -> str:
    """A base character with its combining marks, in the view."""
    return "".join(_simple(c) for c in unicodedata.normalize("NFKC", cluster))


class View:
    """``text``: what detectors scan. ``span(a, b)``: the original (start, end) of view slice [a, b)."""

    __slots__ = ("_folded", "_ostarts", "_pieces", "_vstarts", "original", "text")

    def __init__(self, original: str, text: str, pieces: list[tuple[int, int, int, int]] | None) -> None:
        self.original = original
        self.text = text
        # (view start, original start, view length, original length); a piece whose lengths are equal maps
        # one to one, any other maps as a whole. None: the identity map.
        self._pieces = pieces
        self._vstarts = [p[0] for p in pieces] if pieces else _NO_STARTS
        self._folded: str | None = None

    @property
    def identity(self) -> bool:
        return self._pieces is None

    @property
    def folded(self) -> str:
        """The view lower-cased, character for character (same length and offsets as ``text``)."""
        if self._folded is None:
            low = self.text.lower()
            if len(low) != len(self.text):
                low = "".join(c if len(c.lower()) != 1 else c.lower() for c in self.text)
            self._folded = low
        return self._folded

    def _piece(self, v: int) -> tuple[int, int, int, int]:
        assert self._pieces is not None
        return self._pieces[bisect_right(self._vstarts, v) - 1]

    def start(self, v: int) -> int:
        """Original index where view character ``v`` begins (``len(original)`` for ``v == len(text)``)."""
        if self._pieces is None:
            return v
        if v >= len(self.text):
            return len(self.original)
        vs, os_, vl, ol = self._piece(v)
        return os_ + (v - vs) if vl == ol else os_

    def end(self, v: int) -> int:
        """Original index where view character ``v - 1`` ends."""
        if self._pieces is None or v <= 0:
            return v
        vs, os_, vl, ol = self._piece(v - 1)
        return os_ + (v - vs) if vl == ol else os_ + ol

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.start(a), self.end(b)


def warm_up() -> None:
    """Load the confusables table now (about 0.15 s) instead of on the first non-ASCII text."""
    _confusables()


@lru_cache(maxsize=8192)
def _one_for_one(ch: str) -> str | None:
    """The one character ``ch`` is in the view wherever it stands; None when that depends on its neighbours or
    is not one character (a combining mark, a removed or expanded character)."""
    if unicodedata.combining(ch):
        return None
    out = _fold(ch)
    return out if len(out) == 1 else None


def normalize(text: str) -> View:
    """The normalised view of ``text`` (see the module docstring)."""
    if text.isascii():
        return View(text, text, None)
    # the common case (curly quotes, dashes, accents, symbols): every non-ASCII character maps to one character,
    # so the view is the text with a few characters replaced and the map is the identity
    chars = set("".join(_NON_ASCII.findall(text)))
    folds = [(c, _one_for_one(c)) for c in chars]
    if all(f is not None for _, f in folds):
        view = text
        for c, f in folds:
            if f != c:
                view = view.replace(c, f)  # type: ignore[arg-type]
        return View(text, view, None)
    return _fold_runs(text)


def _fold_runs(text: str) -> View:
    """The view of a non-ASCII text built run by run, with its offset map (any text; ``normalize`` takes a
    shortcut when every character maps to one)."""
    parts: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    v = 0  # view length so far
    o = 0  # original index consumed so far

    def same(upto: int) -> None:  # text[o:upto] is its own view
        nonlocal v, o
        if upto > o:
            n = upto - o
            parts.append(text[o:upto])
            if pieces and pieces[-1][2] == pieces[-1][3] and pieces[-1][1] + pieces[-1][3] == o:
                vs, os_, vl, ol = pieces[-1]
                pieces[-1] = (vs, os_, vl + n, ol + n)
            else:
                pieces.append((v, o, n, n))
            v += n
            o = upto

    for m in _NON_ASCII.finditer(text):
        a, b = m.start(), m.end()
        if a > o and unicodedata.combining(text[a]):
            a -= 1  # an ASCII base character joins its combining marks
        same(a)
        i = a
        while i < b:
            j = i + 1
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            cluster = text[i:j]
            out = _fold(cluster)
            if out == cluster:
                same(j)
            elif len(out) == j - i:
                parts.append(out)  # same length: maps one to one, like unchanged text
                n = len(out)
                if pieces and pieces[-1][2] == pieces[-1][3] and pieces[-1][1] + pieces[-1][3] == i:
                    vs, os_, vl, ol = pieces[-1]
                    pieces[-1] = (vs, os_, vl + n, ol + n)
                else:
                    pieces.append((v, i, n, n))
                v += n
                o = j
            else:
                parts.append(out)
                pieces.append((v, i, len(out), j - i))
                v += len(out)
                o = j
            i = j
    same(len(text))
    if len(pieces) == 1 and pieces[0] == (0, 0, len(text), len(text)):
        return View(text, "".join(parts), None)  # only one-for-one replacements: the identity map
    return View(text, "".join(parts), pieces)
