"""The fingerprint a grant is bound to: what was asked for, not who asked (the requester is bound separately).

``fp2`` binds the purpose of use, the method, the host, the full path with its query string (as Envoy saw it), the
model, the tool names and the canonical body hash: a grant approved for one request cannot be spent on another that
differs in any of them (a different purpose, an added query parameter, another tool ...).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sidecar.protocol import PURPOSE_HEADER
from sidecar.request_view import RequestView
from sidecar.strict_json import StrictJsonError
from sidecar.strict_json import loads as strict_loads

VERSION = "fp2"


def canonical_body_hash(body: bytes) -> str:
    """SHA-256 of the canonical JSON form (sorted keys, no whitespace) of ``body``, or of the raw bytes when the
    body is not strict JSON (one reading only: see :mod:`sidecar.strict_json`)."""
    try:
        doc = strict_loads(body)
    except StrictJsonError:
        return hashlib.sha256(body).hexdigest()
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def request_purpose(view: RequestView) -> str:
    return view.header(PURPOSE_HEADER).strip().lower()


def request_fingerprint(
    view: RequestView, model: str | None, scope: str | None = None, tools: Iterable[str] | None = None
) -> str:
    """``fp2:<hex>`` over purpose, method, host, full path with query, model, tools and the canonical body hash; or
    over purpose and ``scope`` when the policy names one (then any request in that scope, for that purpose,
    matches). Only a non-empty string names a scope: anything else is ignored, so the grant stays narrow."""
    purpose = request_purpose(view)
    if isinstance(scope, str) and scope:
        parts: list[object] = [VERSION, "scope", purpose, scope]
    else:
        parts = [
            VERSION,
            "request",
            purpose,
            view.method.upper(),
            view.host.lower(),
            view.path,
            model or "",
            sorted(str(t) for t in (tools or ())),
            canonical_body_hash(view.body),
        ]
    digest = hashlib.sha256(json.dumps(parts, separators=(",", ":")).encode("utf-8")).hexdigest()
    return f"{VERSION}:{digest}"
