"""Response headers: an allowlist. What the upstream sends besides the body reaches the client only when it is
understood and scanned.

- a header not on the allowlist is dropped (``x-patient-name``, ``set-cookie``, ``location``, ``link``, ...);
- a shape-checked header (ids, numbers, dates, rate limits, media types) is kept only when its value matches its
  shape *and* the redaction profile finds nothing in it; otherwise it is dropped. An ``id`` value that is an opaque
  token (hex, UUID, base62/base64url: :mod:`sidecar.edge.opaque_tokens`) is judged by the findings that can be
  honest inside a random token; other ``id`` values are also read with glued words apart (``JohnSmith``);
- a ``text`` header is scanned and its findings redacted.

Pseudo-headers and the framing headers Envoy owns are left to Envoy; ``content-length`` and
``content-encoding`` are removed by the body pipeline (the body is rewritten and decoded).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sidecar.edge.opaque_tokens import glued_words, holds_identifier, opaque_token
from sidecar.edge.settings import HeaderKind


class Scanner(Protocol):
    """Finds identifiers for a redaction profile (:class:`EngineScanner` over the redaction engine)."""

    def findings(self, text: str, profile: str) -> list[tuple[int, int, str]]:
        """Every finding ``(start, end, type)``, overlaps not merged (each keeps its detector's type)."""
        ...

    def redact(self, text: str, profile: str) -> tuple[str, int]: ...

_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
_DATE = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})"
_HTTP_DATE = (r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
              r"\d{4} \d{2}:\d{2}:\d{2} GMT")
