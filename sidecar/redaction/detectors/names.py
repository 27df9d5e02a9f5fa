"""Person names: titles and labels as cues, plus public-domain US Census first-name/surname lists.

A dictionary word alone is never a name: a first name needs a following surname or initial, a surname
needs a preceding name-like word, and words in the stop list (common words, clinical terms, eponyms)
never start a name without a title or label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sidecar.redaction.detectors.base import gated
from sidecar.redaction.detectors.lexicons import load_list
from sidecar.redaction.detectors.regex_gate import RegexGate
from sidecar.redaction.spans import Span

_CAP = r"[A-Z][a-zà-ÿ]+(?:['’][A-Za-z]+)?(?:-[A-Z][a-zà-ÿ]+)?"
_NAME_SEQ = rf"(?:[A-Z]\.\s?)?{_CAP}(?:\s+[A-Z]\.(?!\w))?(?:\s+{_CAP})?(?:\s+[A-Z]\.(?!\w))?"
_TITLE = gated(
    "[DMPSN]",
    rf"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Miss|Sr|Sra|Nurse|Doctor|Professor)\.?\s+(?P<n>{_NAME_SEQ}|[A-Z]\.)"
)
_LABEL = gated(
    "(?i:[pncrgmfsea])",
    r"(?i:\b(?:patient(?:'s)?(?: name)?|pt(?: name)?|name|client|resident|guardian|mother|father|spouse|"
    r"emergency contact|contact|next of kin|nok|attending|physician|provider|surgeon|signed|referred by)"
    r"\s*[:=-]\s*)"
    rf"(?P<n>{_NAME_SEQ})"
)
_TOKEN = gated("[A-Z]", rf"\b{_CAP}\b")
_AFTER = re.compile(rf"\s+(?:(?P<i>[A-Z])\.?(?!\w)(?:\s+(?P<l2>{_CAP}))?|(?P<l>{_CAP}))")


class NameDetector:
    name = "names"
    reach = 64

    def __init__(self) -> None:
        self._first = load_list("first_names.txt.gz")
        self._last = load_list("surnames.txt.gz")
        self._stop = frozenset(w.capitalize() for w in load_list("stopwords.txt"))
        self._gate = RegexGate((_TITLE, _LABEL, _TOKEN))  # which of them can match at all: one hyperscan scan

    def detect(self, text: str) -> Iterable[Span]:
        out: list[Span] = []
        stop = self._stop
        can = self._gate.possible(text)
        for k, rx in ((0, _TITLE), (1, _LABEL)):
            for m in rx.finditer(text) if k in can else ():
                n = m.group("n")
                first_word = n.split()[0]
                if first_word in stop and rx is _LABEL:
                    continue
                start = m.start() if rx is _TITLE else m.start("n")
                out.append(Span(start, m.end("n"), "NAME", 0.8))
        first, last = self._first, self._last
        for m in _TOKEN.finditer(text) if 2 in can else ():
            word = m.group()
            a = _AFTER.match(text, m.end())
            if a is None:
                continue
            if word in stop:
                # a first name that is also a common word (Jack, Mark, Will) needs a clear surname or initial
                nxt = a.group("l")
                dotted = a.group("i") is not None and text[a.end("i") : a.end("i") + 1] == "."
                if word in first and (
                    (dotted and a.group("l2") is None)
                    or (nxt is not None and nxt in last and nxt not in stop)  # noqa: E501
                ):
                    end = a.end() if nxt else a.end("i") + 1
                    out.append(Span(m.start(), end, "NAME", 0.55))
                continue
            if word in last and word not in first and a.group("i") and a.group("l2") is None:
                if text[a.end("i") : a.end("i") + 1] == ".":  # "Smith J." (surname, initial)
                    out.append(Span(m.start(), a.end("i") + 1, "NAME", 0.55))
                continue
            nxt = a.group("l")
            if a.group("i"):
                if word not in first:
                    continue
                end = a.end()
                l2 = a.group("l2")
                if l2 is not None and (l2 in stop or (l2 not in last and l2 not in first)):
                    end = a.end("i") + (1 if text[a.end("i") : a.end("i") + 1] == "." else 0)
                out.append(Span(m.start(), end, "NAME", 0.6))
            elif nxt is not None and (nxt not in stop or nxt in last) and word in first:
                out.append(Span(m.start(), a.end(), "NAME", 0.6))
        return out
