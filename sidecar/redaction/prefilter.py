"""Hyperscan prefilter: finds the few regions of a long text where any detector could match, so the
Python detectors run on those regions only (their results are unchanged: every detector match contains
one of these triggers, and regions extend far enough, to whitespace, for every detector's context).

Hyperscan is optional: without it (or for short texts) the detectors scan the whole text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

try:
    import hyperscan
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    hyperscan = None  # type: ignore[assignment]

from sidecar.redaction.detectors.dates import MONTH_NAMES
from sidecar.redaction.detectors.lexicons import US_STATES, load_list
from sidecar.redaction.detectors.locations import _STREET_SFX

# Detector groups (bit flags): which detectors a trigger can wake.
P, D, N, L = 1, 2, 4, 8
GROUP_BITS = {"patterns": P, "dates": D, "names": N, "locations": L}
ALL_GROUPS = P | D | N | L

# Regex triggers (hyperscan syntax) and the detectors they wake. Each finding of a detector contains at
# least one trigger of that detector's group (tests check this on third-party text).
_TRIGGERS: list[tuple[bytes, int]] = [
    (rb"\d{5}", P | D | L),  # ZIP, long ids, cards, DEA, VIN tails
    (rb"\d[\s.)-]\s?\d{4}", P | D),  # SSN and phone tails, spaced card groups
    (rb"[A-Za-z#]\d{4}", P | D),  # letter-prefixed ids, 05MAR2023
    (rb"\d{4}[-/.]\d", P | D),  # ISO dates
    (rb"\+\d", P),  # international phones
    (rb"\d{2,4}[ .]\d{2,4}[ .]\d{2}", P),  # digit-group phones
    (rb"\d{3}[ .-]\d{4}", P),  # local phones
    (rb"\(0?\d{1,4}\)", P),
    (rb"\d[\d-]{3,}\d", P | D),  # dashed identifiers
    (rb"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d", P | D),  # IPv4
    (rb"[0-9A-Fa-f]{0,4}::?[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:", P),  # IPv6
    (rb"@", P),
    (rb"://", P),
    (rb"(?i)www\.", P),
    (rb"\d[-/.]\d{1,2}[-/.]\d\d", P | D),  # numeric dates
    (rb"\d\d/\d\d", P | D),  # mm/yy, mm/dd
    (
        rb"\d[- ]?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)",  # noqa: E501
        D,
    ),
    (rb"(?:9\d|1[0-4]\d)\s*-?\s*(?:y|Y|yo|YO)", P),  # ages over 89
    (rb"(?i)age[d:]?\s*(?:9\d|1[0-4]\d)", P),
    (rb"(?i)(?:dr|mr|mrs|ms|mx|prof|miss|sra?|nurse|doctor|professor)\.?\s+[A-Z]", N),
    (
        rb"(?i)(?:patient|pt|name|client|resident|guardian|mother|father|spouse|contact|kin|nok|attending|physician|"
        rb"provider|surgeon|signed|referred by)(?:'s)?\s*(?:name)?\s*[:=-]",
        N,
    ),
    (rb",\s*[A-Z][A-Z]\b", L),  # City, ST
    (rb"\b(?:St|Mt|Ste|Ft)\.", L),
    (rb"\b(?:Saint|Mount)\s", L),
    (rb"(?i)(?:zip|postal)", L),
    (
        rb"(?:Hospital|Clinic|Medical|Health|Infirmary|Hospice|Institute|Children's|Memorial|Sanatorium|Nursing|"
        rb"Rehabilitation|Urgent|Pharmacy|Physicians|Surgical|Care|General|Presbyterian|Methodist|Baptist|Mercy|Kaiser|"
        rb"Hosp|Ctr)",
        L,
    ),
    (
        rb"\b(?:treated|seen|admitted|hospitali[sz]ed|transferred|discharged|evaluated|operated|followed|managed|"
        rb"lives?|living|resides?|residing|resident|located|moved|relocated|born|works?|worked|employed|visited|"
        rb"presented|referred|returned|traveled|travelled|stationed)\s+(?:at|in|to|from|of|on|near)\s",
        L,
    ),
    (rb"(?i)\b(?:Apt|Apartment|Suite|Ste|Unit|P\.?\s?O\.?\s+Box)\b", L),
    # labelled identifiers of any shape: "(MRN: 12345ABC)", "insurance ID: ABC123", "ref. code: EM-2554"
    (
        rb"(?i)(?:mrn|record|chart|id|identifier|member|subscriber|beneficiary|insurance|policy|plan|medicare|"
        rb"medicaid|account|acct|licen[cs]e|certificate|serial|ref|reference|code|case|encounter|visit|site|device|"
        rb"number|no|ssn|security|ss|vin|npi|dea)\.?(?:\s+(?:is|was))?\s*[:#]?\s*#?[A-Za-z0-9-]*\d",
        P,
    ),
    (rb"\b(?:last|next|this past|this coming)\s+[A-Z]", D),  # relative dates
    (rb"\d/\d", D),  # month/day without a year
    (rb"\d[-/.][IVX]", D),  # Roman-numeral months
    (rb"(?i)\d[- ]?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", D),
    (rb"(?i)\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[\s,.-]{1,3}(?:zero|oh|one|two|three|four|five|"
     rb"six|seven|eight|nine)\b", P),  # digits spelled out
    (rb"(?i)\b(?:ninety|one[\s-]hundred)", P),  # ages over 89 in words
    (rb"\d[ .-]{1,2}\d[ .-]{1,2}\d", P),  # digits written one by one
    (rb"\d{2,4}\.\d{2,4}\.\d", P),  # dotted digit groups
    (rb"(?i)\b(?:pager|pgr|beeper|bpr)\b", P),
    (rb"[A-Z][a-z]+\s+[A-Z]\.", N),  # "Smith J."
    (rb"\b(?:at|in|from|to)\s+(?:the\s+)?[A-Z][\w'&-]*\s+[A-Z]", L),  # multi-word places after a preposition
]


class Prefilter:
    """``regions(text)``: sorted, disjoint (start, end) slices that contain every possible finding."""

    def __init__(self, radius: int = 160, block: int = 256, extra_literals: Iterable[str] = ()) -> None:
        # a block is hot when a trigger ends in it (blocks overlap by more than the longest trigger);
        # a region is a run of hot blocks widened by ``radius`` (more than any detector's context)
        self.radius = radius
        self.block = block
        self.overlap = 64
        self._db = None
        if hyperscan is None:
            return
        exprs = [t for t, _ in _TRIGGERS]
        self._groups = [g for _, g in _TRIGGERS]
        for w in MONTH_NAMES:  # prefixes: "Jan" also finds "January"
            exprs.append(rb"\b" + w.encode())
            self._groups.append(D)
        for w in _STREET_WORDS:
            exprs.append(rb"\b" + w.encode() + rb"\b")
            self._groups.append(L)
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=exprs, ids=list(range(len(exprs))), flags=hyperscan.HS_FLAG_SINGLEMATCH)
        # Dictionary words, matched as whole words in a copy of the text where every other character
        # is a space (pure literal matching compiles in well under a second).
        groups: dict[bytes, int] = {}
        for w in load_list("first_names.txt.gz"):
            k = f" {w} ".encode()
            groups[k] = groups.get(k, 0) | N
        for w in set(load_list("cities.txt.gz")) | set(US_STATES) | set(extra_literals):
            k = f" {w} ".encode()
            groups[k] = groups.get(k, 0) | L
        lits = sorted(k for k in groups if k.isascii() and len(k) >= 4)
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
# the street suffixes the location detector knows (one list, kept there)
_STREET_WORDS = tuple(_STREET_SFX[3:-1].split("|"))


def _stop(*_args: object) -> bool:
    return True  # the first trigger is enough: stop scanning this block


def _escape(word: str) -> str:
    return "".join("\\" + c if not c.isalnum() and c != " " else c for c in word)
