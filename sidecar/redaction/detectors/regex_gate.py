"""One hyperscan scan that tells which of a detector's regexes can match a text, so CPython's ``re`` runs only
those. The matches themselves still come from ``re``: the gate only skips patterns that cannot match.

Soundness: each pattern is compiled for hyperscan in a *relaxed* form that matches wherever the original
does and possibly more (lookarounds dropped, named groups unnamed). A pattern hyperscan cannot take (a
backreference, an unsupported construct) is never skipped. Texts with non-ASCII characters
(``\\w``, ``\\d`` and ``\\b`` are Unicode-aware in ``re`` and ASCII in hyperscan) are scanned as an ASCII
proxy: each non-ASCII character replaced by one that every relaxed pattern treats at least as permissively (a
letter by its ASCII case-fold partner or ``x``, a decimal digit by ``0``, a space by ``' '``, anything else by
DEL); patterns for which that does not hold (non-ASCII in their classes, negated classes naming letters or
digits) are not skipped for such texts. Texts holding the ASCII separators 0x1C-0x1F, which ``re`` counts as
``\\s``, skip the gate.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import regex

from sidecar.redaction.detectors import hs_cache, joint_scan

try:
    import hyperscan
except ImportError:  # pragma: no cover - hyperscan is a dependency; without it nothing is skipped
    hyperscan = None  # type: ignore[assignment]

_LOOKAROUND = ("(?<!", "(?<=", "(?!", "(?=")
# ``re``'s \s also matches these ASCII separators, hyperscan's does not: texts holding one skip the gate.
_RE_ONLY_SPACE = "\x1c\x1d\x1e\x1f"  # tested one by one in _has_re_only_space


def relax(pattern: str) -> str | None:
    """``pattern`` with lookarounds removed, groups unnamed and character classes cut to their ASCII part: a
    superset of its matches on ASCII text. None when it uses a backreference or a class it cannot cut."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt.isdigit() and nxt != "0":
                return None  # \1 .. \9: a backreference
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[":
            cls, i = _ascii_class(pattern, i)
            if cls is None:
                return None
            out.append(cls)
            continue
        if c == "(" and pattern.startswith(_LOOKAROUND, i):
            i = _skip_group(pattern, i)
            continue
        if c == "(" and pattern.startswith("(?P=", i):
            return None
        if c == "(" and pattern.startswith("(?P<", i):
            out.append("(")
            i = pattern.index(">", i) + 1
            continue
        if not c.isascii():
            return None  # a non-ASCII literal: leave the pattern ungated
        out.append(c)
        i += 1
    return "".join(out)


def _ascii_class(pattern: str, i: int) -> tuple[str | None, int]:
    """The class opening at ``i`` restricted to ASCII members (what it can match in ASCII text), and the index
    past it. A range running past ASCII is clamped to 0x7F; None when nothing ASCII is left."""
    j = i + 1
    negated = pattern[j : j + 1] == "^"
    if negated:
        j += 1
    items: list[str] = []
    first = True
    while j < len(pattern) and (pattern[j] != "]" or first):
        first = False
        if pattern[j] == "\\":
            item, j = pattern[j : j + 2], j + 2
        else:
            item, j = pattern[j], j + 1
        if pattern[j : j + 1] == "-" and pattern[j + 1 : j + 2] not in ("]", ""):
            hi = pattern[j + 1 : j + 3] if pattern[j + 1] == "\\" else pattern[j + 1]
            j += 1 + len(hi)
            if not item.isascii():
                continue  # both ends beyond ASCII (ranges run upwards): no ASCII member
            items.append(f"{item}-{hi}" if hi.isascii() else f"{item}-\\x7f")
            continue
        if item.isascii():
            items.append(item)
    end = j + 1
    if not items:
        return (r"[\x00-\x7f]" if negated else None), end
    return "[" + ("^" if negated else "") + "".join(items) + "]", end


def _skip_group(pattern: str, i: int) -> int:
    """Index just past the group opening at ``i`` (escapes and character classes respected)."""
    depth = 0
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced group")


class PatternSet:
    """Compiled patterns tested by identity: ``hash()`` of a ``re.Pattern`` hashes its whole compiled code (1-10 µs
    for the large alternations), a set of them paid that on every ``rx in can``."""

    __slots__ = ("_ids",)

    def __init__(self, ids: frozenset[int]) -> None:
        self._ids = ids

    def __contains__(self, rx: object) -> bool:
        return id(rx) in self._ids

    def __len__(self) -> int:
        return len(self._ids)


class RegexGate:
    """``possible(text)``: the indexes of ``patterns`` that may match ``text`` (all of them when unsure)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.size = len(patterns)
        self._all = frozenset(range(self.size))
        self._always: set[int] = set()
        self._patterns = list(patterns)
        self._ids = [id(rx) for rx in self._patterns]  # the gate keeps the patterns alive: their ids are stable
        self._all_patterns = PatternSet(frozenset(self._ids))
        # patterns the ASCII proxy cannot stand for: always (negated classes naming letters or digits, non-ASCII
        # ranges), or only for texts holding one of the non-ASCII characters they name (``’`` in a class)
        self._proxy_unsafe = frozenset(
            i for i, rx in enumerate(patterns) if not _proxy_safe(rx.pattern) and _named_chars(rx.pattern) is None
        )
        self._proxy_named = {
            i: named
            for i, rx in enumerate(patterns)
            if not _proxy_safe(rx.pattern) and (named := _named_chars(rx.pattern)) is not None
        }
        self._db: Any = None
        self._local = threading.local()
        self._joint: list[tuple[bytes, int, int]] = []
        if hyperscan is None:
            return
        relaxed = [(i, r, _hs_flags(rx)) for i, rx in enumerate(patterns) if (r := relax(rx.pattern)) is not None]
        key = hs_cache.cache_key("regex_gate", [[i, r, f] for i, r, f in relaxed])
        self._db, ids = hs_cache.build_cached(key, lambda: _gate_database(relaxed))
        kept = frozenset(ids)
        self._always.update(i for i in range(self.size) if i not in kept)
        if self._db is not None:
            self._joint = [(r.encode("ascii"), i, f) for i, r, f in relaxed if i in kept]
        self.gated = kept

    def joint_exprs(self) -> list[tuple[bytes, int, int]]:
        """The expressions of the gate's database (``joint_scan.JointMember``)."""
        return self._joint

    def possible_patterns(self, text: str) -> PatternSet:
        """``possible`` as the patterns themselves: callers test ``rx in can``, no index to keep in step."""
        can = self.possible(text)
        if len(can) == self.size:
            return self._all_patterns
        ids = self._ids
        return PatternSet(frozenset(ids[i] for i in can))

    def possible(self, text: str) -> frozenset[int] | set[int]:
        if self._db is None or _has_re_only_space(text):
            return self._all
        if text.isascii():
            joint = joint_scan.hits_for(self, text)
            if joint is not None:  # the prefilter's scan of this text answered already
                return self._always | joint if self._always else joint
            hits = set(self._always)
            data = text.encode("ascii")
        else:
            hits = set(self._always)
            data, held = _proxy_of(text)
            hits |= self._proxy_unsafe
            hits.update(i for i, named in self._proxy_named.items() if not named.isdisjoint(held))
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)

        def on_match(i: int, _f: int, _t: int, _fl: int, _c: object) -> None:
            hits.add(i)

        self._db.scan(data, match_event_handler=on_match, scratch=scratch)
        return hits


