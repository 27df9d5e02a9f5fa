"""The resolver against the stack's dev OIDC issuer running as its own process (aiohttp, keys on disk):
discovery, kid flood, and key rotation through its ``POST /rotate`` while traffic runs."""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import jwt
import pytest
from identity_idp import LoopThread, outcome

from devstack.dev_issuer import KeyStore, mint_token
from devstack.ports import free_port, wait_for_port
from devstack.processes import spawn, stop_pid
from sidecar.identity.resolver import IdentityResolver


@dataclass
class DevIssuer:
    issuer: str
    keys: KeyStore

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.issuer}/_issuer/stats", timeout=5).json())

    def rotate(self, keep_previous: bool) -> str:
        r = httpx.post(f"{self.issuer}/rotate", json={"keep_previous": keep_previous}, timeout=30)
        r.raise_for_status()
        return str(r.json()["kid"])

    def token(self, sub: str = "dr.dev", kid: str | None = None) -> str:
        return mint_token(self.keys, self.issuer, sub, ["clinician"], ttl=300, kid=kid)


@pytest.fixture
def dev_issuer(tmp_path: Path) -> Iterator[DevIssuer]:
    port = free_port()
    keys_dir = tmp_path / "keys"
    proc = spawn(
        [sys.executable, "-m", "devstack.dev_issuer", "--port", str(port), "--keys-dir", str(keys_dir)],
        tmp_path / "dev-issuer.log",
    )
    try:
        wait_for_port("127.0.0.1", port, timeout=30)
        yield DevIssuer(f"http://127.0.0.1:{port}", KeyStore(keys_dir))
    finally:
        stop_pid(proc.pid)


def test_dev_issuer_flood_and_rotation(
    dev_issuer: DevIssuer, loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver(
        {
            "issuers": [{"issuer": dev_issuer.issuer, "audiences": ["phi-guard"]}],
            "jwks_min_refresh_interval_seconds": 0.5,
            "jwks_cache_seconds": 60,
        }
    )
    assert dev_issuer.stats()["discovery"] == 1 and dev_issuer.stats()["jwks"] == 1
    assert loop.run(outcome(r, dev_issuer.token())) == "ok"

    # flood: 300 random kids, concurrently
    key = dev_issuer.keys.current()

    async def flood() -> set[str]:
        now = int(time.time())
        claims = {"iss": dev_issuer.issuer, "sub": "x", "aud": "phi-guard", "iat": now, "exp": now + 60}
        tokens = [
            jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": uuid.uuid4().hex})
            for _ in range(300)
        ]
        return set(await asyncio.gather(*(outcome(r, t) for t in tokens)))

    t0 = time.monotonic()
    assert loop.run(flood()) == {"unknown_kid"}
    assert dev_issuer.stats()["jwks"] - 1 <= 1 + int((time.monotonic() - t0) / 0.5)

    # rotation with the old key retired at once, while traffic runs
    old_kid = key.kid
    outcomes: list[tuple[str, str]] = []

    async def traffic(stop: asyncio.Event) -> None:
        while not stop.is_set():
            current = dev_issuer.keys.current().kid
            outcomes.append((current, await outcome(r, dev_issuer.token(kid=current))))
            await asyncio.sleep(0.01)

    async def scenario() -> str:
        stop = asyncio.Event()
        task = asyncio.create_task(traffic(stop))
        await asyncio.sleep(0.6)
        new_kid = await asyncio.to_thread(dev_issuer.rotate, False)
        await asyncio.sleep(1.5)
        stop.set()
        await task
        return new_kid

    new_kid = loop.run(scenario())
    assert new_kid != old_kid
    before = [o for kid, o in outcomes if kid == old_kid]
    after = [o for kid, o in outcomes if kid == new_kid]
    assert before and set(before) == {"ok"}
    assert after and "ok" in after
    first = after.index("ok")
    assert after[first:] == ["ok"] * (len(after) - first)
    # a token of the retired key is refused once the guard has refreshed
    now = int(time.time())
    retired = jwt.encode(
        {"iss": dev_issuer.issuer, "sub": "x", "aud": "phi-guard", "iat": now, "exp": now + 60},
        key.private_key,
        algorithm="RS256",
        headers={"kid": old_kid},
    )
    assert loop.run(outcome(r, retired)) == "unknown_kid"
