"""The fingerprint a grant is bound to: what was asked for, not who asked (bound separately)."""

from __future__ import annotations

import hashlib
import json

from sidecar.request_view import RequestView

VERSION = "fp1"


def canonical_body_hash(body: bytes) -> str:
    """SHA-256 of the canonical JSON form (sorted keys, no whitespace) of ``body``, or of the raw bytes."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return hashlib.sha256(body).hexdigest()
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def request_fingerprint(view: RequestView, model: str | None, scope: str | None = None) -> str:
    """``fp1:<hex>`` over method, path (no query), model and the canonical body hash; or over ``scope`` alone
    when the policy names one (then any request in that scope matches). Only a non-empty string names a
    scope: anything else (e.g. a document describing the request) is ignored, so the grant stays narrow."""
    if isinstance(scope, str) and scope:
        parts: list[str] = [VERSION, "scope", scope]
    else:
        parts = [
            VERSION,
            "request",
            view.method.upper(),
            view.path_only,
            model or "",
            canonical_body_hash(view.body),
        ]
    digest = hashlib.sha256(json.dumps(parts, separators=(",", ":")).encode("utf-8")).hexdigest()
    return f"{VERSION}:{digest}"
