"""Test helpers: a real HTTP OpenID discovery/JWKS server on loopback, signing keys, token minting,
an event loop in a thread, and the independent ``oidc-provider-mock`` process."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Coroutine
from concurrent.futures import Future
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from devstack.ports import free_port, wait_for_port
from devstack.processes import spawn, stop_pid
from sidecar.identity.model import AuthError
from sidecar.identity.resolver import IdentityResolver
from sidecar.request_view import RequestView


@dataclass
class Key:
    kid: str
    alg: str
    private: Any

    @property
    def public_jwk(self) -> dict[str, Any]:
        algo = jwt.get_algorithm_by_name(self.alg)
        jwk = json.loads(algo.to_jwk(self.private.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": self.alg})
        return jwk


def new_key(alg: str = "RS256", kid: str | None = None) -> Key:
    if alg.startswith(("RS", "PS")):
        priv: Any = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif alg == "ES256":
        priv = ec.generate_private_key(ec.SECP256R1())
    elif alg == "EdDSA":
        priv = ed25519.Ed25519PrivateKey.generate()
    else:
        raise ValueError(alg)
    return Key(kid or f"{alg.lower()}-{uuid.uuid4().hex[:8]}", alg, priv)


class LoopThread:
    """An asyncio loop in a daemon thread, so sync tests can drive long-lived async objects."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        fut: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return fut.result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


@dataclass
class IdpState:
    keys: list[Key] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    unavailable: bool = False  # answer 503 to everything
    discovery_issuer: str | None = None  # override the issuer named in discovery
    lock: threading.Lock = field(default_factory=threading.Lock)


class IdpServer:
    """A real HTTP server publishing /.well-known/openid-configuration and /jwks, counting each fetch."""

    def __init__(self, keys: list[Key] | None = None) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.state = IdpState(keys=list(keys or []))
        state, issuer = self.state, self.issuer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                with state.lock:
                    state.hits[path] += 1
                    if state.unavailable:
                        return self._send(503, {"error": "down"})
                    if path == "/.well-known/openid-configuration":
                        doc = {"issuer": state.discovery_issuer or issuer, "jwks_uri": issuer + "/jwks"}
                        return self._send(200, doc)
                    if path == "/jwks":
                        return self._send(200, {"keys": [k.public_jwk for k in state.keys]})
                self._send(404, {"error": "not found"})

            def _send(self, status: int, doc: Any) -> None:
                body = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def jwks_fetches(self) -> int:
        with self.state.lock:
            return self.state.hits["/jwks"]

    def set_keys(self, keys: list[Key]) -> None:
        with self.state.lock:
            self.state.keys = list(keys)

    def set_unavailable(self, value: bool) -> None:
        with self.state.lock:
            self.state.unavailable = value

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def mint(
    key: Key,
    *,
    iss: str,
    aud: str | list[str] | None = "phi-guard",
    sub: str | None = "alice",
    ttl: int = 300,
    iat_offset: int = 0,
    header: dict[str, Any] | None = None,
    alg: str | None = None,
    drop: tuple[str, ...] = (),
    **claims: Any,
) -> str:
    now = int(time.time()) + iat_offset
    payload: dict[str, Any] = {"iss": iss, "sub": sub, "aud": aud, "iat": now, "exp": now + ttl}
    payload.update(claims)
    for name in drop:
        payload.pop(name, None)
    payload = {k: v for k, v in payload.items() if v is not None}
    hdr = {"kid": key.kid, **(header or {})}
    return jwt.encode(payload, key.private, algorithm=alg or key.alg, headers=hdr)


def view(
    authorization: str | None = None,
    *,
    principal: str = "",
    cert_pem: str = "",
    counts: dict[str, int] | None = None,
) -> RequestView:
    headers = {"content-type": "application/json"}
    if authorization is not None:
        headers["authorization"] = authorization
    return RequestView(
        method="POST",
        path="/v1/chat/completions",
        host="guard.local",
        scheme="https" if principal or cert_pem else "http",
        headers=headers,
        request_id=uuid.uuid4().hex,
        source_principal=principal,
        source_certificate_pem=cert_pem,
        tls=bool(principal or cert_pem),
        header_counts=counts or {},
    )


async def outcome(resolver: IdentityResolver, token: str) -> str:
    """``"ok"`` when ``token`` (sent as a Bearer header) resolves, else the AuthError reason."""
    try:
        await resolver.resolve(view(f"Bearer {token}"))
        return "ok"
    except AuthError as e:
        return e.reason


class OidcProviderMock:
    """``oidc-provider-mock`` (an independent OpenID provider built on Authlib) as its own process."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.proc = spawn(
            [sys.executable, "-m", "oidc_provider_mock", "-p", str(self.port), "-H", "127.0.0.1"],
            log_dir / "oidc-provider-mock.log",
        )
        try:
            wait_for_port("127.0.0.1", self.port, timeout=30)
        except TimeoutError:
            stop_pid(self.proc.pid)
            raise

    def id_token(self, sub: str, client_id: str = "phi-guard", claims: dict[str, Any] | None = None) -> str:
        """An ID token through the real authorization-code flow (aud = client_id)."""
        redirect = "http://127.0.0.1/callback"
        with httpx.Client(base_url=self.issuer, timeout=10) as c:
            if claims:
                r = c.put(f"/users/{sub}", json=claims)
                r.raise_for_status()
            r = c.post(
                "/oauth2/authorize",
                params={
                    "client_id": client_id,
                    "redirect_uri": redirect,
                    "response_type": "code",
                    "scope": "openid email",
                    "state": "s",
                },
                data={"sub": sub},
            )
            assert r.status_code == 302, r.status_code
            code = parse_qs(urlsplit(r.headers["location"]).query)["code"][0]
            r = c.post(
                "/oauth2/token",
                data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect},
                auth=(client_id, "any-secret"),
            )
            r.raise_for_status()
            return str(r.json()["id_token"])

    def close(self) -> None:
        stop_pid(self.proc.pid)


def issuer_cfg(idp: IdpServer, **over: Any) -> dict[str, Any]:
    """Issuer settings (as a dict) for a test IdP, audience ``phi-guard``."""
    cfg: dict[str, Any] = {"issuer": idp.issuer, "audiences": ["phi-guard"]}
    cfg.update(over)
    return cfg
