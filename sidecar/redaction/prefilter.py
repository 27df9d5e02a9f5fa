"""Hyperscan prefilter: finds the few regions of a long text where any detector could match, so the
Python detectors run on those regions only (their results are unchanged: every detector match contains
one of these triggers, and regions extend far enough, to whitespace, for every detector's context).

Hyperscan is optional: without it (or for short texts) the detectors scan the whole text.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from sidecar.redaction.detectors import hs_cache, joint_scan
from sidecar.redaction.detectors.regex_gate import proxy_bytes

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
        A detector that gates itself (``gates_itself``: the Analyzer gives it whole texts) keeps its bit but is not
        scanned for: its bit is never raised. ``extra_literals``: more whole words that wake the location detector."""
        # a block is hot when a trigger ends in it (blocks overlap by more than the longest trigger);
        # a region is a run of hot blocks widened by ``radius`` (more than any detector's context)
        self.radius = radius
        self.block = block
        self.overlap = 64
        # more digits than this per block: ``regions`` scans block by block (trigger ends would be too many);
        # prose with a few doses and lab values (10-12 digits a block) still takes the cheaper whole-text scan
        self.dense_digits = 12
        self._db = None
        self._joint: Any = None  # the triggers and the joined gates' expressions, for ASCII texts
        self._joint_gates: list[joint_scan.JointMember] = []
        self._joint_ids: list[tuple[int, int]] = []  # union id - len(triggers): (gate index, the gate's own id)
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
            if getattr(det, "gates_itself", False):
                continue
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
        self._scanned_groups = 0  # the groups some trigger can raise: once all are raised, a scan may stop
        for g in [*bits.values(), *groups.values()]:
            self._scanned_groups |= g
        db = hs_cache.database(exprs, ids=list(range(len(exprs))), flags=hyperscan.HS_FLAG_SINGLEMATCH)
        # Dictionary words, matched as whole words in a copy of the text where every other character
        # is a space (pure literal matching compiles in well under a second).
        lits = sorted(k for k in groups if k.isascii() and len(k) >= 4)
        self._lit_groups = [groups[k] for k in lits]
        self._lit_lens = [len(k) for k in lits]
        # every occurrence is reported (no SINGLEMATCH): one scan of the whole text places each word in its blocks
        lit = None
        if lits:
            lit = hs_cache.database(lits, ids=list(range(len(lits))), flags=0, literal=True)
        # the same triggers reporting every match end: one scan of a long text places each match in its blocks
        every = hs_cache.database(exprs, ids=list(range(len(exprs))), flags=0)
        self._db = db
        self._lit = lit
        self._every = every
        self._exprs = exprs
        self._local = threading.local()  # hyperscan scratch space is per thread

    def join_gates(self, gates: Sequence[joint_scan.JointMember]) -> None:
        """Scan the expressions of ``gates`` along with the triggers in the whole-text scan, and publish their
        hits (``joint_scan``) for the gates to use on the same text: one scan of a long ASCII text instead of one
        per gate. Replaces the gates joined before."""
        if self._db is None:
            return
        exprs, flags = list(self._exprs), [0] * len(self._exprs)
        joint_ids: list[tuple[int, int]] = []
        for k, gate in enumerate(gates):
            for expr, own_id, fl in gate.joint_exprs():
                exprs.append(expr)
                flags.append(fl)
                joint_ids.append((k, own_id))
        joint = hs_cache.database(exprs, ids=list(range(len(exprs))), flags=flags)
        # non-ASCII texts keep the triggers-only scan: the gates scan their own proxies of them
        self._joint = joint if gates else None
        self._joint_gates = list(gates)
        self._joint_ids = joint_ids
        self._local = threading.local()  # scratch for the new database

    @property
    def active(self) -> bool:
        return self._db is not None

    def regions(self, text: str, gates: bool = True) -> list[tuple[int, int, int]]:
        """(start, end, groups): slices to scan and the detector groups (bit flags) to run there. ``gates``: the
        joined gates (``join_gates``) ride along a whole-text scan and publish their hits; False when no detector
        that reads them runs on this text (the same regions, from the triggers' scan alone).

        Block ``a`` (``[a, a + block)``, read with ``overlap`` characters before it) is hot for the groups of the
        triggers that match there. A text of one block is scanned as it is; a longer one with two whole-text
        scans that report every dictionary-word occurrence and every trigger match end, each placed in the blocks
        whose window holds it. Digit-dense texts (more than ``dense_digits`` digits a block) and texts with more
        than ``16 * blocks`` trigger matches are scanned block by block."""
        n = len(text)
        if n <= self.block:
            return self.regions_by_block(text)
        data = _ascii_data(text)
        if len(data) - len(data.translate(None, _DIGITS)) > self.dense_digits * n // self.block:
            return self.regions_by_block(text)  # digit-dense: many trigger ends, scanning block by block is cheaper
        blk, ov = self.block, self.overlap
        scratch = self._scratch()
        rg, lg, ll = self._groups, self._lit_groups, self._lit_lens
        n_blocks = (n + blk - 1) // blk
        bits = [0] * n_blocks

        def on_lit(i: int, _f: int, e: int, _fl: int, _c: object) -> None:
            # in the slice words[lo : a + blk + 2] of block a, lo = max(0, a - ov): lo <= start, end <= a + blk + 2
            s = e - ll[i]
            g = lg[i]
            for k in range(max(0, (e - 3) // blk), min(n_blocks - 1, (s + ov) // blk) + 1):
                bits[k] |= g

        budget = [16 * n_blocks + 8]
        n_rg, joint_ids = len(rg), self._joint_ids
        gate_hits: list[set[int]] = [set() for _ in self._joint_gates]

        def on_match(i: int, _f: int, e: int, _fl: int, _c: object) -> bool:
            if i >= n_rg:  # a joined gate's expression
                k, own = joint_ids[i - n_rg]
                gate_hits[k].add(own)
                return False
            # a match ending at e lies in the window data[a - ov : a + blk] of blocks a - ov < e <= a + blk
            g = rg[i]
            bits[(e - 1) // blk] |= g
            k = (e + ov - 1) // blk  # ov < blk: at most the next block as well
            if k < n_blocks:
                bits[k] |= g
            budget[0] -= 1
            return budget[0] < 0  # dense text: stop, the blocks are scanned one by one

        if self._lit is not None:  # offsets in ``words`` are shifted by one (the leading space)
            words = b" " + data.translate(_SPACES) + b" "
            self._lit.scan(words, match_event_handler=on_lit, scratch=scratch[1])
        try:
            if gates and self._joint is not None and text.isascii():
                self._joint.scan(data, match_event_handler=on_match, scratch=scratch[3])
                joined = self._joint_gates  # their scans of this text, done: published for them
                joint_scan.publish(text, {id(g): h for g, h in zip(joined, gate_hits, strict=True)}, joined)
            else:
                self._every.scan(data, match_event_handler=on_match, scratch=scratch[2])
        except hyperscan.error:  # type: ignore[attr-defined]  # stopped by the handler
            found = [0]
            every = self._scanned_groups

            def on_regex(i: int, _f: int, _t: int, _fl: int, _c: object) -> bool:
                found[0] |= rg[i]
                return found[0] == every

            db = self._db
            for k in range(n_blocks):
                a = k * blk
                found[0] = 0
                with contextlib.suppress(hyperscan.error):  # type: ignore[attr-defined]  # stopped by the handler
                    db.scan(data[max(0, a - ov) : a + blk], match_event_handler=on_regex, scratch=scratch[0])  # type: ignore[union-attr]
                bits[k] |= found[0]
        return self._merge(text, bits) if any(bits) else []

    def regions_by_block(self, text: str) -> list[tuple[int, int, int]]:
        """``regions`` computed by scanning every block's window on its own (short and digit-dense texts)."""
        data = _ascii_data(text)
        n = len(text)
        blk, ov = self.block, self.overlap
        db, lit, scratch = self._db, self._lit, self._scratch()
        rg, lg = self._groups, self._lit_groups
        words = b" " + data.translate(_SPACES) + b" " if lit is not None else b""
        found = [0]
        every = self._scanned_groups

        def on_regex(i: int, _f: int, _t: int, _fl: int, _c: object) -> bool:
            found[0] |= rg[i]
            return found[0] == every  # every group raised: nothing more to learn from this window

        def on_lit(i: int, _f: int, _t: int, _fl: int, _c: object) -> bool:
            found[0] |= lg[i]
            return found[0] == every

        bits: list[int] = []
        for a in range(0, n, blk):
            lo = max(0, a - ov)
            found[0] = 0
            with contextlib.suppress(hyperscan.error):  # type: ignore[attr-defined]  # stopped by a handler
                db.scan(data[lo : a + blk], match_event_handler=on_regex, scratch=scratch[0])  # type: ignore[union-attr]
                if lit is not None and found[0] != every:
                    lit.scan(words[lo : a + blk + 2], match_event_handler=on_lit, scratch=scratch[1])
            bits.append(found[0])
        return self._merge(text, bits)

    def _scratch(
        self,
    ) -> tuple[hyperscan.Scratch, hyperscan.Scratch | None, hyperscan.Scratch, hyperscan.Scratch | None]:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = (
                hyperscan.Scratch(self._db),
                hyperscan.Scratch(self._lit) if self._lit is not None else None,
                hyperscan.Scratch(self._every),
                hyperscan.Scratch(self._joint) if self._joint is not None else None,
            )
        return scratch  # type: ignore[no-any-return]

    def _merge(self, text: str, bits: list[int]) -> list[tuple[int, int, int]]:
        """Runs of hot blocks with the same groups, widened by ``radius`` and snapped to whitespace."""
        n = len(text)
        blk, ov, r = self.block, self.overlap, self.radius
        hot: list[list[int]] = []
        for k, g in enumerate(bits):
            if g:
                a = k * blk
                ra, rb = max(0, max(0, a - ov) - r), min(n, a + blk + r)
                if hot and ra <= hot[-1][1] and hot[-1][2] == g:
                    hot[-1][1] = rb
                else:
                    hot.append([ra, rb, g])
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




def _ascii_data(text: str) -> bytes:
    """What hyperscan scans: the text, or for a non-ASCII text its ASCII proxy (``regex_gate``: a letter as an
    ASCII letter, a digit as ``0``, a space as a space, any other character as a non-word character). Not every
    character as ``x``: a trigger's ``\\b`` next to a symbol (``PT IS 93•``, ``echo 4-13→``) failed on the letter
    where ``re``'s ``\\b`` holds, and the region the detector would have found something in was never scanned."""
    return text.encode("ascii") if text.isascii() else proxy_bytes(text)
_SPACES = bytes(c if chr(c).isalnum() else 32 for c in range(256))
_DIGITS = b"0123456789"


def _stop(*_args: object) -> bool:
    return True  # the first trigger is enough: stop scanning this block


def _escape(word: str) -> str:
    return "".join("\\" + c if not c.isalnum() and c != " " else c for c in word)
