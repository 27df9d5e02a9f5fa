"""Hyperscan prefilter: finds the few regions of a long text where any detector could match, so the
Python detectors run on those regions only (their results are unchanged: every detector match contains
one of these triggers, and regions extend far enough, to whitespace, for every detector's context).

Hyperscan is optional: without it (or for short texts) the detectors scan the whole text.
"""

from __future__ import annotations

from collections.abc import Iterable

try:
    import hyperscan
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    hyperscan = None  # type: ignore[assignment]

from sidecar.redaction.detectors.dates import MONTH_NAMES
from sidecar.redaction.detectors.lexicons import US_STATES, load_list

# Regex triggers (hyperscan syntax). Each detector match contains at least one of them.
_TRIGGERS = [
    rb"\d{5}",  # ZIP, long ids, cards, DEA, VIN tails
    rb"\d[\s.)-]\s?\d{4}",  # SSN and phone tails, spaced card groups
    rb"[A-Za-z#]\d{4}",  # letter-prefixed ids
    rb"\d{4}[-/.]\d",  # ISO dates
    rb"\+\d",  # international phones
    rb"\d{2,4}[ .]\d{2,4}[ .]\d{2}",  # digit-group phones
    rb"\d{3}[ .-]\d{4}",  # local phones
    rb"\(0?\d{1,4}\)",
    rb"\d[\d-]{3,}\d",  # dashed identifiers
    rb"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d",  # IPv4
    rb"[0-9A-Fa-f]{0,4}::?[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:",  # IPv6
    rb"@",
    rb"://",
    rb"(?i)www\.",
    rb"\d[-/.]\d{1,2}[-/.]\d\d",  # numeric dates
    rb"\d\d/\d\d",  # mm/yy, mm/dd
    rb"(?:9\d|1[0-4]\d)\s*-?\s*(?:y|Y|yo|YO)",  # ages over 89
    rb"(?i)age[d:]?\s*(?:9\d|1[0-4]\d)",
    rb"(?i)(?:dr|mr|mrs|ms|mx|prof|miss|sra?|nurse|doctor|professor)\.?\s+[A-Z]",
    rb"(?i)(?:patient|pt|name|client|resident|guardian|mother|father|spouse|contact|kin|nok|attending|physician|"
    rb"provider|surgeon|signed|referred by)(?:'s)?\s*(?:name)?\s*[:=-]",
    rb",\s*[A-Z][A-Z]\b",  # City, ST
    rb"\b(?:St|Mt|Ste|Ft)\.",
    rb"\b(?:Saint|Mount)\s",
    rb"(?i)(?:zip|postal)",
    rb"(?:Hospital|Clinic|Medical|Health|Infirmary|Hospice|Institute|Children's|Memorial|Sanatorium|Nursing|"
    rb"Rehabilitation|Urgent|Pharmacy|Physicians|Surgical|Care|General|Presbyterian|Methodist|Baptist|Mercy|Kaiser)",
    rb"\b(?:treated|seen|admitted|hospitali[sz]ed|transferred|discharged|evaluated|operated|followed|managed|"
    rb"lives?|living|resides?|residing|resident|located|moved|relocated|born|works?|worked|employed|visited|"
    rb"presented|referred|returned|traveled|travelled|stationed)\s+(?:at|in|to|from|of|on|near)\s",
    rb"(?i)\b(?:Apt|Apartment|Suite|Ste|Unit|P\.?\s?O\.?\s+Box)\b",
    # labelled identifiers of any shape: "(MRN: 12345ABC)", "insurance ID: ABC123", "ref. code: EM-2554"
    rb"(?i)(?:mrn|record|chart|id|identifier|member|subscriber|beneficiary|insurance|policy|plan|medicare|"
    rb"medicaid|account|acct|licen[cs]e|certificate|serial|ref|reference|code|case|encounter|visit|site|device|"
    rb"number|no)\.?(?:\s+(?:is|was))?\s*[:#]?\s*#?[A-Za-z0-9-]*\d",
    rb"\b(?:last|next|this past|this coming)\s+[A-Z]",  # relative dates
    rb"[A-Z][a-z]+\s+[A-Z]\.",  # "Smith J."
    rb"\b(?:at|in|from|to)\s+(?:the\s+)?[A-Z][\w'&-]*\s+[A-Z]",  # multi-word places after a preposition
    rb"(?:Hosp|Ctr)\b",
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
        exprs = list(_TRIGGERS)
        for w in MONTH_NAMES:  # prefixes: "Jan" also finds "January"
            exprs.append(rb"\b" + w.encode())
        for w in _STREET_WORDS:
            exprs.append(rb"\b" + w.encode() + rb"\b")
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=exprs, ids=list(range(len(exprs))), flags=hyperscan.HS_FLAG_SINGLEMATCH)
        # Dictionary words, matched as whole words in a copy of the text where every other character
        # is a space (pure literal matching compiles in well under a second).
        words = set(load_list("first_names.txt.gz")) | set(load_list("cities.txt.gz")) | set(extra_literals)
        words |= set(US_STATES)
        lits = sorted({f" {w} ".encode() for w in words if w.isascii() and len(w) >= 2})
        lit = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        lit.compile(
            expressions=lits, ids=list(range(len(lits))), flags=hyperscan.HS_FLAG_SINGLEMATCH, literal=True
        )
        self._db = db
        self._lit = lit

    @property
    def active(self) -> bool:
        return self._db is not None

    def regions(self, text: str) -> list[tuple[int, int]]:
        data = text.encode("ascii", "replace")  # one byte per character: offsets stay str offsets
        n = len(text)
        blk, ov, r = self.block, self.overlap, self.radius
        db, lit = self._db, self._lit
        words = b" " + data.translate(_SPACES) + b" "  # offsets shift by one: slices above take +2
        hot: list[tuple[int, int]] = []
        for a in range(0, n, blk):
            lo = max(0, a - ov)
            try:
                db.scan(data[lo : a + blk], match_event_handler=_stop)  # type: ignore[union-attr]
                lit.scan(words[lo : a + blk + 2], match_event_handler=_stop)
            except hyperscan.ScanTerminated:
                ra, rb = max(0, lo - r), min(n, a + blk + r)
                if hot and ra <= hot[-1][1]:
                    hot[-1] = (hot[-1][0], rb)
                else:
                    hot.append((ra, rb))
        merged: list[tuple[int, int]] = []
        for a, b in hot:
            a, b = self._snap(text, a, b)
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return merged

    @staticmethod
    def _snap(text: str, a: int, b: int) -> tuple[int, int]:
        """Widen to whitespace on both sides so no word (URL, e-mail, identifier) is cut."""
        n = len(text)
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        while b < n and not text[b].isspace():
            b += 1
        return a, b


_SPACES = bytes(c if chr(c).isalnum() else 32 for c in range(256))
_STREET_WORDS = (
    "Street",
    "Avenue",
    "Road",
    "Boulevard",
    "Lane",
    "Drive",
    "Court",
    "Place",
    "Terrace",
    "Circle",
    "Parkway",
    "Highway",
    "Square",
    "Trail",
    "Loop",
    "Row",
    "Alley",
    "Plaza",
    "Pike",
    "Route",
    "Way",
    "St",
    "Ave",
    "Rd",
    "Blvd",
    "Ln",
    "Dr",
    "Ct",
    "Pl",
    "Ter",
    "Cir",
    "Pkwy",
    "Hwy",
    "Sq",
    "Trl",
    "Rte",
)


def _stop(*_args: object) -> bool:
    return True  # the first trigger is enough: stop scanning this block


def _escape(word: str) -> str:
    return "".join("\\" + c if not c.isalnum() and c != " " else c for c in word)
