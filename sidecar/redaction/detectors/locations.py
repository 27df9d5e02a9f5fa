"""Geographic subdivisions smaller than a state: street addresses, unit/PO box, ZIP codes with context,
facilities (hospitals, clinics), and cities after a locative cue or before a state."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sidecar.redaction.detectors.base import gated
from sidecar.redaction.detectors.lexicons import STATE_ABBR, US_STATES, load_list
from sidecar.redaction.detectors.regex_gate import RegexGate
from sidecar.redaction.spans import Span

_W = r"(?:(?:St|Mt|Ste|Ft)\.|[A-Z][\w'’&-]*)"
_STREET_SFX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|"
    r"Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Row|Alley|Plaza|Pike|Route|Rte)"
)
_STATE_ALT = "|".join(sorted(US_STATES, key=len, reverse=True))
_UNIT = r"(?:Apt|Apartment|Suite|Ste|Unit|Rm|Room|Floor|Fl|Bldg|#)\.?\s*#?\s*[A-Za-z0-9-]+"
_STREET = gated(
    r"\d",
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:{_W}\s+){{0,3}}{_W}\s+{_STREET_SFX}\b\.?"
    rf"(?:,?\s+{_UNIT})?"
    rf"(?:,?\s+(?:{_W}\s+){{0,2}}{_W},?\s+(?:[A-Z]{{2}}|{_STATE_ALT})\b(?:\s+\d{{5}}(?:-\d{{4}})?)?)?"
)
_UNIT_ALONE = re.compile(
    r"\b(?:Apt|Apartment|Suite|Ste|Unit)\.?\s*#?\s*\d+[A-Za-z]?\b|\bP\.?\s?O\.?\s+Box\s+\d+\b"
)
_ZIP = re.compile(r"(?<![\w-])\d{5}(?:-\d{4})?(?![\w-])")
_ZIP_CUE = re.compile(
    rf"(?:zip(?: code)?|postal(?: code)?|zipcode)\W{{0,4}}$|\b(?:[A-Z]{{2}}|{_STATE_ALT})\s*$", re.I
)
_FACILITY_KW = (
    r"(?:Hospital|Hosp\.|Clinic|Medical Cent(?:er|re)|Med Ctr|Health System|Health Cent(?:er|re)|Healthcare|Health|Infirmary|"  # noqa: E501
    r"Hospice|Institute|Cancer Cent(?:er|re)|Children's|Memorial|Sanatorium|Nursing Home|Rehabilitation Cent(?:er|re)|"  # noqa: E501
    r"Urgent Care|Pharmacy|Medical Group|Physicians|Surgical Cent(?:er|re)|Care Cent(?:er|re)|General|Presbyterian|"  # noqa: E501
    r"Methodist|Baptist|Mercy|Kaiser Permanente)"
)
_FACILITY = gated(
    "[A-Z]",
    rf"\b(?:{_W}\s+){{0,4}}{_FACILITY_KW}\b(?:'s)?(?:\s+(?:of|at|in)\s+(?:the\s+)?{_W}(?:\s+{_W}){{0,2}})?"
)
_SAINT = gated("[SM]", rf"\b(?:St|Mt|Ste)\.\s*{_W}(?:\s+{_W}){{0,3}}|\b(?:Saint|Mount)\s+{_W}(?:\s+{_W}){{0,3}}")
_CUE_SEQ = gated(
    "[abdefhlmoprstvw]",
    r"\b(?:treated|seen|admitted|hospitali[sz]ed|transferred|discharged|evaluated|operated|followed|managed|"
    r"lives?|living|resides?|residing|resident|located|moved|relocated|born|works?|worked|employed|visited|"
    r"presented|referred|returned|traveled|travelled|stationed)\s+(?:at|in|to|from|of|on|near)\s+(?:the\s+)?"
    rf"(?P<l>{_W}(?:\s+(?:{_W}|of|the|and|&)){{0,5}})"
)
_LOC_PREP = gated("[afinot]", rf"\b(?:in|at|from|near|to|of|outside|around)\s+(?P<l>{_W}(?:\s+{_W}){{0,2}})")
_CITY_STATE = gated("[A-Z]", rf"\b(?P<c>{_W}(?:\s+{_W}){{0,2}}),\s*(?P<s>[A-Z]{{2}}|{_STATE_ALT})\b")
_GEO_WORDS = frozenset(
    {
        "New",
        "San",
        "Santa",
        "Los",
        "Las",
        "Saint",
        "Mount",
        "Fort",
        "North",
        "South",
        "East",
        "West",
        "General",
        "Memorial",
        "University",
        "Regional",
        "Community",
        "County",
        "National",
        "Mercy",
        "Grace",
        "Hope",
        "Providence",
        "Valley",
        "Lake",
        "Park",
        "Hill",
        "Bay",
        "Baptist",
    }
)
_MULTI_AT = gated("[afit]", rf"\b(?:at|in|from|to)\s+(?:the\s+)?(?P<l>{_W}(?:\s+{_W}){{1,4}})")
# The regexes ``detect`` scans texts with, in gate order (the index is the gate's id).
_SCANNED = (_STREET, _UNIT_ALONE, _ZIP, _FACILITY, _SAINT, _MULTI_AT, _CUE_SEQ, _LOC_PREP, _CITY_STATE)
_TAIL = re.compile(rf",\s*(?P<t>{_W}(?:\s+{_W}){{0,2}})")
_LEAD_STOP = frozenset(
    {"The", "A", "An", "This", "That", "Our", "My", "His", "Her", "Their", "What", "Which", "At", "In"}
)


class LocationDetector:
    name = "locations"
    reach = 96

    def __init__(self, site: object = None) -> None:
        self._cities = load_list("cities.txt.gz")
        self._stop = frozenset(w.capitalize() for w in load_list("stopwords.txt"))
        self._gate = RegexGate(_SCANNED)  # which of them can match at all: one hyperscan scan

    def detect(self, text: str) -> Iterable[Span]:
        out: list[Span] = []
        add = out.append
        can = self._gate.possible(text)
        for m in _STREET.finditer(text) if 0 in can else ():
            add(Span(m.start(), m.end(), "ADDRESS", 0.8))
        for m in _UNIT_ALONE.finditer(text) if 1 in can else ():
            add(Span(m.start(), m.end(), "ADDRESS", 0.7))
        for m in _ZIP.finditer(text) if 2 in can else ():
            ctx = text[max(0, m.start() - 24) : m.start()]
            if _ZIP_CUE.search(ctx):
                add(Span(m.start(), m.end(), "ZIP", 0.7))
        for k, rx in ((3, _FACILITY), (4, _SAINT)):
            for m in rx.finditer(text) if k in can else ():
                start, end = self._strip_lead(text, m.start(), m.end())
                if end > start:
                    add(Span(start, self._extend(text, end), "LOCATION", 0.65))
        for m in _MULTI_AT.finditer(text) if 5 in can else ():
            words = m.group("l").split()
            if words[0] in self._stop and words[0] not in _GEO_WORDS or words[0] in _LEAD_STOP:
                continue
            if any(w in self._stop and w not in _GEO_WORDS for w in words[1:]):
                continue
            start, end = self._strip_trail(text, m.start("l"), m.end("l"))
            if end > start:
                add(Span(start, end, "LOCATION", 0.55))
        for m in _CUE_SEQ.finditer(text) if 6 in can else ():
            start, end = self._strip_trail(text, m.start("l"), m.end("l"))
            if end > start:
                add(Span(start, end, "LOCATION", 0.6))
        cities = self._cities
        for m in _LOC_PREP.finditer(text) if 7 in can else ():
            words = m.group("l").split()
            for k in range(len(words), 0, -1):
                cand = " ".join(words[:k]).rstrip(".,")
                if cand in cities:
                    s = m.start("l")
                    add(Span(s, self._extend(text, s + len(cand)), "LOCATION", 0.6))
                    break
        for m in _CITY_STATE.finditer(text) if 8 in can else ():
            st = m.group("s")
            if st in ("MD", "PA", "DO", "RN", "NP") and not _ZIP.match(text, m.end() + 1):
                continue
            if len(st) == 2 and st not in STATE_ABBR:
                continue
            words = m.group("c").split()
            while words and (words[0] in self._stop or words[0] in _LEAD_STOP):
                words.pop(0)
            if words:
                c = " ".join(words)
                add(Span(m.end("c") - len(c), m.end("s"), "LOCATION", 0.6))
        return out

    def _strip_lead(self, text: str, start: int, end: int) -> tuple[int, int]:
        while True:
            sp = text.find(" ", start, end)
            if sp < 0:
                break
            word = text[start:sp]
            if word in _LEAD_STOP or (word in self._stop and word not in _GEO_WORDS):
                start = sp + 1
                while start < end and text[start] == " ":
                    start += 1
            else:
                break
        return start, end

    def _extend(self, text: str, end: int) -> int:
        """Take in a following ", City" or ", State" (the city or state of the same place)."""
        m = _TAIL.match(text, end)
        if m is not None:
            t = m.group("t").rstrip(".")
            if t in self._cities or t in US_STATES or t in STATE_ABBR:
                return m.start("t") + len(t)
        return end

    def _strip_trail(self, text: str, start: int, end: int) -> tuple[int, int]:
        while end > start and text[end - 1] in ".,;:":
            end -= 1
        seg = text[start:end]
        for tail in (" and", " the", " of", " &"):
            while seg.endswith(tail):
                seg = seg[: -len(tail)]
        if seg.split(" ")[0] in self._stop or seg.isupper():
            return start, start
        return start, start + len(seg)
