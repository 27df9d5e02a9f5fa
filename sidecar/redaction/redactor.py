"""A redactor bound to one profile, pseudonym key and conversation: detection then operators.
Shared by the text stream, the JSON walker and the CLI. Accumulates counts by type (never values)."""

from __future__ import annotations

from collections import Counter

from sidecar.redaction import operators
from sidecar.redaction.analyzer import Analyzer
from sidecar.redaction.profiles import Profile
from sidecar.redaction.spans import Span


class TextRedactor:
    def __init__(self, analyzer: Analyzer, profile: Profile, key: bytes, conversation_key: str = "") -> None:
        self.analyzer = analyzer
        self.profile = profile
        self._key = key
        self._conv = conversation_key
        self.counts: Counter[str] = Counter()

    def spans(self, text: str) -> list[Span]:
        return self.analyzer.analyze(text, self.profile.types)

    def open_at(self, text: str, start: int = 0) -> int:
        """See :meth:`Analyzer.open_at`: where a continuation of ``text`` could still change a finding
        (``start``: an index already settled)."""
        if start:
            return self.analyzer.open_at(text, self.profile.types, start)
        return self.analyzer.open_at(text, self.profile.types)

    def apply(self, text: str, spans: list[Span], offset: int = 0) -> str:
        """Replace ``spans`` (offsets relative to ``text`` plus ``offset``) and count them."""
        if not spans:
            return text
        parts: list[str] = []
        pos = 0
        for s in spans:
            a, b = s.start - offset, s.end - offset
            parts.append(text[pos:a])
            parts.append(self.replacement(text[a:b], s.type))
            pos = b
        parts.append(text[pos:])
        return "".join(parts)

    def replacement(self, value: str, type_: str) -> str:
        self.counts[type_] += 1
        return operators.apply(self.profile.operator(type_), value, type_, self._key, self._conv)

    def replacement_with(self, spec: operators.OperatorSpec, value: str, type_: str) -> str:
        self.counts[type_] += 1
        return operators.apply(spec, value, type_, self._key, self._conv)

    def redact(self, text: str) -> str:
        return self.apply(text, self.spans(text)) if text else text
