"""Digits written as the number words of other languages, or as Roman numerals, read as one digit sequence.

An identifier read aloud in Spanish (``cuatro siete ocho dos uno cinco cero nueve seis``), French, German, Italian,
Portuguese, Dutch, Russian, romanised Hindi, Japanese or Chinese, or with Roman numerals for its digits (``IV VII
VIII - II I - V 0 IX VI``), alone or mixed with digits and English number words, is the identifier to a reader.
``ASCII_RUN`` / ``WIDE_RUN`` find runs of 7 to 19 such items (each a group of up to four digits, or a word for one
digit) holding at least one item the English rules do not read (``digit_runs``, ``_DIGIT_WORDS`` take the rest);
``run_digits`` reads a run as its digit string. The pattern detector types it by a cue on its left, or without one
by the identifier shape of its digits (``digit_runs.shape_kind``), as it does digit runs.

Seven consecutive number words of one language are not prose: the shortest words (``un``, ``do``, ``ni``, ``I``)
only count inside such a run."""

from __future__ import annotations

import re
import unicodedata

from sidecar.redaction.detectors.base import gated, longest_first
from sidecar.redaction.normalize import normalize

# word -> digit, per language (accented forms also without their accents: the view keeps accents)
_LANGUAGES: tuple[tuple[str, ...], ...] = (
    ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),  # es
    ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),  # fr
    ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"),  # de
    ("zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"),  # it
    ("zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"),  # pt
    ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"),  # nl
    ("ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"),  # ru
    ("shunya", "ek", "do", "teen", "char", "paanch", "chhah", "saat", "aath", "nau"),  # hi (romanised)
    ("rei", "ichi", "ni", "san", "yon", "go", "roku", "nana", "hachi", "kyuu"),  # ja (romanised)
    ("ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu"),  # zh (pinyin)
)
_VARIANTS = {"zwo": 2, "fuenf": 5, "uma": 1, "duas": 2, "nul": 0, "nol": 0, "shi": 4, "kyu": 9, "ku": 9,
             "shichi": 7, "char": 4, "chaar": 4, "panch": 5, "chhe": 6, "sunya": 0, "zero": 0, "drei": 3}
_ENGLISH = ("zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")


def _forms(w: str) -> tuple[str, ...]:
    """``w`` as written, without its accents, and as the normalised view shows it (look-alike letters of Cyrillic
    folded to Latin: the detectors scan that view)."""
    bare = "".join(c for c in unicodedata.normalize("NFD", w) if not unicodedata.combining(c))
    return w, bare, normalize(w).text.lower()


def _table() -> dict[str, str]:
    out: dict[str, str] = {w: str(i) for i, w in enumerate(_ENGLISH[1:])} | {"zero": "0", "oh": "0"}
    for words in _LANGUAGES:
        for i, w in enumerate(words):
            for form in _forms(w):
                out.setdefault(form, str(i))
    for w, i in _VARIANTS.items():
        out.setdefault(w, str(i))
    for i, r in enumerate(_ROMAN, 1):
        out[r.lower()] = str(i)
    return out


VALUES = _table()  # lower-case word -> digit
_FOREIGN = sorted((w for w in VALUES if w not in _ENGLISH), key=longest_first)
_WORD = "(?:" + "|".join(sorted(VALUES, key=longest_first)) + ")"
_FOREIGN_WORD = "(?:" + "|".join(_FOREIGN) + ")"
# between items: a comma, semicolon or dash with spaces, a line break, or spaces (as ``digit_runs``)
_SEP = r"(?:[ \t]?[,;./-][ \t\r\n]{0,2}|[ \t]?[\n\r][ \t\r\n]{0,2}|[ \t]{1,3})"


def _run(words: list[str]) -> re.Pattern[str]:
    item = rf"(?:\d{{1,4}}|(?:{'|'.join(sorted(words, key=longest_first))}))"
    firsts = "".join(sorted({w[0] for w in words} | {w[0].upper() for w in words}))
    return gated(
        rf"(?<![\w.])[\d{firsts}]",
        rf"(?<![\w.]){item}(?!\w)(?:{_SEP}{item}(?!\w)){{6,18}}(?!{_SEP}{item}(?!\w)|\.\d)",
        re.I,
    )


# ASCII_RUN: the words written in ASCII (what the regex gate can rule out on any text); WIDE_RUN: every form, for
# texts with non-ASCII characters (accents, Cyrillic), scanned without the gate (it cannot see those letters)
ASCII_RUN = _run([w for w in VALUES if w.isascii()])
WIDE_RUN = _run(list(VALUES))
_ITEMS = re.compile(rf"\d{{1,4}}|{_WORD}(?!\w)", re.I)
_HAS_FOREIGN = re.compile(rf"(?<!\w){_FOREIGN_WORD}(?!\w)", re.I)
_BEFORE = re.compile(rf"(?:(?<!\w){_WORD}|\d){_SEP}\Z", re.I)


def run_for(text: str) -> re.Pattern[str]:
    """The run regex to scan ``text`` with."""
    return ASCII_RUN if text.isascii() else WIDE_RUN


def run_digits(run: str) -> str | None:
    """The digit string of a run match; None when no item of it is a foreign word or a Roman numeral
    (the English rules read it) or when it holds fewer than two words (a list of digits)."""
    if _HAS_FOREIGN.search(run) is None:
        return None
    items = _ITEMS.findall(run)
    if sum(not i.isdigit() for i in items) < 2:
        return None
    return "".join(i if i.isdigit() else VALUES[i.lower()] for i in items)


def inside_longer_run(text: str, start: int) -> bool:
    """Whether the run found at ``start`` continues an item on its left (judged from the longer run's start)."""
    return _BEFORE.search(text, max(0, start - 16), start) is not None


def _trigger_alt(words: list[str]) -> bytes:
    """The words in any case, as the prefilter scans them (each non-ASCII character as ``x``)."""
    cased = {re.sub(r"[^\x00-\x7f]", "x", f(w)) for w in words for f in (str.lower, str.capitalize, str.upper)}
    return b"(?:" + b"|".join(re.escape(w).encode("utf-8") for w in sorted(cased, key=longest_first)) + b")"


# a run holds a longer foreign word or a Roman numeral of two letters or more next to another item; the shortest
# words (``do``, ``go``, ``un``, ``I``, ``V``) alone would fire on most English prose
_TF = _trigger_alt([w for w in _FOREIGN if len(w) > 2 or w in ("ii", "iv", "vi", "ix")])
_TI = rb"(?:\d|" + _trigger_alt(list(VALUES))[3:] + rb"(?:[^A-Za-z]|\z)"
_TS = rb"[ \t,;./\n\r-]{1,4}"
# Prefilter triggers (hyperscan syntax): every finding holds a foreign word or Roman numeral next to another item.
TRIGGERS: tuple[bytes, ...] = (
    _TF + _TS + _TI,
    rb"(?:\d|" + _trigger_alt(list(VALUES))[3:] + _TS + _TF + rb"(?:[^A-Za-z]|\z)",
)
