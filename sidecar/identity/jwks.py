"""One issuer's signing keys: discovery, JWKS fetch, cache, rate-limited refresh, stale-while-unreachable.

Parsed public keys are cached (never validation results). A lookup of a known ``kid`` is a dict access.
An unknown ``kid`` triggers at most one fetch per ``min_refresh_interval`` (concurrent callers share it), so a
flood of random kids is a bounded number of fetches. A failed fetch keeps the previous keys until
``max_stale`` after the last good fetch.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt

from sidecar.identity.settings import ASYMMETRIC_ALGORITHMS, IssuerSettings
from sidecar.observability.logging import get_logger

MAX_DOCUMENT_BYTES = 512 * 1024
MAX_KEYS = 64
MIN_RSA_BITS = 2048

_RSA_ALGS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
_EC_ALGS = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}
_OKP_CURVES = frozenset({"Ed25519", "Ed448"})

log = get_logger("phi_guard.identity.jwks")


class JwksFetchError(Exception):
    """A discovery or JWKS document could not be fetched or used (message names no key material)."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str | None
    key: Any  # a cryptography public key object
    algorithms: frozenset[str]


def _algorithms_for(jwk: dict[str, Any]) -> frozenset[str]:
    """The JWS algorithms a JWK may verify: its ``alg`` if it names one, else its key type's family."""
    kty = jwk.get("kty")
    if kty == "RSA":
        family = _RSA_ALGS
    elif kty == "EC":
        alg = _EC_ALGS.get(jwk.get("crv", ""))
        family = frozenset({alg}) if alg else frozenset()
    elif kty == "OKP" and jwk.get("crv") in _OKP_CURVES:
        family = frozenset({"EdDSA"})
    else:  # "oct" (shared secrets) and anything unknown are never signing keys for us
        return frozenset()
    alg = jwk.get("alg")
    if alg is not None:
        return frozenset({alg}) & family
    return family


