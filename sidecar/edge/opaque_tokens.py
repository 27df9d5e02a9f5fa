"""Opaque tokens: id-kind header values that are random ids (hex, UUIDs, base62/base64url session ids).

A random token spells words, name fragments and cue words by chance (``...243bea1f...`` reads "bea",
``ac112bdf...`` an account cue: about one MCP session id in a hundred was dropped under ``safe_harbor``). Inside a
token the header filter therefore counts only findings of :data:`TOKEN_TYPES`, which need no letters to be honest
(digit identifiers written with their separators, e-mail addresses, URLs, IPs, cards), plus:

- the words glued to the token by a separator (a prefix ``req_``, ``maria-okonkwo-``; at either end of a
  base62/base64url body ``Maria-Okonkwo-x7Kq...``, ``..._maria_okonkwo``), judged by every detector on their own
  (not read together with the random characters next to them);
- a digit run that is the token's content: at least as long as the rest of the token (an SSN or phone number with
  padding: ``478215096abcdef0``), or one that chance cannot explain in the token's alphabet (below one in a
  million: ten digits in a row in a 32-character base62 token, 31 in a UUID), judged as the bare number.

Not a token (:func:`opaque_token` returns None; the value is scanned whole): other shapes, a hex body without a
digit or a letter, and a base62/base64url body written as glued words (``PatientMariaOkonkwo2024``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Findings that can honestly fire inside a random token: each needs digits (or ``@``, ``://``, dots) in its own
# shape, never a word or a cue word. ID, ACCOUNT (IBAN checksum: 1 in 97 by chance), VIN, NAME, LOCATION ... do not.
TOKEN_TYPES = frozenset({"SSN", "PHONE", "FAX", "EMAIL", "URL", "IP", "CARD"})
# ... and the digit types only with the digits of a whole number: an extension ``x0460`` at a base64url separator
# is a letter cue and four random digits
DIGIT_TYPES, MIN_DIGITS = frozenset({"SSN", "PHONE", "FAX", "CARD"}), 7
# Digit runs judged as a bare number: at least a phone number without area code; a run is padded by at most its
# own length (identifier lengths: SSN 9, phone 10-11), or is one that chance leaves below CHANCE in the alphabet.
RUN_MIN, RUN_MAX_PADDED = 7, 11
CHANCE = 1e-6
# prefix words (``req_``, ``sess_live_``, ``org-``), then the body
_PREFIX = r"(?P<prefix>(?:[A-Za-z]{1,16}[_-]){0,3}?)"
_UUID = r"(?P<uuid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
_HEX = r"(?P<hex>[0-9a-f]{16,64}|[0-9A-F]{16,64})"
# base62 / base64url: both cases (random ones of 16+ characters have them) in random order (not glued words)
_B64 = r"(?P<b64>(?=[\w-]*[A-Z])(?=[\w-]*[a-z])[A-Za-z0-9_-]{16,128})"
_TOKEN = re.compile(rf"{_PREFIX}(?:{_UUID}|{_HEX}|{_B64})", re.ASCII)
_LETTERS = re.compile(r"[A-Za-z]")
_DIGITS = re.compile(r"\d")
# Words glued in camel case, with digits (``JohnSmith``, ``maria-Okonkwo2``): words of three letters or more;
# random case (``iNcXrWGu``) is not written so
_GLUED_WORDS = re.compile(r"(?:[A-Z][a-z]{2,}|[a-z]{3,}|[A-Z]{2,}(?![a-z])|\d+)+")
_PIECES = re.compile(r"[^A-Za-z0-9]+")
# ... and in words most letters are lower case (a random base62 string decomposes into such "words" once in a few
# thousand at 24 characters; with three letters in four lower case too, once in 100,000)
_LOWER, _LOWER_SHARE = re.compile(r"[a-z]"), 0.75
_DIGIT_RUN = re.compile(r"\d+")
# The parts at either end of a base62/base64url body, glued to it by a separator, written as words of four letters
# or more (``maria_``, ``Okonkwo-``; capitals two words at least: ``MARIA_OKONKWO_``) or as a number of seven digits
# or more with a one-case label (``478215096``, ``MRN7730419``, ``1962-03-14``): a name or a number glued to a token.
# Random case (``FOyW``) is neither; three letters, or one word in capitals, at the end of a random base64url token
# read as a name ("Ito", "BDGN") once in a few thousand tokens.
_WORD = r"(?:[A-Z][a-z]{3,}|[a-z]{4,}|[A-Z]{3,}[_-][A-Z]{3,})"
_NUMBER = r"(?:[A-Z]{0,6}\d+[A-Z]{0,3}|[a-z]{0,6}\d+[a-z]{0,3})"
_EDGE_WORDS = re.compile(rf"^(?:{_WORD}[_-])+|(?:[_-]{_WORD})+$")
_PART = rf"(?:{_NUMBER}|[A-Z]?[a-z]+|[A-Z]+)"  # a number among words (``sess_MRN7730419_``, ``mrn-7730419-``)
_EDGE_NUMBERS = re.compile(rf"^(?:{_PART}[_-])+|(?:[_-]{_PART})+$")
# chance of a digit at one position of a random token of each alphabet
_DIGIT_P = {"hex": 10 / 16, "uuid": 10 / 16, "b64": 10 / 64}


@dataclass(frozen=True, slots=True)
class OpaqueToken:
    """A value read as a token. ``text`` is what is scanned (a UUID without its dashes: its groups are no digit
    groups); offsets below are into ``text``."""

    text: str
    words: str  # the prefix and the parts glued to a base62/base64url body's ends, a line each: scanned on their own
    runs: tuple[tuple[int, int], ...]  # digit runs of ``text`` judged as bare numbers
    cued: str = ""  # the prefix with the digits that open the body (``mrn-7730419...``): the prefix as their label


def chance_of_run(n: int, length: int, p: float) -> float:
    """Expected number of digit runs of ``n`` or more in a random token of ``length`` characters whose characters
    are digits with probability ``p`` (an upper bound of the chance that one occurs)."""
    if n > length:
        return 0.0
    return float(p**n * (1 + (length - n) * (1 - p)))


def opaque_token(value: str) -> OpaqueToken | None:
    """The value as an opaque token, or None when it is not one (it is then scanned whole)."""
    m = _TOKEN.fullmatch(value)
    if m is None:
        return None
    kind = next(k for k in ("uuid", "hex", "b64") if m.group(k) is not None)
    prefix = m.group("prefix")
    body = m.group(kind).replace("-", "") if kind == "uuid" else m.group(kind)
    if kind == "b64":
        if glued_words(body) and _LOWER_SHARE * len(_LETTERS.findall(body)) <= len(_LOWER.findall(body)):
            return None  # words glued (``PatientMariaOkonkwo2024``): no random token
    elif not (_LETTERS.search(body) and _DIGITS.search(body)):
        return None  # hex of digits only (a number) or letters only
    text = prefix + body
    edges: list[str] = []
    lead = _DIGIT_RUN.match(body)
    cued = prefix + lead.group() if prefix and lead and len(lead.group()) >= RUN_MIN else ""
    if kind == "b64":  # the parts at its ends (hex letters a-f spell words by chance only: "bead", "Dade")
        prefix, body = "", prefix + body
        edges = [e.group() for e in _EDGE_WORDS.finditer(body)]
        edges += [e.group() for e in _EDGE_NUMBERS.finditer(body) if len(_DIGITS.findall(e.group())) >= RUN_MIN]
    words = "\n".join(w for w in (part.strip("_-") for part in (prefix, *edges)) if w)
    a, length = len(prefix), len(body)
    runs = tuple(
        (a + r.start(), a + r.end())
        for r in _DIGIT_RUN.finditer(body)
        if (n := r.end() - r.start()) >= RUN_MIN
        and ((n <= RUN_MAX_PADDED and 2 * n >= length) or chance_of_run(n, length, _DIGIT_P[kind]) < CHANCE)
    )
    return OpaqueToken(text, words, runs, cued)


Findings = Sequence[tuple[int, int, str]]


def holds_identifier(token: OpaqueToken, found: Findings, scan: Callable[[str], Findings]) -> bool:
    """Whether ``token`` holds an identifier: ``found`` are the findings ``(start, end, type)`` in ``token.text``;
    ``scan`` finds them in another text (the words, the digit runs)."""
    if any(t in TOKEN_TYPES and (t not in DIGIT_TYPES or sum(c.isdigit() for c in token.text[a:b]) >= MIN_DIGITS)
           for a, b, t in found):
        return True
    if token.words and scan(token.words):
        return True
    # after its label any number is an ID: only another type (MRN, SSN ...) is the label's
    if token.cued and any(t != "ID" for _, _, t in scan(token.cued)):
        return True
    return any(scan(token.text[a:b]) for a, b in token.runs)


def glued_words(text: str) -> bool:
    """Whether ``text`` is written as words glued in camel case and digits between separators."""
    return all(_GLUED_WORDS.fullmatch(p) for p in _PIECES.split(text) if p)
