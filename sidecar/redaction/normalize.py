"""The one normalised view every detector scans, and the exact offset map back to the original text.

``normalize(text)`` folds what an evader (or a word processor) puts between a detector and an identifier:
NFKC (full-width forms, ``＠``), format and other invisible characters removed (zero-width space/joiners, soft
hyphen, word joiner, BOM, Hangul fillers, braille blank, variation selectors, combining marks that do not compose),
every dash variant to ``-``, fraction and division slashes to ``/``,
every space variant to ``' '``, curly apostrophes to ``'``, every Unicode decimal digit to ASCII, and the
Cyrillic/Greek/Armenian/Cherokee look-alikes of Latin letters (UTS #39 confusables, data from the
``confusable-homoglyphs`` package) to those letters.

It also reads padding the way a renderer shows it, each piece as one character: a run of ``MIN_RUN`` or more
whitespace characters (one more than the widest gap a detector allows inside a finding) as one
space, or a newline when the run holds one (``4821 Wisteria`` + 600 spaces + ``Lane``); a table cell border
(``|`` with the whitespace around it: ``| 478 | 21 | 5096 |``) as one space; a character reference of an
ordinary character (``&#52;``, ``&#x34;``, ``&commat;``; references of ``< > & " '`` and control characters
stay as written), a percent-encoded printable ASCII character (``%34``, ``%2D``: a URL a client opens) and a
JSON ``\\uXXXX`` escape of a printable character (``\\u0034``: streamed tool arguments are JSON text a client
decodes) as that character.

The map is exact: a view span maps back to the original characters that produced it, including removed
characters inside it (a span over ``123<ZWSP>45`` in the view covers the ZWSP) and whole padding pieces (a span
over a read space covers the whole run). Pure-ASCII text without padding is its own view (identity map, no
copy). ``extend`` builds the view of a growing text (a stream's buffer) from the view of its prefix: only the
prefix's ``open_tail`` and the new characters are read.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from importlib import resources

import regex

# Invisible characters that are not category Cf (which is removed whole).
_INVISIBLE = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
    + "".join(chr(c) for c in range(0xE0100, 0xE01F0))
)
# Dashes that are not category Pd.
# (and the horizontal strokes a reader takes for one: the katakana length mark, box-drawing lines, heavy minus)
_DASHES = frozenset("\u2053\u2212\u2043\u02d7\u207b\u208b\ufe63\uff0d\u2e3a\u2e3b\u30fc\uff70\u2500\u2501\u23af\u2796")
_APOSTROPHES = frozenset("\u2018\u2019\u201b\u02bc\u02b9\u0060\u00b4\u2032")
_SLASHES = frozenset("\u2044\u2215\u29f8\u2571\u30fb")
# the other group separators a reader sees between digits, as the ASCII one they stand for: dots (middle dots,
# bullets, dot and ring operators, ideographic and Arabic full stops and decimal separator), vertical bars
# (box-drawing and divides), backslashes (set minus), commas (Arabic comma and thousands separator)
_SEPARATORS = (dict.fromkeys("\u00b7\u2022\u2219\u2027\u2e31\u2e33\u22c5\u2218\u3002\u066b\u06d4", ".")
               | dict.fromkeys("\u2502\u2503\u2223\u2758\u01c0", "|")
               | dict.fromkeys("\u2216\u29f5", "\\") | dict.fromkeys("\u060c\u066c", ","))
# (and the letters of smaller scripts whose shapes pass for Latin ones: ``ꓳkonkwo`` in Lisu, ``ᗰaria`` in Canadian
# syllabics)
_FOLD_SCRIPTS = ("CYRILLIC", "GREEK", "COPTIC", "ARMENIAN", "CHEROKEE", "LATIN", "LISU", "CANADIAN", "WARANG",
                 "CARIAN", "MIAO", "LYCIAN", "OLD ", "ELBASAN", "DESERET", "TIFINAGH", "OSAGE", "RUNIC", "AHOM",
                 "GEORGIAN", "ETHIOPIC", "BAMUM", "APL")
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")  # the ``regex`` package finds these runs 3x faster than ``re``
# control characters a client shows as nothing (NUL, escape, the separators): removed from the view, like format
# characters; what the builder folds is non-ASCII characters and these
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_TO_FOLD = regex.compile(r"[^\t\n\r\x0b\x0c\x20-\x7e]+")
# a compatibility form of a number with punctuation around it (``⑷`` is ``(4)``, ``⒋`` is ``4.``, ``🄁`` is ``0,``)
_DIGIT_FORM = re.compile(r"\(?(\d{1,2})[.,)]?")
# a compatibility form of a letter with brackets around it (``⒨`` is ``(m)``, ``🄪`` is ``〔S〕``): the letter
_LETTER_FORM = re.compile(r"[(\u3014]([A-Za-z])[)\u3015]")
_TAGS = range(0xE0020, 0xE007F)  # tag characters: invisible ASCII (``ASCII smuggling``), read as that ASCII

# an inline HTML tag (a renderer shows it as nothing): name and short attributes; the first "<" is written apart
# in ``_PIECE`` (a piece opens with its literal character, its look-behind after it)
_INLINE = ("a|abbr|b|bdi|bdo|big|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time"
           "|tt|u|var|wbr")
_TAG_REST = rf"/?(?:{_INLINE})(?:\s[^<>]{{0,16}})?/?>"
_TAG = rf"(?:<{_TAG_REST})"
# any other element (``<p>``, ``<d>``, an XML name) between two digits: a boundary a reader sees as a gap (one space)
_ELEMENT = r"</?[A-Za-z][\w:.-]{0,15}(?:\s[^<>]{0,16})?/?>"
_INLINE_ONLY = re.compile(rf"{_TAG}+")
MIN_RUN = 4  # one more than the widest whitespace gap the detectors allow inside a finding (\s{1,3})
_PIECE = re.compile(
    # (a reference or a percent-escape encoded once more, ``&amp;#52;``, ``%2534``, reads as what it encodes: a
    # client that decodes twice, as HTML inside JSON or a URL inside a URL, shows the character)
    rf"\s{{{MIN_RUN},}}|[ \t]*\|[ \t|]*"
    rf"|&(?:amp;){{0,3}}(?:#[xX][0-9A-Fa-f]{{1,8}};?|#[0-9]{{1,10}};?|[A-Za-z][A-Za-z0-9]{{1,31}};)"
    r"|%(?:25)?[2-7][0-9A-Fa-f]|%u[0-9A-Fa-f]{4}"
    # escapes of programs and markup: JSON/JS ``\u0034``, ``\u{34}``, ``\x34``; CSS ``\34 `` (an ASCII character:
    # two hex digits led by 2-7, zero-padded to six, one space closing it); a Markdown escape ``\-``
    # (and Python's ``\U00000034``)
    r"|\\u[0-9A-Fa-f]{4}|\\U0000[0-9A-Fa-f]{4}|\\u\{0{0,4}[0-9A-Fa-f]{1,4}\}|\\x[2-7][0-9A-Fa-f]"
    r"|\\0{0,4}[2-7][0-9A-Fa-f] ?"
    r"|\\[!#$%()*+,\-./:;=?@\[\]^_`{|}~]"
    # quoted-printable: an escape next to another one (``=34=37``), a soft line break after a character
    # (each alternative opens with its literal character, its look-behind after it: a regex search skips to it)
    r"|=[2-7][0-9A-F](?==[2-7][0-9A-F])|=(?<==[2-7][0-9A-F]=)[2-7][0-9A-F]|=(?<=\S=)\r?\n"
    # markup a renderer shows as nothing inside a number: an HTML comment, Markdown emphasis or code markers
    r"|<!--.{0,32}?-->|[*~`](?<=[\d\s-][*~`])[*~`]{0,2}(?=\d)|[*~`](?<=\d[*~`])[*~`]{0,2}(?=[\d\s-])"
    # inline HTML tags (up to three) and LaTeX groups (``\text{4}\text{7}``) around digits: shown as nothing
    rf"|<(?<=[\d\s-]<){_TAG_REST}{_TAG}{{0,2}}(?=\d)|<(?<=\d<){_TAG_REST}{_TAG}{{0,2}}(?=[\d\s-])"
    rf"|<(?<=\d<){_ELEMENT[1:]}(?:{_ELEMENT}){{0,2}}(?=\d)"
    # inline tags inside a word (``Ok</b><i>on``): shown as nothing
    rf"|<(?<=[A-Za-z]<){_TAG_REST}{_TAG}{{0,2}}(?=[A-Za-z])"
    # a word wrapped at a line end with a hyphen (``Wis-\nteria``), or a soft hyphen (shown as a hyphen where the
    # line breaks): the word as one
    r"|-(?<=[A-Za-z]-)\r?\n(?=[a-z])|\u00ad(?<=[A-Za-z]\u00ad)\r?\n(?=[A-Za-z])"
    # emphasis markers inside a word (``**Oko**nkwo``): shown as nothing
    r"|[*~](?<=[A-Za-z][*~])[*~]{0,2}(?=[A-Za-z])"
    # string concatenation in code between letters (``"Oko" + "nkwo"``, PHP ``'Oko'.'nkwo'``)
    r"|[\"'](?<=[A-Za-z][\"'])(?:[ \t]{0,3}(?:\+|\.\.|&|\|\|)[ \t]{0,3}|\.)[\"'](?=[A-Za-z])"
    r"|\\(?<=[\d\s$(-]\\)[A-Za-z]{1,14}\{(?=\d)|\}(?<=\d\})(?:\}|\\[A-Za-z]{1,14}\{){0,3}(?=[\d\s$-])"
    # adjacent string literals between digits (``'478' '21' '5096'``: Python and C join them)
    r"|[\"'](?<=\d[\"'])[ \t]{1,3}[\"'](?=\d)"
    # string concatenation in code between digits (``"478" + "-21-" + "5096"``, PHP ``.``, SQL ``||``, VB ``&``):
    # the closing quote, the operator and the opening quote read as nothing, the strings as the text they make
    r"|[\"'](?<=[\d-][\"'])[ \t]{0,3}(?:\+|\.{1,2}|&|\|\|)[ \t]{0,3}[\"'](?=[\d-])"
    r"|_(?<=[\s-]_)_{0,2}(?=\d)|_(?<=\d_)_{0,2}(?=[\s-])"
    # an underscore gluing a word to a number (``SSN_478215096``, ``patient_478215096``, ``478215096_smith``):
    # a word gap, as in the identifier names and keys of code
    r"|_(?<=[A-Za-z]_)(?=\d)|_(?<=\d_)(?=[A-Za-z])"
)
# what the marker and quoted-printable pieces need around them (``has_padding``): a digit next to a marker, an
# escape followed by another or by a line break
_MARKS = str.maketrans({**{d: "0" for d in "0123456789"}, **{c: "*" for c in "*~`_"}})
# a string concatenation piece may follow
_CONCAT_HINT = re.compile(r"[\w-][\"'][ \t]{0,3}[+.&|]|\d[\"'][ \t]{1,3}[\"']\d")
_TAG_HINT = re.compile(r"\d<|>\d|[A-Za-z]</?[a-z]")  # a tag piece stands next to a digit, or inside a word
_MARK_LETTER = re.compile(r"[A-Za-z][*~]{1,3}[A-Za-z]")  # an emphasis marker inside a word
_QP_HINT = re.compile(r"=(?:[2-7][0-9A-F]=|\r?\n)")
# a piece cut at the end of a text (a continuation may complete it, or decide whether it is one)
_PARTIAL_PIECE = re.compile(
    r"&(?:amp;){0,3}(?:#[xX][0-9A-Fa-f]{0,8}|#[0-9]{0,10}|[A-Za-z][A-Za-z0-9]{0,31})?\Z"
    r"|%(?:[2-7]|25[2-7]?|u[0-9A-Fa-f]{0,3})?\Z"
    r"|\\(?:u[0-9A-Fa-f]{0,3}|U[0-9A-Fa-f]{0,7}|u\{[0-9A-Fa-f]{0,6}|x[2-7]?|0{0,4}[2-7]?[0-9A-Fa-f]?)?\Z"
    r"|(?:=[2-7][0-9A-F])+=?[2-7]?\Z|=(?:[2-7]|\r)?\Z|<!--(?:(?!-->).){0,32}\Z|<(?:!-?)?\Z|[*~`_]{1,3}\Z"
    rf"|{_TAG}{{0,2}}</?[A-Za-z]{{0,6}}(?:\s[^<>]{{0,16}})?/?\Z|{_TAG}{{1,3}}\d?\Z"
    r"|\\[A-Za-z]{1,14}\{?\Z|\}(?:\}|\\[A-Za-z]{0,14}\{?){0,3}\Z|[\"'](?<=\d[\"'])[ \t]{1,3}[\"']?\Z"
    r"|[\"'](?<=[\w-][\"'])(?:[ \t]{0,3}(?:(?:\+|\.{1,2}|&|\|\|?)[ \t]{0,3}[\"']?)?)?\Z"
    rf"|(?:{_ELEMENT}){{0,2}}</?(?:[A-Za-z][\w:.-]{{0,15}}(?:\s[^<>]{{0,16}})?/?)?\Z|(?:{_ELEMENT}){{1,3}}\Z"
    r"|-(?<=[A-Za-z]-)\r?\n?\Z|\u00ad(?<=[A-Za-z]\u00ad)\r?\n?\Z"
)
_KEEP = frozenset("<>&\"'")
# CJK numerals for the ten digits (not Unicode decimals: ``四七八-二一-五〇九六`` is an SSN to a reader of Chinese)
# (and their financial forms, written on cheques so no stroke can be added: ``肆柒捌``, and the Hangzhou numerals)
_CJK_DIGITS = ({c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "两": "2", "兩": "2"}
               | {c: str(i) for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
               | {c: str(i) for i, c in enumerate("〇壹貳參肆伍陸柒捌玖") if i}
               | {c: str(i) for i, c in enumerate("〇〡〢〣〤〥〦〧〨〩") if i}
               | {"弌": "1", "弍": "2", "弐": "2", "弎": "3"})
_ASCII_DIGITS = frozenset("0123456789")
_Q_WORD_OPEN = re.compile(r"=\?[\w.:-]{1,40}(?:\*[\w-]{1,20})?\?[Qq]\?[^?\s]*\Z")  # an open encoded word
_Q_WORD_REACH = 320  # its opener and data (data_urls._ENCODED_WORD: charset 40, language 20, data 256)
_KEEP_READ = frozenset("0123456789 -./")  # what an escape after a digit is still read as (see _joins_digits)
# Latin letters NFKC keeps as symbols: small capitals (``ᴍᴀʀɪᴀ``), regional indicators (``🇴🇰``), negative squared
# and circled capitals (``🅾``): a reader reads the letter
_LETTER_NAME = re.compile(r"(?:LATIN LETTER SMALL CAPITAL|REGIONAL INDICATOR SYMBOL LETTER"
                          r"|NEGATIVE (?:SQUARED|CIRCLED) LATIN CAPITAL LETTER) ([A-Z])")
# a right-to-left override shows the characters after it in reverse order, up to its pop (PDF), the pop of an
# isolate around it or the end of the paragraph
_RLO = "\u202e"
_CLUSTER = regex.compile(r"\X")
_RLO_END = re.compile("[\u202c\u2069\n\r\u2029\x85\x1c-\x1e]")
_UNI_SPACES = frozenset(c for c in map(chr, range(0x80, 0x3001)) if c.isspace())


@lru_cache(maxsize=1)
def _confusables() -> dict[str, str]:
    """Non-ASCII letters of the scripts above whose UTS #39 prototype is one ASCII letter."""
    raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for ch, entries in json.loads(raw).items():
        if len(ch) != 1 or ch.isascii() or not ch.isalpha() or not unicodedata.name(ch, "").startswith(_FOLD_SCRIPTS):
            continue
        for e in entries:
            c = e["c"]
            if len(c) == 1 and c.isascii() and c.isalpha():
                out[ch] = c
                break
    return out


