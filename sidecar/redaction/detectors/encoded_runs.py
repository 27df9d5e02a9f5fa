"""Text written in a code a reader decodes by hand: each run is decoded and scanned with every detector.

Four carriers, each a run of bounded tokens (so a stream holds a run whole while it may grow):

- Morse code (``....- --... ---.. -....-``: letters and digits, ``/`` or a wide gap between words);
- character codes: two-digit hex bytes (``34 37 38 2d``, ``0x4D, 0x61``, ``6d:61``), three-digit octal bytes
  (``064 067 070``) or decimal codes (``77,97,114``), each read every way its tokens allow;
- spoken numbers with tens, teens and scales (``four seventy-eight, twenty-one, fifty ninety-six``,
  ``four hundred seventy-eight``): each number read as its digits, a comma or a spaced dash between groups;
- three or more Roman numerals joined by ``-``, ``/`` or ``.``, one above XIII and one of two letters or more
  (``CDLXXVIII-XXI-MMMMMXCVI``, ``III/XIV/MCMLXII``; not ``C/D/I``), separators kept (spaced ones are prose:
  ``Smith MD, DC home``);

A decoded run is scanned with the text just before it (a cue: ``SSN``, ``DOB``), and each type found in the
decoded part is one finding over the whole run. Fail closed: a spoken-number or Roman run
that decodes to seven or more digits (not a count from one) is an ``ID`` even without a finding (prose does not
write numbers that way). Runs whose decoded text holds nothing are left as written (a Morse ``---`` rule, a list
of lab values, ``MD``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from sidecar.redaction.detectors.base import OpenScanner
from sidecar.redaction.profiles import ALL_TYPES
from sidecar.redaction.spans import Span

_CONTEXT = 40  # characters before a run scanned with it (a cue on its left)
_FAIL_CLOSED_DIGITS = 7

_MORSE_CODES = (
    ".-", "-...", "-.-.", "-..", ".", "..-.", "--.", "....", "..", ".---", "-.-", ".-..", "--", "-.", "---",
    ".--.", "--.-", ".-.", "...", "-", "..-", "...-", ".--", "-..-", "-.--", "--..", "-----", ".----", "..---",
    "...--", "....-", ".....", "-....", "--...", "---..", "----.", "-....-", ".-.-.-", ".--.-.", "-..-.",
)
_MORSE = dict(zip(_MORSE_CODES, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.@/", strict=True))
_MORSE_RUN = re.compile(r"(?<![\w.\-/])[.\-]{1,6}(?:(?: {1,2}| ?/ ?)[.\-]{1,6}){4,16}(?![\w.\-])")
_CODE_RUN = re.compile(r"(?<![\w.:])(?:0[xX])?\d[0-9A-Fa-f]{1,2}(?:[ ,:] ?(?:0[xX])?\d[0-9A-Fa-f]{1,2}){3,20}(?![\w:])")
_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORDS = {w: (i, "one") for i, w in enumerate(_ONES)} | {"oh": (0, "one")}
_WORDS |= {w: (10 + i, "teen") for i, w in enumerate(_TEENS)} | {w: (20 + 10 * i, "ten") for i, w in enumerate(_TENS)}
_WORDS |= {"fourty": (40, "ten"), "hundred": (100, "scale"), "thousand": (1000, "scale")}  # no "and": a stream
# would hold every "a" at the end of a text as the start of a run
_WORD_ALT = "|".join(sorted(_WORDS, key=len, reverse=True))
_SPOKEN_TOKEN = rf"(?:{_WORD_ALT}|\d{{1,4}})(?![a-z])"
_SPOKEN_RUN = re.compile(
    rf"(?<![\w-])(?i:{_SPOKEN_TOKEN}(?:(?:[ \t]{{1,2}}|[ \t]?-[ \t]?|,[ \t]{{0,2}}){_SPOKEN_TOKEN}){{2,11}})(?![\w-])")
_TENS_WORD = (r"(?:twen|thir|for|four|fif|six|seven|eigh|nine)ty|(?:thir|four|fif|six|seven|eigh|nine)teen|ten|eleven"
              r"|twelve|hundred|thousand")
_SPOKEN_HINT = re.compile(rf"(?i)\b(?:{_TENS_WORD})\b")  # a word the single-digit rules do not read
_ROMAN_TOKEN = r"(?=[MDCLXVI])M{0,9}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![A-Za-z0-9])"
_ROMAN_RUN = re.compile(rf"(?<![\w/.-]){_ROMAN_TOKEN}(?:[-/.]{_ROMAN_TOKEN}){{2,5}}")
_ROMAN_VALUES = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50), ("XL", 40),
                 ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))
_PRINTABLE = re.compile(r"[\x20-\x7e\t\n]+")


class _Scan(Protocol):
    def __call__(self, text: str) -> Iterable[Span]: ...


def _morse(run: str) -> list[str]:
    words = re.split(r" ?/ ?| {2,}", run)
    out = []
    for w in words:
        letters = [_MORSE.get(t) for t in w.split()]
        if None in letters:
            return []
        out.append("".join(letters))  # type: ignore[arg-type]
    return [" ".join(out)]


def _codes(run: str) -> list[str]:
    """Every reading of a run of character codes that is printable ASCII: hex bytes, octal bytes, decimal."""
    toks = re.split(r"[ ,:] ?", run)
    bare = [t[2:] if t[:2] in ("0x", "0X") else t for t in toks]
    readings = []
    if all(len(t) == 2 for t in bare):
        readings.append([int(t, 16) for t in bare])
    if bare == toks and all(len(t) == 3 and set(t) <= set("01234567") for t in toks):
        readings.append([int(t, 8) for t in toks])
    if bare == toks and all(t.isdigit() for t in toks):
        readings.append([int(t) for t in toks])
    out = []
    for codes in readings:
        text = "".join(map(chr, codes))
        if _PRINTABLE.fullmatch(text) and any(c.isalnum() for c in text):
            out.append(text)
    return out


def _spoken_group(words: list[str]) -> str:
    """The digits a group of spoken numbers says: each number (``four hundred seventy-eight``) as its digits."""
    nums: list[str] = []
    cur: int | None = None
    last = ""
    for w in words:
        if w.isdigit() or _WORDS[w][1] != "and":
            value, kind = (0, "digits") if w.isdigit() else _WORDS[w]
            if kind == "scale":
                cur = (cur or 1) * value
            elif cur is not None and kind != "digits" and (
                    last == "scale" or (last == "ten" and kind == "one" and value)):
                cur += value
            else:
                if cur is not None:
                    nums.append(str(cur))
                cur = None if kind == "digits" else value
                if kind == "digits":
                    nums.append(w)
            last = kind
    if cur is not None:
        nums.append(str(cur))
    return "".join(nums)


def _spoken(run: str) -> list[str]:
    if not _SPOKEN_HINT.search(run):
        return []  # single digit words only: the number-word rules read those
    groups = [re.findall(r"[a-z]+|\d+", g) for g in re.split(r",|[ \t]-[ \t]", run.lower())]
    return ["-".join(_spoken_group(g) for g in groups if g)]


def _roman_value(tok: str) -> int:
    n, i = 0, 0
    for sym, v in _ROMAN_VALUES:
        while tok.startswith(sym, i):
            n, i = n + v, i + len(sym)
    return n


def _roman(run: str) -> list[str]:
    tokens = re.findall(r"[MDCLXVI]+", run)
    if all(len(t) == 1 for t in tokens):
        return []  # single letters joined are abbreviations ("C/D/I": clean, dry, intact; "D/C"), not numerals
    values = [_roman_value(t) for t in tokens]
    if max(values) <= 13:
        # I to IX: the number-word rules read those; up to XIII, clinical enumerations (cranial nerves
        # "CN IX/X/XII", clotting factors "V/VIII/XIII", stages and grades)
        return []
    return [re.sub(r"[MDCLXVI]+", lambda m: str(_roman_value(m.group())), run)]


_Decoder = Callable[[str], list[str]]
# (run regex, decoder, fails closed on seven or more decoded digits)
_CARRIERS: tuple[tuple[re.Pattern[str], _Decoder, bool], ...] = (
    (_MORSE_RUN, _morse, False),
    (_CODE_RUN, _codes, False),
    (_SPOKEN_RUN, _spoken, True),
    (_ROMAN_RUN, _roman, True),
)


def _ascending(digits: str) -> bool:
    """A count (``1 2 3 4 5 6 7``): list numbering, not an identifier."""
    return all(int(b) == int(a) + 1 for a, b in zip(digits, digits[1:], strict=False))


_SEP = rb"(?: {1,2}| ?/ ?)"
_CODE = rb"(?:0[xX])?\d[0-9A-Fa-f]{1,2}"
# Prefilter triggers (hyperscan syntax): every finding holds one (five Morse tokens, four codes, a tens/teens/scale
# word, two joined Roman numerals, two digits a sentence or line apart)
TRIGGERS = (
    rb"[.\-]{1,6}" + (_SEP + rb"[.\-]{1,6}") * 4,
    _CODE + (rb"[ ,:] ?" + _CODE) * 3,
    rb"(?i)\b(?:" + _TENS_WORD.encode() + rb")\b",
    rb"[MDCLXVI]{1,20}[-/.][MDCLXVI]{1,20}",
)


class EncodedRunDetector:
    """Morse, character codes, spoken numbers and Roman numerals (module docstring)."""

    name = "encoded_runs"
    types = ALL_TYPES
    reach = 200
    triggers = TRIGGERS

    def __init__(self) -> None:
        self._scan: _Scan | None = None
        self._open = OpenScanner([rx for rx, _, _ in _CARRIERS])

    def bind(self, scan: _Scan) -> None:
        """``scan``: every finding (any type) of the analyzer's detectors in a text (``Analyzer`` binds it)."""
        self._scan = scan

    def detect(self, text: str) -> Iterable[Span]:
        if self._scan is None:
            return []
        return list(self._findings(text))

    def _findings(self, text: str) -> Iterator[Span]:
        for rx, decode, closed in _candidates(text):
            for m in rx.finditer(text):
                types = self._types(text, m.start(), decode(m.group()), closed)
                yield from (Span(m.start(), m.end(), t, 0.9) for t in sorted(types))

    def _types(self, text: str, start: int, readings: list[str], closed: bool) -> set[str]:
        """The types found in the decoded part of each reading, scanned after the context on its left."""
        assert self._scan is not None
        left = text[max(0, start - _CONTEXT) : start]
        out: set[str] = set()
        for inner in readings:
            out |= {s.type for s in self._scan(left + inner) if s.end > len(left)}
            digits = re.sub(r"\D", "", inner)
            if closed and not out and len(digits) >= _FAIL_CLOSED_DIGITS and not _ascending(digits):
                out.add("ID")
        return out

    def open_at(self, text: str, start: int = 0) -> int:
        """A run that reaches the end of ``text`` may go on (or its right boundary may still fail)."""
        return self._open.open_at(text, start)


def _candidates(text: str) -> list[tuple[re.Pattern[str], _Decoder, bool]]:
    """The carriers worth a search in ``text`` (cheap substring tests first)."""
    out = []
    if "-." in text or ".-" in text or "-----" in text or "....." in text:
        out.append(_CARRIERS[0])
    out.append(_CARRIERS[1])
    if _SPOKEN_HINT.search(text):
        out.append(_CARRIERS[2])
    if "X" in text or "C" in text or "M" in text:
        out.append(_CARRIERS[3])
    return out
