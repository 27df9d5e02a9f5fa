"""The reading view: what a renderer shows, for detectors that look at characters side by side.

Detectors allow a few spaces between the words of one finding (``4821 Wisteria Lane``); an evader pads the gap
with hundreds (``4821 Wisteria`` + 600 spaces + ``Lane``), splits an identifier over the cells of a Markdown
table (``| 478 | 21 | 5096 |``), or writes its digits as character references a chat UI renders (``&#52;``).
``collapse(text)`` gives the text with each such piece read as the one character a reader sees:

- a run of ``MIN_RUN`` or more whitespace characters: one space (a newline when the run holds one);
- a table cell border (``|`` with the whitespace around it): one space;
- a character reference of an ordinary character (``&#52;``, ``&#x34;``, ``&commat;``): that character
  (references of ``< > & " '`` and control characters stay as written);
- a percent-encoded printable ASCII character (``%34``, ``%2D``: URLs a client opens): that character;

and the map of its offsets back to ``text``: a span over a read character covers what produced it.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right

import regex

MIN_RUN = 4  # one more than the widest whitespace gap the detectors allow inside a finding (\s{1,3})
_PIECE = re.compile(
    rf"\s{{{MIN_RUN},}}|[ \t]*\|[ \t|]*|&(?:#[xX][0-9A-Fa-f]{{1,8}};?|#[0-9]{{1,10}};?|[A-Za-z][A-Za-z0-9]{{1,31}};)"
    r"|%[2-7][0-9A-Fa-f]"
)
# a reference cut at the end of a text (a stream's next chunk may complete it)
PARTIAL_REF = re.compile(r"&(?:#[xX]?[0-9A-Fa-f]{0,8}|[A-Za-z][A-Za-z0-9]{0,31})?\Z")
_KEEP = frozenset("<>&\"'")
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")
_UNI_SPACES = frozenset(c for c in map(chr, range(0x80, 0x3001)) if c.isspace())


def has_padding(text: str) -> bool:
    """Whether ``text`` has anything the reading view reads differently. Substring tests first (a regex
    search costs more than the scan of ordinary prose): a run of 4 whitespace characters holds two spaces,
    two newlines, a space before a newline, a CR, a tab or a non-ASCII space."""
    if not ("&" in text or "|" in text or "%" in text or "  " in text or "\n\n" in text or " \n" in text or "\t" in text
            or "\r" in text or (not text.isascii() and not _UNI_SPACES.isdisjoint("".join(_NON_ASCII.findall(text))))):
        return False
    return _PIECE.search(text) is not None


def _read(piece: str) -> str | None:
    """The one character ``piece`` reads as; None when it stays as written."""
    if piece[0] == "%":  # percent-encoding (a URL a client opens): printable ASCII only
        ch = chr(int(piece[1:], 16))
        return ch if ch.isprintable() and ch != "%" else None
    if piece[0] == "&":
        ch = html.unescape(piece if piece.endswith(";") else piece + ";")
        if len(ch) != 1 or ch in _KEEP or not ch.isprintable():
            return None
        return ch
    if "|" in piece:
        return " "
    return "\n" if "\n" in piece else " "


class Collapsed:
    """``text``: the reading view; ``span(a, b)``: the original (start, end) of its slice [a, b)."""

    __slots__ = ("_extra", "_starts", "text")

    def __init__(self, original: str) -> None:
        parts: list[str] = []
        self._starts: list[int] = []  # view index of each read character
        self._extra: list[int] = []  # characters removed up to and including that piece
        pos = removed = 0
        for m in _PIECE.finditer(original):
            ch = _read(m.group())
            if ch is None or ch == m.group():
                continue
            parts.append(original[pos : m.start()])
            self._starts.append(m.start() - removed)
            parts.append(ch)
            removed += m.end() - m.start() - 1
            self._extra.append(removed)
            pos = m.end()
        parts.append(original[pos:])
        self.text = "".join(parts)

    def _orig(self, i: int, end: bool) -> int:
        """Original index of view index ``i`` (``end``: the index just past a span's last character)."""
        j = i - 1 if end else i
        k = bisect_right(self._starts, j) - 1
        if k < 0:
            return i
        if j == self._starts[k]:  # a read character: the whole piece
            return self._starts[k] + self._extra[k] + 1 if end else self._starts[k] + (self._extra[k - 1] if k else 0)
        return i + self._extra[k]

    def windows(self, reach: int) -> list[tuple[int, int]]:
        """Merged view windows of ``reach`` characters either side of each read character, widened to
        whitespace (a window never starts or ends inside a word)."""
        text, n = self.text, len(self.text)
        out: list[tuple[int, int]] = []
        for v in self._starts:
            a, b = max(0, v - reach), min(n, v + 1 + reach)
            while a > 0 and not text[a - 1].isspace():
                a -= 1
            while b < n and not text[b].isspace():
                b += 1
            if out and a <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], b))
            else:
                out.append((a, b))
        return out

    def covers_piece(self, a: int, b: int) -> bool:
        """Whether view slice [a, b) holds a read character."""
        k = bisect_right(self._starts, b - 1) - 1
        return k >= 0 and self._starts[k] >= a

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self._orig(a, False), self._orig(b, True)
