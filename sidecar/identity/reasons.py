"""Stable reason codes for :class:`sidecar.identity.model.AuthError` (part of the public API: callers,
dashboards and tests match on them; add codes, never rename them)."""

from __future__ import annotations

# 401: the caller's fault
MISSING_CREDENTIALS = "missing_credentials"
DUPLICATE_AUTHORIZATION = "duplicate_authorization"
UNSUPPORTED_SCHEME = "unsupported_scheme"  # Authorization present but not "Bearer <token>"
MALFORMED_TOKEN = "malformed_token"  # not a compact JWS: empty, truncated, bad base64/JSON
TOKEN_TOO_LARGE = "token_too_large"
UNKNOWN_ISSUER = "unknown_issuer"
ISSUER_DISABLED = "issuer_disabled"
ALG_NOT_ALLOWED = "alg_not_allowed"  # none, HS*, or not in the issuer's list
UNKNOWN_KID = "unknown_kid"
BAD_SIGNATURE = "bad_signature"
TOKEN_EXPIRED = "token_expired"
TOKEN_NOT_YET_VALID = "token_not_yet_valid"  # nbf in the future
ISSUED_IN_FUTURE = "issued_in_future"  # iat in the future
INVALID_AUDIENCE = "invalid_audience"
MISSING_CLAIM = "missing_claim"
INVALID_CLAIM = "invalid_claim"  # a registered claim of the wrong type (e.g. exp not a number)
LIFETIME_EXCEEDED = "lifetime_exceeded"
INVALID_SPIFFE_ID = "invalid_spiffe_id"
UNTRUSTED_TRUST_DOMAIN = "untrusted_trust_domain"
UNTRUSTED_CERTIFICATE = "untrusted_certificate"  # mtls.ca_file set and the chain, or the validity, fails

# 503: ours
JWKS_UNAVAILABLE = "jwks_unavailable"  # no usable keys for an issuer (IdP unreachable, never fetched)
