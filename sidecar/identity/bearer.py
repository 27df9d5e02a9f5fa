"""The bearer token from the Authorization header, or a refusal before any parsing work is done."""

from __future__ import annotations

import re

from sidecar.identity import reasons as R
from sidecar.identity.model import AuthError
from sidecar.request_view import RequestView

# A compact JWS: three base64url segments (RFC 7515 section 7.1). Anything else is refused before decoding.
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def bearer_token(view: RequestView, max_token_bytes: int) -> str | None:
    """The token of ``Authorization: Bearer <token>``; None when there is no Authorization header.

    Raises :class:`AuthError` 401 for a repeated header (Envoy joins repeats with ","), another scheme,
    an oversized token, or anything that is not a compact JWS.
    """
    raw = view.headers.get("authorization")
    if raw is None:
        return None
    if view.header_counts.get("authorization", 1) > 1 or "," in raw:
        raise AuthError(R.DUPLICATE_AUTHORIZATION, "more than one Authorization header")
    if len(raw) > max_token_bytes + 16:
        raise AuthError(R.TOKEN_TOO_LARGE, "the bearer token is larger than allowed")
    if not raw.strip():
        raise AuthError(R.MALFORMED_TOKEN, "the Authorization header is empty")
    scheme, _, token = raw.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise AuthError(R.UNSUPPORTED_SCHEME, "the Authorization header must use the Bearer scheme")
    token = token.strip()
    if not token:
        raise AuthError(R.MALFORMED_TOKEN, "the bearer token is empty")
    if len(token) > max_token_bytes:
        raise AuthError(R.TOKEN_TOO_LARGE, "the bearer token is larger than allowed")
    if not _COMPACT_JWS.fullmatch(token):
        raise AuthError(R.MALFORMED_TOKEN, "the bearer token is not a compact JWT")
    return token