@lru_cache(maxsize=8192)
def _simple(ch: str) -> str:
    """One character (already NFKC) in the view: removed, unified or folded."""
    if ch.isascii():
        return "" if _CONTROLS.match(ch) else ch
    if ord(ch) in _TAGS:
        return chr(ord(ch) - 0xE0000)
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Cc", "Co") or ch in _INVISIBLE or (cat == "Cn" and _ignorable(ord(ch))):
        # (a private-use character is an icon or nothing in a font; an unassigned default-ignorable code point is
        # shown as nothing: neither splits what is around it)
        return ""
    if cat == "Pd" or ch in _DASHES:
        return "-"
    if cat in ("Zs", "Zl", "Zp"):
        return " "
    if ch in _APOSTROPHES:
        return "'"
    if ch in _SLASHES:
        return "/"
    if ch in _SEPARATORS:
        return _SEPARATORS[ch]
    if unicodedata.combining(ch) or cat in ("Mn", "Me"):
        # a mark left over after composition (strike-through, zalgo, a keycap) must not split an identifier
        return ""
    d = unicodedata.decimal(ch, None)
    if d is not None:
        return str(d)
    if cat == "No" and (n := unicodedata.numeric(ch, -1)) in _SMALL_NUMBERS:
        return str(int(n))  # a circled or dingbat number with no compatibility form (``❹``, ``⓸``, ``⓫``)
    if ch in _CJK_DIGITS:
        return _CJK_DIGITS[ch]
    if (m := _LETTER_NAME.fullmatch(unicodedata.name(ch, ""))) is not None:
        return m.group(1)
    return _confusables().get(ch, ch)


