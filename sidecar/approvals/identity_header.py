"""``x-phi-guard-identity``: the identity ext_authz proved, handed to the guard's own HTTP API.

Format: ``v1.<base64url(JSON)>.<base64url(HMAC-SHA256(key, "v1." + payload))>``. The key is per guard process
(the wiring makes it), so only identities this process proved are accepted, and only for a short window.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any

from sidecar.identity.model import AuthError, Identity
from sidecar.protocol import IDENTITY_HEADER

HEADER = IDENTITY_HEADER
_VERSION = "v1"
_CLOCK_SKEW = 5.0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def _mac(key: bytes, signed: str) -> bytes:
    return hmac.new(key, signed.encode("ascii"), hashlib.sha256).digest()


def sign_identity(identity: Identity, key: bytes, now: float | None = None) -> str:
    """The header value carrying ``identity``, MACed with ``key`` and stamped with the time."""
    doc: dict[str, Any] = {
        "sub": identity.sub,
        "iss": identity.iss,
        "auth_method": identity.auth_method,
        "roles": list(identity.roles),
        "groups": list(identity.groups),
        "client_id": identity.client_id,
        "claims": identity.claims,
        "iat": time.time() if now is None else now,
    }
    payload = _b64(json.dumps(doc, separators=(",", ":"), default=str).encode("utf-8"))
    signed = f"{_VERSION}.{payload}"
    return f"{signed}.{_b64(_mac(key, signed))}"


def verify_identity(header: str, key: bytes, max_age: float = 30.0, now: float | None = None) -> Identity:
    """The :class:`Identity` in ``header``; raises :class:`AuthError` (401) when it is missing, forged,
    malformed, or older than ``max_age`` seconds."""
    if not header:
        raise AuthError("identity_missing", "no verified identity: call the API through Envoy")
    parts = header.strip().split(".")
    if len(parts) != 3 or parts[0] != _VERSION:
        raise AuthError("identity_malformed", "identity header is not in the expected format")
    signed = f"{parts[0]}.{parts[1]}"
    try:
        mac = _unb64(parts[2])
    except (binascii.Error, ValueError):
        raise AuthError("identity_malformed", "identity header signature is not base64url") from None
    if not hmac.compare_digest(mac, _mac(key, signed)):
        raise AuthError("identity_bad_signature", "identity header was not issued by this guard")
    try:
        doc = json.loads(_unb64(parts[1]))
        iat = float(doc["iat"])
        identity = Identity(
            sub=str(doc["sub"]),
            iss=str(doc["iss"]),
            auth_method=doc["auth_method"],
            roles=tuple(str(r) for r in doc.get("roles") or ()),
            groups=tuple(str(g) for g in doc.get("groups") or ()),
            client_id=doc.get("client_id"),
            claims=dict(doc.get("claims") or {}),
        )
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise AuthError("identity_malformed", "identity header payload is not valid") from None
    t = time.time() if now is None else now
    if iat > t + _CLOCK_SKEW or t - iat > max_age:
        raise AuthError("identity_expired", "identity header is outside its validity window")
    if not identity.sub:
        raise AuthError("identity_malformed", "identity header has no subject")
    return identity
