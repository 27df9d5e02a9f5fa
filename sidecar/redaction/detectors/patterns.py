"""Structured identifiers: SSN, phone/fax, e-mail, URL, IP, card (Luhn), NPI, DEA, VIN, age > 89,
and record/plan/account/licence/device/other identifiers recognised by shape plus context."""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from sidecar.redaction.detectors import digit_runs, number_words
from sidecar.redaction.detectors.base import OpenScanner, gated, left, mixed_case
from sidecar.redaction.detectors.checksums import dea_ok, iban_ok, luhn_ok, npi_ok, ssn_valid, vin_ok
from sidecar.redaction.detectors.locations import _STREET_SFX
from sidecar.redaction.detectors.names import RELATIONS, plain_noun_phrase, plain_word
from sidecar.redaction.detectors.regex_gate import PatternSet, RegexGate, ascii_safe, ascii_twin, twinned
from sidecar.redaction.spans import Span

# letters glued on either side do not hide an SSN (aaa123-45-6789)
_SSN = gated(r"\d", r"(?<![\d-])(\d{3})(?P<sep>[- \t])(\d{2})(?P=sep)(\d{4})(?![\d-])")
# the 3-2-4 shape with other separators: brackets around groups, a line break inside one ([478]-[21]-[5096],
# 478-\n21-5096, 478\t21\n5096); taken after an SSN cue, or valid with a hyphen or bracket in both separators
_SSN_SEP = r"[-\s\[\]()]{1,4}"
_SSN_LOOSE = gated(
    r"[\d\[(]", rf"(?<![\w-])[\[(]?(\d{{3}})(?P<a>{_SSN_SEP})(\d{{2}})(?P<b>{_SSN_SEP})(\d{{4}})[\])]?(?![\w-])"
)
_SSN_CUE = re.compile(
    r"(?:ssn|social security(?: number| no\.?| #)?|ss#|ss no\.?)\s*(?:is|was|#|:|no\.?)?\s*$"
)
_BARE9 = gated(r"\d", r"(?<![\w-])\d{9}(?![\w-])")
# the 3-2-4 shape with any other punctuation a keyboard has as both separators (``478+21+5096``, ``478:21:5096``,
# ``478'21'5096``, ``478/21/5096``, ``478•21•5096``): the same character twice, the groups a valid SSN. Not
# ``-``/space/tab (_SSN), ``.`` (_DOTTED), ``,``/``;`` (_CSV_CELLS) nor brackets (_SSN_LOOSE)
# The same shape with one space on either side of each separator (``478 = 21 = 5096``, ``478 \\ 21 \\ 5096``,
# ``478→21→5096``), and the phone shape (3-3-4) with those separators (``415=555=0123``, ``415 % 555 % 0123``).
_SSN_PUNCT_SEP = "[!\"#$%&'*+/:<=>?@\\\\^_`{|}~·•∙⋅→⇒⟶➔➜›»]"  # literal (a gate needs no \\u escapes)
_SSN_PUNCT = gated(
    r"\d",
    rf"(?<![\w.,])(?P<a>\d{{3}})(?P<s1> ?{_SSN_PUNCT_SEP} ?)(?P<b>\d{{2}}|\d{{3}})(?P<s2> ?{_SSN_PUNCT_SEP} ?)"
    rf"(?P<c>\d{{4}})(?![\w]|[.,]\d)",
)
# An SSN (3-2-4), a phone number (3-3-4) or a card (four groups of four) written as a list: items after a comma or
# semicolon and a space, each optionally quoted, the list optionally bracketed (``[478, 21, 5096]``,
# ``("478", "21", "5096")``, ``478; 21; 5096``, ``[4111, 1111, 1111, 1111]``). Spaces are what _CSV_CELLS leaves out.
_LIST_ITEM_SEP = r"[\"']?[ \t]?[,;][ \t]{1,2}[\"']?"
_LIST_CELLS = gated(
    r"[\d\"'(\[{]",
    rf"(?<![\w.])(?P<o>[\[({{][ \t]?)?(?P<q>[\"']?)(?P<a>\d{{3}}){_LIST_ITEM_SEP}(?P<b>\d{{2}}|\d{{3}}){_LIST_ITEM_SEP}"
    rf"(?P<c>\d{{4}})[\"']?(?P<e>[ \t]?[\])}}])?(?![\w])",
)
_CARD_LIST = gated(
    r"[\d\"'(\[{]",
    r"(?<![\w.])[\[({]?[ \t]?[\"']?\d{4}(?:[\"']?[ \t]?[,;][ \t]{0,2}[\"']?\d{4}){2}"
    r"[\"']?[ \t]?[,;][ \t]{0,2}[\"']?\d{1,7}[\"']?(?:[ \t]?[\])}])?(?![\w]|[ \t]?[.,;][ \t]{0,2}[\"']?\d)",
)
# a list item before a match: the match is the tail of a longer list of values (judged only with a cue)
_LIST_BEFORE = re.compile(r"\d[\"']?[ \t]?[,;][ \t]{0,2}[\"']?[\[({]?[ \t]?\Z")
_LIST_AFTER = re.compile(r"[ \t]?[.,;][ \t]{0,2}[\"']?\d")  # ... or its head
# an SSN (3-2-4) or a phone number (3-3-4) whose groups are cells of a CSV row: "478,21,5096", "'478';'21';'5096'",
# "(415),555,0123" (each cell optionally quoted; no space: prose lists have spaces)
_CSV_CELLS = gated(
    r"[\d\"'(]",
    r"(?<![\w.])(?P<q>[\"']?)\(?(?P<a>\d{3})\)?[\"']?[,;][\"']?(?P<b>\d{2}|\d{3})[\"']?[,;][\"']?"
    r"(?P<c>\d{4})[\"']?(?![\w]|[.,;][\"']?\d)",
)
_PHONE = gated(
    r"[+(\d]",
    r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w-])"
)
_INTL_PHONE = gated(
    "[+]",
    r"(?<![\w+])\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){2,4}(?![\w-])"
)
# Local and international numbers written in digit groups: 467 3395, 079 2718 1155, 03.93.92.16.85
_GROUPED_PHONE = gated(
    r"[(\d]",
    r"(?<![\w.+-])(?:\(0?\d{1,4}\)\s?|0?\d{1,4}[ .])\d{2,4}(?:[ .-]\d{2,4}){0,3}(?![\w-]|[.,]\d)"
)
_PHONE_CUE = re.compile(
    r"(?:phone|tel|telephone|call(?:ed)?|cell|mobile|contact|fax|number|reach(?:ed)?|dial|home|work|#)"
    r"(?:\s{1,2}(?:back|him|her|them))?(?:\s{1,2}at)?\W{0,12}$"  # "called at", "reached at", "home"
)
_IBAN = re.compile(r"(?i)\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_FAX_CUE = re.compile(r"fax\b[^0-9]{0,12}$")
# (letters of any script: an internationalised address, ``mária.ökonkwo@stjúdehealth.org``, RFC 6531)
_EMAIL_LOCAL = re.compile(r"[\w.%+-]{1,64}$")
_EMAIL_DOMAIN = re.compile(r"[^\W_](?:[\w-]{0,62})(?:\.[\w-]{1,63}){0,6}\.[^\W\d_]{2,24}")
# the e-mail shape as one regex, for open_at only (detect finds the "@" first); detect's ``$`` also matches
# before one line break ending the local part (``jane.doe`` + line break or padding run + ``@example.org``), so the
# open point holds a local part through it
_EMAIL = re.compile(rf"{_EMAIL_LOCAL.pattern[:-1]}\n?@{_EMAIL_DOMAIN.pattern}")
_URL = gated(r"(?<!\w)[hfw]", r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]{1,2048}", re.I)
_IPV4 = gated(
    r"\d",
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)"
)
_IPV6 = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
_CARD = gated(r"\d", r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
# a card number in groups of four joined by other punctuation (``4111.1111.1111.1111``, ``4111_1111_...``): the same
# separator each time, Luhn-valid
_CARD_SEP = "[._/:+*~|=·•]"
_CARD_PUNCT = gated(
    r"\d", rf"(?<![\w.,-])\d{{4}}(?P<s>{_CARD_SEP})\d{{4}}{_CARD_SEP}\d{{4}}{_CARD_SEP}\d{{1,7}}(?!\w|[.,]\d)"
)
_DEA = gated(r"(?<!\w)[A-Z]", r"\b[A-Z][A-Z9]\d{7}\b")
_VIN = gated(r"(?<!\w)[A-HJ-NPR-Z0-9]", r"\b[A-HJ-NPR-Z0-9]{17}\b")
_AGE = gated(
    r"(?<!\w)[a19t]",
    r"\b(?:(?:aged?|age:)\s{0,3}(9\d|1[0-4]\d)\b|(9\d|1[0-4]\d)(?:\s{0,2}-?\s{0,2}(?:years?|yrs?)(?:[\s-]{0,3}old)?\b|\s{0,2}-?\s{0,2}y/?o[fm]?\b|yo[fm]?\b)"
    # "94M", "97F" (an age glued to the sex; checked against a temperature's context in ``detect``)
    r"|(9\d|1[0-4]\d)[fm]\b(?![.,]?\d)"
    # "99 per chart", "104 per family" (an age as notes quote it)
    r"|(9\d|1[0-4]\d)[ \t]{1,2}per[ \t]{1,2}(?:chart|family|records?|report|pt|patient|daughter|son)\b"
    # sixth blind corpus: "99y.o.", "97yF", an age spaced from the sex before a person word ("96 M pt", "101 f woman";
    # not "ambulated 100 m with walker"), and "turned 92" (not "turned 90 degrees")
    r"|(9\d|1[0-4]\d)(?:[ \t]{0,2}y\.[ \t]?o\.?|y[fm])(?![\w/])"
    r"|(9\d|1[0-4]\d)[ \t][fm](?=[ \t]{1,2}(?:pt|patient|female|male|woman|man|lady|gentleman|who|admitted|adm|"
    r"from|s/p|hx|pmh|presents|presenting|transferred|w/[ \t]?(?:pmh|hx|h/o))\b)"
    r"|\bturned[ \t]{1,2}(9\d|1[0-4]\d)\b(?![ \t]{0,2}(?:°|deg|degrees?|%)))",
    re.I,
)
# a pathology or radiology case number: a letter prefix, a two-digit year, a dash, a serial (S10-9224, SP21-4471)
_CASE_NUMBER = re.compile(r"[A-Za-z]\d{2}-\d{3,7}(?![\w-])")  # from its last letter; the letters before: in code
_TEMPERATURE_BEFORE = re.compile(r"\b(?:t|tm|tmax|temp|temps|temperature|fever|febrile|afebrile|to|of|at|up)\W{0,3}$")
# Identifier-shaped tokens: optional letter prefix, digits, optional suffix (UCSF-43210, #SG-920311, 54321-XYZ).  # noqa: E501
# (the shared "not inside a word" assertion comes first: most positions fail there, on one character)
_IDTOKEN = re.compile(
    r"(?<![\w-])(?=[#A-Za-z\d])(?:#?(?:[A-Za-z]{1,6}-)?\d[\d-]{3,40}\d(?:-[A-Za-z]{1,4})?(?![\w-])|"
    r"#?[A-Za-z]{1,6}\d{4,40}[A-Za-z]{0,3}\b)"
)
# the location detector's street suffixes (any case), except those that are also common words or titles
_ADDRESS_WORDS = rf"(?!(?:dr|st|pl|way|row|loop|ct|sq)\b)(?i:{_STREET_SFX})"
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("MRN", re.compile(r"\b(?:mrn|medical record|med(?:ical)? rec|record|chart|hospital (?:no|number|id))\b")),
    (
        "HEALTH_PLAN",
        re.compile(
            r"\b(?:health ?plan|plan|member|beneficiary|insurance|insurer|policy|subscriber|medicare|medicaid|hicn|mbi|group)\b"  # noqa: E501
        ),
    ),
    ("ACCOUNT", re.compile(r"\b(?:account|acct|a/c|billing|invoice|iban)\b")),
    ("LICENSE", re.compile(r"\b(?:licen[cs]e|certificate|cert|dea|credential|permit|registration)\b")),
    ("DEVICE", re.compile(r"\b(?:device|serial|implant|pacemaker|udi|lot|model no)\b")),
    # a number near a unit or street word is part of an address (postal codes of any country: 18237, 53-320)
    ("ZIP", re.compile(rf"\b(?:apt|apartment|suite|ste|unit|p\.?\s?o\.? box|{_ADDRESS_WORDS})\b")),
    (
        "ID",
        re.compile(r"\b(?:id|identifier|number|no|case|patient|pt|ref|reference|encounter|visit)\b|#"),
    ),
)
_ANY_CUE = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in _CUES))
# A cue counts only in the clause of the number: "signed by pt. VSS. HR 88-110" has no identifier cue.
# (a period after a label or address abbreviation does not end it: "Pt. ID 1234", "Apt. 675 62314"; nor does a
# line break: addresses are written over several lines)
_CLAUSE_END = re.compile(r"([a-z]{2,}|\d)[.!?;][ \t]+")
_LABEL_ABBR = frozenset(
    {"no", "nos", "num", "pt", "ref", "acct", "rec", "med", "tel", "ph", "mrn", "id", "apt", "ste", "st", "ave",
     "rd", "blvd", "dr", "ln", "ct", "fl", "rm", "bldg", "box", "hwy", "pkwy"}
)
# The generic ID words (and a ``#``) name an identifier only right before it: "pt 88-110" is a patient's values,
# "pt ID 12345" and "case #: 4432" are identifiers.
_ID_TIGHT = re.compile(
    r"(?:\b(?:id|identifier|number|no|case|patient|pt|ref|reference|encounter|visit)\b|#)"
    r"[\s:#.=-]{0,4}(?:(?:id|number|no|is|was)\b[\s:#.=-]{0,4}){0,2}$"
)