def _ignorable(cp: int) -> bool:
    """Whether the unassigned code point ``cp`` is default-ignorable (Unicode reserves it for invisible
    characters: renderers show it as nothing)."""
    return cp == 0x2065 or 0xFFF0 <= cp <= 0xFFF8 or 0xE0000 <= cp <= 0xE0FFF


_SMALL_NUMBERS = frozenset(float(i) for i in range(100))


@lru_cache(maxsize=8192)
def _fold(cluster: str) -> str:
    """A base character with its combining marks, in the view."""
    nfkc = unicodedata.normalize("NFKC", cluster)
    if len(cluster) == 1 and nfkc != cluster and (m := _DIGIT_FORM.fullmatch(nfkc) or _LETTER_FORM.fullmatch(nfkc)):
        return m.group(1)  # an enclosed or punctuated number reads as its digits, a bracketed letter as the letter
    return "".join(_simple(c) for c in nfkc)


class View:
    """``text``: what detectors scan. ``span(a, b)``: the original (start, end) of view slice [a, b)."""

    __slots__ = ("_folded", "_pieces", "original", "text")

    def __init__(self, original: str, text: str, pieces: list[tuple[int, int, int, int]] | None) -> None:
        self.original = original
        self.text = text
        # (view start, original start, view length, original length); a piece whose lengths are equal maps
        # one to one, any other maps as a whole. None: the identity map.
        self._pieces = pieces
        self._folded: str | None = None

    @property
    def identity(self) -> bool:
        return self._pieces is None

    @property
    def folded(self) -> str:
        """The view lower-cased, character for character (same length and offsets as ``text``)."""
        if self._folded is None:
            low = self.text.lower()
            if len(low) != len(self.text):
                low = "".join(c if len(c.lower()) != 1 else c.lower() for c in self.text)
            self._folded = low
        return self._folded

    def _piece(self, v: int) -> tuple[int, int, int, int]:
        assert self._pieces is not None
        return self._pieces[bisect_right(self._pieces, v, key=_VSTART) - 1]

    def start(self, v: int) -> int:
        """Original index where view character ``v`` begins (``len(original)`` for ``v == len(text)``)."""
        if self._pieces is None:
            return v
        if v >= len(self.text):
            return len(self.original)
        vs, os_, vl, ol = self._piece(v)
        return os_ + (v - vs) if vl == ol else os_

    def end(self, v: int) -> int:
        """Original index where view character ``v - 1`` ends."""
        if self._pieces is None or v <= 0:
            return v
        vs, os_, vl, ol = self._piece(v - 1)
        return os_ + (v - vs) if vl == ol else os_ + ol

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.start(a), self.end(b)


