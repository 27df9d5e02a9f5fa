"""Hyperscan prefilter: finds the few regions of a long text where any detector could match, so the
Python detectors run on those regions only (their results are unchanged: every detector match contains
one of these triggers, and regions extend far enough, to whitespace, for every detector's context).

Hyperscan is optional: without it (or for short texts) the detectors scan the whole text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence

try:
    import hyperscan
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    hyperscan = None  # type: ignore[assignment]


def detector_triggers(det: object) -> tuple[bytes, ...] | None:
    """The hyperscan triggers ``det`` declares (``triggers``); None: it has none and scans whole texts."""
    declared = getattr(det, "triggers", None)
    return tuple(declared) if declared is not None else None


def _trigger_words(det: object) -> Iterable[str]:
    declared = getattr(det, "trigger_words", None)
    if declared is not None:
        return declared() if callable(declared) else declared
    return ()


class Prefilter:
    """``regions(text)``: sorted, disjoint (start, end) slices that contain every possible finding."""

    def __init__(
        self,
        detectors: Sequence[object] | None = None,
        radius: int = 160,
        block: int = 256,
        extra_literals: Iterable[str] = (),
    ) -> None:
        """``detectors``: the detectors (or detector classes) to wake, default the built-in ones; each gets a
        group bit (``group_bits``). A detector without triggers has no bit: the Analyzer scans whole texts for it.
        ``extra_literals``: more whole words that wake the location detector."""
        # a block is hot when a trigger ends in it (blocks overlap by more than the longest trigger);
        # a region is a run of hot blocks widened by ``radius`` (more than any detector's context)
        self.radius = radius
        self.block = block
        self.overlap = 64
        self._db = None
        if detectors is None:
            from sidecar.redaction.detectors import BUILTIN

            detectors = BUILTIN
        self.group_bits: dict[str, int] = {}
        bits: dict[bytes, int] = {}
        groups: dict[bytes, int] = {}
        for det in detectors:
            triggers = detector_triggers(det)
            if triggers is None:
                continue
            bit = self.group_bits[det.name] = 1 << len(self.group_bits)  # type: ignore[attr-defined]
            for t in triggers:
                bits[t] = bits.get(t, 0) | bit
            words = list(_trigger_words(det))
            if det.name == "locations":  # type: ignore[attr-defined]
                words.extend(extra_literals)
            for w in words:
                k = f" {w} ".encode("utf-8", "replace")
                groups[k] = groups.get(k, 0) | bit
        self.all_groups = sum(self.group_bits.values())
        if hyperscan is None or not bits:
            return
        exprs = list(bits)
        self._groups = [bits[e] for e in exprs]
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=exprs, ids=list(range(len(exprs))), flags=hyperscan.HS_FLAG_SINGLEMATCH)
        # Dictionary words, matched as whole words in a copy of the text where every other character
        # is a space (pure literal matching compiles in well under a second).
        lits = sorted(k for k in groups if k.isascii() and len(k) >= 4) or [b"\x00\x00\x00\x00"]
        groups.setdefault(b"\x00\x00\x00\x00", 0)
        self._lit_groups = [groups[k] for k in lits]
        lit = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        lit.compile(
            expressions=lits, ids=list(range(len(lits))), flags=hyperscan.HS_FLAG_SINGLEMATCH, literal=True
        )
        self._db = db
        self._lit = lit
        self._local = threading.local()  # hyperscan scratch space is per thread

    @property
    def active(self) -> bool:
        return self._db is not None

    def regions(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, groups): slices to scan and the detector groups (bit flags) to run there."""
        # one byte per character, so offsets stay str offsets; non-ASCII letters stay word characters
        data = (text if text.isascii() else _NON_ASCII.sub("x", text)).encode("ascii")
        n = len(text)
        blk, ov, r = self.block, self.overlap, self.radius
        db, lit = self._db, self._lit
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = (hyperscan.Scratch(db), hyperscan.Scratch(lit))
        rg, lg = self._groups, self._lit_groups
        words = b" " + data.translate(_SPACES) + b" "  # offsets shift by one: slices below take +2
        hot: list[list[int]] = []
        found = [0]

        def on_regex(i: int, _f: int, _t: int, _fl: int, _c: object) -> None:
            found[0] |= rg[i]

        def on_lit(i: int, _f: int, _t: int, _fl: int, _c: object) -> None:
            found[0] |= lg[i]

        for a in range(0, n, blk):
            lo = max(0, a - ov)
            found[0] = 0
            db.scan(data[lo : a + blk], match_event_handler=on_regex, scratch=scratch[0])  # type: ignore[union-attr]
            lit.scan(words[lo : a + blk + 2], match_event_handler=on_lit, scratch=scratch[1])
            if found[0]:
                ra, rb = max(0, lo - r), min(n, a + blk + r)
                if hot and ra <= hot[-1][1] and hot[-1][2] == found[0]:
                    hot[-1][1] = rb
                else:
                    hot.append([ra, rb, found[0]])
        out: list[tuple[int, int, int]] = []
        for a, b, g in hot:
            a, b = self._snap(text, a, b)
            out.append((a, b, g))
        return out

    @staticmethod
    def _snap(text: str, a: int, b: int) -> tuple[int, int]:
        """Widen to whitespace on both sides so no word (URL, e-mail, identifier) is cut."""
        n = len(text)
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        while b < n and not text[b].isspace():
            b += 1
        return a, b


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SPACES = bytes(c if chr(c).isalnum() else 32 for c in range(256))


def _stop(*_args: object) -> bool:
    return True  # the first trigger is enough: stop scanning this block


def _escape(word: str) -> str:
    return "".join("\\" + c if not c.isalnum() and c != " " else c for c in word)