def _clause(ctx: str) -> str:
    """The part of the (lower-cased) left context in the same clause as what follows it."""
    if "." not in ctx and ";" not in ctx and "!" not in ctx and "?" not in ctx:
        return ctx
    cut = 0
    for m in _CLAUSE_END.finditer(ctx):
        if m.group(1) not in _LABEL_ABBR:
            cut = m.end()
    return ctx[cut:]


def cue_kind(ctx: str) -> str | None:
    """The identifier type the left context ``ctx`` (lower case) names, or None."""
    if not _any_cue(ctx):  # most contexts hold no cue at all: one search
        return None
    ctx = _clause(ctx)
    if not _any_cue(ctx):
        return None
    for name, rx in _cues(ctx):
        if rx.search(ctx) and (name != "ID" or _ID_TIGHT.search(ctx)):
            return name
    return None
# The cues read lower-cased context (``left``). On ASCII context the any-case suffix group needs no IGNORECASE
# (which makes ``re`` several times slower), and every cue starts with a letter or "#": same matches, faster.
_ASCII_CUES = tuple(
    (n, re.compile(rx.pattern.replace(f"(?i:{_STREET_SFX})", f"(?:{_STREET_SFX.lower()})"))) for n, rx in _CUES
)
_ANY_ASCII_CUE = twinned(re.compile("(?=[a-z#])(?:" + "|".join(f"(?:{rx.pattern})" for _, rx in _ASCII_CUES) + ")"))