def _VSTART(p: tuple[int, int, int, int]) -> int:  # noqa: N802 (a bisect key, like operator.itemgetter)
    return p[0]


def _OSTART(p: tuple[int, int, int, int]) -> int:  # noqa: N802
    return p[1]


def has_padding(text: str) -> bool:
    """Whether ``text`` holds a padding piece (see the module docstring). Substring tests first (a regex search
    costs more than the scan of ordinary prose): a run of 4 whitespace characters holds two spaces, two
    newlines, a space before a newline, a CR, a tab or a non-ASCII space; an escape holds a backslash; a
    marker piece has a digit next to a marker; a quoted-printable piece is ``=HH=`` or ``=`` before a line break."""
    # a two-character search costs ten one-character ones: the newline pairs only where a newline is
    if not ("&" in text or "|" in text or "%" in text or "  " in text or "\t" in text or "\r" in text
            or "\\" in text or "<!--" in text or ("=" in text and _QP_HINT.search(text) is not None)
            or (("\"" in text or "'" in text) and _CONCAT_HINT.search(text) is not None)
            or (("*" in text or "_" in text or "~" in text or "`" in text) and _marks_digit(text))
            or (("*" in text or "~" in text) and _MARK_LETTER.search(text) is not None)
            or "-\n" in text or "-\r\n" in text or (not text.isascii() and "\u00ad" in text)
            or ("\n" in text and ("\n\n" in text or " \n" in text))
            or ("<" in text and _TAG_HINT.search(text) is not None)
            or (not text.isascii() and not _UNI_SPACES.isdisjoint("".join(_NON_ASCII.findall(text))))):
        return False
    return _PIECE.search(text) is not None


