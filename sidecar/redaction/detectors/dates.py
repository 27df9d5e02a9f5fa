"""Dates other than a bare year, in the common written forms: numeric (with two- or four-digit years, month/day
without a year, pairs, glued to a word), ISO, month names in any case, Roman-numeral months, ordinals.

Month/day without a year is guarded against what shares its shape: vitals and ventilator settings
(``12/10/40%``, ``120/80``), fractions and doses (``1/2 tab``, ``2/3 of``), scores (``5/5 strength``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sidecar.redaction.detectors.base import OpenScanner, gated, substrings
from sidecar.redaction.detectors.regex_gate import RegexGate, ascii_safe, ascii_twin, twinned
from sidecar.redaction.spans import Span

# Full names and unambiguous abbreviations in any case; Mar/May/Jun/Jul (English words too) capitalised only.
_MONTH = (
    r"(?:(?i:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june|july|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)|Mar|MAR|May|MAY|Jun|JUN|Jul|JUL)"
)
# Any case, also the months that are English words: only where a date shape leaves no other reading
# (glued to a day number, ``18-may``, ``28-MAR-22``, or a lower-case month before a day in ``_LOWER_MONTH_DAY``).
_MONTH_ANY = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
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
    "jan",
    "feb",
    "march",
    "apr",
    "june",
    "july",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|ST|ND|RD|TH)?"
_ORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|"
    r"fifteenth|sixteenth|seventeenth|eighteenth|nineteenth)"
)
# a day in words: fourteenth, twenty-first, thirtieth
_DAY_WORD = rf"(?i:{_ORD}|twentieth|thirtieth|(?:twenty|thirty)[\s-]{{0,2}}{_ORD})"
_N = r"(?:one|two|three|four|five|six|seven|eight|nine)"
# a year in words: nineteen sixty-two, two thousand and three, twenty twenty-one
_YEAR_WORD = (
    rf"(?i:(?:nineteen|eighteen|twenty)[\s-]{{1,2}}(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    rf"(?:[\s-]{{1,2}}{_N})?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    rf"hundred|oh[\s-]{{1,2}}{_N})|two thousand(?:[\s-]{{1,2}}(?:and[\s-]{{1,2}})?(?:{_N}|ten|eleven|twelve|"
    rf"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-]{{1,2}}{_N})?))?)"
)
# a year of a written date: 1800-2199 (date-shifted records, e.g. MIMIC's 2100-2200, write "July 14, 2146": a year
# left out left the year readable after the redacted month and day, issue 16's whole spans)
_YEAR = r"(?:1[89]\d\d|2[01]\d\d|'\d\d)"
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s{1,3})?"
_TIME = r"(?:,?\s{0,2}(?:at\s{1,2})?\d{1,2}:\d{2}(?::\d{2})?\s{0,2}(?:[AaPp]\.?[Mm]\.?)?)?"
_ROMAN = r"(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"
_M = r"(?:1[0-2]|0?[1-9])"
_D = r"(?:[12]\d|3[01]|0?[1-9])"
# not part of a longer number, date or decimal; letters and a dash may be glued on the left (TOXICITY-3/4/22)
_NUM_LEFT = r"(?<![\d/.])(?<!\d-)"
# what a number after a lower-case "may" or "mar" counts when it is not a day
_COUNT_WORDS = (
    r"(?i:tabs?|tablets?|caps?|pills?|doses?|units?|mg|mcg|ml|cc|g|l|times|x|hrs?|hours?|days?|wks?|weeks?|"
    r"mins?|minutes?|more|or|to|of|and|puffs?|sprays?|drops?|liters?|%)"
)

# months in Spanish, Portuguese, French, German, Italian and Dutch (model answers write dates in the patient's
# language: "21 de abril de 2026", "7 mars 2026", "11. OKTOBER 2025"); "." stands for an accented letter (août,
# février, März, março) so that the pattern stays ASCII for the hyperscan gate
_FOREIGN_MONTH = (
    r"(?i:enero|febrero|marzo|abril|mayo|junio|julio|agosto|se(?:p|pt|t)iembre|setembro|novembre|dicembre|octubre|noviembre|diciembre|"
    r"janeiro|fevereiro|mar.o|maio|junho|julho|outubro|novembro|dezembro|janvier|f.vrier|mars|avril|mai|juin|"
    r"juillet|ao.t|septembre|octobre|d.cembre|j.nner|januar|februar|m.rz|maerz|juni|juli|oktober|dezember|"
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|mei|"
    r"augustus)"
)
_NUM_PATTERNS = [
    # 21 de abril de 2026, 7 mars 2026, 11. OKTOBER 2025 (a day, a month in another language and a year:
    # whole; first, so that "27 janvier" does not stop at the English "jan")
    rf"\b{_D}(?:\.?\s{{1,2}}|\s{{1,2}}(?i:de)\s{{1,2}}){_FOREIGN_MONTH}\.?,?\s{{1,2}}(?:(?i:de)\s{{1,2}})?"
    r"(?:1[89]|2[01])\d\d\b",
    # 20 March 2022 / 5th of March, 2023 / 14 March 62
    rf"\b{_DAY}(?:\s{{1,3}}of)?\s{{1,3}}{_MONTH}\.?(?:,?\s{{1,3}}{_YEAR}\b|\s{{1,2}}\d\d\b(?![.:/-]?\d|\s{{0,2}}[%A-Za-z]))?",
    # 18-Oct, 3-JAN, 28-may (a day glued to a month by a dash; not a longer number's tail: 7-10-may)
    rf"{_NUM_LEFT}\b{_DAY}-{_MONTH_ANY}\b\.?(?!-?\d)",
    # 2023-03-20 (ISO, optional time) / 2023/03/20
    r"\b(?:1[89]|20)\d\d([-/.])(?:0?[1-9]|1[0-2])\1(?:[12]\d|3[01]|0?[1-9])(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b",  # noqa: E501
    # 03/20/2022, 3-20-22, 20.03.2022, 3/15/'61 (not a ventilator setting: 12/10/40%)
    rf"{_NUM_LEFT}{_D}([-/.]){_D}\1(?:\d{{4}}|'?\d{{2}})(?![\w/%-]|\.\d)",
    # '61-03-15 (a two-digit year with its apostrophe first)
    r"(?<![\w'])'\d\d([-/.])(?:0?[1-9]|1[0-2])\1(?:[12]\d|3[01]|0?[1-9])(?![\w/%-]|\.\d)",
    # ISO 8601 week dates and basic-format date-times: 1961-W11-3, 1961W113, 1961-W11, 19610315T0830
    r"\b(?:1[89]|20)\d\d-?W(?:0[1-9]|[1-4]\d|5[0-3])(?:-?[1-7])?\b",
    r"\b(?:1[89]|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])T\d{2}(?::?\d{2}){0,2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?\b",
    # year, month and day as the cells of a CSV row: 1961,03,15 (two-digit month and day)
    r"(?<![\w.])(?:1[89]|20)\d\d[,;](?:0[1-9]|1[0-2])[,;](?:0[1-9]|[12]\d|3[01])(?![\w]|[.,;]\d)",
    # 08/22, 03/2021 (month/year or month/day written with two-digit parts)
    r"(?<![\w/.-])(?:0[1-9]|1[0-2])/(?:\d{4}|\d{2})(?![\w/%-]|\.\d)",
    # 22-Mar-2023, 05MAR2023
    rf"\b\d{{1,2}}(?:-{_MONTH_ANY}-|[ ]?{_MONTH}[- ]?)(?:\d{{4}}|\d{{2}})\b",
    # 13 jun 2013, 4 MAY 2019 (a month in any case between a day and a four-digit year: no verb reading)
    rf"\b{_DAY}\s{{1,2}}{_MONTH_ANY}\.?,?\s{{1,2}}(?:1[89]|2[01])\d\d\b",
    # the 23rd of september, 18TH OF MAY (an ordinal day of a month in any case; sixth blind corpus)
    rf"\b(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th)\s{{1,3}}(?i:of)\s{{1,3}}{_MONTH_ANY}\b",
    # 15/III/1962, 15.III.62
    rf"(?<![\w/.-]){_D}([-/.]){_ROMAN}\1(?:\d{{4}}|\d{{2}})\b",
    # two month/day dates written as a pair: 12/10/12/11
    rf"{_NUM_LEFT}{_M}/{_D}/{_M}/{_D}(?![\w/%]|\.\d)",
]
# forms that start with a word (a month, weekday, ordinal or relative word)
_WORD_PATTERNS = [
    # March 20th, 2022 / Feb 21 2023 / Sept. 10 / MAR 5, 2023 / March the 15th, 1962
    rf"\b{_WEEKDAY}{_MONTH}\.?\s{{1,3}}(?:(?i:the)\s{{1,3}})?{_DAY}\b(?:,?\s{{1,3}}{_YEAR}\b)?{_TIME}",
    # dates in words: March fourteenth, the fourteenth of March, nineteen sixty-two
    rf"\b(?:(?i:the)\s{{1,2}})?{_DAY_WORD}\s{{1,3}}(?:(?i:of)\s{{1,3}})?{_MONTH}\b(?:,?\s{{1,3}}(?:{_YEAR}|{_YEAR_WORD})\b)?",
    rf"\b{_MONTH}\s{{1,3}}(?:(?i:the)\s{{1,2}})?{_DAY_WORD}\b(?:,?\s{{1,3}}(?:{_YEAR}|{_YEAR_WORD})\b)?",
    # March 2022 / Mar. '22 / April of 2069 / Jan-2019, may-2017 (a dash between a month in any case and a
    # four-digit year)
    rf"\b{_MONTH}\.?,?\s{{1,3}}(?:(?i:of)\s{{1,3}})?{_YEAR}\b|\b{_MONTH_ANY}\.?[-/](?:1[89]|2[01])\d\d\b",
    # may 27, jun 3, mar 5th (lower case: the verb "may" and "mar" are not followed by a day and a boundary;
    # not a dose or count: "may 2 tabs", "mar 2 units")
    rf"\b(?:may|mar|jun|jul)\.?\s{{1,2}}(?:the\s{{1,2}})?{_DAY}\b(?![.,:/-]?\d|\s{{0,2}}(?:{_COUNT_WORDS})\b)"
    rf"(?:,?\s{{1,3}}{_YEAR}\b)?",
    # last Thursday, next March (a relative date that still names a day or month)
    rf"\b(?:last|next|this past|this coming)\s{{1,3}}(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|{_MONTH})\b",
    # Oct7, May25, SEPT11, apr27th (twelfth blind corpus, kept before the season form: a month glued to its day,
    # any case; not a year: MAY2019)
    rf"\b{_MONTH_ANY}\.?{_D}(?i:st|nd|rd|th)?\b(?![.,:/-]?\d|\s{{0,2}}(?:{_COUNT_WORDS})\b)",
    # Spring 2069, fall of 2071, WINTER 2063 (a season of a four-digit year is a date element, as de-identification
    # standards count it; a season alone, "stress test in the spring", stays)
    r"\b(?i:spring|summer|fall|autumn|winter)\s{1,3}(?:(?i:of)\s{1,3})?(?:1[89]|2[01])\d\d\b(?![\w/.-]\d)",
]
_PATTERNS = _NUM_PATTERNS + _WORD_PATTERNS
# the first letter of each word form, in order (a month, a weekday, an ordinal or "the", last/next/this)
_WORD_FIRST = (
    "[JFMASONDTWjfmasondtw]",
    "[FSTENfsten]",
    "[JFMASONDjfmasond]",
    "[JFMASONDjfmasond]",  # also the lower-case month before a dash and a year
    "[mj]",
    "[lnt]",
    "[JFMASONDjfmasond]",
    "[SsFfAaWw]",
)
# month/day without a year: 3/4, 12/10 (checked against its context in ``detect``)
# and ranges: 2/13-2/15; an arrow may follow (seventh blind corpus: "8/7->8/10")
# twelfth blind corpus: or a range to a later day of the same month, "3/8-11" (group e; see ``_day_range``)
_MONTH_DAY = gated(
    r"\d", rf"{_NUM_LEFT}(?<![+]){_M}/(?P<d>{_D})(?:-{_M}/{_D}|-(?P<e>{_D}))?(?![\w/%+]|-(?!>)|:\S|\.\d)"
)
# month/day with a dash or slash, and bare years, where notes put dates: after an event or date word
# ("echo on 4-13", "cxr 4/12", "foley d/c'd 3/5", "s/p cabg in 2098", "since 1985", "extubated 16 may")
_EVENT_WORDS = (
    r"on|since|dated|until|till|thru|echo|tte|tee|cxr|ct|cta|mri|mra|ekg|ecg|eeg|kub|egd|ercp|cath|admitted|"
    r"admit|adm|readmitted|d/?c'?d|discharged|extubated|intubated|reintubated|placed|started|stopped|removed|"
    r"sent|drawn|due|likely|appt|done|born|dob|transferred|xfer|visit|last|next|"
    # report headers and labels (third blind corpus): "DOS 3-2", "Date of surgery: 12-15", "Collected: 3-6",
    # "SOCIAL WORK NOTE 1-28", "compared with 11-17", "signed: ..., PharmD 2-5"
    r"date|dos|collected|received|signed|dictated|compared[ \t]{1,2}(?:with|to)|comparison|study|surgery|note|"
    r"request|reconciliation|evaluation|eval|admission|discharge|seen|pharmd|md|rn|np|dpt|pa-c|"
    # seventh blind corpus: a nursing note's heading and the procedures notes plan ("NPN 9-22", "trach/PEG 9-28")
    r"npn|peg|trach|procedure|bronch|biopsy|"
    # eighth blind corpus: neuro and cardiac surgery events, meetings and plans ("aneurysm coiled 10.25",
    # "family mtg held 11-15", "dc to rehab planned for 4.19")
    r"coiled|clipped|embolized|held|mtg|meeting|(?:planned|scheduled)[ \t]{1,2}for|"
    r"s/p(?:[ \t]{1,2}[a-z]{2,10})?|"
    # a weekday before a month/day: "cabg planned for sat 2/23", "will readdress tuesday 11-2"
    r"mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|sun|sunday"
)
# a clock time after a month/day: "2-20 0300 desat", "3/4@1400 lactate"
_TIME_AFTER = re.compile(r"(?:[ \t]{1,2}|[ \t]?@[ \t]?)(?:[01]\d|2[0-3]):?[0-5]\d(?![\w./-]|:\d)")
_FRACTIONS = frozenset(("1/2", "1/3", "2/3", "1/4", "3/4"))  # "took 1/2 0800 dose": no date before a time
_FRACTIONS = frozenset(("1/2", "1/3", "2/3", "1/4", "3/4"))  # "took 1/2 0800 dose": no date before a time
# what an ordinal counts when it is not a day of the month ("the 4th floor", "5th attempt", "the 2nd unit")
_ORDINAL_NOUNS = (
    r"(?i:floor|fl|day|days|dose|doses|attempt|try|time|times|grade|cycle|round|percentile|ribs?|ics|"
    r"intercostal|toe|finger|digit|level|week|wk|month|year|line|nerve|ventricle|street|st|ave|avenue|position|place|"
    r"degree|trimester|lumbar|cervical|thoracic|pod|hd|shift|unit|units|bag|liter|l|of[ \t]{1,2}(?:the|\d))\b"
)
# a day of the month as an ordinal where notes date an event: "cath on the 10th", "on 5TH at 10am", "12th@1400",
# "16th 0800 cxr" (not "on the 4th floor", "on 5th attempt")
_ORDINAL = gated(
    r"[oOsSuUtTbBfF\d]",
    r"(?i:\b(?:on|since|until|till|by|from)[ \t]{1,2}(?:the[ \t]{1,2})?)"
    r"(?P<d>(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th))\b"
    rf"(?![ \t]{{1,2}}{_ORDINAL_NOUNS})"
    r"|(?<![\w/.-])(?P<t>(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th))"
    r"(?=[ \t]?@[ \t]?\d|[ \t]{1,2}(?:[01]\d|2[0-3])[0-5]\d\b"
    # seventh blind corpus: a day before the conjunction that dates what followed it ("from Penwick 10TH AFTER CT")
    r"|[ \t]{1,2}(?i:after|before|when)\b)"
    # eighth blind corpus: "the Nth" closing a clause or before "w/", "@" ("R IJ placed the 23rd,", "family mtg held
    # the 27th w/ Dr", "prior to admit the 12th."); "on the 4th floor", "the 2nd dose" go on to a noun
    r"|(?<![\w/.-])(?i:the)[ \t]{1,2}(?P<c>(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th))"
    r"(?=[ \t]{0,2}(?:[,;:)\n]|\.(?:[ \t\n]|\Z)|\Z|[wW]/|@))",
)
# tenth blind corpus: an ordinal day written alone where it closes a clause or before at/by/for ("trach placed 21st
# by dr x", "admitted 18th.", "MVC 4TH,", "family mtg 23RD AT 1400"); not 1st-3rd, which count ("cx sent 2nd."),
# nor an ordinal before a noun ("4th floor", "5th attempt")
_BARE_ORDINAL = gated(
    r"\d",
    r"(?<![\w/.#-])(?P<b>(?:[12]\d|3[01]|[4-9])(?i:st|nd|rd|th))"
    r"(?=[ \t]{0,2}(?:[,;:)\n]|\.(?:[ \t\n]|\Z)|\Z|[wW]/|@)|[ \t]{1,2}(?i:at|by|for)\b)",
)
# tenth blind corpus: a month/day glued to the event word before it ("a-line placed5-9", "D/C'D10/2", "adm3/4")
_GLUED_EVENT_DATE = gated(
    r"[pPrRsSdDaAeEiIbBcCoO]",
    r"(?i:\b(?:on|placed|removed|started|stopped|changed|inserted|d/?c'?d|admitted|adm|extubated|intubated|"
    r"reintubated|born|sent|drawn))"
    rf"(?P<g>{_M}[/-]{_D})(?![\w/%+-]|\.\d|:\d)",
)
# eleventh blind corpus: "the Nth" where notes date an event with it: after an event word or a verb in the past
# ("adm the 19th from", "PEG placed the 1st by GI", "last BM the 11th per pt"), or before a number, a clock
# preposition or a clause's preposition ("PTT the 8th 64", "cxr the 6th at 0400"); not before a counted noun
# ("the 4th floor", "the 2nd dose": _ORDINAL_NOUNS), nor "the 2nd and 3rd"
_THE_ORDINAL = gated(
    r"[tT]",
    r"(?<![\w/.-])(?i:the)[ \t]{1,2}(?P<o>(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th))\b"
    rf"(?![ \t]{{1,2}}{_ORDINAL_NOUNS})"
    r"(?P<n>[ \t]{1,2}(?:\d{1,4}(?![\w%/]|\.\d)|(?i:at|by|for|from|per|w/?|with|via|after|before|when|am|pm)\b))?",
)
# twelfth blind corpus: a day written as an ordinal right after an admission, airway or accident word ("admitted
# 1st from X", "S/P MVC 3RD ON RTE 9", "extubated 2nd"); not before a counted noun ("intubated 2nd attempt") nor
# "2nd to", secondary to ("admitted 2nd to sepsis")
_EVENT_ORDINAL = twinned(gated(
    r"[aArReEiItTdDmMfF]",
    r"(?<![\w/])(?i:admitted|adm|readmitted|extubated|intubated|reintubated|transferred|discharged|mvc|mva|fell)"
    rf"[ \t]{{1,2}}(?P<x>(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th))\b(?![ \t]{{1,2}}(?:{_ORDINAL_NOUNS}|(?i:to)\b))",
))
# eleventh blind corpus: a month-day with a dash or a dot alone in parentheses after a word ("sputum cx (8-22)",
# "s/p cath(6.19)"); not a value's earlier value or range after a number or a measure ("Cr 1.4 (1.1)", "RR (12-22)")
_PAREN_DATE = gated(r"\(\d", rf"\((?P<p>{_M}[-.]{_D})\)")
_PAREN_WORD_BEFORE = re.compile(r"[A-Za-z]{2,}[ \t]{0,2}\Z")
# eleventh blind corpus: a month-day with a dash or a dot after a verb in the past or a word of timing ("trach
# changed 11-13 by", "hep B given 9.28", "code called 4.9 1930" (a dotted one after a verb in the past only before
# a clock time: "diuresed 1.2" is a quantity), "ordered for 7-21",
# "tf to start 8-1"), and a dotted one after an event word before any word but a unit ("cxr done 3.23 wife");
# not a dose or a range ("increased 2.5 mg", "titrated 1.5 to 2", "weaned 2-3 L")
_VERB_DATE = gated(r"\d", rf"(?<=[A-Za-z:][ \t])(?P<v>{_M}(?P<sep>[-.]){_D})(?![\w%/+]|[-.:]\d)")
_VERB_BEFORE = twinned(re.compile(
    r"(?i:\b(?:[a-z]{2,}(?:ed|'d)|given|taken|drawn|seen|for|start|restart|resume|extubate|extubation|picc|ppm|icd|"
    r"aicd|pacer|pacemaker)"
    r"[ \t]{1,3}(?:(?:on|of)[ \t]{1,2})?)\Z"
))
# a test's date between its name and its value ("ABG 12-26 7.31/55", "PTT 11-25 64", "bili 10.18 9.2/0.3")
_TEST_BEFORE = twinned(re.compile(
    r"(?i:\b(?:abg|vbg|ptt|inr|bili|hct|hgb|wbc|lactate|trop|ck|cpk|cbc|lfts|lytes|labs):?[ \t]{1,2})\Z"
))
_VALUE_AFTER = re.compile(r"[ \t]{1,2}\.?\d")
# an airway or tube and its size ("trach 7.5 shiley", "ETT 8.0", "#6.5 cuffed"): a dotted number with one digit
# after the dot is a size there, not a month.day
_TUBE_SIZE = re.compile(r"(?i:\b(?:trach|ett|et[ \t]tube|tube|ngt|ogt|shiley|portex|bivona|size|sz)[ \t]{1,2}#?)\Z")
# cue words after which a dotted number is as often a quantity (``_VERB_DATE``)
_QUANTITY_CUE = re.compile(r"(?i:(?:ed|'d|\bon|\bsince|\buntil|\btill|\bthru)[ \t]{1,3}(?:(?:on|of)[ \t]{1,2})?)\Z")
_NOT_DATE_AFTER = re.compile(
    r"[ \t]{0,2}(?:(?i:mg|mcg|g|gm|kg|ml|cc|l|lpm|meq|u|units?|liters?|mmol|hrs?|h|mins?|days?|x|times|%|to|or|-|->)"
    r"(?![A-Za-z])|/)"
)
# the ordinals _ORDINAL can find, for open_at: its findings are the ordinal alone (groups d and t), the cue before
# it is left context, so a stream holds from where an ordinal could begin, never from the cue ("since the")
_ORDINAL_OPEN = gated(r"\d", r"(?<![\w/.-])(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th)")
# words after a lower-case "16 may" that leave no verb reading ("extubated 16 may to 4L", not "2 may be")
_AFTER_DAY_MONTH = r"(?:w/|(?i:to|with|at|and|for|by|pending|after|before|showed|shows|vs|from|in|on)\b)"
# a four-digit number that is a count or a dose, not a year: "2000 mg", "2000cc", "1500/1800"
_NOT_A_QUANTITY = (
    r"(?!\w|[ \t]{0,2}(?:[/.:%-]\d|(?i:mg|mcg|g|ml|cc|l|kcal|cal|units?|u|hrs?|h|mins?|x|times|pm|am|ft|m)\b))"
)
# sixth blind corpus: a dotted month.day ("admitted 4.20 with gi bleed", "born on 7.23 and"), only before what
# ends a date's clause (not "on 2.5 L", "started 2.5 mg"); a lower-case "may 12" ("born on may 12 and")
_B6_CUED = (
    rf"|{_NUM_LEFT}{_M}\.{_D}(?![\w/%+.-]\w|:\d|[\w%])"
    r"(?=[ \t]{0,2}(?:[,;:)\n]|\.(?:[ \t\n]|\Z)|\Z|w/|@|(?i:for|from|with|and|at|to|by|in|on|w|after|before|when)\b)"
    r"|[ \t]{2})"  # two blanks end a heading's date ("nursing note 6.14  neuro:")
    r"|(?<![\w/.-])(?:may|mar|jun|jul)[ \t]{1,2}(?:[12]\d|3[01]|0?[1-9])(?![\w/.:-]?\d|\w)"
    r"(?![ \t]{0,2}(?i:tabs?|mg|mcg|units?|doses?|times|x|ml|cc|puffs?|%|more)\b)"
)
# the date itself, found by its digits (cheap on prose); the cue before it is checked in ``detect``
_CUED_DATE = gated(
    r"[\dmj]",
    rf"(?P<d>{_NUM_LEFT}{_M}/{_D}(?![\w/%+-]|\.\d|:\d)"
    + _B6_CUED
    + rf"|{_NUM_LEFT}{_M}-{_D}(?![\w/%+-]|\.\d|:\d|[ \t]{{0,2}}[A-Za-z]{{2,}}[sS]\b)"  # not "on 2-3 pressors"
    # "16 may" in lower case
    rf"|(?<![\w/.-]){_DAY}[ \t]{{1,2}}(?:mar|may|jun|jul)\b(?=[ \t]{{0,2}}(?:[.,;:)\n]|\Z|{_AFTER_DAY_MONTH})))",
)
_EVENT_BEFORE = twinned(re.compile(rf"(?i:\b(?:{_EVENT_WORDS}):?[ \t]{{1,3}}(?:(?:on|of)[ \t]{{1,2}})?)\Z"))
# fourth blind corpus (issue 16): day/month with the day first (`last bm 14/7`, `admitted 28/4`), after an event
# word; and two more cues for any month/day: `bm`, `meeting` (`last bm 7-18`, `family meeting 9-13`), and a
# consult's doctor in parentheses (`seen by GI (Dr. Sousa) 6-18`)
_B4_DAY_MONTH = gated(r"[123]", rf"{_NUM_LEFT}(?:1[3-9]|2\d|3[01])/{_M}(?![\w/%+-]|\.\d|:\d)")
_B4_EVENT_BEFORE = twinned(re.compile(
    r"(?i:\b(?:bm|meeting|conference|mtg)[ \t]{1,3}(?:(?:on|of)[ \t]{1,2})?"
    r"|\((?:drs?\.?)[ \t]?[^()\n]{1,40}\)[ \t]{1,2}"
    # eighth blind corpus: the date of a post-operative or hospital day in parentheses ("POD#2 (4-14)", "HD 3 (3-9)")
    r"|\b(?:pod|hd)[ \t]?#?[ \t]?\d{1,2}[ \t]{0,2}\()\Z"
))
# known miss classes (issue 16): month-day with a dash after the words notes date an event with that
# _EVENT_WORDS lacks: a culture, a drink, a fall or seizure, a plan or follow-up, also with `from` between (`cx from
# 8-2`, `last drink 1-18`, `f/u 9-30`). `from` alone is no cue: `from 7-4` is a span of clock hours. After `from` a
# pair followed by `to` and a bare number is a range (`cx from 8-10 to 4`).
_KM_EVENT_BEFORE = twinned(re.compile(
    r"(?i:\b(?:cx|bcx|ucx|cultures?|drink|drank|etoh|fall|fell|seizure|sz|scheduled|planned|booked|f/u|"
    r"follow-?up|pending):?[ \t]{1,3}(?:(?:on|of|from)[ \t]{1,2})?"
    r"|\bfrom[ \t]{1,2}\d{1,2}-\d{1,2}[ \t]{1,2}(?:to|thru|through|until)[ \t]{1,2})\Z"  # `from 8-2 to 8-5`
))
_KM_RANGE_AFTER = re.compile(r"[ \t]{0,2}(?:(?i:to)|->|-)[ \t]{0,2}\d{1,3}(?![\d/-])")
# a month/day alone on its line (a letter's date line)
_OWN_LINE = re.compile(r"[ \t]{0,3}(?:\n|\Z)")
# a bare year in a note's history shorthand: "s/p cabg in 2098", "hx of ESRD, on HD since 1985". A year alone
# is no Safe Harbor identifier ("Diagnosed in 2021" stays); in the clipped history of a note it dates an event
# the way de-identification standards count.
_YEAR_IN = gated(r"[12]", rf"(?<![\w/.-])(?:19|20|21)\d\d{_NOT_A_QUANTITY}")
_YEAR_CUE_BEFORE = re.compile(
    r"(?i:\b(?:s/p|status[ \t]post|dx|hx|h/o)(?![\w/])[^.;\n]{0,40}?\b(?:in|since)[ \t]{1,3})\Z"
)
# every match of _YEAR_CUE_BEFORE holds one of these, lower-cased (speed: an ASCII text without them has no cued year)
_YEAR_CUE_WORDS = ("s/p", "status", "dx", "hx", "h/o")
_YEAR_CUE_WORD = substrings(_YEAR_CUE_WORDS)  # speed: one scan for all of them
# what makes ``#/#`` a measure, ratio, fraction or score rather than a date
_MEASURE_AFTER = re.compile(
    r"\s{0,2}(?:of|tabs?|tablets?|caps?|capsules?|pills?|doses?|strength|str|cups?|tsp|tbsp|teaspoons?|inch(?:es)?|"
    r"cm|mm|mg|mcg|g|ml|l|units?|times|x|ns|normal|packs?|pk|ppd|ways?|hrs?|h|mins?|sec|days?|wks?|weeks?|amps?|"
    r"mos?|months?|yrs?|years?|lpm|l/min|power|motor|sensation|reflex(?:es)?|pulses?|bilat\w{0,5}|throughout|"
    r"ue|le|b/l|scale|score|(?:[a-z]{2,12}[ \t]{1,2})?pain|rule|split|dilution|ratio|strength|grade|murmur|sounds?|"
    # thirteenth blind corpus: a murmur's grade before its kind ("3/6 SEM", "2/6 HSM", "4/6 systolic")
    r"sem|hsm|sm|dm|systolic|diastolic|holosystolic|"
    # a strength grade (third blind corpus: "4+/5 in hip flexors, 5/5 elsewhere")
    r"elsewhere|globally|symmetric\w{0,4}|proximal\w{0,4}|distal\w{0,4}|in[ \t]{1,2}(?:all|bilat\w{0,5}|b/l|bue|ble|"
    r"upper|lower|(?:the[ \t]{1,2})?(?:l|r|left|right)[ \t]{1,2}(?:ue|le|upper|lower|arm|leg|hand|hip|knee)|"
    r"hips?|knees?|ankles?|shoulders?|elbows?|wrists?|grip))\b",
    re.I,
)
# a nursing note's shift written as its hours after the note's header ("NPN 3-11", "nursing note 7-3", "shift
# 11-7"): the standard shifts with a dash are hours, not a month and day ("NPN 3/11" stays a date)
_SHIFT_PAIRS = frozenset(
    ("7-3", "3-11", "11-7", "7-7", "7-19", "19-7", "23-7", "15-23", "7-15", "8-4", "4-12", "12-8", "8-8", "8-20",
     "20-8", "7-11", "11-11")
)
_SHIFT_HEADER_BEFORE = re.compile(
    r"(?i:\b(?:npn|nsg|nursing(?:[ \t]progress)?[ \t]note|progress[ \t]note|rn[ \t]note|shift|note))[ \t:#-]{1,3}\Z"
)
_MEASURE_BEFORE = re.compile(
    r"(?:\b(?:bp|b/p|blood pressure|pupils?|perrla?|ratio|i:e|score|grade|strength|motor|power|gcs|apgars?|fio2|peep|"
    r"vent|psv|ps|cpap|bipap|ac|simv|rate|rr|hr|pulse|tv|sat|o2|murmur|pain|sbp|dbp|map|nbp|abp|cvp|pap|pa|x|"
    # twelfth blind corpus: a pain score after "CP" (chest pain), a twitch count after "train of four"
    r"cp|tof|train[ \t]of[ \t]four|twitch(?:es)?|"
    r"day|d|pod|hd|dol|c/o|rates?|rated|rating|endorses)\s{0,3}[:=#]?\s{0,2}|[x*])$",  # ABX D#3/7, c/o 8/10
    re.I,
)


_SHORT_PAIR = re.compile(r"\d{1,2}/\d{2}")  # month/year or month/day, no third part


# Prefilter triggers (hyperscan syntax): every finding of this detector contains one of them.
TRIGGERS: tuple[bytes, ...] = (
    rb"\d{5}",
    rb"\d[\s.)-]\s?\d{4}",
    rb"[A-Za-z#]\d{4}",  # 05MAR2023
    rb"\d{4}[-/.]\d",  # ISO dates
    rb"\d[\d-]{3,}\d",
    rb"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d",
    rb"\d[-/.]\d{1,2}[-/.]\d\d",  # numeric dates
    rb"\d[-/.]\d{1,2}[-/.]'\d\d",  # numeric dates with an apostrophe year (3/15/'61)
    rb"'\d\d[-/.]\d",  # '61-03-15
    rb"\d\d-?W\d\d",  # ISO week dates (1961-W11-3)
    rb"\d{8}T\d\d",  # ISO basic date-times (19610315T0830)
    rb"\d{4}[,;]\d\d[,;]\d\d",  # CSV cells (1961,03,15)
    rb"\d\d/\d\d",  # mm/yy, mm/dd
    rb"\d/\d",  # month/day without a year
    rb"\d[-/.][IVX]",  # Roman-numeral months
    rb"(?i)\d[- ]?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    # a day before a month in another language (``_FOREIGN_MONTH``: 21 de abril, 11. OKTOBER, 21 août)
    # (the prefilter reads a non-ASCII letter as x: fxvrier, aoxt, mxrz, jxnner, marxo, dxcembre)
    rb"(?i)\d\.?\s{1,2}(?:de\s{1,2})?(?:ener|febr|feve|fevr|marz|marc|mars|maer|abri|avri|apri|mayo|maio|mai\b|"
    rb"magg|mei\b|juni|juli|juin|juil|janu|jann|janv|jane|lugl|giug|genn|agos|aout|augu|sept|sete|sett|octu|octo|"
    rb"okto|outu|otto|novi|nove|dici|deze|dece|fxvr|aoxt|mxrz|jxnn|marx|dxce|"
    rb"junh|julh|seti|febb|maar|dice)",
    rb"\b(?:last|next|this past|this coming)\s+[A-Z]",  # relative dates
    # month names, as ``_MONTH`` takes them (prefixes: "Jan" also finds "January")
    rb"(?i)\b(?:jan|feb|apr|aug|sep|oct|nov|dec|march|june|july)",
    rb"\b(?:Mar|MAR|May|MAY|Jun|JUN|Jul|JUL)",
    rb"(?i)\b(?:mar|may|jun|jul)[-/](?:1[89]|2[01])\d\d",  # a lower-case month, a dash and a year (may-2017)
    rb"\b(?:may|mar|jun|jul)\.?\s{1,2}(?:the\s{1,2})?\d",  # lower case before a day
    rb"\b\d{1,2}-\d{1,2}\b",  # month-day with a dash after an event word (echo on 4-13)
    rb"[A-Za-z']\d{1,2}-\d{1,2}\b",  # ... glued to its event word (a-line placed5-9: _GLUED_EVENT_DATE)
    rb"(?i)\b(?:in|since)\s{1,3}(?:19|20|21)\d\d\b",  # a bare year in a note's history (s/p cabg in 2098)
    rb"(?i)\d(?:st|nd|rd|th)\b",  # a day of the month as an ordinal (cath on the 10th)
    # a dotted month.day after an event word (admitted 4.20); a decimal alone wakes nothing (K 3.4 in prose)
    rb"(?i)\b(?:" + _EVENT_WORDS.encode() + rb"):?\s{1,3}(?:(?:on|of)\s{1,2})?\d{1,2}\.\d{1,2}\b",
    # ... and after the other cues ``_CUED_DATE`` takes (every finding holds a trigger, or a stream that has not
    # yet read a far trigger releases it): a post-operative or hospital day's parenthesis, a bowel movement or
    # meeting, a consultant in parentheses, a date alone on its line, a time right after it
    rb"(?i)\b(?:pod|hd)\s?#?\s?\d{1,2}\s{0,2}\(\d{1,2}\.\d{1,2}\b",
    rb"(?i)\b(?:bm|meeting|conference|mtg)\s{1,3}(?:(?:on|of)\s{1,2})?\d{1,2}\.\d{1,2}\b",
    rb"(?i)\(drs?\.?\s?[^()\n]{1,40}\)\s{1,2}\d{1,2}\.\d{1,2}\b",
    rb"\n\d{1,2}\.\d{1,2}[ \t]{0,3}(?:\n|$)",
    rb"\d\.\d{1,2}(?:[ \t]{1,2}|[ \t]?@[ \t]?)[0-2]\d:?[0-5]\d",
    rb"\b(?:may|mar|jun|jul)\s{1,2}\d",  # a lower-case month and day after an event word (born on may 12)
    rb"(?i)\b(?:mar|may|jun|jul)\.?\d",  # twelfth blind corpus: a lower-case month glued to its day (may25)
    # eleventh blind corpus: a dotted month.day after a verb in the past or an event word (_VERB_DATE), alone in
    # parentheses (_PAREN_DATE)
    rb"(?i)(?:[a-z](?:ed|'d)|given|taken|drawn|seen|for|start|restart|resume|extubate|"
    + _EVENT_WORDS.encode() + rb")\s{1,3}(?:(?:on|of)\s{1,2})?\d{1,2}\.\d{1,2}\b",
    rb"\(\d{1,2}[-.]\d{1,2}\)",
    rb"(?i)\b(?:abg|vbg|ptt|inr|bili|hct|hgb|wbc|lactate|trop|ck|cpk|cbc|lfts|lytes|labs):?\s{1,2}\d{1,2}\.\d{1,2}"
    rb"\s{1,2}\.?\d",
    rb"(?i)\b(?:bm|meeting|conference|mtg|cx|bcx|ucx|cultures?|f/u|pending|from)\s{1,3}\d{1,2}\.\d{1,2}\b",
    rb"(?i)\b(?:spring|summer|fall|autumn|winter)\s{1,3}(?:of\s{1,3})?(?:1[89]|2[01])\d\d",  # a season of a year
)


class DateDetector:
    name = "dates"
    types = frozenset({"DATE"})
    triggers = TRIGGERS
    reach = 80

    def __init__(self) -> None:
        def named(i: int, p: str) -> str:  # each alternative gets its own back-reference group name
            return f"(?:{p.replace('([-/.])', f'(?P<s{i}>[-/.])').replace(chr(92) + '1', f'(?P=s{i})')})"

        def flat(ps: list[str]) -> re.Pattern[str]:  # hyperscan takes no back-reference: a superset without
            return re.compile("|".join(f"(?:{p.replace(chr(92) + '1', '[-/.]')})" for p in ps))

        # two regexes, so that a text without month names skips the word forms (one hyperscan gate says which)
        num, word = _NUM_PATTERNS, _WORD_PATTERNS
        self._num = gated(r"\d", "|".join(named(i, p) for i, p in enumerate(num)))
        # a word alternative starts at a word boundary: letters inside words fail on the first test
        # one regex per word form: the gate runs only the forms whose words the text holds
        self._words = [
            gated(rf"(?<![A-Za-z]){first}", named(i, p))
            for i, (p, first) in enumerate(zip(word, _WORD_FIRST, strict=True))
        ]
        self._num_flat = flat(num)
        self._words_flat = [flat([p]) for p in word]
        self._gate = RegexGate(
            [self._num_flat, _MONTH_DAY, _CUED_DATE, _YEAR_IN, _ORDINAL, _BARE_ORDINAL, _GLUED_EVENT_DATE,
             *self._words_flat]
        )
        # open_at asks once for all word forms (one alternation is cheaper than five partial searches)
        words = gated(r"(?<![A-Za-z])[JFMASONDTWElntjfmasondtwe]", "|".join(named(i, p) for i, p in enumerate(word)))
        self._open = OpenScanner(
            [self._num, _MONTH_DAY, _CUED_DATE, _YEAR_IN, _ORDINAL_OPEN, words, _B4_DAY_MONTH, _GLUED_EVENT_DATE,
             _THE_ORDINAL, _PAREN_DATE, _VERB_DATE]
        )
        self.reach = max(self.reach, self._open.reach)

    def detect(self, text: str) -> Iterable[Span]:
        can = self._gate.possible_patterns(text)
        tw = ascii_twin if ascii_safe(text) else _same  # speed: re.ASCII twins, same matches on such text
        # the gate holds, per regex run here, the flat form hyperscan takes (no back-reference)
        num = tw(self._num)
        out = (
            [Span(m.start(), m.end(), "DATE", 0.7) for m in num.finditer(text) if not self._count(text, m)]
            if self._num_flat in can
            else []
        )
        for rx, flat_rx in zip(self._words, self._words_flat, strict=True):
            if flat_rx in can:
                out.extend(Span(m.start(), m.end(), "DATE", 0.7) for m in tw(rx).finditer(text))
        for m in tw(_MONTH_DAY).finditer(text) if _MONTH_DAY in can else ():
            if _MEASURE_AFTER.match(text, m.end()) or _MEASURE_BEFORE.search(text, max(0, m.start() - 24), m.start()):
                continue
            if _culture_count(text, m) or _fluid_fraction(text, m) or m.group("e") and not _day_range(m):
                continue
            out.append(Span(m.start(), m.end(), "DATE", 0.6))
        for m in tw(_CUED_DATE).finditer(text) if _CUED_DATE in can else ():
            a = m.start()
            own_line = _OWN_LINE.match(text, m.end()) and text[a - 1 : a] == "\n"
            cued = _EVENT_BEFORE.search(text, max(0, a - 24), a) or own_line or (
                _TIME_AFTER.match(text, m.end())
                and not _MEASURE_BEFORE.search(text, max(0, a - 24), a)
                and m.group() not in _FRACTIONS
            )
            cued = cued or _B4_EVENT_BEFORE.search(text, max(0, a - 48), a) or self._km_cued(text, m)
            if m.group() in _SHIFT_PAIRS and _SHIFT_HEADER_BEFORE.search(text, max(0, a - 28), a):
                continue  # "NPN 3-11": the shift's hours
            if cued and not _MEASURE_AFTER.match(text, m.end()):
                if m.group() in _FRACTIONS and _ROUTE_AFTER.match(text, m.end()):
                    continue  # "BM 1/2 po": breast milk at half strength
                out.append(Span(a, m.end(), "DATE", 0.6))
        for m in tw(_B4_DAY_MONTH).finditer(text) if "/" in text else ():
            a = m.start()
            cued = _EVENT_BEFORE.search(text, max(0, a - 24), a) or _B4_EVENT_BEFORE.search(text, max(0, a - 48), a)
            if cued and not _MEASURE_AFTER.match(text, m.end()):
                out.append(Span(a, m.end(), "DATE", 0.6))
        for m in tw(_ORDINAL).finditer(text) if _ORDINAL in can else ():
            g = "d" if m.group("d") else "t" if m.group("t") else "c"
            out.append(Span(m.start(g), m.end(g), "DATE", 0.6))
        for m in tw(_GLUED_EVENT_DATE).finditer(text) if _GLUED_EVENT_DATE in can else ():
            if m.group("g") not in _FRACTIONS and not _MEASURE_AFTER.match(text, m.end()):
                out.append(Span(m.start("g"), m.end("g"), "DATE", 0.6))
        for m in tw(_BARE_ORDINAL).finditer(text) if _BARE_ORDINAL in can else ():
            out.append(Span(m.start("b"), m.end("b"), "DATE", 0.6))
        out.extend(self._ordinals_dashes_and_dots(text))
        for m in tw(_YEAR_IN).finditer(text) if _YEAR_IN in can and _year_cue_possible(text) else ():
            a = m.start()
            if _YEAR_CUE_BEFORE.search(text, max(0, a - 64), a):
                out.append(Span(a, m.end(), "DATE", 0.6))
        return out

    def open_at(self, text: str, start: int = 0) -> int:
        return self._open.open_at(text, start)

    @staticmethod
    def _ordinals_dashes_and_dots(text: str) -> list[Span]:
        """Eleventh blind corpus: "the Nth" after an event word or before a number or preposition
        (``_THE_ORDINAL``); a dash or dot month-day alone in parentheses after a word (``_PAREN_DATE``) or after a
        verb in the past, a word of timing, or (dotted) an event word, when no unit or range follows it
        (``_VERB_DATE``). Twelfth blind corpus: an ordinal right after an admission, airway or accident word
        (``admitted 1st``, ``MVC 3RD``: ``_EVENT_ORDINAL``)."""
        out: list[Span] = []
        ordinal = _ORDINAL_OPEN.search(text) is not None  # speed: one search for both ordinal rules
        for m in _THE_ORDINAL.finditer(text) if ordinal else ():
            a = m.start()
            if m.group("n") or _EVENT_BEFORE.search(text, max(0, a - 24), a) or _KM_EVENT_BEFORE.search(
                text, max(0, a - 32), a
            ):
                out.append(Span(m.start("o"), m.end("o"), "DATE", 0.6))
        for m in _EVENT_ORDINAL.finditer(text) if ordinal else ():
            out.append(Span(m.start("x"), m.end("x"), "DATE", 0.6))
        for m in _PAREN_DATE.finditer(text) if "(" in text else ():
            a = m.start()
            if _PAREN_WORD_BEFORE.search(text, max(0, a - 32), a) and not _MEASURE_BEFORE.search(
                text, max(0, a - 24), a
            ):
                out.append(Span(m.start("p"), m.end("p"), "DATE", 0.6))
        for m in _VERB_DATE.finditer(text) if "-" in text or "." in text else ():
            a = m.start()
            cue = _VERB_BEFORE.search(text, max(0, a - 24), a) or m.group("sep") == "." and (
                _EVENT_BEFORE.search(text, max(0, a - 24), a)
                or _B4_EVENT_BEFORE.search(text, max(0, a - 48), a)
                or _KM_EVENT_BEFORE.search(text, max(0, a - 32), a)
            )
            if cue and m.group("sep") == "." and _QUANTITY_CUE.search(cue.group()):
                # "diuresed 1.2", "received 1.5", "on 1.5": a quantity, unless a clock time dates it ("called 4.9 1930")
                cue = _TIME_AFTER.match(text, m.end())
            cue = cue or _TEST_BEFORE.search(text, max(0, a - 12), a) and _VALUE_AFTER.match(text, m.end())
            one_digit_dot = m.group("sep") == "." and m.end() - m.end("sep") == 1
            if cue and one_digit_dot and _TUBE_SIZE.search(text, max(0, a - 16), a):
                continue
            if cue and not (_NOT_DATE_AFTER.match(text, m.end()) or _MEASURE_AFTER.match(text, m.end())):
                out.append(Span(a, m.end(), "DATE", 0.6))
        return out

    @staticmethod
    def _km_cued(text: str, m: re.Match[str]) -> bool:
        """A month-day with a dash (valid month and day: ``_CUED_DATE``) after a known-miss event cue, not a range
        going on to a bare number (``from 8-10 to 4``)."""
        a = m.start()
        if "-" not in m.group() or not _KM_EVENT_BEFORE.search(text, max(0, a - 32), a):
            return False
        return not (text[a - 5 : a].lower().endswith("from ") and _KM_RANGE_AFTER.match(text, m.end()))

    @staticmethod
    def _count(text: str, m: re.Match[str]) -> bool:
        """``#/##`` after a count or measure word (``DAY 11/14``, ``BP 12/10``) is a count or a ratio, not a
        month/year; the same shape elsewhere (``seen 11/14``) stays a date."""
        a = m.start()
        return bool(_SHORT_PAIR.fullmatch(m.group()) and _MEASURE_BEFORE.search(text, max(0, a - 24), a))


# bottles of a blood culture set that grew (``blood cx 2/4 GPC in clusters``, ``BCX 1/2 BOTTLES GNR``)
_CULTURE_BEFORE = re.compile(r"(?i:\b(?:cx|cxs|bcx|culture|cultures)[ \t]{1,2}(?:(?:now|are|is|with|w/)[ \t]{1,2})?\Z)")
_GROWTH_AFTER = re.compile(r"[ \t]{1,2}(?i:bottles?|btls?|gpc|gpcs|gnr|gnrs|gpr|gprs|gnc|gram)\b")


def _culture_count(text: str, m: re.Match[str]) -> bool:
    """``#/#`` right after a culture word and before bottles or a Gram stain (``blood cx 2/4 GPC``), at most as
    many bottles grown as drawn (up to 6): a count of bottles, no date (``cx 2/14 GPC`` stays a date)."""
    parts = m.group().split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 0 < int(parts[0]) <= int(parts[1]) <= 6:
        return False
    return bool(_CULTURE_BEFORE.search(text, max(0, m.start() - 24), m.start()) and _GROWTH_AFTER.match(text, m.end()))


def _day_range(m: re.Match[str]) -> bool:
    """A month/day and a dash before a later day of the same month, within two weeks (``3/8-11``, ``12/4-7``), is a
    range of dates; ``1/2-1 tab``, ``10/5-3`` (the second number not after the first) are not."""
    d, e = int(m.group("d")), int(m.group("e"))
    return m.group().split("-")[0] not in _FRACTIONS and d < e <= d + 14


def _same(rx: re.Pattern[str]) -> re.Pattern[str]:
    return rx


# eleventh blind corpus (PHI-free notes): a fraction after a fluid or feed, or before a route or rate, is a
# strength ("D5 1/2 @ 100", "24cal BM 1/2 po"), not January 2nd
_FLUID_BEFORE = re.compile(r"(?i:\b(?:d5|d10|d5w|ns|lr|bm|ebm|formula|tf|feeds?)[ \t]{1,2})\Z")
_ROUTE_AFTER = re.compile(r"[ \t]{0,2}(?:@|(?i:po|pg|ng|og|via)\b)")


def _fluid_fraction(text: str, m: re.Match[str]) -> bool:
    """``m`` (a month/day) is a fraction of a fluid or feed: ``D5 1/2``, ``1/2 po``."""
    if m.group() not in _FRACTIONS:
        return False
    return bool(_FLUID_BEFORE.search(text, max(0, m.start() - 12), m.start()) or _ROUTE_AFTER.match(text, m.end()))


def _year_cue_possible(text: str) -> bool:
    """Whether ``_YEAR_CUE_BEFORE`` can match anywhere in ``text``: always on non-ASCII text, else only when its
    lower case holds a cue word (an any-case match on ASCII text is its cue word in the lower-cased text)."""
    if not text.isascii():
        return True
    low = text.lower()
    return _YEAR_CUE_WORD.search(low) is not None