def _cues(ctx: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """``_CUES`` for lower-cased ``ctx``."""
    return _ASCII_CUES if ctx.isascii() else _CUES


def _any_cue(ctx: str) -> re.Match[str] | None:
    """``_ANY_CUE.search(ctx)`` for lower-cased ``ctx``."""
    return (_ANY_ASCII_CUE if ctx.isascii() else _ANY_CUE).search(ctx)
# A label followed by an identifier of any shape (12345ABC, B123-456, UPMC-231500JR): typed by the label.
_LABELLED = gated(
    r"(?<!\w)[mrcpsbideval]",
    r"\b(?P<cue>mrn|medical record(?: number| no\.?| #)?|(?:record|chart) (?:number|no\.?|#)|"
    r"(?:patient|pt|member|subscriber|beneficiary|insurance|policy|plan|site|device|case|encounter|visit) ?"
    r"(?:id|#|number|no\.?)|medicare|medicaid|account(?: number| no\.?| #)?|acct\.?(?: #)?|"
    r"licen[cs]e(?: number| no\.?| #)?|certificate(?: number| no\.?| #)?|serial(?: number| no\.?| #)?|"
    r"ref(?:erence)?\.?(?: code| number| no\.?| #)?|id|identifier|"
    r"acc(?:ession)?\.?(?: number| no\.?| #)?|specimen(?: number| no\.?| #)?)"
    r"(?:\s{1,3}(?:is|was))?\s{0,3}[:#]?\s{0,3}(?P<v>#?[A-Za-z0-9][A-Za-z0-9-]{0,30}\d[A-Za-z0-9-]{0,30}|#?\d[A-Za-z0-9-]{0,40})",
    re.I,
)
_LABEL_TYPES = (
    ("mrn", "MRN"),
    ("medical", "MRN"),
    ("record", "MRN"),
    ("chart", "MRN"),
    ("member", "HEALTH_PLAN"),
    ("subscriber", "HEALTH_PLAN"),
    ("beneficiary", "HEALTH_PLAN"),
    ("insurance", "HEALTH_PLAN"),
    ("policy", "HEALTH_PLAN"),
    ("plan", "HEALTH_PLAN"),
    ("medicare", "HEALTH_PLAN"),
    ("medicaid", "HEALTH_PLAN"),
    ("acc", "ACCOUNT"),
    ("licen", "LICENSE"),
    ("certificate", "LICENSE"),
    ("serial", "DEVICE"),
    ("device", "DEVICE"),
)
_NUM_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNITS_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
# ages over 89 in words: "ninety-two years old", "aged one hundred and one", "ninety five yo", "a man of
# ninety-four", "at the age of ninety", "a ninety-three woman" (without a cue or unit a number stays)
_PERSON_NOUN = r"(?:wo)?man|lady|gentleman|gent|male|female|patient|pt|gentlewoman"
_AGE_WORDS = gated(
    r"(?<!\w)[anoNAOmMwWlLgGfFpP]",
    rf"\b(?:(?P<cue>aged?|age:|age[ \t]{{1,2}}of|(?:{_PERSON_NOUN})[ \t]{{1,2}}of|(?P<art>an?))\s{{0,3}})?"
    rf"(?P<v>ninety(?:[\s-]{{1,2}}{_UNITS_WORD})?|one[\s-]hundred"
    rf"(?:(?:[\s-]{{1,2}}and)?[\s-]{{1,2}}(?:{_TEENS}|{_TENS}(?:[\s-]{{1,2}}{_UNITS_WORD})?|{_UNITS_WORD}))?)\b"
    rf"(?:(?P<unit>\s{{0,2}}-?\s{{0,2}}(?:years?|yrs?|y/?o)\b)|(?P<noun>[\s-]{{1,2}}(?:{_PERSON_NOUN})\b))?",
    re.I,
)
# known miss class (issue 16): an age over 89 as the complement of "pt is" / "she was" ("PT IS 93", "pt is ninety
# three"), not a measurement ("pt is 93% on RA", "she is 97.5", "pt is 92 on 2L", "he was 95 kg")
_KM_AGE = gated(
    r"(?<!\w)[pPhHsS]",
    r"\b(?i:pt|patient|he|she)[ \t]{1,2}(?i:is|was)[ \t]{1,2}(?:(?i:an?)[ \t]{1,2})?"
    rf"(?P<v>9\d|1[0-4]\d|(?i:ninety(?:[ \t-]{{1,2}}{_UNITS_WORD})?))\b"
    r"(?![ \t]{0,2}(?:[%/°]|[.-]\d|(?i:and|to|or)[ \t]{1,2}\d|(?i:kg|kgs|lbs?|pounds?|mm|ml|cc|mg|bpm|beats|"
    r"degrees|deg|on|sat|sats|percent|f|c|mmhg|over|x)\b))",
)
# an age over 89 after a death or life-event verb, as family histories give it: "Mother died at 92 of MI",
# "father passed away at 95", "deceased at age 101", "expired at 93"; not a time or a measure ("died at 10 pm" is
# below 90, "expired at 95%" is a saturation)
_LIFE_EVENT_AGE = gated(
    r"[dDpPeE]",
    r"\b(?i:died|passed[ \t]{1,2}away|passed|deceased|death|expired)[ \t]{1,2}(?i:at|aged?)[ \t]{1,2}"
    r"(?:(?i:the[ \t]{1,2})?(?i:age)[ \t]{1,2}(?:(?i:of)[ \t]{1,2})?)?"
    r"(?P<v>9\d|1[0-4]\d)\b"
    r"(?![ \t]{0,2}(?:[%/°:]|[.-]\d|(?i:kg|lbs?|mg|ml|cc|mmhg|degrees|deg|am|pm|a\.m|p\.m|hrs?|h)\b))",
)
# a dictation's initials code on a line of its own: the signer's initials, a slash and the transcriptionist's
# initials or user name ("YTL/xw23", "DFW/erb", "ja/xw36", "NB/JF78"): a name and an ID. A slash pair without a
# digit is taken only in the transcription habit of capitals before lower case ("DFW/erb"), so an abbreviation
# pair on its own line ("N/A", "HR/BP", "prn/qid") stays.
_INITIALS_CODE = gated(
    r"[A-Za-z \t]",
    r"(?m:^)[ \t]{0,4}(?:[A-Za-z]{2,4}/[A-Za-z]{1,4}\d{1,4}|[A-Z]{2,4}/[a-z]{2,4})(?=[ \t]{0,4}(?:\n|\Z))",
)
# digits spelled out as words (an SSN or phone read aloud): one two three - four five - ..., four/seven/eight
_DIGIT_WORDS = gated(
    r"(?<!\w)[zotfsenZOTFSEN]",
    rf"\b{_NUM_WORD}(?:[\s,.;:/|_-]{{1,3}}{_NUM_WORD}){{6,11}}\b",
    re.I,
)
# a ZIP code after its cue written a digit or a group at a time, or in words (``zip 6-2-7-0-4``, ``ZIP [627, 04]``,
# ``zip code six two seven zero four``): five or nine digits (checked in ``detect``)
_ZIP_ITEMS = rf"(?:\d|{_NUM_WORD})(?:[\s,.;:/|_'\"\[\]()-]{{0,3}}(?:\d|{_NUM_WORD})){{4,10}}\b"
_ZIP_SPELLED = gated(
    r"(?<!\w)[zpZP]",
    rf"\b(?:zip|postal)(?:[ \t]?code)?\b[\s:#=-]{{0,4}}(?P<v>[\[(]{_ZIP_ITEMS}[\])]|{_ZIP_ITEMS})",
    re.I,
)
# digits written one by one with separators: 1 2 3 4 5 6 7 8 9
# digits with separators of up to three characters between any of them: 1 2 3 - 4 5 - 6789, 617/555/0199
_SPACED_DIGITS = gated(r"\d", r"(?<![\w.-])\d(?:(?:[ ._/-]{1,3})?\d){6,15}(?![\w]|[ ._/-]{1,3}\d)")
_SEPARATED = re.compile(r"[ ._/-]+")
_SSN_WORD = re.compile(r"\b(?:ssn|social security)\b")
_FAX_WORD = re.compile(r"\bfax\b")
# an e-mail address written to dodge a filter: jane.doe [at] example [dot] com, jane dot doe at example dot com
_AT = r"(?:\s{0,2}[\[({<]\s?at\s?[\])}>]\s{0,2}|\s{1,2}at\s{1,2})"
_DOT = r"(?:\s{0,2}[\[({<]\s?dot\s?[\])}>]\s{0,2}|\s{1,2}dot\s{1,2}|\.)"
_OBFUSCATED_EMAIL = gated(
    r"(?<![\w.%+-])[a-z0-9]",
    rf"[a-z0-9._%+-]{{1,64}}(?:{_DOT}[a-z0-9_%+-]{{1,64}}){{0,3}}{_AT}[a-z0-9-]{{1,63}}(?:{_DOT}[a-z0-9-]{{1,63}}){{0,3}}"
    rf"{_DOT}(?:com|org|net|edu|gov|mil|info|biz|io|us|uk|ca|au|de|fr|co|me|health)\b",
    re.I,
)
# a word written a character at a time (``M a r g a r e t``, ``m . t h o r n b u r y @ g m a i l . c o m``, spelled
# ``T-H-O-R-N-B-U-R-Y``): six or more single characters joined by one space (or one hyphen), at least five of them
# letters or digits (a spaced ellipsis or rule is not one, ``_spelled_word``); nobody spaces out ordinary words, so
# the run is taken whole
_SPACED_CHARS = gated(r"[A-Za-z0-9@._+-]", r"(?<!\S)(?:[A-Za-z0-9@._+-] ){5,47}[A-Za-z0-9@._+-](?!\S)"
                                           r"|(?<![\w-])[A-Za-z0-9](?:-[A-Za-z0-9]){5,47}(?![\w-])")
_OBF_MARKER = re.compile(r"[\[({<]\s?(?:at|dot)|\s(?:at|dot)(?:\s|$)", re.I)
# Without an at/dot marker, a spelled-out address can only be open as a local part (letters, digits, ._%+-)
# that reaches the end or is followed by the unfinished start of " at"/" dot"/"[at]"/"(dot)" (what follows it
# here, matched whole).
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_UNFINISHED_MARKER = re.compile(r"\s{0,2}(?:[\[({<]\s?(?:a|d|do)?)?|\s{1,2}(?:a|d|do)?", re.I)


def _open_local_part(text: str, pos: int) -> int:
    """Where a spelled-out address could still begin at or after ``pos`` when ``text[pos:]`` holds no at/dot
    marker (the partial-match answer of ``_OBFUSCATED_EMAIL`` there, without running it): the start of a run
    of local-part characters (at most 64, or 259 with dots) whose end is followed only by an unfinished
    marker; ``len(text)`` when there is none."""
    n = len(text)
    best = n
    for q in range(n, max(pos, n - 6) - 1, -1):
        if q == 0 or text[q - 1] not in _LOCAL_CHARS or q < n and text[q] in _LOCAL_CHARS:
            continue
        if not _UNFINISHED_MARKER.fullmatch(text, q, n):
            continue
        p = q - 1
        while p > 0 and text[p - 1] in _LOCAL_CHARS:
            p -= 1
        # it begins the run, with a letter or digit, after no other word character
        if not text[p].isalnum() or p > 0 and (text[p - 1].isalnum() or text[p - 1] == "_"):
            continue
        if p < pos or q - p > (259 if "." in text[p:q] else 64):
            continue
        best = min(best, p)
    return best


_OBFUSCATION = re.compile(r"[\[({<]\s?(?:at|dot)\s?[\])}>]|\sdot\s", re.I)
# dotted digit groups (a decimal has one dot): 512.43.7788, 03.93.92.16.85
# A number grouped by thousands separators or written with an exponent (``478,215,096``, ``5.124377788e9``): to a
# reader the digits of an identifier; taken only after an identifier cue (money and counts are grouped too).
_THOUSANDS = gated(r"\d", r"(?<![\w.,])\d{1,3}(?:,\d{3}){2,4}(?!\w|[.,]\d)"
                        r"|(?<![\w.])\d\.\d{5,12}[eE]\+?\d{1,2}(?![\w.])")
# a number written as arithmetic (``478*1000000 + 21*10000 + 5096``) or in another base (``0x1C80FCF8``,
# ``0b1110...``): after an identifier cue (``_punct_cued``, ``cue_kind``), typed by it
_ARITHMETIC = gated(r"\d", r"(?<![\w.])\d{1,10}(?:[ \t]{0,2}[*x×+^][ \t]{0,2}\d{1,10}){2,7}(?![\w.])"
                         r"|(?<![\w.])0(?:[xX][0-9A-Fa-f]{6,16}|[bB][01]{20,64}|[oO][0-7]{8,24})(?![\w.])")
_DOTTED = gated(r"\d", r"(?<![\w.])\d{2,4}(?:\.\d{2,4}){2,4}(?![\w]|\.\d)")
# pager and beeper numbers, often short: "pager 4-1234", "pgr #12345"
_PAGER = gated(
    r"(?<!\w)[pbPB]",
    r"\b(?:pager|pgr|pg|beeper|bpr|paged)\b\.?\s{0,3}(?:#|no\.?|number|num|at)?\s{0,3}[:=]?\s{0,3}#?x?"
    r"(?P<v>\d[\d-]{2,12}\d)(?![\w-])",
    re.I,
)
# a pager written glued to "p" in a signature or a consult header: "LICSW p57-744", "from: dr nguyen p41730"
_P_PAGER = gated(r"(?<![\w-])[pP]", r"(?<![\w-])[pP](?P<v>\d{1,2}-\d{3,4}|\d{5})(?![\w-]|[.,/]\d)")
# eleventh blind corpus: a pager named for its owner ("beeper for Dr. X is 3-7669"), in two groups ("pager #8 9000",
# "paged 8 1854" when the second group is no clock time), or four digits after "paged" that are no clock time
# ("paged 5166"; "paged 2200" stays)
_PAGER_LOOSE = gated(
    r"(?<!\w)[pbPB]",
    r"\b(?:pager|pgr|beeper|bpr|paged)\b\.?(?:[ \t]{1,2}(?:for|of)[ \t]{1,2}(?:[A-Za-z.'’-]{1,25}[ \t]{1,2}){1,3}"
    r"(?:is|=|:)[ \t]{0,2}#?|[ \t]{0,3}(?:#|no\.?|at)?[ \t]{0,3}#?)"
    r"(?P<v>\d{1,2}-\d{4}|\d{1,2}[ \t]\d{4}|\d{4,5})(?![\w-]|[.:/]\d)",
    re.I,
)
_CLOCK_TIME = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")
_PAGED_NUMBER = re.compile(r"\d{1,3}-\d{4}|\d{5,}")  # after "paged": x4-5521, 54321 (never a time)
_PG_NUMBER = re.compile(r"\d{1,2}-\d{3,4}|\d{4,6}")  # after "pg" (page, pager): never a page range
# short in-house numbers after a contact word: "page 4-9948", "cell 73559", "home # 4-5607", "call back at 6-4702";
# only the shapes a time, a dose or a lab value never takes (a dash before four digits, or five to seven digits)
_CONTACT_NUMBER = gated(
    r"(?<!\w)[pPcChHwWmMtTnNrR]",
    r"\b(?:page|paging|cell|mobile|phone|tel|number|(?:home|work|cell)[ \t]{0,2}(?:#|no\.?|number)|"
    r"call(?:ed)?(?:[ \t]{1,2}back)?[ \t]{1,2}at|reach(?:ed)?[ \t]{1,2}at)(?![\w])\.?[ \t]{0,3}[:=]?[ \t]{0,3}#?"
    r"(?P<v>x?\d{1,3}-\d{4}|\d{5,7}|\d{10})(?![\w-]|[.,/]\d)",
    re.I,
)
# extensions: "x4567", "x 48568", "ext. 41125", "ext #1-8759", "x566-6632" (four digits at least: "x2" is a count)
_EXTENSION = gated(
    r"[xXeE]",
    r"(?<![\w.])(?:ext\.?|x)[ \t]{0,2}#?[ \t]{0,2}(?P<v>\d{1,3}-\d{4}|\d{4,5})(?![\w-]|[.,/]\d)",
    re.I,
)
# an extension named for whom it reaches (sixth blind corpus): "Ext for charge RN is 3410", "extension to the
# unit: 4471"
_EXT_FOR = gated(
    r"[eE]",
    r"\b(?:ext|extension)\.?[ \t]{1,2}(?:for|to|of)[ \t]{1,2}(?:[A-Za-z'/]{1,12}:?[ \t]{1,2}){0,4}"
    r"(?:is|=|:|at)?[ \t]{0,2}#?"
    r"(?P<v>\d{1,3}-\d{4}|\d{4,5})(?![\w-]|[.,/]\d)",
    re.I,
)
# a short number in parentheses after a word: "son Sal (2-4455)", "niece May (#3-6412)", "Jimmy (93806)"
_PAREN_NUMBER = gated(
    r"\(",
    r"\([ \t]?(?:#|x|ext\.?|pgr|pager|cell|c|h)?[ \t]?(?P<v>\d{1,3}-\d{4}|\d{4,5})[ \t]?\)",
    re.I,
)
# report called/given to someone, then their number: "report called to esperanza 21353", "to Sipho #8-5464"
_REPORT_NUMBER = gated(
    r"[rR]",
    r"\breport(?:ed)?[ \t]{1,3}(?:(?:called|given|phoned)[ \t]{1,3})?to[ \t]{1,3}[^\W\d_][\w'’-]{0,29}"
    r"(?:[ \t]{1,3}[^\W\d_][\w'’-]{0,29})?[ \t]{0,3},?[ \t]{0,2}(?:#|x|ext\.?|pgr|pager)?[ \t]?"
    r"(?P<v>\d{1,3}-\d{4}|\d{4,7})(?![\w-]|[.,/]\d)",
    re.I,
)
_RELATION_NAME = re.compile(
    r"(?i)\b(?:" + "|".join(sorted(RELATIONS)) + r")\W{1,3}[^\W\d_]+['’]?s?[ \t]{0,2}\Z"
)
# words for a phone before a parenthesised number: it stays a number of a person ("beeper (72451)")
_NUMBER_WORDS = frozenset(("beeper", "pager", "pgr", "cell", "phone", "tel", "fax", "number", "contact", "home",
                           "work", "mobile", "office", "ext", "extension", "callback", "desk", "line"))


# words before a parenthesised number that make it a lab value, not a phone ("plt (12000)")
_LAB_WORDS = frozenset(
    ("wbc", "plt", "plts", "platelets", "ck", "cpk", "ldh", "bnp", "ast", "alt", "alk", "inr", "ptt", "tsh", "crp")
)
_DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_WORD_DIGIT = {w: str(i) for i, w in enumerate(_DIGIT_NAMES)} | {"oh": "0"}

# a vehicle's licence plate (HIPAA's vehicle identifiers): after a plate cue ("license plate 8XYZ 412", "car tag
# 7ABC123") or a plate label ("Plate: KA-01-AB-1234"); up to four groups of letters and digits, the later groups
# holding a digit (``_plate_value`` wants a letter and a digit: "plate 3.5 mm", "plate 7 holes" are hardware)
_PLATE = gated(
    r"(?<!\w)[lLrRnNvVcCtTpP]",
    r"(?:\b(?i:licen[cs]e|registration|reg\.?|vehicle|car|tag|number)[ \t]{1,2})?\b(?i:plates?)\b"
    r"(?:[ \t]{1,2}(?i:number|no\.?|#))?(?:[ \t]{1,2}(?i:is|was|reads))?[ \t]{0,3}[:#=-]?[ \t]{0,3}"
    r"(?P<v>(?:[A-Z0-9]{1,8}|(?=[A-Za-z]{0,7}\d)[A-Za-z0-9]{1,8})"
    r"(?:[ -](?:[A-Z0-9]{1,8}|(?=[A-Za-z]{0,7}\d)[A-Za-z0-9]{1,8})){0,3})(?![\w-])",
)
_NOT_PLATE = frozenset(("and", "with", "w", "of", "x", "count", "in", "on", "to", "the", "at", "for", "plus"))
_MEASURE = re.compile(r"\d+(?:\.\d+)?(?:mm|cm|in|x\d+|h|holes?)?", re.I)


def _plate_value(v: str) -> bool:
    """A plate's characters: four or more letters and digits, at least one of each; not opening with a measure
    (``10mm``, ``3x10``: the plate of a fracture's hardware) or a joining word (``PLATE AND 6 SCREWS``)."""
    chars = [c for c in v if c.isalnum()]
    first = re.split(r"[ -]", v)[0]
    if _MEASURE.fullmatch(first) or first.lower() in _NOT_PLATE or len(chars) < 4:
        return False
    return any(c.isdigit() for c in chars) and any(c.isalpha() for c in chars)


# A digit run longer than any identifier rule takes (41+ digits): redacted whole, in bounded pieces (a run of
# thousands of digits must not pass because no identifier is that long).
_LONG_DIGITS = gated(r"\d", r"\d{41,2048}")

# The regexes ``detect`` scans texts with (the gate says which of them can match a text). _SSN's backreference
# cannot go to hyperscan: its gate is the same shape with the separator repeated as a class (a superset).
_SSN_GATE = re.compile(r"\d{3}[- \t]\d{2}[- \t]\d{4}")
_SCANNED = (_SSN_GATE, _SSN_LOOSE, _BARE9, _SSN_PUNCT, _CSV_CELLS, _PHONE, _INTL_PHONE, _GROUPED_PHONE, _IBAN, _URL,
            _IPV4, _IPV6, _CARD, _CARD_PUNCT, _LIST_CELLS, _CARD_LIST, _DEA, _VIN, _AGE, _IDTOKEN, _LABELLED,
            _AGE_WORDS, _DIGIT_WORDS, _ZIP_SPELLED,
            _SPACED_DIGITS, _DOTTED, _THOUSANDS,
            _PAGER, _CONTACT_NUMBER, _OBFUSCATED_EMAIL, _LONG_DIGITS, _EXTENSION, _PAREN_NUMBER, _REPORT_NUMBER,
            _CASE_NUMBER, _P_PAGER, _KM_AGE, _EXT_FOR, _LIFE_EVENT_AGE, _INITIALS_CODE, _SPACED_CHARS, _ARITHMETIC,
            _PAGER_LOOSE, _PLATE)
# digits one by one across commas, line breaks and number words (digit_runs.py)
_SCANNED += (digit_runs.DIGIT_RUN, number_words.ASCII_RUN)  # type: ignore[assignment]
# ASCII twins (``regex_gate.ascii_twin``) of the any-case scanning regexes: on ``ascii_safe`` text ``re.ASCII``
# finds the same matches, 1.2-1.8x faster with IGNORECASE.
_ANY_CASE = (_IBAN, _URL, _AGE, _LABELLED, _AGE_WORDS, _DIGIT_WORDS, _PAGER, _CONTACT_NUMBER, _EXTENSION, _PAREN_NUMBER,
             _REPORT_NUMBER, _EXT_FOR)


def _ssn_or_phone(m: re.Match[str], add: Callable[[Span], None], score: float) -> None:
    """Groups ``a``-``b``-``c`` of ``m``: a valid SSN (3-2-4), or a phone (3-3-4) with a valid area code and
    exchange."""
    a, b, c = m.group("a"), m.group("b"), m.group("c")
    if len(b) == 2 and ssn_valid(a, b, c):
        add(Span(m.start(), m.end(), "SSN", score))
    elif len(b) == 3 and a[0] not in "01" and b[0] not in "01":
        add(Span(m.start(), m.end(), "PHONE", 0.6))


def _punct_cued(text: str, start: int) -> bool:
    """An SSN or phone cue in the 48 characters left of ``start``."""
    ctx = left(text, start, 48)
    return bool(_SSN_CUE.search(ctx[-24:].rstrip(" :#,;=([{")) or _SSN_WORD.search(ctx) or _PHONE_CUE.search(ctx))


class _RunRule(Protocol):
    """A module reading runs of digit items (``digit_runs``, ``number_words``)."""

    def run_digits(self, run: str) -> str | None: ...

    def inside_longer_run(self, text: str, start: int) -> bool: ...


def _same(rx: re.Pattern[str]) -> re.Pattern[str]:
    return rx


def _twins(text: str) -> Callable[[re.Pattern[str]], re.Pattern[str]]:
    """The form of an any-case regex to scan ``text`` with: its ASCII twin where it finds the same matches."""
    return ascii_twin if ascii_safe(text) else _same


# the regexes whose partial matches hold a stream (``PatternDetector.open_at``)
_OPEN_SCANNED = (*(rx for rx in _SCANNED if rx not in (_SSN_GATE, _OBFUSCATED_EMAIL)), _SSN, number_words.WIDE_RUN)
_ALL = frozenset(
    {"SSN", "PHONE", "FAX", "EMAIL", "URL", "IP", "CARD", "LICENSE", "VIN", "AGE", "MRN", "HEALTH_PLAN", "ACCOUNT",
     "DEVICE", "ID", "NPI", "ZIP"}
)
# Stream contract, by declaration: the types ``detect`` can give a finding of each open-scanned regex (every
# type unless declared narrower here: a new regex holds for every profile until it is). A profile's stream holds
# only for the regexes that can find a wanted type; a finding of another type is dropped by type and changes no
# other. tests/redaction/test_open_types.py fails for a finding of a type its regex does not declare.
EMITS: dict[re.Pattern[str], frozenset[str]] = {rx: _ALL for rx in _OPEN_SCANNED} | {
    _AGE: frozenset({"AGE"}),
    _KM_AGE: frozenset({"AGE"}),
    _LIFE_EVENT_AGE: frozenset({"AGE"}),
    _AGE_WORDS: frozenset({"AGE"}),
    _ZIP_SPELLED: frozenset({"ZIP"}),
    _P_PAGER: frozenset({"PHONE"}),
    _CASE_NUMBER: frozenset({"ID"}),
    _LABELLED: frozenset({"ID", *(t for _, t in _LABEL_TYPES)}),
    _INITIALS_CODE: frozenset({"ID"}),
    _PLATE: frozenset({"VIN"}),
}
_TYPED_SKIPS = 4  # candidates of one regex ``_open_typed`` passes over before it holds the next


def _token_kinds(text: str, i: int) -> frozenset[str] | None:
    """The types an ``_IDTOKEN`` match starting at ``i`` can get, whatever follows (None: any): one that begins
    with a letter is typed by the cue on its left or is an ID (``_identifiers``: the phone, NPI and range readings
    need digits only)."""
    c = text[i]
    if not ("a" <= c <= "z" or "A" <= c <= "Z"):
        return None
    return _cue_or_id(left(text, i, 32))


@functools.lru_cache(maxsize=256)
def _cue_or_id(ctx: str) -> frozenset[str]:
    """ID and the type the left context ``ctx`` names (speed: a stream asks again for a word still being written)."""
    kind = cue_kind(ctx)
    return frozenset({"ID"} if kind is None else {"ID", kind})


def _label_kinds(text: str, i: int) -> frozenset[str] | None:
    """The types a ``_LABELLED`` match starting at ``i`` can get, whatever follows (None: any): its label starts
    with the letters at ``i``, so only the ``_LABEL_TYPES`` prefixes that agree with them, or ID."""
    j = i
    while j < len(text) and text[j].isalpha():
        j += 1
    return _label_prefix_kinds(text[i:j].lower()) if j > i else None


@functools.lru_cache(maxsize=1024)
def _label_prefix_kinds(run: str) -> frozenset[str]:
    return frozenset({"ID", *(t for prefix, t in _LABEL_TYPES if prefix[: len(run)] == run[: len(prefix)])})


# regexes whose matches' types their start decides (``PatternDetector._open_typed``)
_TYPED_AT = {_IDTOKEN: _token_kinds, _LABELLED: _label_kinds}
_TIGHT_CUE = re.compile(rf"(?:{_ANY_CUE.pattern})[\s:#.=-]{{0,4}}(?:(?:id|number|no|is|was)\b[\s:#.=-]{{0,4}}){{0,2}}$")
# a numeric range or pair (120-150, 1000-1500): not an identifier without a cue
_RANGE = re.compile(r"\d{1,4}-\d{1,4}")
_NANP = re.compile(r"\(?\d{3}\)?[ .]\d{3}[ .]\d{4}")  # 617 555 0199: the North American shape
_UNIT_AFTER = twinned(re.compile(r"\s{0,3}(?:mg|mcg|g|kg|ml|mL|l|units?|iu|mmol|meq|cells|copies|/|%|x\s?10)", re.I))
_LIST_UNIT = re.compile(_UNIT_AFTER.pattern + r"(?![a-z])", re.I)  # a whole unit word after a list of values


# Prefilter triggers (hyperscan syntax): every finding of this detector contains one of them.
TRIGGERS: tuple[bytes, ...] = (
    rb"\d{5}",  # long ids, cards, VIN tails
    rb"\d[\s.)-]\s?\d{4}",  # SSN and phone tails, spaced card groups
    rb"\d[-\s\[\]()]{1,4}\d{4}",  # SSN tails after brackets or line breaks
    rb"[A-Za-z#]\d{4}",  # letter-prefixed ids
    rb"\d{4}[-/.]\d",
    rb"\+\d",  # international phones
    rb"\d[\"')]?[,;][\"']?\d{2,3}[\"']?[,;][\"']?\d{4}",  # SSN and phone groups in CSV cells
    rb"\d{2}[^\w\s]{1,3}\d{4}",  # SSN tails after any punctuation (_SSN_PUNCT)
    rb"\d{2} ?[^\w\s]{1,3} ?\d{4}",  # ... with a space on either side of it
    rb"\d[\"']?[ \t]?[,;][ \t]{0,2}[\"']?\d{2,4}[\"']?[ \t]?[,;][ \t]{0,2}[\"']?\d{4}",  # list items (_LIST_CELLS)
    rb"\d{4}(?:[_:+*~|=]|\xc2\xb7|\xe2\x80\xa2)\d{4}",  # card groups after other punctuation (_CARD_PUNCT)
    rb"\d{2,4}[ .]\d{2,4}[ .]\d{2}",  # digit-group phones
    rb"\d{3}[ .-]\d{4}",  # local phones
    rb"\(0?\d{1,4}\)",
    rb"\d[\d-]{3,}\d",  # dashed identifiers
    rb"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d",  # IPv4
    rb"[0-9A-Fa-f]{0,4}::?[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:",  # IPv6
    rb"@",
    rb"://",
    rb"(?i)www\.",
    rb"\d[-/.]\d{1,2}[-/.]\d\d",
    rb"\d\d/\d\d",
    rb"(?:9\d|1[0-4]\d)\s*-?\s*(?:y|Y|yo|YO)",  # ages over 89
    rb"\b(?:9\d|1[0-4]\d)[FMfm]\b",  # ages over 89 glued to the sex (94M)
    rb"(?i)\b(?:9\d|1[0-4]\d)\s{1,2}per\s",  # ages over 89 as quoted (99 per chart)
    rb"\b[A-Za-z]{1,3}\d\d-\d{3}",  # case numbers (S10-9224)
    rb"\b[pP](?:\d{1,2}-\d{3}|\d{5})",  # a pager glued to "p" (p57-744)
    rb"(?i)age[d:]?\s*(?:9\d|1[0-4]\d)",
    # labelled identifiers of any shape: "(MRN: 12345ABC)", "insurance ID: ABC123", "ref. code: EM-2554"
    rb"(?i)(?:mrn|record|chart|id|identifier|member|subscriber|beneficiary|insurance|policy|plan|medicare|"
    rb"medicaid|account|acct|licen[cs]e|certificate|serial|ref|reference|code|case|encounter|visit|site|device|"
    rb"number|no|ssn|security|ss|vin|npi|dea)\.?(?:\s+(?:is|was))?\s*[:#]?\s*#?[A-Za-z0-9-]*\d",
    rb"(?i)\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[\s,.;:/|_-]{1,3}(?:zero|oh|one|two|three|four|"
    rb"five|six|seven|eight|nine)\b",  # digits spelled out
    rb"(?i)\b(?:ninety|one[\s-]hundred)",  # ages over 89 in words
    rb"(?i)\b(?:zip|postal)",  # a ZIP code spelled out after its cue
    rb"(?i)plates?\b.{0,20}\d",  # a licence plate after its cue (_PLATE)
    rb"(?i)\b(?:pt|patient|he|she)\s{1,2}(?:is|was)\s{1,2}(?:an?\s{1,2})?(?:9\d|1[0-4]\d)\b",  # PT IS 93
    rb"\d[ .-]{1,2}\d[ .-]{1,2}\d",  # digits written one by one
    rb"\d{2,4}\.\d{2,4}\.\d",  # dotted digit groups
    rb"(?i)\b(?:pager|pgr|pg|beeper|bpr|paged)\b",
    rb"(?i)\b(?:9\d|1[0-4]\d)[ \t][fm]\b",  # an age spaced from the sex (96 M pt)
    rb"(?i)\bturned\s{1,2}(?:9\d|1[0-4]\d)\b",  # turned 92
    rb"(?i)\b(?:died|passed|deceased|death|expired)\s",  # died at 92 (_LIFE_EVENT_AGE)
    rb"[A-Za-z]{2,4}/[A-Za-z]{1,4}\d",  # a dictation's initials code (YTL/xw23)
    rb"[A-Z]{2,4}/[a-z]{2,4}",  # a dictation's initials code without digits (DFW/erb)
    rb"(?i)\b(?:ext|extension)\.?\s{1,2}(?:for|to|of)\b",  # ext for charge RN is 3410
    rb"(?i)\b(?:ext|x)\.?\s{0,2}#?\s{0,2}\d{4}",  # extensions
    rb"(?i)\breport(?:ed)?\s",  # a number after "report called to X"
    rb"\d(?:[ ._/-]{0,3}\d){6}",  # seven digits with separators
    rb"(?i)(?:[\[({<]\s?(?:at|dot)\s?[\])}>]|\sdot\s)",  # obfuscated e-mail addresses
    rb"(?:[A-Za-z0-9@._+-] ){5}[A-Za-z0-9@._+-]",  # a word written a character at a time
    rb"[A-Za-z0-9](?:-[A-Za-z0-9]){5}",  # ... or spelled with hyphens
    rb"\d[ \t]{0,2}[*x+^][ \t]{0,2}\d",  # arithmetic (_ARITHMETIC)
    rb"\xc3\x97",  # the multiplication sign
    rb"0[xXbBoO][0-9A-Fa-f]{6}",  # another base
    *digit_runs.TRIGGERS,
    *number_words.TRIGGERS,
)


class PatternDetector:
    """Regex + checksum + context detectors for the structured Safe Harbor identifiers."""

    name = "patterns"
    types = _ALL
    triggers = TRIGGERS
    reach = 64

    def __init__(self, mrn_patterns: Sequence[str] = (), id_min_digits: int = 6) -> None:
        self._mrn = [re.compile(p) for p in mrn_patterns]
        self._id_min_digits = id_min_digits
        # custom MRN formats have no prefilter trigger: then this detector scans whole texts
        self.prefilter_safe = not self._mrn
        # one hyperscan scan says which of the scanning regexes can match at all (see regex_gate)
        self._gate = RegexGate([*_SCANNED, *self._mrn])
        self._open = OpenScanner(list(_OPEN_SCANNED))
        # per set of wanted types, the open scanner of the regexes that can find one of them (``_open_for``)
        self._open_by_types: dict[frozenset[str], OpenScanner] = {}
        self._open_typed_scanner = OpenScanner(list(_TYPED_AT))
        self._open_obf = OpenScanner([_OBFUSCATED_EMAIL])
        self._open_mrn = OpenScanner(self._mrn, unbounded_reach=256)  # operators' formats: capped when unbounded
        self._open_email = OpenScanner([_EMAIL])
        # ``reach`` stays the hold-back of the fixed-window fallback (URLs and e-mail addresses end at whitespace);
        # ``max_reach`` bounds every candidate (a URL up to 2048 characters)
        self.max_reach = max(self._open.reach, self._open_email.reach, self._open_mrn.reach, self._open_obf.reach)

    def open_at(self, text: str, start: int = 0, types: frozenset[str] | None = None) -> int:
        """Stream contract for this detector (see ``Analyzer.open_at``; ``start``: settled before it). ``types``:
        the wanted types; without EMAIL, no e-mail address (written or spelled out) is held: its findings are
        dropped by type and no other finding depends on them."""
        some = types if types is not None and not types >= self.types else None  # None: every type wanted
        i = (self._open if some is None else self._open_for(some)).open_at(text, start)
        i = min(i, self._open_mrn.open_at(text, start))
        if some is not None:
            i = self._open_typed(text, start, some, i)
        if types is not None and "EMAIL" not in types:
            return i
        n = len(text)
        # an e-mail candidate without its "@" yet is a run of local-part characters reaching the end (<= 64)
        tail = max(0, n - self._open_email.reach, start)
        if text.find("@", tail) >= 0:
            i = min(i, self._open_email.open_at(text, tail))
        else:  # no "@": no complete address either
            i = min(i, self._open_email.open_at(text, max(tail, n - 66), complete=False))
        # a spelled-out address: without an at/dot marker in reach, only a local-part run reaching the end
        # (and no complete address: each holds a marker)
        tail = max(0, n - self._open_obf.reach, start)
        marker = _OBF_MARKER.search(text, tail)
        if marker is None:
            return min(i, _open_local_part(text, max(tail, n - 80)))
        return min(i, self._open_obf.open_at(text, max(tail, marker.start() - 400)))

    def _open_for(self, types: frozenset[str]) -> OpenScanner:
        """The open scanner of the regexes ``EMITS`` says can find one of ``types``, without those typed by their
        start (``_TYPED_AT``: ``_open_typed``), built once per profile's type set."""
        scanner = self._open_by_types.get(types)
        if scanner is None:
            kept = [rx for rx in _OPEN_SCANNED if EMITS[rx] & types and rx not in _TYPED_AT]
            if len(self._open_by_types) >= 16:  # profiles are few; a caller making up type sets starts over
                self._open_by_types.clear()
            scanner = self._open_by_types[types] = OpenScanner(kept)
        return scanner

    def _open_typed(self, text: str, start: int, types: frozenset[str], stop: int) -> int:
        """The open point of the regexes typed by their start (``_TYPED_AT``) for the wanted ``types``, or ``stop``
        when none is open before it: a candidate whose start allows no wanted type, whatever follows, is passed
        over (``repo`` + ``1234`` is an ID, ``acct repo`` + ``1234`` an account number; ``patient`` + `` id 1234``
        an ID, ``acc`` + ``t 1234`` an account number). Both regexes are searched at once, so a candidate is
        passed over when its start allows a wanted type for neither."""
        n = len(text)
        i = self._open_typed_scanner.open_at(text, start, stop=stop)
        for _ in range(_TYPED_SKIPS):
            if i >= stop:
                return stop
            kinds = [kinds_at(text, i) for kinds_at in _TYPED_AT.values()]
            if any(k is None or not k.isdisjoint(types) for k in kinds):
                return i
            # passed over: no candidate of either regex starts inside the letters that begin it
            j = i + 1
            while j < n and text[j].isalpha():
                j += 1
            i = self._open_typed_scanner.open_at(text, j, stop=stop) if j < n else n
        return min(i, stop)  # candidates left unread: held

    def detect(self, text: str) -> Iterable[Span]:
        out: list[Span] = []
        add = out.append
        can = self._gate.possible_patterns(text)
        rx_ = _twins(text)
        if _SSN_GATE in can:
            for m in rx_(_SSN).finditer(text):
                cue = bool(_SSN_CUE.search(left(text, m.start(), 24)))
                if ssn_valid(m.group(1), m.group(3), m.group(4)) or cue:
                    add(Span(m.start(), m.end(), "SSN", 0.9 if cue else 0.8))
        for m in rx_(_SSN_LOOSE).finditer(text) if _SSN_LOOSE in can else ():
            a, b = m.group("a"), m.group("b")
            if a == b and a in ("-", " ", "\t"):
                continue  # the plain shape: _SSN decides
            if _SSN_CUE.search(left(text, m.start(), 24).rstrip(" :#([")):
                add(Span(m.start(), m.end(), "SSN", 0.9))
            elif _same_structure(a, b) and ssn_valid(m.group(1), m.group(3), m.group(4)):
                add(Span(m.start(), m.end(), "SSN", 0.8))
        for m in rx_(_SSN_PUNCT).finditer(text) if _SSN_PUNCT in can else ():
            self._punct_groups(text, m, add)
        for m in rx_(_LIST_CELLS).finditer(text) if _LIST_CELLS in can else ():
            self._list_cells(text, m, add)
        for m in rx_(_CARD_LIST).finditer(text) if _CARD_LIST in can else ():
            digits = re.sub(r"\D", "", m.group())
            if luhn_ok(digits) and len(set(digits)) > 1:
                add(Span(m.start(), m.end(), "CARD", 0.8))
        for m in rx_(_CSV_CELLS).finditer(text) if _CSV_CELLS in can else ():
            self._csv_cells(text, m, add)
        if _LONG_DIGITS in can:
            for m in rx_(_LONG_DIGITS).finditer(text):
                add(Span(m.start(), m.end(), "ID", 0.6))
        if _BARE9 in can:
            for m in rx_(_BARE9).finditer(text):
                if _SSN_CUE.search(left(text, m.start(), 24)):
                    add(Span(m.start(), m.end(), "SSN", 0.9))
        for rx in (_PHONE, _INTL_PHONE):
            if rx not in can:
                continue
            for m in rx_(rx).finditer(text):
                kind = "FAX" if _FAX_CUE.search(left(text, m.start(), 20)) else "PHONE"
                add(Span(m.start(), m.end(), kind, 0.7))
        for m in rx_(_GROUPED_PHONE).finditer(text) if _GROUPED_PHONE in can else ():
            g = m.group()
            n_digits = sum(c.isdigit() for c in g)
            groups = len(re.split(r"[ .()-]+", g.strip("()")))
            if not (7 <= n_digits <= 13) or _UNIT_AFTER.match(text, m.end()):
                continue
            if n_digits == 7 and not re.fullmatch(r"\d{3}[ .-]\d{4}", g):
                continue
            if (
                n_digits >= 8
                and g[0] not in "0("
                and not _PHONE_CUE.search(left(text, m.start(), 24))
                and not _NANP.fullmatch(g)
            ):
                continue  # "120 80 16 99" is more often a list of values than a phone number
            if groups < 2:
                continue
            kind = "FAX" if _FAX_CUE.search(left(text, m.start(), 20)) else "PHONE"
            add(Span(m.start(), m.end(), kind, 0.5))
        for m in rx_(_IBAN).finditer(text) if _IBAN in can else ():
            if iban_ok(m.group()):
                add(Span(m.start(), m.end(), "ACCOUNT", 0.85))
        at = text.find("@")
        while at > 0:
            lm = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
            dm = _EMAIL_DOMAIN.match(text, at + 1)
            if lm and dm:
                add(Span(lm.start(), dm.end(), "EMAIL", 0.9))
            at = text.find("@", at + 1)
        for m in rx_(_URL).finditer(text) if _URL in can else ():
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:!?)]}'\"":
                end -= 1
            add(Span(m.start(), end, "URL", 0.8))
        for m in rx_(_IPV4).finditer(text) if _IPV4 in can else ():
            add(Span(m.start(), m.end(), "IP", 0.8))
        if _IPV6 in can and ("::" in text or text.count(":") >= 5):
            for m in rx_(_IPV6).finditer(text):
                try:
                    ipaddress.IPv6Address(m.group())
                except ValueError:
                    continue
                add(Span(m.start(), m.end(), "IP", 0.8))
        for m in rx_(_CARD).finditer(text) if _CARD in can else ():
            digits = re.sub(r"\D", "", m.group())
            if luhn_ok(digits) and len(set(digits)) > 1:
                add(Span(m.start(), m.end(), "CARD", 0.85))
        for m in rx_(_CARD_PUNCT).finditer(text) if _CARD_PUNCT in can else ():
            g = m.group()
            digits = re.sub(r"\D", "", g)
            if set(re.sub(r"\d", "", g)) == {m.group("s")} and luhn_ok(digits) and len(set(digits)) > 1:
                add(Span(m.start(), m.end(), "CARD", 0.85))
        for m in rx_(_DEA).finditer(text) if _DEA in can else ():
            if dea_ok(m.group()):
                add(Span(m.start(), m.end(), "LICENSE", 0.85))
        for m in rx_(_VIN).finditer(text) if _VIN in can else ():
            v = m.group()
            if not v.isdigit() and not v.isalpha() and (vin_ok(v) or "vin" in left(text, m.start(), 12)):
                add(Span(m.start(), m.end(), "VIN", 0.85))
        for m in rx_(_PLATE).finditer(text) if _PLATE in can else ():
            if _plate_value(m.group("v")):
                add(Span(m.start("v"), m.end("v"), "VIN", 0.8))
        for m in rx_(_AGE).finditer(text) if _AGE in can else ():
            grp = next(g for g in range(1, 8) if m.group(g))
            if grp in (3, 6) and _TEMPERATURE_BEFORE.search(left(text, m.start(), 24)):
                continue  # "T 101F", "fever to 102F": degrees Fahrenheit
            add(Span(m.start(grp), m.end(grp), "AGE", 0.7))
        for m in rx_(_KM_AGE).finditer(text) if _KM_AGE in can else ():
            add(Span(m.start("v"), m.end("v"), "AGE", 0.7))
        for m in rx_(_LIFE_EVENT_AGE).finditer(text) if _LIFE_EVENT_AGE in can else ():
            add(Span(m.start("v"), m.end("v"), "AGE", 0.7))
        for m in _INITIALS_CODE.finditer(text) if _INITIALS_CODE in can else ():
            code = m.group().lstrip(" \t")
            add(Span(m.end() - len(code), m.end(), "ID", 0.7))
        for rx in self._mrn:
            for m in rx.finditer(text) if rx in can else ():
                add(Span(m.start(), m.end(), "MRN", 0.95))
        if _IDTOKEN in can:
            self._identifiers(text, add)
        for m in rx_(_P_PAGER).finditer(text) if _P_PAGER in can else ():
            add(Span(m.start("v"), m.end("v"), "PHONE", 0.6))
        for m in rx_(_CASE_NUMBER).finditer(text) if _CASE_NUMBER in can else ():
            a = m.start()
            while a > 0 and a > m.start() - 3 and text[a - 1].isascii() and text[a - 1].isalpha():
                a -= 1
            if a == 0 or not (text[a - 1].isalnum() or text[a - 1] in "_-"):
                add(Span(a, m.end(), "ID", 0.6))
        self._spelled(text, can, add, out, rx_)
        for m in rx_(_THOUSANDS).finditer(text) if _THOUSANDS in can else ():
            self._thousands(text, m, add)
        for m in _ARITHMETIC.finditer(text) if _ARITHMETIC in can else ():
            if _punct_cued(text, m.start()) or cue_kind(left(text, m.start(), 32)):
                add(Span(m.start(), m.end(), self._kind_by_cue(text, m.start(), 9), 0.6))
        if digit_runs.DIGIT_RUN in can:
            self._digit_runs(text, add)
        if number_words.ASCII_RUN in can or not text.isascii():
            self._digit_runs(text, add, number_words)
        for m in rx_(_LABELLED).finditer(text) if _LABELLED in can else ():
            v = m.group("v")
            if len(v.lstrip("#")) < 3 or (len(v) == 4 and v.isdigit() and v[:2] in ("19", "20")):
                continue
            label = m.group("cue").lower()
            kind = next((t for prefix, t in _LABEL_TYPES if label.startswith(prefix)), "ID")
            add(Span(m.start("v"), m.end("v"), kind, 0.65 if kind == "ID" else 0.8))
        return out

    @staticmethod
    def _punct_groups(text: str, m: re.Match[str], add: Callable[[Span], None]) -> None:
        """SSN or phone groups joined twice by the same punctuation (``_SSN_PUNCT``, ``_ssn_or_phone``); spaced
        separators (``478 = 21 = 5096``) not with a round serial (``1000``), unless after a cue."""
        c = m.group("c")
        if m.group("s1") != m.group("s2"):
            return
        spaced = " " in m.group("s1")
        if spaced and c.endswith("00") and not _punct_cued(text, m.start()):
            return
        _ssn_or_phone(m, add, 0.8)

    @staticmethod
    def _list_cells(text: str, m: re.Match[str], add: Callable[[Span], None]) -> None:
        """SSN or phone groups written as list items (``_LIST_CELLS``, ``_ssn_or_phone``): not a round serial unless
        framed (brackets, quotes) or after a cue, nor values with a unit after them; the tail or head of a longer
        list of values only after a cue."""
        cued = _punct_cued(text, m.start())
        if not cued and (_LIST_BEFORE.search(left(text, m.start(), 12)) or _LIST_AFTER.match(text, m.end())):
            return
        framed = bool(m.group("q") or m.group("o"))
        if not (cued or framed) and (m.group("c").endswith("00") or _LIST_UNIT.match(text, m.end())):
            return  # a round serial, or values with their unit (``478, 21, 5096 mg``)
        _ssn_or_phone(m, add, 0.75)

    @staticmethod
    def _csv_cells(text: str, m: re.Match[str], add: Callable[[Span], None]) -> None:
        """SSN or phone groups written as CSV cells (``_CSV_CELLS``): a valid SSN (its serial not a round amount
        such as ``1000``, unless quoted or after an SSN cue) or a phone with a valid exchange."""
        a, b, c = m.group("a"), m.group("b"), m.group("c")
        ctx = left(text, m.start(), 48)
        cued = bool(_SSN_CUE.search(ctx[-24:].rstrip(" :#,;")) or _SSN_WORD.search(ctx))
        if "(" in m.group() and len(b) == 2:
            return
        if len(b) == 2 and ssn_valid(a, b, c) and (cued or m.group("q") or not c.endswith("00")):
            add(Span(m.start(), m.end(), "SSN", 0.75))
        elif len(b) == 3 and a[0] not in "01" and b[0] not in "01" and (m.group("q") or not c.endswith("00")):
            add(Span(m.start(), m.end(), "PHONE", 0.6))

    def _identifiers(self, text: str, add: Callable[[Span], None]) -> None:
        """Identifier-shaped tokens: typed by the nearest cue on their left; without a cue only long ones."""
        rx_ = _twins(text)
        for m in rx_(_IDTOKEN).finditer(text):
            tok = m.group()
            digits = sum(map(str.isdigit, tok))
            ctx = left(text, m.start(), 32)
            kind = cue_kind(ctx)
            ranged = bool(_RANGE.fullmatch(tok))
            if ranged and (_ascending(tok) or _clock_range(tok)) and not _phone_shaped(tok):  # noqa: SIM102
                if _UNIT_AFTER.match(text, m.end()) or not _tight(ctx):
                    continue  # a range of values (120-150), not an identifier (3610-114 may be a postal code)
            if kind is None:
                if digits < self._id_min_digits and not (digits >= 4 and any(c.isalpha() for c in tok)):
                    continue
                if _UNIT_AFTER.match(text, m.end()) and not _phone_pair(text, m.end(), tok, ranged) or (
                    tok.isdigit() and tok.endswith("000")
                ):
                    continue  # a quantity (10 mg, plt 245000), not an identifier
                kind = "ID"
            if kind == "ID" and tok.isdigit() and 7 <= digits <= 11 and _PHONE_CUE.search(ctx):
                kind = "PHONE"
            if kind == "ID" and ranged and _phone_shaped(tok):
                kind = "PHONE"
            if digits == 10 and tok.isdigit() and npi_ok(tok) and "npi" in ctx:
                kind = "NPI"
            add(Span(m.start(), m.end(), kind, 0.6 if kind == "ID" else 0.75))

    def _thousands(self, text: str, m: re.Match[str], add: Callable[[Span], None]) -> None:
        """A grouped or exponent-written number (``_THOUSANDS``) after an identifier cue: typed by that cue."""
        ctx = left(text, m.start(), 32)
        if _SSN_CUE.search(ctx.rstrip(" :#")) or _PHONE_CUE.search(ctx) or cue_kind(ctx):
            n = sum(c.isdigit() for c in m.group().split("e")[0].split("E")[0])
            add(Span(m.start(), m.end(), self._kind_by_cue(text, m.start(), n), 0.6))

    def _spelled(
        self,
        text: str,
        can: PatternSet,
        add: Callable[[Span], None],
        found: list[Span],
        rx_: Callable[[re.Pattern[str]], re.Pattern[str]] = _same,
    ) -> None:
        """Ages over 89 in words, digits spelled out or spaced one by one, dotted groups, pager numbers;
        ``found``: what the other rules found (a separated run they already cover whole is not looked at again)."""
        for m in rx_(_AGE_WORDS).finditer(text) if _AGE_WORDS in can else ():
            unit, art = m.group("unit"), m.group("art")
            if unit:
                add(Span(m.start("v"), m.end(), "AGE", 0.7))
            elif (m.group("cue") and not art) or (art and m.group("noun")):
                add(Span(m.start("v"), m.end("v"), "AGE", 0.7))  # "aged ninety", "a ninety-three woman"
        for m in rx_(_ZIP_SPELLED).finditer(text) if _ZIP_SPELLED in can else ():
            if len(re.findall(rf"\d|{_NUM_WORD}", m.group("v"), re.I)) in (5, 9) and not m.group("v").isdigit():
                add(Span(m.start("v"), m.end("v"), "ZIP", 0.7))
        for m in rx_(_DIGIT_WORDS).finditer(text) if _DIGIT_WORDS in can else ():
            digits = "".join(_WORD_DIGIT[w.lower()] for w in re.findall(r"[A-Za-z]+", m.group()))
            add(Span(m.start(), m.end(), self._kind_by_cue(text, m.start(), len(digits)), 0.75))
        ends: dict[int, int] = {}
        for f in found if _SPACED_DIGITS in can else ():
            if f.end > ends.get(f.start, -1):
                ends[f.start] = f.end
        for m in rx_(_SPACED_DIGITS).finditer(text) if _SPACED_DIGITS in can else ():
            if ends.get(m.start(), -1) >= m.end():
                continue
            g = m.group()
            groups = [x for x in _SEPARATED.split(g) if x]
            if len(groups) < 2:
                continue  # one plain number: the identifier rules decide
            n = sum(map(len, groups))
            ctx = left(text, m.start(), 32)
            cue = _PHONE_CUE.search(ctx) or _SSN_CUE.search(ctx.rstrip(" :#")) or cue_kind(ctx)
            if "/" in g and max(map(len, groups)) <= 3 and not _tight(ctx):
                continue  # values written with slashes (ABG 7.38/42/88, BP 110-135/60-80), not an identifier
            if _value_pair(g) and not _tight(ctx) and not _PHONE_CUE.search(ctx):
                continue
            # without a cue only digits written one by one (lists of values have groups of two or three)
            if cue or (n >= 9 and n / len(groups) < 1.5):
                add(Span(m.start(), m.end(), self._kind_by_cue(text, m.start(), n), 0.6))
        for m in rx_(_DOTTED).finditer(text) if _DOTTED in can else ():
            n = sum(c.isdigit() for c in m.group())
            if 7 <= n <= 13 and not _UNIT_AFTER.match(text, m.end()):
                add(Span(m.start(), m.end(), "PHONE", 0.5))
        for m in rx_(_PAGER).finditer(text) if _PAGER in can else ():
            if m.group()[:5].lower() == "paged" and not _PAGED_NUMBER.fullmatch(m.group("v")):
                continue  # "paged at 2200", "paged 1200-1300": a time, not a pager number
            pg = m.group()[:2].lower() == "pg" and m.group()[:3].lower() != "pgr"
            if pg and not _PG_NUMBER.fullmatch(m.group("v")):
                continue  # "pg 12-14": a page range; "pg 7-3789", "pg 38-298", "pg 41730" are pagers
            add(Span(m.start("v"), m.end("v"), "PHONE", 0.75))
        for m in _PAGER_LOOSE.finditer(text) if _PAGER_LOOSE in can else ():
            if self._paged_time(m):
                continue
            add(Span(m.start("v"), m.end("v"), "PHONE", 0.7))
        for m in rx_(_CONTACT_NUMBER).finditer(text) if _CONTACT_NUMBER in can else ():
            add(Span(m.start("v"), m.end("v"), "PHONE", 0.7))
        for m in rx_(_EXTENSION).finditer(text) if _EXTENSION in can else ():
            before = text[max(0, m.start() - 3) : m.start()].rstrip(" \t")
            product = before[-1:].isdigit() and "-" not in m.group("v")  # "14 x 1000"; not "Farr 2 x5-9901"
            if m.group()[:1] in "xX" and (product or _UNIT_AFTER.match(text, m.end())):
                continue  # a product or a dose ("x 1000 units")
            add(Span(m.start("v"), m.end("v"), "PHONE", 0.7))
        for m in rx_(_EXT_FOR).finditer(text) if _EXT_FOR in can else ():
            add(Span(m.start("v"), m.end("v"), "PHONE", 0.7))
        for m in rx_(_PAREN_NUMBER).finditer(text) if _PAREN_NUMBER in can else ():
            ctx = text[max(0, m.start() - 40) : m.start()]
            word = re.search(r"([^\W\d_]+)['’]?s?[ \t]{0,2}\Z", ctx)
            if not word or (word.group(1).lower() in _LAB_WORDS and "-" not in m.group("v")):
                continue
            if len(m.group("v")) == 4 and not _RELATION_NAME.search(ctx):
                continue  # four digits: only after a relation and a name ("son Bao (9717)"), not "I/O (1500)"
            if (m.group().lstrip("( \t")[:1].isdigit() and word.group(1).lower() not in _NUMBER_WORDS
                    and plain_word(word.group(1), mixed_case(ctx))):
                continue  # "prolonged service (99417)": a billing code after a plain word, no person's number
            if _billed_code(text, m):
                continue
            add(Span(m.start("v"), m.end("v"), "PHONE", 0.65))
        for m in rx_(_REPORT_NUMBER).finditer(text) if _REPORT_NUMBER in can else ():
            v = m.group("v")
            if len(v) == 4 and v.isdigit() and int(v[:2]) < 24 and int(v[2:]) < 60:
                continue  # "report called to 4 north 1900": a time
            add(Span(m.start("v"), m.end("v"), "PHONE", 0.7))
        for m in _SPACED_CHARS.finditer(text) if _SPACED_CHARS in can else ():
            if _spelled_word(m.group()):
                add(Span(m.start(), m.end(), "EMAIL" if "@" in m.group() else "ID", 0.6))
        o = _OBFUSCATION.search(text) if _OBFUSCATED_EMAIL in can else None
        # every spelled-out address holds a marker; none starts more than 400 characters before the first one
        for m in _OBFUSCATED_EMAIL.finditer(text, max(0, o.start() - 400)) if o is not None else ():
            if _OBFUSCATION.search(m.group()):
                add(Span(m.start(), m.end(), "EMAIL", 0.8))

    def _digit_runs(self, text: str, add: Callable[[Span], None], rule: _RunRule = digit_runs) -> None:
        """Digits written one by one across commas, line breaks or number words (``rule``: ``digit_runs``, or
        ``number_words`` for other languages' words and Roman numerals): typed by a cue on their left, or without
        one by the identifier shape of their digits."""
        rx_ = _twins(text)
        run = digit_runs.DIGIT_RUN if rule is digit_runs else number_words.run_for(text)
        for m in rx_(run).finditer(text):
            digits = rule.run_digits(m.group())
            if digits is None or rule.inside_longer_run(text, m.start()):
                continue
            ctx = left(text, m.start(), 32)
            if _PHONE_CUE.search(ctx) or _SSN_CUE.search(ctx.rstrip(" :#")) or cue_kind(ctx):
                kind: str | None = self._kind_by_cue(text, m.start(), len(digits))
            else:
                kind = digit_runs.shape_kind(digits)
            if kind is not None:
                add(Span(m.start(), m.end(), kind, 0.6))

    @staticmethod
    def _paged_time(m: re.Match[str]) -> bool:
        """``_PAGER_LOOSE`` after "paged" read a clock time: ``paged 2200``, ``paged 3 1400``."""
        if m.group()[:5].lower() != "paged":
            return False
        last = m.group("v").replace("-", " ").split()[-1]
        return "-" not in m.group("v") and bool(_CLOCK_TIME.fullmatch(last))

    @staticmethod
    def _kind_by_cue(text: str, start: int, n_digits: int) -> str:
        ctx = left(text, start, 32)
        if _SSN_CUE.search(ctx.rstrip(" :#")) or _SSN_WORD.search(ctx):
            return "SSN"
        if _FAX_WORD.search(ctx):
            return "FAX"
        if _PHONE_CUE.search(ctx):
            return "PHONE"
        kind = cue_kind(ctx)
        if kind is not None:
            return kind
        if n_digits in (7, 10, 11):
            return "PHONE"
        return "SSN" if n_digits == 9 else "ID"