_LAST = threading.local()  # the last text's proxy: the detectors' gates all ask about the same view text


def _proxy_of(text: str) -> tuple[bytes, frozenset[str]]:
    """The ASCII proxy of a non-ASCII ``text`` and the case keys of its non-ASCII characters."""
    last = getattr(_LAST, "entry", None)
    if last is not None and last[0] is text:
        return last[1], last[2]
    held = _case_keys("".join(_NON_ASCII.findall(text)))
    data = _NON_ASCII.sub(_proxy_run, text).encode("ascii")
    _LAST.entry = (text, data, held)
    return data, held


def proxy_bytes(text: str) -> bytes:
    """The ASCII proxy of ``text`` (one byte per character, see the module docstring)."""
    return text.encode("ascii") if text.isascii() else _proxy_of(text)[0]


def _hs_flags(rx: re.Pattern[str]) -> int:
    f = hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
    if rx.flags & re.IGNORECASE:
        f |= hyperscan.HS_FLAG_CASELESS
    if rx.flags & re.DOTALL:
        f |= hyperscan.HS_FLAG_DOTALL
    if rx.flags & re.MULTILINE:
        f |= hyperscan.HS_FLAG_MULTILINE
    return f


def _gate_database(relaxed: Sequence[tuple[int, str, int]]) -> hs_cache.Built:
    """The database of the relaxed patterns hyperscan takes, and their ids in it (None, [] when none does)."""
    kept = [(i, r, f) for i, r, f in relaxed if _compiles(r, f)]
    if not kept:
        return None, []
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[r.encode("ascii") for _, r, _ in kept], ids=[i for i, _, _ in kept],
               flags=[f for _, _, f in kept])
    return db, [i for i, _, _ in kept]