def parse_jwks(document: Any) -> tuple[dict[str, SigningKey], list[SigningKey]]:
    """Usable public signing keys of a JWKS document: (by kid, without kid). Raises JwksFetchError."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise JwksFetchError("not a JWKS document")
    by_kid: dict[str, SigningKey] = {}
    no_kid: list[SigningKey] = []
    for entry in document["keys"][:MAX_KEYS]:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig" or "d" in entry:
            continue
        algs = _algorithms_for(entry) & ASYMMETRIC_ALGORITHMS
        if not algs:
            continue
        try:
            key = jwt.PyJWK(entry, algorithm=sorted(algs)[0]).key
        except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError):
            continue  # one bad key must not take the others down
        if getattr(key, "key_size", MIN_RSA_BITS) < MIN_RSA_BITS and entry.get("kty") == "RSA":
            continue  # RSA below 2048 bits is forgeable by a determined attacker (NIST SP 800-131A)
        kid = entry.get("kid")
        sk = SigningKey(kid if isinstance(kid, str) else None, key, algs)
        if sk.kid is None:
            no_kid.append(sk)
        else:
            by_kid.setdefault(sk.kid, sk)
    return by_kid, no_kid


class JwksCache:
    """Keys of one issuer. Construct in the event loop's thread; all methods run on that loop."""

    def __init__(
        self,
        cfg: IssuerSettings,
        client: httpx.AsyncClient,
        *,
        cache_seconds: float,
        min_refresh_interval: float,
        max_stale_seconds: float,
        on_fetch: Callable[[str, bool], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cfg = cfg
        self.issuer = cfg.issuer
        self._client = client
        self._cache_seconds = cache_seconds
        self._min_interval = min_refresh_interval
        self._max_stale = max_stale_seconds
        self._on_fetch = on_fetch
        self._clock = clock
        self._jwks_uri: str | None = cfg.jwks_uri
        self._by_kid: dict[str, SigningKey] = {}
        self._no_kid: list[SigningKey] = []
        self._last_good: float | None = None
        self._last_attempt: float | None = None
        self._inflight: asyncio.Task[bool] | None = None
        self.fetch_count = 0
        self.failure_count = 0

    # --- hot path ------------------------------------------------------------------------------------------

    @property
    def has_keys(self) -> bool:
        if self._last_good is None:
            return False
        if self._clock() - self._last_good > self._max_stale:
            self._by_kid, self._no_kid = {}, []
            return False
        return bool(self._by_kid or self._no_kid)

    def lookup(self, kid: str | None) -> list[SigningKey]:
        """Keys that may have signed a token with this ``kid`` (several only when the token has no kid)."""
        if not self.has_keys:
            return []
        if kid is None:
            return list(self._no_kid) or list(self._by_kid.values())
        k = self._by_kid.get(kid)
        return [k] if k is not None else []

    # --- refresh -------------------------------------------------------------------------------------------

    @property
    def next_refresh_due(self) -> float:
        """Monotonic time at which the background task should refresh (before the cache expires)."""
        if self._last_good is None or (self._last_attempt or 0) > self._last_good:
            # Never fetched, or the last attempt failed: retry after the rate-limit interval.
            return (self._last_attempt or 0) + max(self._min_interval, 1.0)
        return self._last_good + 0.8 * self._cache_seconds

    async def refresh_for_unknown_kid(self) -> bool:
        """Fetch unless one ran less than ``min_refresh_interval`` ago; True if a fetch succeeded."""
        if self._inflight is not None:
            return await asyncio.shield(self._inflight)
        if self._last_attempt is not None and self._clock() - self._last_attempt < self._min_interval:
            return False
        return await self.refresh()

    async def refresh(self) -> bool:
        """Fetch the JWKS (single flight). True on success; on failure the old keys stay."""
        if self._inflight is None:
            self._inflight = asyncio.get_running_loop().create_task(self._refresh_once())
            self._inflight.add_done_callback(self._clear_inflight)
        return await asyncio.shield(self._inflight)

    def _clear_inflight(self, _: asyncio.Task[bool]) -> None:
        self._inflight = None

    async def _refresh_once(self) -> bool:
        self._last_attempt = self._clock()
        self.fetch_count += 1
        try:
            uri = self._jwks_uri or await self._discover()
            try:
                doc = await self._get_json(uri)
            except JwksFetchError:
                if self.cfg.jwks_uri is None:
                    self._jwks_uri = None  # discovered URI may have moved: discover again next time
                raise
            by_kid, no_kid = parse_jwks(doc)
            if not by_kid and not no_kid:
                raise JwksFetchError("JWKS has no usable signing keys")
        except Exception as exc:  # noqa: BLE001 - any failure keeps the old keys; never a crashed refresh
            self.failure_count += 1
            error = str(exc) if isinstance(exc, JwksFetchError) else exc.__class__.__name__
            log.warning("jwks_fetch_failed", issuer=self.issuer, error=error, stale_keys=self.has_keys)
            self._notify(False)
            return False
        self._by_kid, self._no_kid = by_kid, no_kid
        self._last_good = self._clock()
        log.info("jwks_fetched", issuer=self.issuer, keys=len(by_kid) + len(no_kid))
        self._notify(True)
        return True

    def _notify(self, ok: bool) -> None:
        if self._on_fetch is not None:
            try:
                self._on_fetch(self.issuer, ok)
            except Exception:  # noqa: BLE001 - a metrics hook must not break identity
                log.warning("jwks_fetch_hook_failed", issuer=self.issuer)

    async def _discover(self) -> str:
        url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        doc = await self._get_json(url)
        if not isinstance(doc, dict):
            raise JwksFetchError("discovery document is not an object")
        # OpenID Connect Discovery 1.0 section 4.3: the document must name exactly the configured issuer.
        if doc.get("issuer") != self.issuer:
            raise JwksFetchError("discovery document names another issuer")
        uri = doc.get("jwks_uri")
        if not isinstance(uri, str) or not uri.startswith(("https://", "http://")):
            raise JwksFetchError("discovery document has no jwks_uri")
        self._jwks_uri = uri
        return uri

    async def _get_json(self, url: str) -> Any:
        headers = {"accept": "application/json"}
        if self.cfg.fetch_token_file:
            try:
                headers["authorization"] = "Bearer " + Path(self.cfg.fetch_token_file).read_text().strip()
            except OSError as exc:
                raise JwksFetchError(f"fetch token file unreadable ({exc.__class__.__name__})") from None
        try:
            async with self._client.stream("GET", url, headers=headers) as resp:
                if resp.status_code != 200:
                    raise JwksFetchError(f"HTTP {resp.status_code}")
                body = bytearray()
                async for chunk in resp.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_DOCUMENT_BYTES:
                        raise JwksFetchError("document too large")
        except httpx.HTTPError as exc:
            raise JwksFetchError(exc.__class__.__name__) from None
        try:
            return json.loads(body)
        except ValueError:
            raise JwksFetchError("not JSON") from None
