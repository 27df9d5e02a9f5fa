"""Who is calling: a bearer JWT from a configured issuer, else an Envoy-verified SPIFFE client certificate.

``resolve`` is the hot path: with a warm key cache it does no I/O (header checks, two base64/JSON decodes,
one signature verification, claim checks). I/O happens only for an unknown ``kid`` (rate limited, shared by
concurrent callers) and in the background refresh task, which renews each issuer's keys before they expire.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import Callable
from typing import Any

import httpx

from sidecar.identity import reasons as R
from sidecar.identity.bearer import bearer_token
from sidecar.identity.jwks import JwksCache
from sidecar.identity.jwt_verifier import JwtVerifier
from sidecar.identity.model import AuthError, Identity
from sidecar.identity.settings import IdentitySettings, IssuerSettings
from sidecar.identity.spiffe import SpiffeAuthenticator
from sidecar.observability.logging import get_logger
from sidecar.request_view import RequestView

log = get_logger("phi_guard.identity")

MIN_LOOP_SLEEP = 0.5
MAX_LOOP_SLEEP = 60.0


class IdentityResolver:
    """Establishes the caller of every request, or refuses with :class:`AuthError`.

    Lifecycle: construct, ``await start()`` (initial fetch where reachable, then background refresh),
    ``await resolve(view)`` per request, ``await aclose()``. ``on_jwks_fetch(issuer, ok)`` is called after
    every discovery/JWKS fetch attempt (for metrics).
    """

    def __init__(
        self,
        settings: IdentitySettings,
        on_jwks_fetch: Callable[[str, bool], None] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._clients: dict[str | None, httpx.AsyncClient] = {}
        self.caches: dict[str, JwksCache] = {}
        issuers: dict[str, IssuerSettings] = {}
        for cfg in settings.issuers:
            issuers[cfg.issuer] = cfg
            self.caches[cfg.issuer] = JwksCache(
                cfg,
                self._client_for(cfg.ca_file),
                cache_seconds=settings.jwks_cache_seconds,
                min_refresh_interval=settings.jwks_min_refresh_interval_seconds,
                max_stale_seconds=settings.jwks_max_stale_seconds,
                on_fetch=on_jwks_fetch,
                clock=clock,
            )
        self._jwt = JwtVerifier(issuers, self.caches, cache_size=settings.verified_token_cache_size)
        self._mtls = SpiffeAuthenticator(settings.mtls)
        self._max_token = settings.max_token_bytes
        self._task: asyncio.Task[None] | None = None

    def _client_for(self, ca_file: str | None) -> httpx.AsyncClient:
        client = self._clients.get(ca_file)
        if client is None:
            verify: Any = ssl.create_default_context(cafile=ca_file) if ca_file else True
            client = httpx.AsyncClient(
                timeout=self.settings.jwks_fetch_timeout_seconds,
                verify=verify,
                follow_redirects=False,
                trust_env=False,
                headers={"user-agent": "phi-guard-identity"},
            )
            self._clients[ca_file] = client
        return client

    def _enabled_caches(self) -> list[JwksCache]:
        return [c for c in self.caches.values() if c.cfg.enabled]

    # --- lifecycle -----------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Fetch every enabled issuer's keys once (failures are logged, not raised: an IdP that is down at
        start-up gives 503 ``jwks_unavailable`` until it is reachable) and start the refresh task."""
        caches = self._enabled_caches()
        if caches:
            await asyncio.gather(*(c.refresh() for c in caches))
            self._task = asyncio.get_running_loop().create_task(self._refresh_loop(), name="jwks-refresh")

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

    async def _refresh_loop(self) -> None:
        caches = self._enabled_caches()
        while True:
            try:
                now = self._clock()
                due = [c for c in caches if c.next_refresh_due <= now]
                if due:
                    await asyncio.gather(*(c.refresh() for c in due))
                wait = min(c.next_refresh_due for c in caches) - self._clock()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the refresh task must outlive any one failure
                log.exception("jwks_refresh_loop_error")
                wait = MAX_LOOP_SLEEP
            await asyncio.sleep(min(max(wait, MIN_LOOP_SLEEP), MAX_LOOP_SLEEP))

    # --- hot path ------------------------------------------------------------------------------------------

    async def resolve(self, view: RequestView) -> Identity:
        """The proven caller. A bearer token, if present, wins (and must be valid); otherwise a verified
        SPIFFE client certificate; otherwise 401 ``missing_credentials``.

        Raises :class:`AuthError`: status 401 with a stable reason for the caller's fault, 503
        (``jwks_unavailable``) when we cannot verify for lack of keys.
        """
        token = bearer_token(view, self._max_token)
        if token is not None:
            return await self._jwt.verify(token)
        if (view.source_principal or view.source_certificate_pem) and self._mtls.enabled:
            return self._mtls.authenticate(view.source_principal, view.source_certificate_pem)
        raise AuthError(R.MISSING_CREDENTIALS, "no bearer token and no client certificate")

    # --- observability -------------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """True when every enabled issuer has usable keys (mTLS-only configurations are always ready)."""
        return all(c.has_keys for c in self._enabled_caches())

    def stats(self) -> dict[str, Any]:
        """Per-issuer key cache state for /readyz and debugging (no key material)."""
        return {
            iss: {
                "enabled": c.cfg.enabled,
                "has_keys": c.has_keys,
                "fetches": c.fetch_count,
                "failures": c.failure_count,
            }
            for iss, c in self.caches.items()
        }
