"""Dates other than a bare year, in the common written forms (numeric, ISO, month names, ordinals)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sidecar.redaction.detectors.base import gated
from sidecar.redaction.detectors.regex_gate import RegexGate
from sidecar.redaction.spans import Span

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_MONTH_UP = _MONTH.upper()
MONTH_NAMES = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
    "JAN",
    "FEB",
    "MAR",
    "APR",
    "MAY",
    "JUN",
    "JUL",
    "AUG",
    "SEP",
    "OCT",
    "NOV",
    "DEC",
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d|'\d\d)"
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?)?"

_PATTERNS = [
    # March 20th, 2022 / Feb 21 2023 / Sept. 10 / MAR 5, 2023
    rf"\b{_WEEKDAY}(?:{_MONTH}|{_MONTH_UP})\.?\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?{_TIME}",
    # 20 March 2022 / 5th of March, 2023
    rf"\b{_DAY}(?:\s+of)?\s+(?:{_MONTH}|{_MONTH_UP})\.?(?:,?\s+{_YEAR}\b)?",
    # March 2022 / Mar. '22
    rf"\b(?:{_MONTH}|{_MONTH_UP})\.?,?\s+{_YEAR}\b",
    # 2023-03-20 (ISO, optional time) / 2023/03/20
    r"\b(?:1[89]|20)\d\d([-/.])(?:0?[1-9]|1[0-2])\1(?:[12]\d|3[01]|0?[1-9])(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b",  # noqa: E501
    # 03/20/2022, 3-20-22, 20.03.2022
    r"(?<![\w/.-])(?:[12]\d|3[01]|0?[1-9])([-/.])(?:[12]\d|3[01]|0?[1-9])\1(?:\d{4}|\d{2})(?![\w/-]|\.\d)",
    # 08/22, 03/2021 (month/year or month/day written with two-digit parts)
    r"(?<![\w/.-])(?:0[1-9]|1[0-2])/(?:\d{4}|\d{2})(?![\w/-]|\.\d)",
    # last Thursday, next March (a relative date that still names a day or month)
    rf"\b(?:last|next|this past|this coming)\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|{_MONTH})\b",
    # 22-Mar-2023, 05MAR2023
    rf"\b\d{{1,2}}[- ]?(?:{_MONTH}|{_MONTH_UP})[- ]?(?:\d{{4}}|\d{{2}})\b",
]


class DateDetector:
    name = "dates"
    reach = 48

    def __init__(self) -> None:
        parts = []
        for i, p in enumerate(_PATTERNS):
            # each alternative gets its own back-reference group name
            parts.append(
                f"(?:{p.replace('([-/.])', f'(?P<s{i}>[-/.])').replace(chr(92) + '1', f'(?P=s{i})')})"
            )
        # every alternative starts with a (Unicode) digit, a capitalised month or weekday, or last/next/this
        self._rx = gated(r"[\dJFMASONDTWlnt]", "|".join(parts))
        # hyperscan takes no back-reference: the gate repeats the separator class instead (a superset)
        self._gate = RegexGate([re.compile("|".join(f"(?:{p.replace(chr(92) + '1', '[-/.]')})" for p in _PATTERNS))])

    def detect(self, text: str) -> Iterable[Span]:
        if not self._gate.possible(text):
            return []
        return [Span(m.start(), m.end(), "DATE", 0.7) for m in self._rx.finditer(text)]
