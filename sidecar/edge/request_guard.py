"""The request side of the edge: what a caller puts around an AI request body.

- :func:`check_body` (every request, before policy): a body that is not strict JSON (duplicate or case-variant
  keys, invalid UTF-8, lone surrogates, NaN/Infinity, out-of-range numbers) is 400 ``invalid_body``; an AI API
  body sent under a content type that is not JSON is 415 ``unsupported_media_type`` (the API's format, not the
  caller's label, decides how the body is read).
- :class:`RequestEdge` (requests whose policy names a request profile, e.g. researcher, billing): the path and
  query string are scanned, and a finding there is 400 ``phi_in_url`` (redacting a URL changes what is asked);
  request headers not on the allowlist are scanned and their findings redacted before they reach the model.
- :func:`request_body_media_type`: the processor the request-body redaction uses, chosen from the parsed body,
  never from the caller's ``content-type``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from sidecar.edge.opaque_tokens import holds_identifier, opaque_token
from sidecar.protocol import INVALID_BODY, PHI_IN_URL, UNSUPPORTED_MEDIA_TYPE
from sidecar.request_view import RequestView
from sidecar.strict_json import STRICT_ERRORS


@dataclass(frozen=True, slots=True)
class Refusal:
    """A request refused at the edge: HTTP ``status``, ``error`` code, a ``reason`` detail code, a message
    (never with request content in it)."""

    status: int
    error: str
    reason: str
    message: str

    def body(self, request_id: str) -> dict[str, Any]:
        return {"error": self.error, "reason": self.reason, "message": self.message, "request_id": request_id}


def is_json_media_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def check_body(view: RequestView, ai: Any) -> Refusal | None:
    """Refuse a body that could be read two ways. ``ai`` is the parsed :class:`sidecar.ai_request.AIRequest`."""
    if ai.parse_error in STRICT_ERRORS:
        return Refusal(400, INVALID_BODY, ai.parse_error,
                       "the request body must be strict JSON (UTF-8, unique keys spelled as the API defines, "
                       "finite numbers within 64 bits)")
    if ai.api != "unknown" and view.body and not is_json_media_type(view.header("content-type")):
        return Refusal(415, UNSUPPORTED_MEDIA_TYPE, "content_type_mismatch",
                       f"{ai.api} requests must be sent as content-type application/json")
    return None


def request_body_media_type(ai: Any) -> str:
    """The media type request-body redaction must use: JSON when the body parsed as JSON, else plain text."""
    return "application/json" if getattr(ai, "body", None) is not None else "text/plain"


# Query parameters the APIs define, passed unscanned when their value has the documented shape (Azure OpenAI's
# dated api-version would otherwise read as a date; Gemini's alt=sse).
KNOWN_QUERY_SHAPES: dict[str, re.Pattern[str]] = {
    "api-version": re.compile(r"\d{4}-\d{2}-\d{2}(?:-preview)?|v\d{1,3}(?:\.\d{1,3})?"),
    "alt": re.compile(r"sse|json|proto"),
    "beta": re.compile(r"true|false"),
}


# Request headers whose documented values read as identifiers (API version dates, proxies' IP lists): passed
# unscanned when their value has that shape, scanned like any other otherwise.
_API_DATE = r"20[2-9]\d-[01]\d-[0-3]\d"
KNOWN_HEADER_SHAPES: dict[str, re.Pattern[str]] = {
    "anthropic-version": re.compile(_API_DATE),
    "anthropic-beta": re.compile(rf"[a-z][a-z0-9-]{{0,63}}(?:-{_API_DATE})?(?:\s*,\s*[a-z][a-z0-9-]{{0,63}})*"),
    "mcp-protocol-version": re.compile(_API_DATE),
    "openai-beta": re.compile(r"[a-z][a-z0-9_.=-]{0,63}(?:\s*,\s*[a-z][a-z0-9_.=-]{0,63})*"),
    # proxies' own: a list of IP addresses, a scheme, a port
    "x-forwarded-for": re.compile(r"[0-9A-Fa-f.:\[\]]{2,45}(?:\s*,\s*[0-9A-Fa-f.:\[\]]{2,45}){0,15}"),
    "x-forwarded-proto": re.compile(r"https?"),
    "x-forwarded-port": re.compile(r"\d{1,5}"),
}


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(name == p or (p.endswith("*") and name.startswith(p[:-1])) for p in patterns)


@dataclass(slots=True)
class HeaderEdits:
    """Upstream-bound header changes: values to overwrite (redacted) and headers to remove."""

    set: dict[str, str] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)


def _unquote_all(text: str, rounds: int = 3) -> str:
    """Percent-decoding until stable (a double-encoded ``%2520`` hides a value from one decoding)."""
    for _ in range(rounds):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


class RequestEdge:
    """Scans the URL and the non-allowlisted request headers with the request profile."""

    def __init__(self, allowed_headers: Iterable[str], engine: Any) -> None:
        self.allowed = tuple(h.lower() for h in allowed_headers)
        self.engine = engine

    def _findings(self, text: str, profile: str) -> int:
        return len(self.engine.detect(text, profile)) if text.strip() else 0

    def _clean_token(self, value: str, profile: str) -> bool:
        """A value that is an opaque token without an identifier (Envoy's ``x-request-id``, an SDK's idempotency
        key): what it spells by chance is no finding (``sidecar/edge/opaque_tokens.py``)."""
        token = opaque_token(value.strip())
        if token is None:
            return False

        def scan(text: str) -> list[tuple[int, int, str]]:
            return [(s.start, s.end, s.type) for s in self.engine.findings(text, profile)]

        return not holds_identifier(token, scan(token.text), scan)

    def scrub(self, view: RequestView, profile: str) -> Refusal | HeaderEdits:
        """A refusal, or the upstream-bound header edits (redacted values; headers whose name holds an
        identifier are removed)."""
        url = urlsplit(view.path)
        parts = [_unquote_all(seg) for seg in url.path.split("/") if seg]
        for key, value in parse_qsl(url.query, keep_blank_values=True):
            key, value = _unquote_all(key), _unquote_all(value)
            shape = KNOWN_QUERY_SHAPES.get(key)
            if shape is None or not shape.fullmatch(value):
                parts += [key, value]
        if self._findings("\n".join(parts), profile):  # one scan, a line per segment / key / value
            return Refusal(400, PHI_IN_URL, "phi_in_url",
                           "the request path or query string holds identifiers this caller may not send; "
                           "put them in the body, where they are redacted")
        out = HeaderEdits()
        scanned = [(n, v) for n, v in view.headers.items() if not _matches(n, self.allowed) and not (
            (shape := KNOWN_HEADER_SHAPES.get(n)) is not None and shape.fullmatch(v.strip()))]
        lines = [f"{n.replace('-', ' ').replace('_', ' ')}\n{v}" for n, v in scanned]
        if not scanned or not self._findings("\n".join(lines), profile):  # the common case: one clean scan
            return out
        for name, value in scanned:
            if self._findings(name.replace("-", " ").replace("_", " "), profile):
                out.remove.append(name)
                continue
            if not value.strip() or self._clean_token(value, profile):  # only once the one scan found something
                continue
            result = self.engine.redact_text(value, profile)
            if result.spans:
                out.set[name] = result.text
        return out
