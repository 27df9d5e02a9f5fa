"""Identity cost per request with a warm JWKS cache: ``python -m bench.identity_bench [--n N]``.

Serves a JWKS over real HTTP on loopback, starts an :class:`IdentityResolver` against it (initial fetch),
then times ``resolve`` for bearer tokens of each algorithm and for an mTLS SPIFFE peer, and prints CPU µs
per resolve (median of several rounds) next to ``jwt.decode`` alone and the bare signature verification, so
the last column is what the guard adds on top of the cryptography. ``jwt ALG`` rows are a token's first use
(verified-token cache off); ``jwt RS256-repeat`` is the same token again (a cache hit: claim checks only).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from devstack.ports import free_port
from sidecar.identity.resolver import IdentityResolver
from sidecar.identity.settings import IdentitySettings
from sidecar.request_view import RequestView

ALGS = ("RS256", "PS256", "ES256", "EdDSA")


def _private_key(alg: str) -> Any:
    if alg in ("RS256", "PS256"):
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if alg == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    return ed25519.Ed25519PrivateKey.generate()


def _serve_jwks(jwks: dict[str, Any]) -> tuple[ThreadingHTTPServer, str]:
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    body = json.dumps(jwks).encode()
    disco = json.dumps({"issuer": issuer, "jwks_uri": issuer + "/jwks"}).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            data = disco if self.path.startswith("/.well-known") else body
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, issuer


def _view(auth: str | None = None, principal: str = "") -> RequestView:
    headers = {"authorization": auth} if auth else {}
    return RequestView(
        method="POST",
        path="/v1/chat/completions",
        host="h",
        scheme="https",
        headers=headers,
        source_principal=principal,
        tls=bool(principal),
    )


# CPU time of this process, not wall time: the machines are shared and wall time swings with their load.
async def _time_resolve(r: IdentityResolver, v: RequestView, n: int, rounds: int) -> float:
    per: list[float] = []
    for _ in range(rounds):
        t0 = time.process_time()
        for _ in range(n):
            await r.resolve(v)
        per.append((time.process_time() - t0) / n * 1e6)
    return statistics.median(per)


def _time_sync(fn: Any, n: int, rounds: int) -> float:
    per: list[float] = []
    for _ in range(rounds):
        t0 = time.process_time()
        for _ in range(n):
            fn()
        per.append((time.process_time() - t0) / n * 1e6)
    return statistics.median(per)


async def run(n: int, rounds: int) -> list[tuple[str, float, float, float]]:
    keys = {alg: _private_key(alg) for alg in ALGS}
    jwks: dict[str, list[dict[str, Any]]] = {"keys": []}
    for alg, k in keys.items():
        jwk = json.loads(jwt.get_algorithm_by_name(alg).to_jwk(k.public_key()))
        jwk.update({"kid": alg.lower(), "alg": alg, "use": "sig"})
        jwks["keys"].append(jwk)
    httpd, issuer = _serve_jwks(jwks)
    settings = IdentitySettings.model_validate(
        {
            "issuers": [
                {
                    "issuer": issuer,
                    "audiences": ["phi-guard"],
                    "algorithms": list(ALGS),
                    "role_claims": ["roles", "realm_access.roles"],
                }
            ],
            "mtls": {
                "trust_domains": ["phi-guard.local"],
                "roles": {"spiffe://phi-guard.local/agent/": ["agent"]},
            },
        }
    )
    resolver = IdentityResolver(settings.model_copy(update={"verified_token_cache_size": 0}))
    cached = IdentityResolver(settings)
    await resolver.start()
    await cached.start()
    rows: list[tuple[str, float, float, float]] = []
    try:
        now = int(time.time())
        for alg, k in keys.items():
            claims = {
                "iss": issuer,
                "sub": "alice",
                "aud": "phi-guard",
                "iat": now,
                "exp": now + 3600,
                "roles": ["clinician"],
                "realm_access": {"roles": ["nurse"]},
                "email": "a@example.org",
            }
            token = jwt.encode(claims, k, algorithm=alg, headers={"kid": alg.lower()})
            v = _view(f"Bearer {token}")
            await resolver.resolve(v)  # warm
            guard_us = await _time_resolve(resolver, v, n, rounds)
            pub = k.public_key()
            bare_us = _time_sync(
                lambda t=token, p=pub, a=alg: jwt.decode(
                    t, p, algorithms=[a], audience="phi-guard", issuer=issuer
                ),
                n,
                rounds,
            )
            h, p, sig = token.split(".")
            msg, raw_sig = f"{h}.{p}".encode(), base64.urlsafe_b64decode(sig + "==")
            algo = jwt.get_algorithm_by_name(alg)
            sig_us = _time_sync(lambda m=msg, s=raw_sig, k=pub, a=algo: a.verify(m, k, s), n, rounds)
            rows.append((f"jwt {alg}", guard_us, bare_us, sig_us))
            if alg == "RS256":
                await cached.resolve(v)
                rows.append(("jwt RS256-repeat", await _time_resolve(cached, v, n, rounds), bare_us, sig_us))
        v = _view(principal="spiffe://phi-guard.local/agent/summarizer")
        rows.append(("mtls spiffe (principal)", await _time_resolve(resolver, v, n, rounds), 0.0, 0.0))
        fetches = resolver.stats()[issuer]["fetches"]
    finally:
        await resolver.aclose()
        await cached.aclose()
        httpd.shutdown()
        httpd.server_close()
    print(
        f"identity: warm JWKS cache, {n} resolves x {rounds} rounds, median CPU µs (JWKS fetches: {fetches})"
    )
    print(f"{'case':26} {'resolve':>9} {'jwt.decode':>11} {'sig only':>9} {'resolve - sig':>14}")
    for name, guard_us, bare_us, sig_us in rows:
        cols = [f"{guard_us:9.1f}"] + [
            f"{x:>{w}.1f}" if x else " " * w for x, w in ((bare_us, 11), (sig_us, 9))
        ]
        cols.append(f"{guard_us - sig_us:14.1f}")
        print(f"{name:26} " + " ".join(cols))
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=2000, help="resolves per round")
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args(argv)
    asyncio.run(run(args.n, args.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