# a billing verb or code word earlier in the clause of a number in parentheses (``will bill for prolonged service
# (99417)``); the clause starts after the last sentence end or comma
_BILLING_WORD = re.compile(r"(?i:\b(?:bill|billed|billing|cpt|charge|charged|code|coded))\b[^.,;:!?\n]*\Z")
_BILLING_CLAUSE_END = re.compile(r"[.,;:!?\n]")
_LAST_TWO = re.compile(r"([^\W\d_]+)[ \t]([^\W\d_]+)[ \t]{0,2}\Z")


def _billed_code(text: str, m: re.Match[str]) -> bool:
    """A five-digit number in parentheses (``m``) after two plain words (no cue, function word or first name) in
    a text without case, in a clause a billing word opened before them (``WILL BILL FOR PROLONGED SERVICE
    (99417)``): a procedure code. ``call bill (99417)``, ``will bill, call smith (99417)`` stay phones."""
    ctx = text[max(0, m.start() - 80) : m.start()]
    if mixed_case(ctx) or len(m.group("v")) != 5 or not m.group().lstrip("( \t")[:1].isdigit():
        return False
    cut = [c.end() for c in _BILLING_CLAUSE_END.finditer(ctx)]
    clause = ctx[cut[-1] if cut else 0 :]
    two = _LAST_TWO.search(clause)
    if two is None or not plain_noun_phrase(two.group(1), two.group(2)):
        return False
    return bool(_BILLING_WORD.search(clause[: two.start()]))