def _compiles(expr: str, flags: int) -> bool:
    try:
        hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK).compile(expressions=[expr.encode("ascii")], flags=[flags])
    except (hyperscan.error, UnicodeEncodeError):  # type: ignore[attr-defined]
        return False
    return True


_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")  # the ``regex`` package finds these runs 3x faster than ``re``


def _has_re_only_space(text: str) -> bool:
    """Whether ``text`` holds one of ``_RE_ONLY_SPACE`` (four substring tests: cheaper than a regex class scan)."""
    return "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text


def ascii_safe(text: str) -> bool:
    """Whether ``ascii_twin`` regexes find in ``text`` exactly what their originals find: ASCII text (no
    Unicode case folding, ``\\w``, ``\\d`` or ``\\b`` beyond ASCII) without the separators 0x1C-0x1F (which
    Unicode ``\\s`` matches and ASCII ``\\s`` does not)."""
    return text.isascii() and not _has_re_only_space(text)


_TWINS: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}  # id(rx) -> (rx, twin): rx kept, its id stable
# characters Unicode case folding matches to an ASCII letter (İ ı ſ K: i, I, s, k) and ``re.ASCII`` does not
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
_WIDE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\[uUNx]")  # \u, \U, \N{..}, \x: may name one of them


def twin_exact(pattern: str) -> bool:
    """Whether ``re.ASCII`` leaves the matches of ``pattern`` on ``ascii_safe`` text unchanged: it names none of
    the characters Unicode case folding matches to ASCII letters, literally, by a range beyond ASCII or by an
    escape (any ``\\u``, ``\\U``, ``\\N``, ``\\x``: conservatively)."""
    return not (
        any(c in pattern for c in _FOLDS_TO_ASCII) or _NON_ASCII_RANGE.search(pattern) or _WIDE_ESCAPE.search(pattern)
    )


