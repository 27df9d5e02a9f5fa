"""A dev OIDC issuer for the local stack: discovery document and JWKS over HTTP, RSA keys kept on disk.

JWT verification in the guard goes through the same HTTP discovery/JWKS path as with a real IdP.
Keys are ``<keys_dir>/key-NNNN.pem``; the highest number signs, every key in the directory is published,
and the directory is re-read on each JWKS request (so a key file dropped in by a test is picked up).

Endpoints: ``GET /.well-known/openid-configuration``, ``GET /jwks.json``, ``POST /rotate`` (new signing key;
JSON body ``{"keep_previous": false}`` retires the others), ``GET /_issuer/stats`` (JWKS fetch counts).
Run: ``python -m devstack.dev_issuer --port P --keys-dir DIR [--issuer URL]``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DEFAULT_AUDIENCE = "phi-guard"
_KEY_RE = re.compile(r"^key-(\d{4,})\.pem$")


def _b64u(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    path: Path
    kid: str
    private_key: rsa.RSAPrivateKey

    def public_jwk(self) -> dict[str, str]:
        nums = self.private_key.public_key().public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": self.kid,
            "n": _b64u(nums.n),
            "e": _b64u(nums.e),
        }


def _thumbprint(key: rsa.RSAPrivateKey) -> str:
    """RFC 7638 JWK thumbprint (SHA-256), used as the ``kid``."""
    nums = key.public_key().public_numbers()
    canonical = json.dumps(
        {"e": _b64u(nums.e), "kty": "RSA", "n": _b64u(nums.n)}, separators=(",", ":"), sort_keys=True
    )
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


class KeyStore:
    """The issuer's RSA keys in a directory (shared by the issuer process and ``phi-guard token``)."""

    def __init__(self, keys_dir: Path) -> None:
        self.dir = keys_dir
        self._cache: dict[tuple[str, int, int], SigningKey] = {}

    def _files(self) -> list[Path]:
        if not self.dir.is_dir():
            return []
        found = [p for p in self.dir.iterdir() if _KEY_RE.match(p.name)]
        return sorted(found, key=lambda p: int(_KEY_RE.match(p.name).group(1)))  # type: ignore[union-attr]

    def _load(self, path: Path) -> SigningKey:
        st = path.stat()
        ident = (str(path), st.st_mtime_ns, st.st_size)
        cached = self._cache.get(ident)
        if cached is not None:
            return cached
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{path.name}: not an RSA private key")
        sk = SigningKey(path=path, kid=_thumbprint(key), private_key=key)
        self._cache[ident] = sk
        return sk

    def published(self) -> list[SigningKey]:
        """Every published key, oldest first (unreadable files are skipped, never published half-read)."""
        out = []
        for p in self._files():
            try:
                out.append(self._load(p))
            except (OSError, ValueError):
                continue
        return out

    def current(self) -> SigningKey:
        """The signing key, created on first use."""
        keys = self.published()
        return keys[-1] if keys else self.rotate()

    def rotate(self, keep_previous: bool = True) -> SigningKey:
        """Add a new signing key; with ``keep_previous=False`` move the older ones to ``retired/``."""
        self.dir.mkdir(parents=True, exist_ok=True)
        files = self._files()
        nxt = int(_KEY_RE.match(files[-1].name).group(1)) + 1 if files else 1  # type: ignore[union-attr]
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path = self.dir / f"key-{nxt:04d}.pem"
        tmp = self.dir / f".key-{nxt:04d}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
        os.replace(tmp, path)
        if not keep_previous:
            retired = self.dir / "retired"
            retired.mkdir(exist_ok=True)
            for old in files:
                os.replace(old, retired / old.name)
        return self._load(path)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.public_jwk() for k in self.published()]}


def mint_token(
    keys: KeyStore,
    issuer: str,
    sub: str,
    roles: Iterable[str] = (),
    *,
    ttl: int = 3600,
    audience: str | list[str] | None = DEFAULT_AUDIENCE,
    groups: Iterable[str] = (),
    extra_claims: Mapping[str, Any] | None = None,
    kid: str | None = None,
    now: float | None = None,
) -> str:
    """A signed RS256 JWT from the issuer's current key (or the key with ``kid``). Local stack only."""
    if not sub:
        raise ValueError("sub must not be empty")
    if ttl <= 0:
        raise ValueError("ttl must be positive")
    signing = keys.current()
    if kid is not None:
        match = [k for k in keys.published() if k.kid == kid]
        if not match:
            raise ValueError("no key with that kid")
        signing = match[0]
    iat = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": sub,
        "iat": iat,
        "nbf": iat,
        "exp": iat + ttl,
        "jti": uuid.uuid4().hex,
        "roles": list(roles),
    }
    if audience is not None:
        claims["aud"] = audience
    if groups:
        claims["groups"] = list(groups)
    claims.update(extra_claims or {})
    return jwt.encode(claims, signing.private_key, algorithm="RS256", headers={"kid": signing.kid})


def build_app(keys: KeyStore, issuer: str) -> Any:
    """The aiohttp application serving discovery, JWKS and the rotation endpoint."""
    from aiohttp import web

    stats = {"discovery": 0, "jwks": 0, "rotations": 0}

    async def discovery(_: web.Request) -> web.Response:
        stats["discovery"] += 1
        return web.json_response(
            {
                "issuer": issuer,
                "jwks_uri": f"{issuer}/jwks.json",
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def jwks(_: web.Request) -> web.Response:
        stats["jwks"] += 1
        return web.json_response(keys.jwks(), headers={"Cache-Control": "public, max-age=60"})

    async def rotate(request: web.Request) -> web.Response:
        if request.remote not in ("127.0.0.1", "::1"):
            return web.json_response({"error": "forbidden"}, status=403)
        keep = True
        if request.can_read_body:
            try:
                body = await request.json()
            except ValueError:
                return web.json_response({"error": "bad_json"}, status=400)
            if not isinstance(body, dict) or not isinstance(body.get("keep_previous", True), bool):
                return web.json_response(
                    {"error": "bad_request", "message": "keep_previous: bool"}, status=400
                )
            keep = body.get("keep_previous", True)
        key = keys.rotate(keep_previous=keep)
        stats["rotations"] += 1
        return web.json_response({"kid": key.kid, "published": [k.kid for k in keys.published()]})

    async def get_stats(_: web.Request) -> web.Response:
        return web.json_response(stats)

    app = web.Application()
    app.router.add_get("/.well-known/openid-configuration", discovery)
    app.router.add_get("/jwks.json", jwks)
    app.router.add_post("/rotate", rotate)
    app.router.add_get("/_issuer/stats", get_stats)
    return app


def main(argv: list[str] | None = None) -> int:
    from aiohttp import web

    ap = argparse.ArgumentParser(prog="python -m devstack.dev_issuer", description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--keys-dir", type=Path, required=True)
    ap.add_argument("--issuer", default=None, help="issuer URL (default http://HOST:PORT)")
    args = ap.parse_args(argv)
    keys = KeyStore(args.keys_dir)
    keys.current()
    issuer = args.issuer or f"http://{args.host}:{args.port}"
    web.run_app(
        build_app(keys, issuer),
        host=args.host,
        port=args.port,
        print=None,
        access_log=None,
        shutdown_timeout=0.5,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