def _same_structure(a: str, b: str) -> bool:
    """Both SSN separators hold a hyphen, or both a bracket: no plain whitespace (values of a table) and no
    range next to a bracketed value (``250-50 (1000)``)."""
    return ("-" in a and "-" in b) or (any(c in "[]()" for c in a) and any(c in "[]()" for c in b))


def _spelled_word(run: str) -> bool:
    """A ``_SPACED_CHARS`` run that spells a word: five letters or digits or more, not digits only (the digit
    rules read those), more than two distinct characters, and not the alphabet in order (``A B C D E F``)."""
    chars = run.replace(" ", "") if " " in run else run.replace("-", "")
    alnum = [c for c in chars.lower() if c.isalnum()]
    if len(alnum) < 5 or chars.isdigit() or len(set(alnum)) <= 2:
        return False
    return any(ord(b) - ord(a) != 1 for a, b in zip(alnum, alnum[1:], strict=False))


def _tight(ctx: str) -> bool:
    """A cue of any identifier type right before the value (only label punctuation between)."""
    return bool(_TIGHT_CUE.search(ctx))


# a second phone number after a slash ("#'s 525-9844 / 525 8727"): the slash joins two numbers, it is no unit
_PHONE_AFTER_SLASH = re.compile(r"[ \t]{0,2}/[ \t]{0,2}(?:\(?\d{3}\)?[ .-]?)?\d{3}[ .-]?\d{4}(?!\d)")