def _marks_digit(text: str) -> bool:
    """Whether a Markdown marker (``* ~ ` _``) stands next to an ASCII digit somewhere in ``text``."""
    folded = text.translate(_MARKS)
    return "0*" in folded or "*0" in folded


def _read(piece: str) -> str | None:
    """The one character a padding piece reads as ("" for markup shown as nothing); None when it stays as
    written."""
    if piece[0] == "%":  # percent-encoding (a URL a client opens; ``%u0034``, as JavaScript's unescape)
        ch = chr(int(piece[2:] if piece[1] == "u" else piece[-2:], 16))
        return ch if ch.isprintable() and ch != "%" else None
    if piece[0] == "\\" and len(piece) > 2 and piece[-1] == "{":  # a LaTeX group around digits
        return ""
    if piece[0] == "\\":  # an escape of JSON, JavaScript, CSS or Markdown: printable characters only
        ch = _escaped(piece[1:].rstrip(" "))
        return ch if ch.isprintable() and ch not in _KEEP and ch != "\\" else None
    if piece[0] == "=":  # quoted-printable
        return "" if piece[1] in "\r\n" else chr(int(piece[1:], 16))
    if piece[0] == "<" and not piece.startswith("<!--") and _INLINE_ONLY.fullmatch(piece) is None:
        return " "  # an element boundary between digit groups
    if piece[0] in "<*~`_\"'}-\u00ad":
        return ""
    if piece[0] == "&":
        while piece.startswith("&amp;") and len(piece) > 5:
            piece = "&" + piece[5:]
        ch = html.unescape(piece if piece.endswith(";") else piece + ";")
        if len(ch) != 1 or ch in _KEEP or not ch.isprintable():
            return None
        return ch
    if "|" in piece:
        return " "
    return "\n" if "\n" in piece else " "


