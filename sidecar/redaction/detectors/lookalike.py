"""Identifiers with letters written for digits: ``478-2l-5O96``, ``415-555-Ol23``, ``DOB O3/l5/l961``.

A reader reads ``l``, ``I`` and ``|`` as 1, ``O`` and ``o`` as 0, ``S`` as 5, ``B`` as 8 and ``Z`` as 2 when they
stand among digits. A group (a run of letters and digits) that holds a digit and no letter other than these look-
alikes, and that is joined to another group with a digit by ``-``, ``.``, ``/`` or ``|``, or has two digits and is
no short name (up to three characters, look-alikes first: ``B12``), is read with its look-alikes as digits
(``SpO2``, ``COVID-19``, ``ISO``, ``O2 sat``, ``S1 S2`` and ``B12 2000 pg/mL`` stay as written). The identifier
and date detectors then scan the text read that way (same length, same offsets) around each such group,
and a finding that covers a look-alike read as a digit is a finding here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from sidecar.redaction.spans import Span

_AS_DIGIT = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0", "o": "0", "S": "5", "B": "8", "Z": "2"})
_LOOKS = "lI|OoSBZ"
# a group of digits and look-alikes (at least one of each), with what joins it to its neighbours
_GROUP = re.compile(rf"(?<![0-9A-Za-z|])[0-9{_LOOKS}]*(?:\d[{_LOOKS}]|[{_LOOKS}]\d)[0-9{_LOOKS}]*(?![0-9A-Za-z|])")
_JOINED = re.compile(r"[-./|]")
_NAME = re.compile(rf"[{_LOOKS}]{{1,2}}\d{{1,2}}")  # a short name (B12, S1, O2): as written, unless joined
_TAIL = re.compile(rf"[0-9{_LOOKS}]*\Z")  # what may still grow into a group at the end of a text
_CONTEXT = 40  # characters of context the inner detectors read on either side of a group
# values in the plural ("SBP 90S-100S", "HR 110S"): a number of two or three digits ending in 0, then S; read as
# written only when every group of its chain (groups joined by -./|) is one, so "617-20S-1234" stays a phone
_DECADE = re.compile(r"[1-9]\d?0[sS]")
_CHAIN = re.compile(r"[0-9A-Za-z|]+(?:[-./][0-9A-Za-z|]+)*")
TYPES = frozenset({"SSN", "PHONE", "FAX", "CARD", "MRN", "ID", "ACCOUNT", "HEALTH_PLAN", "LICENSE", "DEVICE", "NPI",
                   "ZIP", "IP", "DATE"})


class Inner(Protocol):
    """A detector with the stream contract's ``open_at(text, start)`` (the identifier and date detectors)."""

    def detect(self, text: str) -> Iterable[Span]: ...

    def open_at(self, text: str, start: int = 0) -> int: ...


def _groups(text: str) -> list[tuple[int, int]]:
    """The groups of ``text`` read as digits (see the module docstring)."""
    out = []
    for m in _GROUP.finditer(text):
        a, b = m.span()
        digits = sum(c.isdigit() for c in m.group())
        joined = (a > 1 and _JOINED.match(text, a - 1) and text[a - 2].isdigit()) or (
            b + 1 < len(text) and _JOINED.match(text, b) and text[b + 1].isalnum())
        if (joined or (digits >= 2 and not (b - a <= 3 and _NAME.fullmatch(m.group())))) and not _decades(text, a, b):
            out.append((a, b))
    return out


def _decades(text: str, a: int, b: int) -> bool:
    """Group ``text[a:b]`` is a value in the plural (``90S``) in a chain of such values only (``90S-100S``)."""
    if not _DECADE.fullmatch(text, a, b):
        return False
    lo = a
    while lo > 0 and (text[lo - 1].isalnum() or text[lo - 1] in "-./|"):
        lo -= 1
    m = _CHAIN.match(text, lo)
    chain = m.group() if m is not None and m.end() >= b else text[a:b]
    return all(_DECADE.fullmatch(g) for g in re.split(r"[-./]", chain))


def _read(text: str, groups: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in groups:
        chars[a:b] = text[a:b].translate(_AS_DIGIT)
    return "".join(chars)


class LookalikeDigitDetector:
    """Runs ``inner`` (identifier and date detectors) over the text with look-alike letters among digits read as
    digits (see the module docstring)."""

    name = "lookalike_digits"
    types = TYPES
    reach = 96
    triggers = (rb"\d[lI|OoSBZ]", rb"[lI|OoSBZ]\d")

    def __init__(self, inner: Sequence[Inner]) -> None:
        self._inner = list(inner)

    def detect(self, text: str) -> Iterable[Span]:
        groups = _groups(text)
        if not groups:
            return []
        read = _read(text, groups)
        out: list[Span] = []
        for a, b in groups:  # each group with its own window: what is found around it never depends on others
            lo, hi = max(0, a - _CONTEXT), min(len(text), b + _CONTEXT)
            moved = [i for i in range(a, b) if read[i] != text[i]]
            for det in self._inner:
                for s in det.detect(read[lo:hi]):
                    if s.type in TYPES and any(s.start + lo <= i < s.end + lo for i in moved):
                        out.append(Span(s.start + lo, s.end + lo, s.type, s.score))
        return out

    def open_at(self, text: str, start: int = 0) -> int:
        """Stream contract: the inner detectors' open point in the text read with every group, and the tail that
        may still grow into one, as digits; no later than the window of a group that the end of ``text`` cuts."""
        n = len(text)
        tail = _TAIL.search(text).start()  # type: ignore[union-attr]
        groups = _groups(text)
        read = _read(text, [*groups, (tail, n)])
        if read == text:
            return n  # read as written: the inner detectors hold for themselves (the Analyzer asks them too)
        i = min((det.open_at(read, start) for det in self._inner), default=n)
        for a, b in groups:
            if b + _CONTEXT > n:
                i = min(i, max(0, a - _CONTEXT))
        return max(start, i)
