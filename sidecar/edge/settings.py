"""Settings of the edges: the response-header allowlist and the request-header allowlist."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

# How an allowlisted response header's value is treated (see sidecar/edge/response_headers.py):
# a shape the value must match (and scan clean), or ``text`` (scanned and redacted).
HeaderKind = Literal["id", "number", "http_date", "timestamp", "rate", "retry_after", "media_type", "tokens",
                     "version", "text"]

# What OpenAI, Azure OpenAI, Anthropic, Gemini, Ollama and MCP servers send. Exact names, or a prefix ending
# in ``*``; the longest matching entry wins. Everything else is dropped. The providers' own headers are ids, numbers,
# dates and versions: none needs to be free text (``text`` is there for headers a deployment adds).
DEFAULT_RESPONSE_HEADERS: dict[str, HeaderKind] = {
    "content-type": "media_type",
    "date": "http_date",
    "cache-control": "tokens",
    "vary": "tokens",
    "retry-after": "retry_after",
    "x-request-id": "id",
    "request-id": "id",
    "apim-request-id": "id",
    "x-ms-request-id": "id",
    "x-ms-client-request-id": "id",
    "x-ms-region": "id",
    "x-ms-*": "id",
    "azureml-model-session": "id",
    "openai-processing-ms": "number",
    "openai-version": "version",
    "openai-organization": "id",
    "openai-project": "id",
    "openai-model": "id",
    "openai-*": "id",
    "x-ratelimit-*": "rate",
    "anthropic-ratelimit-*": "rate",
    "anthropic-organization-id": "id",
    "anthropic-version": "version",
    "anthropic-*": "id",
    "x-goog-*": "id",
    "mcp-session-id": "id",
    "mcp-protocol-version": "version",
}

# Request headers that reach the model unscanned when policy names a request profile: pseudo-headers, framing,
# credentials (replaced by the brokered one) and the guard's own (stripped or enumerated). Every other header is a
# caller's free text and is scanned, its findings redacted: SDK headers (``user-agent``, ``x-stainless-*`` ...),
# proxy and trace headers (``x-forwarded-*``, ``traceparent`` ...); a few pass in their documented shape (see
# KNOWN_HEADER_SHAPES in sidecar/edge/request_guard.py). Names, or prefixes ending in ``*``.
DEFAULT_REQUEST_HEADERS: list[str] = [
    ":*", "host", "content-type", "content-length", "accept-encoding", "authorization", "proxy-authorization",
    "x-api-key", "api-key", "x-goog-api-key", "connection", "te", "transfer-encoding", "expect", "x-phi-guard-*",
]


class EdgeSettings(BaseModel):
    """``edge`` section."""

    model_config = ConfigDict(extra="forbid")

    # Response headers the client may receive, and how each value is checked; all others are dropped.
    response_headers: dict[str, HeaderKind] = dict(DEFAULT_RESPONSE_HEADERS)
    # Request headers passed unscanned when policy names a request profile (others are scanned and redacted).
    request_headers: list[str] = list(DEFAULT_REQUEST_HEADERS)