def _element_per_group(text: str, a: int, b: int) -> bool:
    """Whether the tags ``text[a:b]`` close one element and open the next between two groups of two or more digits
    (``<a>478</a><b>21</b>``: values one per element, a gap to a reader; ``<span>4</span><span>7</span>`` spells
    one number a character at a time and reads as nothing)."""
    return (text.startswith("</", a) and "><" in text[a:b] and a >= 2 and text[a - 2 : a].isdigit()
            and text[a - 2 : a].isascii() and text[b : b + 2].isdigit() and text[b : b + 2].isascii())


def _beside_letter(text: str, i: int) -> bool:
    """Whether the underscore at ``i`` (next to a digit, see ``_PIECE``) has an ASCII letter beside it: it glues a
    word to a number (read as a space)."""
    return any(0 <= j < len(text) and text[j].isascii() and text[j].isalpha() for j in (i - 1, i + 1))


def _outside_q_word(text: str, i: int) -> bool:
    """Whether ``i`` is outside a MIME encoded word in quoted-printable (``=?utf-8?Q?SSN_478...?=``: its data is one
    token, read whole by the encoded-word detector, which reads its underscores as spaces itself)."""
    return _Q_WORD_OPEN.search(text, max(0, i - _Q_WORD_REACH), i) is None


def _joins_digits(text: str, start: int, piece: str, ch: str) -> bool:
    """Whether an escape piece is more likely digits joined by ``%``, ``=`` or ``\\`` than an escape: it stands
    right after a digit, its code is two decimal digits, and it reads as neither a digit nor a separator
    (``478%21%5096``, ``415=555=0123``: read as escapes they would hide the digits as ``!`` and ``P``; ``47%38``
    and ``478%2D21`` are still read)."""
    joins = (piece[0] in "%=\\" and start > 0 and text[start - 1] in _ASCII_DIGITS
             and piece.rstrip(" ")[-2:].isdigit() and ch not in _KEEP_READ)
    if joins and piece[0] == "%" and (prev := _PCT_BEFORE.search(text, max(0, start - 3), start)) is not None:
        # the digit before is the end of an escape (``%34%38%32%31%20%57``): a run of escapes, read as the one
        # before it was (``478%21%5096`` stays digits joined by ``%``)
        code = prev.group()
        return _joins_digits(text, prev.start(), code, chr(int(code[1:], 16)))
    return joins


_PCT_BEFORE = re.compile(r"%[2-7][0-9A-Fa-f]\Z")


def _escaped(body: str) -> str:
    """The character an escape stands for (``body``: what follows the backslash, without CSS's closing space)."""
    if len(body) == 1:
        return body  # Markdown: an escaped punctuation character is that character
    if body[0] in "uxU":
        return chr(int(body[1:].strip("{}"), 16))
    return chr(int(body, 16))


def warm_up() -> None:
    """Load the confusables table now (about 0.15 s) instead of on the first non-ASCII text."""
    _confusables()