def ascii_twin(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx`` compiled with ``re.ASCII``: CPython's ``re`` runs any-case alternations 1.2-1.8x faster so; use it
    only on texts that are ``ascii_safe``. ``rx`` itself when the twin could differ there (``twin_exact``).
    Cached by identity (hashing a compiled pattern costs microseconds)."""
    entry = _TWINS.get(id(rx))
    if entry is None or entry[0] is not rx:
        twin = re.compile(rx.pattern, (rx.flags & ~re.UNICODE) | re.ASCII) if twin_exact(rx.pattern) else rx
        entry = _TWINS[id(rx)] = (rx, twin)
    return entry[1]


_LAST_SAFE: tuple[str | None, bool] = (None, False)  # the last string ``Twinned`` asked about and its answer


def _safe_cached(string: str) -> bool:
    """``ascii_safe(string)``, remembered for the last string (the rules scan one text many times; a long text
    would pay four substring scans a call). One tuple, swapped whole: threads never see a mixed pair."""
    global _LAST_SAFE
    last = _LAST_SAFE
    if last[0] is string:
        return last[1]
    safe = ascii_safe(string)
    _LAST_SAFE = (string, safe)
    return safe


class Twinned:
    """A regex and its ASCII twin, chosen per call by the string scanned: the twin when that string is
    ``ascii_safe`` (the same matches, faster), else the regex. Offers the ``re.Pattern`` methods the rules call,
    so a module regex becomes twinned by its definition alone (``twinned(re.compile(...))``). Class switch
    ``enabled`` off: always the regex (tests and A/B runs compare the two)."""

    enabled = True
    made: list[Twinned] = []  # every instance: tests check each twin against its regex

    __slots__ = ("regex", "twin", "pattern", "flags", "groupindex")

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.regex = rx
        self.twin = ascii_twin(rx)
        self.pattern = rx.pattern
        self.flags = rx.flags
        self.groupindex = rx.groupindex
        Twinned.made.append(self)

    def pick(self, string: str) -> re.Pattern[str]:
        """The compiled form that scans ``string``."""
        return self.twin if self.enabled and _safe_cached(string) else self.regex

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.pick(string).search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.pick(string).match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.pick(string).fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.pick(string).finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.pick(string).findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.pick(string).sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.pick(string).split(string, maxsplit)


def twinned(rx: re.Pattern[str]) -> Twinned:
    """``rx`` scanning ``ascii_safe`` strings with its ASCII twin (``Twinned``)."""
    return Twinned(rx)


_LOWER_TWINS: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}  # as _TWINS
_PLAIN_ESCAPE = re.compile(r"\\[bBdDsSwWAZtnrfv]|\\[^A-Za-z0-9]")  # escapes that name no letter
_CLASS = re.compile(r"\[\^?\]?[^\]]*\]")
_KNOWN_GROUP = re.compile(r"\(\?(?:i:|:|=|!|<=|<!|P<)")


def lower_twin(rx: re.Pattern[str]) -> re.Pattern[str]:
    """For a pattern whose letters are all lower case and inside any-case groups ``(?i:...)``: those groups made
    case-sensitive, compiled with ``re.ASCII``. On an ``ascii_safe`` text, ``lower_twin(rx).finditer(text.lower())``
    finds the spans ``rx.finditer(text)`` finds (``group()`` is lower-cased). Speed: without IGNORECASE and with no
    ``\\b`` to try at each position, CPython's ``re`` skips ahead by the first characters (3-4x faster).
    ValueError for a pattern outside that form (global flags, other escapes, ranges of letters with other
    characters, letters outside the groups). Cached by identity, as ``ascii_twin``."""
    entry = _LOWER_TWINS.get(id(rx))
    if entry is None or entry[0] is not rx:
        entry = _LOWER_TWINS[id(rx)] = (rx, re.compile(_lowered(rx), re.ASCII))
    return entry[1]


def _lowered(rx: re.Pattern[str]) -> str:
    """The pattern of ``lower_twin(rx)`` (see there); ValueError when ``rx`` is outside its form."""
    p = rx.pattern
    if rx.flags & ~re.UNICODE or not p.isascii():
        raise ValueError("lower_twin: global flags or non-ASCII")
    bare = _PLAIN_ESCAPE.sub("_", p)
    if "\\" in bare or "(?" in _KNOWN_GROUP.sub("", bare) or bare.count("(?i:") != p.count("(?i:"):
        raise ValueError("lower_twin: an escape or group form it does not read")
    for cls in _CLASS.findall(bare):
        for a, b in re.findall(r"(.)-(?=(.))", cls[1:-1].lstrip("^")):
            if not (a.islower() and b.islower() or a.isdigit() and b.isdigit()):
                raise ValueError("lower_twin: a class range beyond lower-case letters or digits")
    outside, i = [], 0
    while (j := bare.find("(?i:", i)) >= 0:
        outside.append(bare[i:j])
        i = _skip_group(bare, j)
        if any(c.isupper() for c in bare[j:i]):
            raise ValueError("lower_twin: an upper-case letter in an any-case group")
    outside.append(bare[i:])
    if any(c.isalpha() for c in re.sub(r"\(\?P<\w+>", "(", "".join(outside))):
        raise ValueError("lower_twin: a letter outside the any-case groups")
    return p.replace("(?i:", "(?:")


_ESCAPE = re.compile(r"\\.")
_NEGATED_NAMING = re.compile(r"\[\^[^\]]*[A-Za-z0-9\x7f]")
# a non-ASCII character at either end of a range (a "-" before "]" or after "[" / "[^" is a literal)
_NON_ASCII_RANGE = re.compile(r"[^\x00-\x7f]-(?!\])|(?<![\[^])-[^\x00-\x7f]")
_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _named_chars(pattern: str) -> frozenset[str] | None:
    """For a pattern that is proxy-safe but for the non-ASCII characters it names literally: those characters
    and their case partners (the proxy is sound for texts holding none of them). None when that is not the case
    (a negated class naming letters or digits, or a non-ASCII character at a range's end)."""
    if _NEGATED_NAMING.search(_ESCAPE.sub("", pattern)) or _NON_ASCII_RANGE.search(pattern):
        return None
    return _case_keys("".join(c for c in pattern if not c.isascii()))


def _case_keys(chars: str) -> frozenset[str]:
    """``chars`` with their lower- and upper-case forms: two characters ``re`` matches case-insensitively share
    one of them."""
    return frozenset(k for c in set(chars) for k in (c, c.lower(), c.upper()))


def _proxy_safe(pattern: str) -> bool:
    """Whether the ASCII proxy of a text lets ``pattern`` match wherever it matched the text."""
    return pattern.isascii() and not _NEGATED_NAMING.search(_ESCAPE.sub("", pattern))


@lru_cache(maxsize=4096)
def _proxy_char(c: str) -> str:
    if c.isdecimal():
        return "0"
    if c.isspace():
        return " "
    if c.isalnum():
        for a in _ASCII_LETTERS:  # a letter that matches an ASCII one case-insensitively (Kelvin sign, long s)
            if re.fullmatch(a, c, re.IGNORECASE):
                return a
        return "x"
    return "\x7f"


def _proxy_run(m: regex.Match[str]) -> str:
    return "".join(_proxy_char(c) for c in m.group())
