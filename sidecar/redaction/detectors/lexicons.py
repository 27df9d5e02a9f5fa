"""Word lists shipped in ``sidecar/redaction/data`` (sources and licences in each file's header and in
data/README.md). Loaded once by the detectors that use them; returned as frozensets."""

from __future__ import annotations

import functools
import gzip
import re
from importlib import resources


def load_list(name: str) -> frozenset[str]:
    """Lines of ``data/<name>`` (gzip if it ends in .gz), without ``#`` comments and blanks."""
    ref = resources.files("sidecar.redaction").joinpath("data", name)
    raw = ref.read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return frozenset(
        line.strip() for line in raw.decode("utf-8").splitlines() if line.strip() and not line.startswith("#")
    )


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (word lists written inline)."""
    return frozenset(text.split())


US_STATES = frozenset(
    [
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Colorado",
        "Connecticut",
        "Delaware",
        "Florida",
        "Georgia",
        "Hawaii",
        "Idaho",
        "Illinois",
        "Indiana",
        "Iowa",
        "Kansas",
        "Kentucky",
        "Louisiana",
        "Maine",
        "Maryland",
        "Massachusetts",
        "Michigan",
        "Minnesota",
        "Mississippi",
        "Missouri",
        "Montana",
        "Nebraska",
        "Nevada",
        "Ohio",
        "Oklahoma",
        "Oregon",
        "Pennsylvania",
        "Tennessee",
        "Texas",
        "Utah",
        "Vermont",
        "Virginia",
        "Washington",
        "Wisconsin",
        "Wyoming",
    ]
) | frozenset(
    {
        "New Hampshire",
        "New Jersey",
        "New Mexico",
        "New York",
        "North Carolina",
        "North Dakota",
        "Rhode Island",
        "South Carolina",
        "South Dakota",
        "West Virginia",
        "District of Columbia",
    }
)
STATE_ABBR = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
        "PR",
    ]
)


@functools.cache
def geography_names() -> frozenset[str]:
    """Countries, world regions (data/countries.txt) and US states: lower case, words joined by one space. None is
    a Safe Harbor identifier alone (only subdivisions smaller than a state are)."""
    return load_list("countries.txt") | frozenset(s.lower() for s in US_STATES)


_GEO_SPLIT = re.compile(r"\s*(?:,|/|&)\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")  # list separators
_THE = re.compile(r"^\s*the\s+")


def only_geography(phrase: str) -> bool:
    """``phrase`` is a list of one or more names of ``geography_names`` (``Denmark and Sweden``, ``the United
    States``, ``germany, austria``): separated by commas, ``and``, ``or``, ``&`` or ``/``; ``the`` may lead each."""
    geo = geography_names()
    parts = _GEO_SPLIT.split(phrase.lower().strip(" \t.,;:"))
    return all(" ".join(_THE.sub("", p).split()) in geo for p in parts)


_BEFORE_COMMA = re.compile(r"((?:\w+[ \t]){0,3}\w+)\.?[ \t]*,[ \t]*\Z")  # up to four words, then a comma


def ends_address(text: str, start: int) -> bool:
    """The text at ``start`` follows a comma after a word or number that ends no country or state (``Arnsdorf,
    Germany``, ``Lyon, France``, ``12345, Germany``; not ``United States, Canada``): the country ends an address,
    which is PHI."""
    m = _BEFORE_COMMA.search(text, max(0, start - 40), start)
    if not m:
        return False
    ws = m.group(1).lower().split()
    geo = geography_names()
    return not any(" ".join(ws[i:]) in geo for i in range(len(ws)))


# words after a name that make it an organisation's or a publication's (``American Heart Association``, ``Mayo
# Clinic Proceedings``, ``Harvard Health Publishing``, ``World Health Organization``): no person, no place
BODY_HEADS = words(
    "organization organisation organizations association associations society federation alliance commission "
    "coalition consortium proceedings publishing publications journal journals guideline guidelines"
)