@lru_cache(maxsize=8192)
def _one_for_one(ch: str) -> str | None:
    """The one character ``ch`` is in the view wherever it stands; None when that depends on its neighbours or
    is not one character (a combining mark, a removed or expanded character)."""
    if unicodedata.combining(ch):
        return None
    out = _fold(ch)
    return out if len(out) == 1 else None


def normalize(text: str, padding: bool = True) -> View:
    """The normalised view of ``text`` (see the module docstring); ``padding``: also read padding pieces."""
    if padding and has_padding(text):
        return _Builder(text).padded().view()
    if _plain_ascii(text):
        return View(text, text, None)
    # the common case (curly quotes, dashes, accents, symbols): every non-ASCII character maps to one character,
    # so the view is the text with a few characters replaced and the map is the identity
    chars = set("".join(_TO_FOLD.findall(text)))
    folds = [(c, _one_for_one(c)) for c in chars]
    if all(f is not None for _, f in folds):
        view = text
        for c, f in folds:
            if f != c:
                view = view.replace(c, f)  # type: ignore[arg-type]
        return View(text, view, None)
    return _fold_runs(text)


def _plain_ascii(text: str) -> bool:
    """ASCII without a control character the view removes (such text is its own view, padding aside)."""
    return text.isascii() and (text.isprintable() or _CONTROLS.search(text) is None)


def _fold_runs(text: str) -> View:
    """The view of ``text`` without padding, built run by run with its offset map (any text; ``normalize``
    takes a shortcut when every character maps to one)."""
    b = _Builder(text)
    b.fold(len(text))
    return b.view()


def extend(view: View, text: str, padding: bool = True) -> View:
    """The view of ``text``, a continuation of ``view.original`` (built with the same ``padding``), reusing
    ``view`` up to its open tail (see ``open_tail``): only that tail and the new characters are read. Equal to
    ``normalize(text, padding)``; falls back to it when ``text`` does not continue ``view.original``."""
    old = view.original
    keep = open_tail(old) if padding else len(old)
    if (
        keep <= 0
        or not text.startswith(old if keep == len(old) else old[:keep])
        or (keep == len(old) and len(text) > keep and unicodedata.combining(text[keep]))  # joins the last cluster
    ):
        return normalize(text, padding)
    new = text[keep:]
    if view.identity and view.text is old and _plain_ascii(new) and not (padding and has_padding(text[keep - 1 :])):
        return View(text, text, None)  # ASCII without padding stays the identity
    b = _Builder(text)
    b.resume(view, keep)
    if padding:
        b.padded(keep)
    else:
        b.fold(len(text))
    return b.view()


def open_tail(text: str) -> int:
    """Where the tail of ``text`` that a continuation can still read differently begins: a trailing run of
    whitespace and table borders (it may grow into padding or become a newline), a piece cut at the end or
    before that run (a character reference, an escape, a marker whose next character decides), a last
    character a combining mark may still join. ``len(text)`` when nothing can change; the view of
    ``text[:open_tail(text)]`` is a prefix of the view of every continuation."""
    n = len(text)
    i = n
    while i > 0 and (text[i - 1] == "|" or text[i - 1].isspace()):
        i -= 1
    r = text.rfind(_RLO, 0, i)  # (-1 at once for text without a character that wide)
    if r >= 0 and _RLO_END.search(text, r + 1) is None:
        i = r  # an override run still open: a continuation is shown before what it holds
    if i:  # (before trailing whitespace too: a CSS escape ends with a space, an emphasis marker before one)
        m = _PARTIAL_PIECE.search(text, max(i - 80, 0), i)
        if m is not None:
            i = m.start()
    return i


def _folded(text: str) -> str:
    """The view text of ``text`` without padding or overrides (its map not kept)."""
    b = _Builder(text)
    b._fold_plain(len(text))
    return "".join(b.parts)