_NUMBER = r"\d{1,15}(?:\.\d{1,9})?"
_DIRECTIVE = rf"{_TOKEN}(?:=(?:{_TOKEN}|\"{_TOKEN}\"))?"
_DURATION = r"(?:\d{1,6}(?:\.\d{1,6})?(?:ms|h|m|s)){1,4}"
SHAPES: dict[str, re.Pattern[str]] = {
    "id": re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._:-]{0,127}"),  # base64url ids may begin with - or _
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
VERDICT_CACHE_SIZE = 4096
_NAME_REST = re.compile(r"[a-z]{1,32}(?:-[a-z]{1,32}){0,7}")
# Words in the header names OpenAI, Azure OpenAI, Anthropic and Gemini send under their prefixes
# (``x-ratelimit-remaining-tokens``, ``anthropic-ratelimit-input-tokens-reset``, ``x-ms-rai-invoked`` ...). A
# wildcard-matched name with another word is dropped: a name can carry an identifier as well as a value can.
NAME_WORDS = frozenset({
    "limit", "limits", "remaining", "reset", "requests", "request", "tokens", "token", "input", "output", "region",
    "rai", "invoked", "client", "id", "deployment", "name", "processing", "ms", "version", "organization", "project",
    "model", "session", "upload", "url", "status", "chunk", "granularity", "size", "service", "tier", "middleware",
    "priority", "cache", "creation", "read", "retry", "after", "api", "units", "unified", "content", "type",
    "generation", "served", "by", "routing", "trace", "debug", "info", "usage", "batch", "quota", "ptu", "user",
    "backend", "latency", "time", "duration", "sku", "account", "resource", "operation", "location", "zone",
})
# Characters that glue an identifier to its neighbours as one word (``req_123-45-6789``, ``x-03/14/1962``): each
# value is also scanned with them read as spaces.
_SEPARATOR_VIEWS = (re.compile(r"[_:+=;,]"), re.compile(r"[_:+=;,-]"))
# Words glued into one (``JohnSmith``, ``Okonkwo7730419``): an ``id`` value that is no opaque token and is written as
# glued words (``opaque_tokens.glued_words``; random case is not) is also read with a space at each lower-to-upper
# and letter-digit boundary.
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
# Left to Envoy (pseudo-headers, framing) or handled by the body pipeline.
NOT_OURS = frozenset({"content-length", "content-encoding", "transfer-encoding"})


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _glued_apart(text: str) -> tuple[str, list[int]]:
    """``text`` with a space at each glued-word boundary, and for each character of it the index it came from
    (an inserted space takes the index of the character after it)."""
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _GLUED.finditer(text):
        out.append(text[pos:m.start()])
        index.extend(range(pos, m.start()))
        out.append(" ")
        index.append(m.start())
        pos = m.start()
    out.append(text[pos:])
    index.extend(range(pos, len(text)))
    return "".join(out), index


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
        # Scan verdicts per profile, kind and value digest (content types, dates, limits repeat across responses);
        # the cache holds digests, never a value.
        self._verdicts: dict[tuple[str, str, bytes], bool] = {}
        self._parts: dict[tuple[str, bytes], list[tuple[int, int, str]]] = {}  # findings in parts of tokens

    def kind(self, name: str) -> HeaderKind | None:
        name = name.lower()
        if name in self.exact:
            return self.exact[name]
        for prefix, kind in self.prefixes:
            if name.startswith(prefix):
                # the rest of a wildcard-matched name is upstream text too: only words providers use in names
                rest = name[len(prefix):]
                ok = _NAME_REST.fullmatch(rest) and all(w in NAME_WORDS for w in rest.split("-"))
                return kind if ok else None
        return None

    def _remember(self, profile: str, kind: str, text: str, clean: bool) -> None:
        if len(self._verdicts) >= VERDICT_CACHE_SIZE:
            self._verdicts.clear()
        self._verdicts[(profile, kind, _digest(text))] = clean

    def _spans(self, text: str, profile: str) -> list[tuple[int, int, str]]:
        """Findings in ``text`` as written and with its separators read as spaces (same offsets)."""
        spans = list(self.scanner.findings(text, profile))
        seen = {text}
        for view in _SEPARATOR_VIEWS:
            alt = view.sub(" ", text)
            if alt not in seen:
                seen.add(alt)
                spans += self.scanner.findings(alt, profile)
        return spans

    def _glued_spans(self, text: str, profile: str) -> list[tuple[int, int, str]]:
        """Findings in ``text`` read with glued words apart (offsets into ``text``)."""
        apart, index = _glued_apart(text)
        if len(apart) == len(text):
            return []
        return [(index[a], index[b - 1] + 1, t) for a, b, t in self._spans(apart, profile) if b > a]

    def _words_or_run(self, text: str, profile: str) -> list[tuple[int, int, str]]:
        """Findings in a part of a token (its words, a digit run), cached: prefixes such as ``req`` repeat."""
        key = (profile, _digest(text))
        found = self._parts.get(key)
        if found is None:
            if len(self._parts) >= VERDICT_CACHE_SIZE:
                self._parts.clear()
            found = self._parts[key] = self._spans(text, profile)
        return found

    def _redact(self, text: str, profile: str) -> str:
        out, _ = self.scanner.redact(text, profile)
        for view in _SEPARATOR_VIEWS:
            redacted, found = self.scanner.redact(view.sub(" ", out), profile)
            if found:
                out = redacted
        return out

    def filter(self, headers: Iterable[tuple[str, str]], profile: str) -> HeaderVerdict:
        verdict = HeaderVerdict()
        values: dict[str, list[str]] = {}
        for name, value in headers:
            name = name.lower()
            if name.startswith(":") or name in NOT_OURS or name in self.keep:
                continue
            values.setdefault(name, []).append(value)
        # (name, value as written, kind, value to set if clean or None to keep as is, how many values)
        candidates: list[tuple[str, str, HeaderKind, str | None, int]] = []
        for name, vals in values.items():
            kind = self.kind(name)
            joined = ", ".join(vals)
            if kind is None or len(joined) > MAX_VALUE_CHARS:
                verdict.remove.append(name)
                verdict.dropped += len(vals)
            elif kind == "text" or all(SHAPES[kind].fullmatch(v.strip()) for v in vals):
                candidates.append((name, joined, kind, None, len(vals)))
            elif kind == "media_type" and len(vals) == 1 and SHAPES[kind].fullmatch(
                    bare := vals[0].split(";", 1)[0].strip()):
                candidates.append((name, bare, kind, bare, 1))  # parameters other than charset cut off
            else:
                verdict.remove.append(name)
                verdict.dropped += len(vals)
                continue
        pending = []
        for cand in candidates:
            name, text, kind, replacement, count = cand
            known = self._verdicts.get((profile, kind, _digest(text)))
            if known is None or (known is False and kind == "text"):
                pending.append(cand)
            elif known is False:
                verdict.remove.append(name)
                verdict.dropped += count
            elif replacement is not None:
                verdict.set[name] = replacement
                verdict.redacted += 1
        candidates = pending
        if not candidates:
            return verdict
        # An id value that is an opaque token is scanned in its token form (a UUID without dashes).
        tokens = [opaque_token(text.strip()) if kind == "id" else None for _, text, kind, _, _ in candidates]
        scanned = [tok.text if tok is not None else text for (_, text, *_), tok in zip(candidates, tokens, strict=True)]
        # One scan over all values (a line each) instead of one per header; the other id values once more with
        # glued words apart.
        combined = "\n".join(scanned)
        spans = self._spans(combined, profile)
        glued = [tok is None and c[2] == "id" and glued_words(form)
                 for c, tok, form in zip(candidates, tokens, scanned, strict=True)]
        if any(glued):
            only = "\n".join(t if g else " " * len(t) for t, g in zip(scanned, glued, strict=True))
            spans += self._glued_spans(only, profile)
        pos = 0
        for (name, text, kind, replacement, count), tok, form in zip(candidates, tokens, scanned, strict=True):
            start, end = pos, pos + len(form)
            pos = end + 1
            if tok is None:
                hit = any(a < end and b > start for a, b, _ in spans)
            else:
                mine = [(a - start, b - start, t) for a, b, t in spans if a < end and b > start]
                hit = holds_identifier(tok, mine, lambda other: self._words_or_run(other, profile))
            self._remember(profile, kind, text, not hit)
            if hit and kind == "text":
                verdict.set[name] = self._redact(text, profile)
                verdict.redacted += 1
            elif hit:
                verdict.remove.append(name)
                verdict.dropped += count
            elif replacement is not None:
                verdict.set[name] = replacement
                verdict.redacted += 1
        for name in verdict.remove:
            verdict.set.pop(name, None)
        return verdict


class EngineScanner:
    """The redaction engine as the header filter uses it: spans only, or the redacted text."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def findings(self, text: str, profile: str) -> list[tuple[int, int, str]]:
        return [(sp.start, sp.end, sp.type) for sp in self.engine.findings(text, profile)]

    def redact(self, text: str, profile: str) -> tuple[str, int]:
        result = self.engine.redact_text(text, profile)
        return result.text, len(result.spans)


def engine_scanner(engine: Any) -> EngineScanner:
    """A :class:`Scanner` over :class:`sidecar.redaction.engine.RedactionEngine`."""
    return EngineScanner(engine)