def _phone_pair(text: str, end: int, tok: str, ranged: bool) -> bool:
    """Local phone ``tok`` (``525-9844``) ending at ``end`` is followed by a slash and another phone number."""
    return ranged and _phone_shaped(tok) and _PHONE_AFTER_SLASH.match(text, end) is not None


def _phone_shaped(tok: str) -> bool:
    """``571-6794``: a local phone number (exchange and line), not a range, unless both ends are round."""
    lo, hi = tok.split("-")
    return len(lo) == 3 and len(hi) == 4 and lo[0] not in "01" and not (lo[-1] in "05" and hi[-1] == "0")


def _value_pair(g: str) -> bool:
    """Two values of up to four digits: intake/output (``I/O 3208/2284``) or a shift (``2300-1100``), not an
    identifier; a local phone shape (``555-1234``) is not one."""
    for sep in "/-":
        parts = g.split(sep)
        if len(parts) == 2 and all(p.isdigit() and len(p) <= 4 for p in parts):
            return sep == "/" and not (len(parts[0]) == 3 and len(parts[1]) == 4) or _clock_range(g)
    return False


def _clock_range(rng: str) -> bool:
    """Two 24-hour clock times: a shift (1900-0700), not an identifier."""
    return all(len(t) == 4 and int(t[:2]) < 24 and int(t[2:]) < 60 for t in rng.split("-"))


def _ascending(rng: str) -> bool:
    lo, hi = rng.split("-")
    return int(lo) < int(hi)