class _Builder:
    """Builds a view and its offset map left to right (pieces: view start, original start, view length,
    original length; equal lengths map one to one and adjacent such pieces merge)."""

    __slots__ = ("o", "parts", "pieces", "rlo", "text", "v")

    def __init__(self, text: str) -> None:
        self.text = text
        self.rlo = _RLO in text
        self.parts: list[str] = []
        self.pieces: list[tuple[int, int, int, int]] = []
        self.v = 0  # view length so far
        self.o = 0  # original index consumed so far

    def resume(self, view: View, upto: int) -> None:
        """Start from ``view`` (of a text this one continues) cut at original index ``upto``, where one of its
        pieces ends (``open_tail`` is such a point: no padding piece or cluster crosses it)."""
        if view._pieces is None:
            self.parts.append(view.text[:upto])
            if upto:
                self.pieces.append((0, 0, upto, upto))
            self.v = upto
        else:
            k = bisect_right(view._pieces, upto - 1, key=_OSTART)  # pieces that start before upto
            self.pieces = view._pieces[:k]
            vs, os_, vl, ol = self.pieces[-1]
            if os_ + ol > upto:  # a one-to-one piece cut at upto (any other ends at a piece boundary)
                vl = ol = upto - os_
                self.pieces[-1] = (vs, os_, vl, ol)
            self.v = vs + vl
            self.parts.append(view.text[: self.v])
        self.o = upto

    def put(self, out: str, a: int, b: int) -> None:
        """``text[a:b]`` (with ``a == self.o``) reads as ``out``."""
        n = len(out)
        if out:
            self.parts.append(out)
        if n == b - a:  # maps one to one, like unchanged text: merge with a one-to-one piece before it
            p = self.pieces[-1] if self.pieces else None
            if p is not None and p[2] == p[3] and p[1] + p[3] == a:
                self.pieces[-1] = (p[0], p[1], p[2] + n, p[3] + n)
            elif n:
                self.pieces.append((self.v, a, n, n))
        else:
            self.pieces.append((self.v, a, n, b - a))
        self.v += n
        self.o = b

    def same(self, upto: int) -> None:
        """``text[o:upto]`` is its own view."""
        if upto > self.o:
            self.put(self.text[self.o : upto], self.o, upto)

    def fold(self, upto: int) -> None:
        """Fold ``text[o:upto]``: NFKC, removals, unifications, confusables, cluster by cluster; a right-to-left
        override run read in the order it is shown."""
        while self.rlo and (r := self.text.find(_RLO, self.o, upto)) >= 0:
            self._fold_plain(r)
            self._reversed(r, upto)
        self._fold_plain(upto)

    def _reversed(self, r: int, upto: int) -> None:
        """The run after the override at ``r`` (to its PDF, the end of its paragraph or ``upto``) read both ways:
        as written (what a model reads), then as a renderer shows it, reversed (RLO + ``2691/41/30`` is
        ``03/14/1962`` to a person), a space between; it maps back whole."""
        text = self.text
        m = _RLO_END.search(text, r + 1, upto)
        end = m.start() if m is not None else upto
        stop = end + 1 if m is not None and text[end] == "\u202c" else end
        out = ""
        if end > r + 1:
            shown = "".join(_CLUSTER.findall(text, r + 1, end)[::-1])  # each character with its marks, last first
            out = f"{_folded(text[r + 1 : end])} {_folded(shown)}"
        self.put(out, r, stop)

    def _fold_plain(self, upto: int) -> None:
        """``fold`` without right-to-left overrides (an override is removed like any format character)."""
        text = self.text
        for m in _TO_FOLD.finditer(text, self.o, upto):
            a, b = m.start(), m.end()
            if a > self.o and unicodedata.combining(text[a]):
                a -= 1  # an ASCII base character joins its combining marks
            self.same(a)
            i = a
            while i < b:
                j = i + 1
                while j < upto and unicodedata.combining(text[j]):
                    j += 1
                cluster = text[i:j]
                out = _fold(cluster)
                if out == cluster:
                    self.same(j)
                else:
                    self.put(out, i, j)
                i = j
        self.same(upto)

    def padded(self, frm: int = 0) -> _Builder:
        """Fold the text from ``frm`` with each padding piece read as the one character it shows."""
        text = self.text
        for m in _PIECE.finditer(text, frm):
            piece = m.group()
            a = m.start()
            glue = piece == "_" and _beside_letter(text, a)
            ch = (" " if _outside_q_word(text, a) else None) if glue else _read(piece)
            if ch == "" and _element_per_group(text, a, m.end()):
                ch = " "
            if ch is None or ch == piece or _joins_digits(text, a, piece, ch):
                continue
            self.fold(m.start())
            self.put(_fold(ch), m.start(), m.end())
        self.fold(len(text))
        return self

    def view(self) -> View:
        n = len(self.text)
        if not self.pieces or (len(self.pieces) == 1 and self.pieces[0] == (0, 0, n, n)):
            return View(self.text, "".join(self.parts), None)  # only one-for-one replacements: the identity map
        return View(self.text, "".join(self.parts), self.pieces)
