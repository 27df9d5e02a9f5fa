"""Response headers: an allowlist. What the upstream sends besides the body reaches the client only when it is
understood and scanned.

- a header not on the allowlist is dropped (``x-patient-name``, ``set-cookie``, ``location``, ``link``, ...);
- a shape-checked header (ids, numbers, dates, rate limits, media types) is kept only when its value matches its
  shape *and* the redaction profile finds nothing in it; otherwise it is dropped;
- a ``text`` header is scanned and its findings redacted.

Pseudo-headers and the framing headers Envoy owns are left to Envoy; ``content-length`` and
``content-encoding`` are removed by the body pipeline (the body is rewritten and decoded).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sidecar.edge.settings import HeaderKind

# (text, profile) -> (redacted text, number of findings)
Scanner = Callable[[str, str], tuple[str, int]]

_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
_DATE = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})"
_HTTP_DATE = (r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
              r"\d{4} \d{2}:\d{2}:\d{2} GMT")
_NUMBER = r"\d{1,15}(?:\.\d{1,9})?"
_DIRECTIVE = rf"{_TOKEN}(?:=(?:{_TOKEN}|\"{_TOKEN}\"))?"
_DURATION = r"(?:\d{1,6}(?:\.\d{1,6})?(?:ms|h|m|s)){1,4}"
SHAPES: dict[str, re.Pattern[str]] = {
    "id": re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}"),
    "number": re.compile(_NUMBER),
    "http_date": re.compile(_HTTP_DATE),
    "timestamp": re.compile(_DATE),
    "rate": re.compile(rf"{_NUMBER}|{_DURATION}|{_DATE}"),
    "retry_after": re.compile(rf"{_NUMBER}|{_HTTP_DATE}"),
    # a media type with at most a charset (a name from the IANA registry's alphabet)
    "media_type": re.compile(
        r"[A-Za-z0-9.+-]{1,64}/[A-Za-z0-9.+-]{1,64}(?:\s*;\s*(?i:charset)=\"?[A-Za-z0-9._:-]{1,40}\"?)?"),
    "tokens": re.compile(rf"{_DIRECTIVE}(?:\s*,\s*{_DIRECTIVE})*"),
    "version": re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
}
MAX_VALUE_CHARS = 1024
# Characters that glue an identifier to its neighbours as one word (``req_123-45-6789``, ``x-03/14/1962``): each
# value is also scanned with them read as spaces.
_SEPARATOR_VIEWS = (re.compile(r"[_:+=;,]"), re.compile(r"[_:+=;,-]"))
# Left to Envoy (pseudo-headers, framing) or handled by the body pipeline.
NOT_OURS = frozenset({"content-length", "content-encoding", "transfer-encoding"})


@dataclass
class HeaderVerdict:
    """What to do with one response's headers."""

    remove: list[str] = field(default_factory=list)
    set: dict[str, str] = field(default_factory=dict)
    dropped: int = 0
    redacted: int = 0


class ResponseHeaderFilter:
    """Applies the allowlist (name or ``prefix*`` -> kind; the longest match wins)."""

    def __init__(self, allow: Mapping[str, HeaderKind], scanner: Scanner, keep: Iterable[str] = ()) -> None:
        self.exact = {k.lower(): v for k, v in allow.items() if not k.endswith("*")}
        self.prefixes = sorted(((k[:-1].lower(), v) for k, v in allow.items() if k.endswith("*")),
                               key=lambda kv: -len(kv[0]))
        self.scanner = scanner
        self.keep = frozenset(h.lower() for h in keep)  # headers the guard itself sets (overwritten, not dropped)

    def kind(self, name: str) -> HeaderKind | None:
        name = name.lower()
        if name in self.exact:
            return self.exact[name]
        for prefix, kind in self.prefixes:
            if name.startswith(prefix):
                return kind
        return None

    def _scan(self, text: str, profile: str) -> tuple[str, int]:
        """Redact ``text`` as written and with its separators read as spaces; (result, findings)."""
        out, total = self.scanner(text, profile)
        for view in _SEPARATOR_VIEWS:
            redacted, found = self.scanner(view.sub(" ", out), profile)
            if found:
                out, total = redacted, total + found
        return out, total

    def filter(self, headers: Iterable[tuple[str, str]], profile: str) -> HeaderVerdict:
        verdict = HeaderVerdict()
        values: dict[str, list[str]] = {}
        for name, value in headers:
            name = name.lower()
            if name.startswith(":") or name in NOT_OURS or name in self.keep:
                continue
            values.setdefault(name, []).append(value)
        for name, vals in values.items():
            kind = self.kind(name)
            if kind is None:
                verdict.remove.append(name)
                verdict.dropped += len(vals)
                continue
            joined = ", ".join(vals)
            if kind == "text":
                if len(joined) > MAX_VALUE_CHARS:
                    verdict.remove.append(name)
                    verdict.dropped += len(vals)
                    continue
                redacted, found = self._scan(joined, profile)
                if found:
                    verdict.set[name] = redacted
                    verdict.redacted += 1
                continue
            ok = all(len(v) <= MAX_VALUE_CHARS and SHAPES[kind].fullmatch(v.strip()) for v in vals)
            if not ok and kind == "media_type" and len(vals) == 1:
                bare = vals[0].split(";", 1)[0].strip()
                if SHAPES[kind].fullmatch(bare) and self._scan(bare, profile)[1] == 0:
                    verdict.set[name] = bare  # parameters other than charset are dropped, the type kept
                    verdict.redacted += 1
                    continue
            if ok and self._scan(joined, profile)[1] == 0:
                continue
            verdict.remove.append(name)
            verdict.dropped += len(vals)
        return verdict


def engine_scanner(engine: object) -> Scanner:
    """A :data:`Scanner` over :meth:`sidecar.redaction.engine.RedactionEngine.redact_text`."""

    def scan(text: str, profile: str) -> tuple[str, int]:
        result = engine.redact_text(text, profile)  # type: ignore[attr-defined]
        return result.text, len(result.spans)

    return scan
