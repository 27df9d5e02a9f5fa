"""The detector plug-in contract: text in, spans out. Detectors are pure and thread-safe."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from sidecar.redaction.spans import Span


class Detector(Protocol):
    name: str
    # Longest span this detector can produce, or how far right its context reaches; the stream
    # hold-back must cover it (0: only bounded by whitespace, e.g. URLs and e-mail addresses).
    reach: int

    def detect(self, text: str) -> Iterable[Span]: ...


def gated(first: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled behind a lookahead on ``first``, a character class holding the first character of
    every possible match: the same matches, but most positions fail after one test instead of trying every
    alternative (3-4x faster on long alternations in CPython's ``re``). Flags apply to ``first`` too."""
    return re.compile(f"(?={first})(?:{pattern})", flags)


def left(text: str, start: int, width: int) -> str:
    """Lower-cased context just before ``start``."""
    return text[max(0, start - width) : start].lower()
