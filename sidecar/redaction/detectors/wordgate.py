"""A whole-word, any-case literal gate: one hyperscan scan tells whether a text holds any word of a set.

Lets a word-list detector skip texts (most model output) that hold none of its trigger words, so it can be
case-robust and still cost almost nothing on PHI-free prose. Non-ASCII text is scanned as a proxy: each non-ASCII
word character becomes its lower-case form when that is ASCII and otherwise a byte no word holds (the word can no
longer match, as in the set lookup), every other non-ASCII character a space; its patterns then run with ``re``
where a RegexGate says they can match. Without hyperscan the gate falls back to a set intersection over the text's
words: same answer, slower.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import regex

from sidecar.redaction.detectors import hs_cache, joint_scan
from sidecar.redaction.detectors.regex_gate import RegexGate

try:
    import hyperscan
except ImportError:  # pragma: no cover - hyperscan is a dependency; without it the set fallback answers
    hyperscan = None  # type: ignore[assignment]

# letters and digits lower-cased, everything else a space: " word " literals then match whole words only
_FOLD = bytes(
    (c + 32 if 65 <= c <= 90 else c) if (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122) else 32 for c in range(256)
)
_WORD = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")  # the ``regex`` package finds these runs 3x faster than ``re``
_NO_WORD = "\x01"  # in no word, and no word boundary either: a word holding it matches nothing
_FOLD_PROXY = _FOLD[:1] + _NO_WORD.encode() + _FOLD[2:]  # _FOLD that keeps _NO_WORD
# letters_only gates: digits end a word too ("John3" holds the word "john", as a letters-only tokenizer reads it)
_FOLD_LETTERS = _FOLD[:48] + b" " * 10 + _FOLD[58:]
_FOLD_LETTERS_PROXY = _FOLD_LETTERS[:1] + _NO_WORD.encode() + _FOLD_LETTERS[2:]


@lru_cache(maxsize=4096)
def _proxy_char(c: str) -> str:
    """A non-ASCII character in the proxy: a word character (``[^\\W_]``) its lower-case form when that is
    ASCII letters or digits, else ``_NO_WORD``; any other character a space (it ends a word)."""
    if not _WORD.fullmatch(c):
        return " "
    if c.isdecimal():
        return "0"  # a digit stays a digit (a letters_only fold turns it into a space)
    low = c.lower()
    return low if low.isascii() and low.isalnum() else _NO_WORD


def _proxy_run(m: regex.Match[str]) -> str:
    return "".join(_proxy_char(c) for c in m.group())


class WordGate:
    """``hit(text)``: True when ``text`` holds (as a whole word, any case) one of ``words`` or matches one of
    the extra ``patterns`` (hyperscan syntax over the original text; a pattern that fails to compile makes
    every text a hit). ``letters_only``: words are runs of letters, a digit ends one (the gate of a detector
    that tokenizes so must hit wherever it can find a word: ``John3``, ``4Springfield``)."""

    def __init__(self, words: Iterable[str], patterns: Iterable[str] = (), letters_only: bool = False) -> None:
        self._word = _LETTERS if letters_only else _WORD
        self._fold = _FOLD_LETTERS if letters_only else _FOLD
        self._fold_proxy = _FOLD_LETTERS_PROXY if letters_only else _FOLD_PROXY
        # a lower-case word is kept as is (str.lower() would copy it): the set shares the caller's str objects
        self._words = frozenset(
            w if w.islower() else w.lower() for w in words if w and w.isascii() and self._word.fullmatch(w)
        )
        self._patterns = [re.compile(p) for p in patterns]
        self._db: Any = None
        self._rx: Any = None
        self._joint: list[tuple[bytes, int, int]] = []
        self._local = threading.local()
        if hyperscan is None or not self._words:
            return
        lits = sorted(f" {w} ".encode() for w in self._words)
        # Memory: no ``ids`` (python-hyperscan numbers expressions 0..n-1 itself, and keeps a reference to every
        # id int it is given: ~30 bytes a word, each compile) and no SINGLEMATCH (~15 bytes a word in the
        # database; ``on_match`` stops the scan at the first match anyway).
        self._db = hs_cache.database(lits, flags=0, literal=True)
        self._pattern_gate = RegexGate(self._patterns)  # non-ASCII texts: which patterns ``re`` must try
        if self._patterns:
            exprs = [p.pattern.encode("ascii") for p in self._patterns]
            self._rx = hs_cache.database(exprs, flags=hyperscan.HS_FLAG_SINGLEMATCH)
            self._joint = [(e, i, hyperscan.HS_FLAG_SINGLEMATCH) for i, e in enumerate(exprs)]

    def joint_exprs(self) -> list[tuple[bytes, int, int]]:
        """The extra patterns' expressions, scanned over the raw ASCII text (``joint_scan.JointMember``)."""
        return self._joint

    def hit(self, text: str) -> bool:
        if self._db is None:
            return self._slow(text)
        if not text.isascii():
            return self._hit_proxy(text)
        joint = joint_scan.hits_for(self, text) if self._rx is not None else None
        if joint:  # the prefilter's scan of this text found a pattern: a hit whatever the words say
            return True
        found = [False]

        def on_match(_i: int, _f: int, _t: int, _fl: int, _c: object) -> bool:
            found[0] = True
            return True  # stop the scan: one hit is enough

        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = (
                hyperscan.Scratch(self._db),
                hyperscan.Scratch(self._rx) if self._rx is not None else None,
            )
        data = text.encode("ascii")
        try:
            self._db.scan(b" " + data.translate(self._fold) + b" ", match_event_handler=on_match, scratch=scratch[0])
            if not found[0] and self._rx is not None:
                if joint is not None:  # the prefilter's scan of this text answered already: no pattern
                    return False
                self._rx.scan(data, match_event_handler=on_match, scratch=scratch[1])
        except hyperscan.error:  # type: ignore[attr-defined]  # scan stopped by the handler
            pass
        return found[0]

    def _hit_proxy(self, text: str) -> bool:
        """``_slow(text)`` for non-ASCII text, through the ASCII proxy and the pattern gate."""
        found = [False]

        def on_match(_i: int, _f: int, _t: int, _fl: int, _c: object) -> bool:
            found[0] = True
            return True

        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = (
                hyperscan.Scratch(self._db),
                hyperscan.Scratch(self._rx) if self._rx is not None else None,
            )
        # an ASCII _NO_WORD in the text is a word boundary like any other non-word character
        src = text.replace(_NO_WORD, " ") if _NO_WORD in text else text
        proxy = _NON_ASCII.sub(_proxy_run, src).encode("ascii")
        with contextlib.suppress(hyperscan.error):  # type: ignore[attr-defined]  # stopped by the handler
            self._db.scan(
                b" " + proxy.translate(self._fold_proxy) + b" ", match_event_handler=on_match, scratch=scratch[0]
            )
        if found[0]:
            return True
        pats = self._patterns
        return any(pats[i].search(text) for i in sorted(self._pattern_gate.possible(text)))

    def _slow(self, text: str) -> bool:
        if any(w.lower() in self._words for w in self._word.findall(text)):
            return True
        return any(p.search(text) for p in self._patterns)
