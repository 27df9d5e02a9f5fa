"""The verified-token cache: a repeat skips the signature, never the time checks, never a retired key."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from identity_idp import IdpServer, Key, LoopThread, issuer_cfg, mint, new_key, view

from sidecar.identity.model import AuthError
from sidecar.identity.resolver import IdentityResolver


def _reason(loop: LoopThread, r: IdentityResolver, token: str) -> str:
    with pytest.raises(AuthError) as info:
        loop.run(r.resolve(view(f"Bearer {token}")))
    return info.value.reason


def test_repeat_is_a_hit_with_the_same_identity(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver({"issuers": [issuer_cfg(idp, role_claims=["roles"])]})
    token = mint(keys["ES256"], iss=idp.issuer, sub="dr.who", roles=["clinician"])
    first = loop.run(r.resolve(view(f"Bearer {token}")))
    second = loop.run(r.resolve(view(f"Bearer {token}")))
    assert second == first and second.roles == ("clinician",)
    assert r._jwt.cache_hits == 1


def test_a_hit_still_expires(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver({"issuers": [issuer_cfg(idp, leeway_seconds=0)]})
    token = mint(keys["RS256"], iss=idp.issuer, ttl=2)
    loop.run(r.resolve(view(f"Bearer {token}")))
    time.sleep(2.2)
    assert _reason(loop, r, token) == "token_expired"
    assert r._jwt.cache_hits == 0


def test_a_retired_key_ends_the_hits(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver({"issuers": [issuer_cfg(idp)], "jwks_min_refresh_interval_seconds": 0})
    token = mint(keys["RS256"], iss=idp.issuer)
    loop.run(r.resolve(view(f"Bearer {token}")))
    idp.set_keys([new_key("RS256")])  # the IdP retires the key that signed the token
    assert loop.run(r.caches[idp.issuer].refresh())
    assert _reason(loop, r, token) == "unknown_kid"
    assert r._jwt.cache_hits == 0


def test_off_and_bounded(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    off = make_resolver({"issuers": [issuer_cfg(idp)], "verified_token_cache_size": 0})
    token = mint(keys["RS256"], iss=idp.issuer)
    for _ in range(3):
        loop.run(off.resolve(view(f"Bearer {token}")))
    assert off._jwt.cache_hits == 0

    small = make_resolver({"issuers": [issuer_cfg(idp)], "verified_token_cache_size": 2})
    tokens = [mint(keys["RS256"], iss=idp.issuer, sub=f"u{i}") for i in range(3)]
    for t in tokens:
        loop.run(small.resolve(view(f"Bearer {t}")))
    assert len(small._jwt._verified) == 2
    loop.run(small.resolve(view(f"Bearer {tokens[0]}")))  # the oldest was evicted: verified again
    assert small._jwt.cache_hits == 0
    loop.run(small.resolve(view(f"Bearer {tokens[2]}")))
    assert small._jwt.cache_hits == 1


def test_a_bad_signature_is_never_cached(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver({"issuers": [issuer_cfg(idp)]})
    good = mint(keys["RS256"], iss=idp.issuer)
    head, payload, sig = good.split(".")
    forged = f"{head}.{payload}.{sig[:-4]}AAAA"
    for _ in range(2):
        assert _reason(loop, r, forged) in ("bad_signature", "malformed_token")
    assert len(r._jwt._verified) == 0
