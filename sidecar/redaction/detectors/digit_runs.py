"""Digits written one by one, read as one digit sequence whatever separates them.

An identifier can be written a digit at a time: between commas (``4, 7, 8, 2, 1, 5, 0, 9, 6``), one per line,
with mixed separators, or with number words among the digits (``4 seven 8 two-1 five 0 nine 6``). ``DIGIT_RUN``
finds such runs (single digits and digit words, 7 to 19 of them); ``run_digits`` reads one as its digit string;
``shape_kind`` judges a run that has no identifier cue on its left by the shapes of the digit identifiers
(SSN validity ranges, a North American phone, a card's Luhn check). The pattern detector types a run with a
cue by that cue (patterns.py). A run made only of digits with spaces, dots or dashes, or only of words, is left
to the rules that read those (``_SPACED_DIGITS``, ``_DIGIT_WORDS``).

Lists of small values (``GCS 4, 5, 6``, ``1, 2, 3 tabs``, a column of scores) have fewer than seven items, a
number of two digits or more among them, or a cue-less digit string that is no identifier shape (counting
sequences and runs of at most three distinct digits are never one).
"""

from __future__ import annotations

import re

from sidecar.redaction.detectors.base import gated
from sidecar.redaction.detectors.checksums import luhn_ok, ssn_valid

_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_ITEM = rf"(?:\d|{_WORD})"
# a comma, semicolon, line break or dash with spaces around it, or spaces alone; after a line break, a list
# item's bullet (``- 4``, ``* 7``: one digit per item of a Markdown list)
_SEP = r"(?:[ \t]?[,;-][ \t\r\n]{0,2}|[ \t]?[\n\r][ \t\r\n]{0,2}(?:[-*+•][ \t]{1,2})?|[ \t]{1,3})"
DIGIT_RUN = gated(
    r"(?<![\w.])[\dzotfsenZOTFSEN]",
    rf"\b{_ITEM}\b(?:{_SEP}{_ITEM}\b){{6,18}}(?!{_SEP}{_ITEM}\b|\.\d)",
    re.I,
)
_ITEMS = re.compile(rf"\d|{_WORD}", re.I)
# what only this rule reads: a comma, semicolon or line break between items
_LIST_SEP = re.compile(r"[,;\n\r]")
_BEFORE = re.compile(rf"(?:\b{_ITEM}|\d){_SEP}\Z", re.I)
_VALUES = {w: str(i) for i, w in enumerate(("zero", "one", "two", "three", "four", "five", "six", "seven",
                                             "eight", "nine"))} | {"oh": "0"}


def run_digits(run: str) -> str | None:
    """The digit string of a ``DIGIT_RUN`` match; None when the match is for another rule (digits with only
    spaces, dots or dashes between them, or words only)."""
    items = _ITEMS.findall(run)
    words = sum(not i.isdigit() for i in items)
    if words == len(items) or (not words and not _LIST_SEP.search(run)):
        return None
    return "".join(i if i.isdigit() else _VALUES[i.lower()] for i in items)


def inside_longer_run(text: str, start: int) -> bool:
    """Whether the run found at ``start`` continues an item on its left (it is the tail of a longer run, which
    is judged from its own start)."""
    return _BEFORE.search(text, max(0, start - 12), start) is not None


def shape_kind(digits: str) -> str | None:
    """The identifier type a cue-less digit string has the shape of, or None (counting sequences and strings of
    at most three distinct digits are values, not identifiers)."""
    if len(set(digits)) <= 3 or _counting(digits):
        return None
    n = len(digits)
    if n == 9 and ssn_valid(digits[:3], digits[3:5], digits[5:]):
        return "SSN"
    nanp = digits[1:] if n == 11 and digits[0] == "1" else digits
    if len(nanp) == 10 and nanp[0] in "23456789" and nanp[3] in "23456789":
        return "PHONE"
    if 13 <= n <= 19 and luhn_ok(digits):
        return "CARD"
    return None


def _counting(digits: str) -> bool:
    """1 2 3 4 ..., 9 8 7 ..., 0 1 2 ...: each step +1 or each -1 (modulo 10)."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {9})


# Prefilter triggers (hyperscan syntax): every finding holds a list separator between two digits or a digit
# next to a number word.
TRIGGERS: tuple[bytes, ...] = (
    rb"\d[ \t]?[,;\n\r][ \t\r\n]{0,2}\d",
    rb"\d[ \t]?[\n\r][ \t\r\n]{0,2}(?:[-*+]|\xe2\x80\xa2)[ \t]{1,2}\d",  # one digit per list item
    rb"(?i)\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[ \t]?[,;\n\r \t-][ \t\r\n]{0,2}\d\b",
    rb"(?i)\b\d[ \t]?[,;\n\r \t-][ \t\r\n]{0,2}(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b",
)
