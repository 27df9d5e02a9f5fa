"""A whole-word, any-case literal gate: one hyperscan scan tells whether a text holds any word of a set.

Lets a word-list detector skip texts (most model output) that hold none of its trigger words, so it can be
case-robust and still cost almost nothing on PHI-free prose. Without hyperscan (or for non-ASCII text) the
gate falls back to a set intersection over the text's words: same answer, slower.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any

try:
    import hyperscan
except ImportError:  # pragma: no cover - hyperscan is a dependency; without it the set fallback answers
    hyperscan = None  # type: ignore[assignment]

# letters and digits lower-cased, everything else a space: " word " literals then match whole words only
_FOLD = bytes(
    (c + 32 if 65 <= c <= 90 else c) if (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122) else 32 for c in range(256)
)
_WORD = re.compile(r"[^\W_]+")


class WordGate:
    """``hit(text)``: True when ``text`` holds (as a whole word, any case) one of ``words`` or matches one of
    the extra ``patterns`` (hyperscan syntax over the original text; a pattern that fails to compile makes
    every text a hit)."""

    def __init__(self, words: Iterable[str], patterns: Iterable[str] = ()) -> None:
        # a lower-case word is kept as is (str.lower() would copy it): the set shares the caller's str objects
        self._words = frozenset(
            w if w.islower() else w.lower() for w in words if w and w.isascii() and _WORD.fullmatch(w)
        )
        self._patterns = [re.compile(p) for p in patterns]
        self._db: Any = None
        self._rx: Any = None
        self._local = threading.local()
        if hyperscan is None or not self._words:
            return
        lits = sorted(f" {w} ".encode() for w in self._words)
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=lits, ids=list(range(len(lits))), flags=hyperscan.HS_FLAG_SINGLEMATCH, literal=True)
        self._db = db
        if self._patterns:
            rx = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            exprs = [p.pattern.encode("ascii") for p in self._patterns]
            rx.compile(
                expressions=exprs,
                ids=list(range(len(exprs))),
                flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(exprs),
            )
            self._rx = rx

    def hit(self, text: str) -> bool:
        if self._db is None or not text.isascii():
            return self._slow(text)
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
            self._db.scan(b" " + data.translate(_FOLD) + b" ", match_event_handler=on_match, scratch=scratch[0])
            if not found[0] and self._rx is not None:
                self._rx.scan(data, match_event_handler=on_match, scratch=scratch[1])
        except hyperscan.error:  # type: ignore[attr-defined]  # scan stopped by the handler
            pass
        return found[0]

    def _slow(self, text: str) -> bool:
        if any(w.lower() in self._words for w in _WORD.findall(text)):
            return True
        return any(p.search(text) for p in self._patterns)
