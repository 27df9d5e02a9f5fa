"""Verifying an OIDC bearer JWT against the configured issuers.

Order of checks (each failure is one stable reason code, see :mod:`sidecar.identity.reasons`):
header parse -> algorithm family (never none/HS*) -> payload parse -> issuer configured and enabled ->
algorithm allowed for that issuer -> key by ``kid`` (rate-limited JWKS refresh on a miss) -> signature ->
required claims, iat/nbf/exp with the issuer's leeway, audience, subject -> maximum lifetime -> identity.
Headers that would make us fetch or trust key material named by the token (``jku``, ``x5u``, ``jwk``,
``x5c``) are ignored: keys come only from the issuer's configured JWKS.

Keys are parsed by PyJWT (``PyJWK``) and signatures verified by PyJWT's algorithm objects over
``cryptography``. The compact-JWS framing and the RFC 7519 claim checks are done here rather than by
``jwt.decode``: PyJWT 2.15 checks the base64url alphabet one character at a time in Python, which measured
~150 µs per token on this machine, three times the RSA verification itself.

A token that verified is remembered by its SHA-256 (bounded LRU, like Envoy jwt_authn's ``jwt_cache_config``):
a repeat skips parsing and the signature, but every claim check runs again at the time of use, and the hit
counts only while the key that verified it is still the one the issuer publishes under its ``kid``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import jwt

from sidecar.identity import claims as C
from sidecar.identity import reasons as R
from sidecar.identity.jwks import JwksCache, SigningKey
from sidecar.identity.model import AuthError, Identity
from sidecar.identity.settings import ASYMMETRIC_ALGORITHMS, IssuerSettings

_TIME_CLAIMS = ("exp", "nbf", "iat")


def _b64(segment: str) -> bytes:
    """Strict base64url (RFC 7515 section 2): no padding, canonical trailing bits. The caller has already
    checked the alphabet."""
    if len(segment) % 4 == 1:
        raise AuthError(R.MALFORMED_TOKEN, "the token is not valid base64url")
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise AuthError(R.MALFORMED_TOKEN, "the token is not valid base64url") from None
    if base64.urlsafe_b64encode(raw).rstrip(b"=") != segment.encode("ascii"):
        raise AuthError(R.MALFORMED_TOKEN, "the token is not canonical base64url")
    return raw


def _segment_json(segment: str) -> Any:
    try:
        return json.loads(_b64(segment))
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise AuthError(R.MALFORMED_TOKEN, "the token is not valid base64url JSON") from None


def _is_number(v: Any) -> bool:
    # bool is an int in Python; NaN/Infinity parse from JSON and would defeat every comparison.
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return -(2**53) <= v <= 2**53  # beyond this a NumericDate is not a time
    return isinstance(v, float) and math.isfinite(v)


MAX_KIDLESS_CANDIDATES = 4
_ALGORITHMS = {name: jwt.get_algorithm_by_name(name) for name in ASYMMETRIC_ALGORITHMS}


class JwtVerifier:
    """Verifies bearer JWTs for a fixed set of issuers, each with its own :class:`JwksCache`."""

    def __init__(
        self,
        issuers: Mapping[str, IssuerSettings],
        caches: Mapping[str, JwksCache],
        wall_clock: Callable[[], float] = time.time,
        cache_size: int = 1024,
    ) -> None:
        self._issuers = dict(issuers)
        self._verified: OrderedDict[bytes, tuple[dict[str, Any], IssuerSettings, str | None, SigningKey]] = (
            OrderedDict()
        )
        self._cache_size = cache_size
        self.cache_hits = 0
        self._caches = dict(caches)
        self._allowed = {iss: frozenset(cfg.algorithms) for iss, cfg in self._issuers.items()}
        self._audiences = {iss: frozenset(cfg.audiences) for iss, cfg in self._issuers.items()}
        self._now = wall_clock

    async def verify(self, token: str) -> Identity:
        """The identity a valid compact JWS proves (the caller checked its alphabet and three segments).

        Raises :class:`AuthError` (401, or 503 ``jwks_unavailable`` without keys).
        """
        digest = hashlib.sha256(token.encode("ascii")).digest() if self._cache_size else b""
        hit = self._verified.get(digest) if digest else None
        if hit is not None:
            c_payload, c_cfg, c_kid, c_key = hit
            if c_cfg.enabled and any(k is c_key for k in self._caches[c_cfg.issuer].lookup(c_kid)):
                try:
                    self._check_claims(c_payload, c_cfg)
                except AuthError:
                    self._verified.pop(digest, None)
                    raise
                self._verified.move_to_end(digest)
                self.cache_hits += 1
                return self._identity(c_payload, c_cfg)
            self._verified.pop(digest, None)  # the key rotated out (or went stale): verify afresh
        header_seg, payload_seg, sig_seg = token.split(".")
        header = _segment_json(header_seg)
        if not isinstance(header, dict):
            raise AuthError(R.MALFORMED_TOKEN, "the token header is not an object")
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in ASYMMETRIC_ALGORITHMS:
            raise AuthError(R.ALG_NOT_ALLOWED, "the token's signing algorithm is not accepted")
        if "crit" in header or "b64" in header:
            raise AuthError(R.MALFORMED_TOKEN, "the token uses unsupported header extensions")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise AuthError(R.MALFORMED_TOKEN, "the token's kid is not a string")

        payload = _segment_json(payload_seg)
        if not isinstance(payload, dict):
            raise AuthError(R.MALFORMED_TOKEN, "the token payload is not an object")
        iss = payload.get("iss")
        if not isinstance(iss, str) or not iss:
            raise AuthError(R.MISSING_CLAIM, "the token has no issuer (iss)")
        cfg = self._issuers.get(iss)
        if cfg is None:
            raise AuthError(R.UNKNOWN_ISSUER, "the token's issuer is not configured")
        if not cfg.enabled:
            raise AuthError(R.ISSUER_DISABLED, "the token's issuer is disabled")
        if alg not in self._allowed[iss]:
            raise AuthError(R.ALG_NOT_ALLOWED, "the token's signing algorithm is not accepted for its issuer")
        signature = _b64(sig_seg)

        keys = await self._keys_for(iss, kid)
        # A kid-less token is tried against a few keys at most: each try is a signature verification.
        usable = [k for k in keys if alg in k.algorithms][:MAX_KIDLESS_CANDIDATES]
        if not usable:
            raise AuthError(R.ALG_NOT_ALLOWED, "the signing key does not allow the token's algorithm")
        signing_input = token[: len(header_seg) + 1 + len(payload_seg)].encode("ascii")
        algorithm = _ALGORITHMS[alg]
        key = next((k for k in usable if _verifies(algorithm, signing_input, k.key, signature)), None)
        if key is None:
            raise AuthError(R.BAD_SIGNATURE, "the token's signature does not verify")
        self._check_claims(payload, cfg)
        identity = self._identity(payload, cfg)
        if digest:
            self._verified[digest] = (payload, cfg, kid, key)
            if len(self._verified) > self._cache_size:
                self._verified.popitem(last=False)
        return identity

    async def _keys_for(self, iss: str, kid: str | None) -> list[SigningKey]:
        cache = self._caches[iss]
        keys = cache.lookup(kid)
        if keys:
            return keys
        await cache.refresh_for_unknown_kid()
        keys = cache.lookup(kid)
        if keys:
            return keys
        if not cache.has_keys:
            raise AuthError(R.JWKS_UNAVAILABLE, "the issuer's signing keys are unavailable", status=503)
        raise AuthError(R.UNKNOWN_KID, "the token's signing key is not published by its issuer")

    def _check_claims(self, p: dict[str, Any], cfg: IssuerSettings) -> None:
        """RFC 7519 section 4.1 checks, in PyJWT's order: required, iat, nbf, exp, aud, sub, jti."""
        for name in cfg.required_claims:
            if name not in p:
                raise AuthError(R.MISSING_CLAIM, f"the token lacks the required claim {name}")
        for name in ("exp", "nbf", "iat"):
            if name in p and not _is_number(p[name]):
                raise AuthError(R.INVALID_CLAIM, f"the {name} claim is not a number")
        now, leeway = self._now(), cfg.leeway_seconds
        if "iat" in p and p["iat"] > now + leeway:
            raise AuthError(R.ISSUED_IN_FUTURE, "the token was issued in the future")
        if "nbf" in p and p["nbf"] > now + leeway:
            raise AuthError(R.TOKEN_NOT_YET_VALID, "the token is not valid yet (nbf)")
        if "exp" not in p:
            raise AuthError(R.MISSING_CLAIM, "the token lacks the required claim exp")
        if p["exp"] <= now - leeway:
            raise AuthError(R.TOKEN_EXPIRED, "the token has expired")
        start = p.get("iat", p.get("nbf"))
        if start is None:
            raise AuthError(R.MISSING_CLAIM, "the token lacks the required claim iat")
        if p["exp"] - start > cfg.max_lifetime_seconds:
            raise AuthError(R.LIFETIME_EXCEEDED, "the token's lifetime is longer than allowed")
        aud = p.get("aud")
        if aud is None:
            raise AuthError(R.MISSING_CLAIM, "the token lacks the required claim aud")
        auds = [aud] if isinstance(aud, str) else aud
        if not isinstance(auds, list) or not all(isinstance(a, str) for a in auds):
            raise AuthError(R.INVALID_AUDIENCE, "the token's audience is malformed")
        if self._audiences[cfg.issuer].isdisjoint(auds):
            raise AuthError(R.INVALID_AUDIENCE, "the token is not meant for this service")
        sub = p.get("sub")
        if sub is None:
            raise AuthError(R.MISSING_CLAIM, "the token lacks the required claim sub")
        if not isinstance(sub, str) or not sub:
            raise AuthError(R.INVALID_CLAIM, "the sub claim is not a non-empty string")
        if "jti" in p and not isinstance(p["jti"], str):
            raise AuthError(R.INVALID_CLAIM, "the jti claim is not a string")

    @staticmethod
    def _identity(p: dict[str, Any], cfg: IssuerSettings) -> Identity:
        return Identity(
            sub=p["sub"],
            iss=cfg.issuer,
            auth_method="jwt",
            roles=C.roles_of(p, cfg),
            groups=C.groups_of(p, cfg),
            client_id=C.client_id_of(p, cfg),
            claims=C.passthrough_of(p, cfg),
        )


def _verifies(algorithm: Any, msg: bytes, key: Any, signature: bytes) -> bool:
    try:
        return bool(algorithm.verify(msg, key, signature))
    except (ValueError, TypeError, jwt.InvalidKeyError):  # wrong key type/curve for the algorithm
        return False
