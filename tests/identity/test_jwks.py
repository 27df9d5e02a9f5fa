"""JWKS behaviour against a real HTTP server: bounded refresh under a kid flood, rotation under traffic,
stale keys while the IdP is down, recovery without restart, background refresh, discovery checks."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import pytest
from identity_idp import IdpServer, Key, LoopThread, OidcProviderMock, issuer_cfg, mint, new_key, outcome, view

from sidecar.identity.model import AuthError
from sidecar.identity.resolver import IdentityResolver


def _settings(*issuers: dict, **over: object) -> dict:
    s: dict = {"issuers": list(issuers), "jwks_min_refresh_interval_seconds": 10}
    s.update(over)
    return s


def test_kid_flood_is_a_bounded_number_of_fetches(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver(_settings(issuer_cfg(idp)))
    assert idp.jwks_fetches == 1
    attacker = keys["ES256"]

    async def flood() -> list[str]:
        tokens = [
            mint(Key(f"rand-{uuid.uuid4().hex}", "ES256", attacker.private), iss=idp.issuer)
            for _ in range(300)
        ]
        concurrent = await asyncio.gather(*(outcome(r, t) for t in tokens[:150]))
        sequential = [await outcome(r, t) for t in tokens[150:]]
        return [*concurrent, *sequential]

    t0 = time.monotonic()
    outcomes = loop.run(flood())
    elapsed = time.monotonic() - t0
    assert set(outcomes) == {"unknown_kid"}
    # the initial fetch, plus at most one per min_refresh_interval (10 s) of flood
    assert idp.jwks_fetches <= 2 + int(elapsed / 10), idp.jwks_fetches
    # legitimate traffic is unaffected
    assert loop.run(outcome(r, mint(keys["RS256"], iss=idp.issuer))) == "ok"


def test_rotation_while_traffic_runs(
    idp: IdpServer, loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    old, new = new_key("RS256", "old"), new_key("RS256", "new")
    idp.set_keys([old])
    r = make_resolver(_settings(issuer_cfg(idp), jwks_min_refresh_interval_seconds=0.3, jwks_cache_seconds=2))
    results: dict[str, list[tuple[float, str]]] = {"old": [], "new": [], "junk": []}
    rotated_at: list[float] = []

    async def traffic(stop: asyncio.Event) -> None:
        i = 0
        while not stop.is_set():
            results["old"].append((time.monotonic(), await outcome(r, mint(old, iss=idp.issuer))))
            if rotated_at:
                results["new"].append((time.monotonic(), await outcome(r, mint(new, iss=idp.issuer))))
            if i % 5 == 0:  # random kids keep trying to exhaust the refresh budget
                junk = Key(uuid.uuid4().hex, "RS256", old.private)
                results["junk"].append((time.monotonic(), await outcome(r, mint(junk, iss=idp.issuer))))
            i += 1
            await asyncio.sleep(0.005)

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(traffic(stop))
        await asyncio.sleep(0.5)
        idp.set_keys([old, new])  # the IdP publishes the new key, then signs with it
        rotated_at.append(time.monotonic())
        await asyncio.sleep(1.0)
        idp.set_keys([new])  # the old key is retired
        await asyncio.sleep(2.5)  # > cache lifetime: the background refresh drops the old key
        stop.set()
        await task

    loop.run(scenario())
    assert {o for _, o in results["junk"]} == {"unknown_kid"}
    new_outcomes = [o for _, o in results["new"]]
    assert "ok" in new_outcomes
    first_ok = new_outcomes.index("ok")
    refused_after_refresh = [o for o in new_outcomes[first_ok:] if o != "ok"]
    assert refused_after_refresh == []
    # the new key was picked up within one refresh interval of appearing
    first_ok_t = results["new"][first_ok][0]
    assert first_ok_t - rotated_at[0] < 0.3 + 0.5
    # before rotation every old-key token passed; after retirement + cache expiry old-key tokens fail
    assert all(o == "ok" for t, o in results["old"] if t < rotated_at[0])
    assert results["old"][-1][1] == "unknown_kid"
    assert idp.jwks_fetches < 60


def test_idp_unreachable_keeps_cached_keys(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    calls: list[tuple[str, bool]] = []
    r = make_resolver(
        _settings(issuer_cfg(idp), jwks_cache_seconds=1, jwks_min_refresh_interval_seconds=0.2),
        on_jwks_fetch=lambda iss, ok: calls.append((iss, ok)),
    )
    token = mint(keys["RS256"], iss=idp.issuer)
    assert loop.run(outcome(r, token)) == "ok"
    idp.set_unavailable(True)
    time.sleep(2.0)  # background refreshes fail meanwhile
    assert (idp.issuer, False) in calls
    assert calls[0] == (idp.issuer, True)
    assert loop.run(outcome(r, token)) == "ok"
    assert r.ready
    idp.set_unavailable(False)


def test_idp_down_at_start_then_recovers_without_restart(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    idp.set_unavailable(True)
    r = make_resolver(_settings(issuer_cfg(idp), jwks_min_refresh_interval_seconds=0.2))
    token = mint(keys["RS256"], iss=idp.issuer)
    with pytest.raises(AuthError) as info:
        loop.run(r.resolve(view(f"Bearer {token}")))
    assert (info.value.status, info.value.reason) == (503, "jwks_unavailable")
    assert not r.ready
    idp.set_unavailable(False)
    time.sleep(0.3)
    assert loop.run(outcome(r, token)) == "ok"
    assert r.ready


def test_max_stale_drops_keys(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver(
        _settings(
            issuer_cfg(idp),
            jwks_cache_seconds=1,
            jwks_max_stale_seconds=1,
            jwks_min_refresh_interval_seconds=0.2,
        )
    )
    token = mint(keys["RS256"], iss=idp.issuer)
    assert loop.run(outcome(r, token)) == "ok"
    idp.set_unavailable(True)
    time.sleep(1.6)
    with pytest.raises(AuthError) as info:
        loop.run(r.resolve(view(f"Bearer {token}")))
    assert (info.value.status, info.value.reason) == (503, "jwks_unavailable")


def test_background_refresh_before_expiry(
    idp: IdpServer, make_resolver: Callable[..., IdentityResolver]
) -> None:
    make_resolver(_settings(issuer_cfg(idp), jwks_cache_seconds=1))
    assert idp.jwks_fetches == 1
    time.sleep(2.0)  # no requests at all: refreshes at 80% of the cache lifetime
    assert 2 <= idp.jwks_fetches <= 4


def test_explicit_jwks_uri_skips_discovery(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver(_settings(issuer_cfg(idp, jwks_uri=idp.issuer + "/jwks")))
    assert loop.run(outcome(r, mint(keys["EdDSA"], iss=idp.issuer))) == "ok"
    assert idp.state.hits["/.well-known/openid-configuration"] == 0


def test_discovery_naming_another_issuer_is_refused(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    idp.state.discovery_issuer = "https://someone-else.example"
    r = make_resolver(_settings(issuer_cfg(idp)))
    assert idp.jwks_fetches == 0
    assert loop.run(outcome(r, mint(keys["RS256"], iss=idp.issuer))) == "jwks_unavailable"


def test_symmetric_and_private_jwks_entries_are_never_used(
    idp: IdpServer, loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from sidecar.identity.jwks import parse_jwks

    k = new_key("RS256", "r1")
    weak = Key("weak", "RS256", rsa.generate_private_key(public_exponent=65537, key_size=1024))
    private = dict(k.public_jwk, kid="leaky", d="AQAB")
    by_kid, no_kid = parse_jwks(
        {
            "keys": [
                {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
                private,
                dict(k.public_jwk, use="enc", kid="enc"),
                {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
                "not-a-dict",
                weak.public_jwk,
                k.public_jwk,
            ]
        }
    )
    assert list(by_kid) == ["r1"] and no_kid == []
    assert by_kid["r1"].algorithms == frozenset({"RS256"})


@pytest.mark.timeout(90)
def test_independent_openid_provider(
    tmp_path, loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    """oidc-provider-mock (Authlib-based) issues a real ID token via the authorization-code flow; we verify
    it through its discovery document and JWKS (its tokens carry no kid)."""
    op = OidcProviderMock(tmp_path)
    try:
        r = make_resolver(
            _settings(
                {
                    "issuer": op.issuer,
                    "audiences": ["phi-guard"],
                    "algorithms": ["RS256"],
                    "passthrough_claims": ["email"],
                }
            )
        )
        token = op.id_token(
            "dr.alice",
            claims={"roles": ["clinician"], "groups": ["cardiology"], "email": "alice@example.org"},
        )
        ident = loop.run(r.resolve(view(f"Bearer {token}")))
        assert (ident.sub, ident.iss, ident.auth_method) == ("dr.alice", op.issuer, "jwt")
        assert ident.roles == ("clinician",) and ident.groups == ("cardiology",)
        assert ident.claims == {"email": "alice@example.org"}
        # a token it minted for another client is refused
        other = op.id_token("dr.alice", client_id="another-app")
        assert loop.run(outcome(r, other)) == "invalid_audience"
        # and one whose payload was altered fails the signature
        h, p, s = token.split(".")
        assert loop.run(outcome(r, f"{h}.{p[:-4]}AAAA.{s}")) in {"bad_signature", "malformed_token"}
    finally:
        op.close()
