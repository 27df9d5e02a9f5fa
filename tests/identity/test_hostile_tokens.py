"""Hostile tokens against a real JWKS server: each case asserts the exact status and reason code."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from identity_idp import IdpServer, Key, LoopThread, issuer_cfg, mint, new_key, view

from sidecar.identity.model import AuthError
from sidecar.identity.resolver import IdentityResolver
from sidecar.identity.settings import IdentitySettings
from sidecar.request_view import RequestView


@dataclass
class World:
    rsa: Key
    ec: Key
    idp: IdpServer  # the configured, enabled issuer (RS256, ES256)
    disabled: IdpServer  # configured but disabled
    stranger: IdpServer  # NOT configured, but its discovery and JWKS are reachable
    attacker: Key  # a key nobody publishes
    resolver: IdentityResolver
    loop: LoopThread

    def resolve(self, v: RequestView) -> Any:
        return self.loop.run(self.resolver.resolve(v))


@pytest.fixture(scope="module")
def world(loop: LoopThread) -> Iterator[World]:
    rsa, ec, attacker = new_key("RS256", "rsa-1"), new_key("ES256", "ec-1"), new_key("RS256", "rsa-1")
    idp, disabled, stranger = IdpServer([rsa, ec]), IdpServer([rsa]), IdpServer([rsa])
    settings = IdentitySettings.model_validate(
        {
            "issuers": [
                issuer_cfg(idp, algorithms=["RS256", "ES256"], max_lifetime_seconds=3600),
                issuer_cfg(disabled, enabled=False),
            ],
            "jwks_min_refresh_interval_seconds": 30,
        }
    )

    async def build() -> IdentityResolver:
        r = IdentityResolver(settings)
        await r.start()
        return r

    resolver = loop.run(build())
    yield World(rsa, ec, idp, disabled, stranger, attacker, resolver, loop)
    loop.run(resolver.aclose())
    for s in (idp, disabled, stranger):
        s.close()


def b64(obj: Any) -> str:
    raw = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def bearer(token: str) -> RequestView:
    return view(f"Bearer {token}")


def _unsigned(w: World, alg: str) -> RequestView:
    now = int(time.time())
    payload = {"iss": w.idp.issuer, "sub": "mallory", "aud": "phi-guard", "iat": now, "exp": now + 60}
    return bearer(f"{b64({'alg': alg, 'typ': 'JWT', 'kid': 'rsa-1'})}.{b64(payload)}.")


def _hs_with_public_key(w: World, alg: str) -> RequestView:
    # The classic key-confusion attack: HMAC keyed with the issuer's public key (PEM), which anyone can read.
    pem = w.rsa.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    payload = {"iss": w.idp.issuer, "sub": "mallory", "aud": "phi-guard", "iat": now, "exp": now + 60}
    signing_input = f"{b64({'alg': alg, 'kid': 'rsa-1'})}.{b64(payload)}".encode()
    sig = jwt.get_algorithm_by_name(alg).sign(signing_input, pem)
    return bearer(f"{signing_input.decode()}.{b64(sig)}")


def _tampered(w: World) -> RequestView:
    h, p, s = mint(w.rsa, iss=w.idp.issuer, sub="alice").split(".")
    payload = json.loads(base64.urlsafe_b64decode(p + "=="))
    payload["sub"] = "admin"
    return bearer(f"{h}.{b64(payload)}.{s}")


def _short_signature(w: World) -> RequestView:
    h, p, s = mint(w.rsa, iss=w.idp.issuer).split(".")
    sig = base64.urlsafe_b64decode(s + "==")
    return bearer(f"{h}.{p}.{b64(sig[:-10])}")


def _raw(header: Any, payload: Any, sig: str = "c2ln") -> RequestView:
    return bearer(f"{b64(header)}.{b64(payload)}.{sig}")


def _claims(w: World, **over: Any) -> dict[str, Any]:
    now = int(time.time())
    c = {"iss": w.idp.issuer, "sub": "alice", "aud": "phi-guard", "iat": now, "exp": now + 60}
    c.update(over)
    return c


def _signed(w: World, payload: dict[str, Any], key: Key | None = None, **hdr: Any) -> RequestView:
    key = key or w.rsa
    return bearer(jwt.encode(payload, key.private, algorithm=key.alg, headers={"kid": key.kid, **hdr}))


Case = tuple[str, Callable[[World], RequestView], int, str]

CASES: list[Case] = [
    # --- algorithm attacks
    ("alg_none", lambda w: _unsigned(w, "none"), 401, "alg_not_allowed"),
    ("alg_None_mixed_case", lambda w: _unsigned(w, "None"), 401, "alg_not_allowed"),
    ("alg_missing", lambda w: _raw({"kid": "rsa-1"}, _claims(w)), 401, "alg_not_allowed"),
    ("hs256_signed_with_rsa_public_key", lambda w: _hs_with_public_key(w, "HS256"), 401, "alg_not_allowed"),
    ("hs512_signed_with_rsa_public_key", lambda w: _hs_with_public_key(w, "HS512"), 401, "alg_not_allowed"),
    (
        "alg_not_in_issuer_list_ps256",
        lambda w: bearer(jwt.encode(_claims(w), w.rsa.private, algorithm="PS256", headers={"kid": "rsa-1"})),
        401,
        "alg_not_allowed",
    ),
    (
        "es256_header_on_rsa_kid",
        lambda w: bearer(jwt.encode(_claims(w), w.ec.private, algorithm="ES256", headers={"kid": "rsa-1"})),
        401,
        "alg_not_allowed",
    ),
    # --- signature attacks
    ("payload_tampered_after_signing", _tampered, 401, "bad_signature"),
    (
        "signed_by_attacker_key_with_real_kid",
        lambda w: _signed(w, _claims(w), w.attacker),
        401,
        "bad_signature",
    ),
    (
        "embedded_jwk_header_ignored",
        lambda w: _signed(w, _claims(w), w.attacker, jwk=w.attacker.public_jwk),
        401,
        "bad_signature",
    ),
    (
        "jku_header_to_reachable_jwks_ignored",
        lambda w: _signed(w, _claims(w), new_key("RS256", "evil-kid"), jku=w.stranger.issuer + "/jwks"),
        401,
        "unknown_kid",
    ),
    ("signature_bytes_truncated", lambda w: _short_signature(w), 401, "bad_signature"),
    (
        "token_truncated_by_one_char",
        lambda w: bearer(mint(w.rsa, iss=w.idp.issuer)[:-1]),
        401,
        "malformed_token",
    ),
    (
        "signature_empty",
        lambda w: bearer(mint(w.rsa, iss=w.idp.issuer).rsplit(".", 1)[0] + "."),
        401,
        "bad_signature",
    ),
    # --- key lookup
    ("unknown_kid", lambda w: _signed(w, _claims(w), new_key("ES256", "no-such-kid")), 401, "unknown_kid"),
    ("kid_not_a_string", lambda w: _raw({"alg": "RS256", "kid": 7}, _claims(w)), 401, "malformed_token"),
    # --- time
    (
        "expired",
        lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, iat_offset=-600, ttl=300)),
        401,
        "token_expired",
    ),
    (
        "expired_beyond_leeway",
        lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, iat_offset=-400, ttl=340)),
        401,
        "token_expired",
    ),
    (
        "nbf_in_future",
        lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, nbf=int(time.time()) + 600)),
        401,
        "token_not_yet_valid",
    ),
    (
        "iat_in_future",
        lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, iat_offset=600)),
        401,
        "issued_in_future",
    ),
    (
        "lifetime_above_maximum",
        lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, ttl=7200)),
        401,
        "lifetime_exceeded",
    ),
    ("exp_not_a_number", lambda w: _signed(w, _claims(w, exp="tomorrow")), 401, "invalid_claim"),
    ("exp_missing", lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, drop=("exp",))), 401, "missing_claim"),
    ("iat_missing", lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, drop=("iat",))), 401, "missing_claim"),
    # --- issuer / audience / subject
    ("wrong_iss", lambda w: bearer(mint(w.rsa, iss="https://evil.example")), 401, "unknown_issuer"),
    (
        "iss_trailing_slash_variant",
        lambda w: bearer(mint(w.rsa, iss=w.idp.issuer + "/")),
        401,
        "unknown_issuer",
    ),
    (
        "iss_missing",
        lambda w: _signed(w, {k: v for k, v in _claims(w).items() if k != "iss"}),
        401,
        "missing_claim",
    ),
    (
        "valid_token_from_unconfigured_reachable_issuer",
        lambda w: bearer(mint(w.rsa, iss=w.stranger.issuer)),
        401,
        "unknown_issuer",
    ),
    (
        "token_for_disabled_issuer",
        lambda w: bearer(mint(w.rsa, iss=w.disabled.issuer)),
        401,
        "issuer_disabled",
    ),
    (
        "wrong_aud",
        lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, aud="another-service")),
        401,
        "invalid_audience",
    ),
    (
        "aud_list_without_us",
        lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, aud=["a", "b"])),
        401,
        "invalid_audience",
    ),
    ("aud_missing", lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, aud=None)), 401, "missing_claim"),
    ("sub_missing", lambda w: bearer(mint(w.rsa, iss=w.idp.issuer, sub=None)), 401, "missing_claim"),
    ("sub_not_a_string", lambda w: _signed(w, _claims(w, sub=12345)), 401, "invalid_claim"),
    # --- encoding / framing
    ("empty_bearer", lambda w: view("Bearer "), 401, "malformed_token"),
    ("empty_authorization_header", lambda w: view(""), 401, "malformed_token"),
    (
        "truncated_two_segments",
        lambda w: bearer(".".join(mint(w.rsa, iss=w.idp.issuer).split(".")[:2])),
        401,
        "malformed_token",
    ),
    ("truncated_mid_header", lambda w: bearer(mint(w.rsa, iss=w.idp.issuer)[:10]), 401, "malformed_token"),
    ("non_base64_characters", lambda w: bearer("eyJ!!!.eyJ@@@.sig$$$"), 401, "malformed_token"),
    (
        "base64_but_not_json",
        lambda w: bearer(f"{b64(b'not json')}.{b64(b'nor this')}.c2ln"),
        401,
        "malformed_token",
    ),
    ("bad_base64_length", lambda w: bearer("eyJhbGciOiJSUzI1NiJ9x.eyJ.c2ln"), 401, "malformed_token"),
    (
        "payload_is_a_list",
        lambda w: _raw({"alg": "RS256", "kid": "rsa-1"}, ["iss", "sub"]),
        401,
        "malformed_token",
    ),
    ("header_is_a_string", lambda w: _raw("RS256", _claims(w)), 401, "malformed_token"),
    ("four_segments", lambda w: bearer(mint(w.rsa, iss=w.idp.issuer) + ".extra"), 401, "malformed_token"),
    ("crit_header", lambda w: _signed(w, _claims(w), crit=["exp"]), 401, "malformed_token"),
    ("one_megabyte_token", lambda w: bearer("eyJ" + "A" * (1024 * 1024) + ".e.s"), 401, "token_too_large"),
    ("token_just_over_limit", lambda w: bearer("a." + "b" * 16384 + ".c"), 401, "token_too_large"),
    (
        "duplicate_authorization_joined",
        lambda w: view(
            f"Bearer {mint(w.rsa, iss=w.idp.issuer)}, Bearer {mint(w.rsa, iss=w.idp.issuer, sub='admin')}"
        ),
        401,
        "duplicate_authorization",
    ),
    (
        "duplicate_authorization_counted",
        lambda w: view(f"Bearer {mint(w.rsa, iss=w.idp.issuer)}", counts={"authorization": 2}),
        401,
        "duplicate_authorization",
    ),
    ("basic_scheme", lambda w: view("Basic YWxpY2U6cGFzc3dvcmQ="), 401, "unsupported_scheme"),
    ("token_without_scheme", lambda w: view(mint(w.rsa, iss=w.idp.issuer)), 401, "unsupported_scheme"),
    ("no_credentials_at_all", lambda w: view(None), 401, "missing_credentials"),
    # --- a bad bearer token is not rescued by a valid client certificate
    (
        "bad_bearer_with_valid_mtls_peer",
        lambda w: RequestView(
            method="GET",
            path="/",
            host="h",
            scheme="https",
            headers={"authorization": "Bearer x.y.z"},
            source_principal="spiffe://phi-guard.local/agent/a",
            tls=True,
        ),
        401,
        "malformed_token",
    ),
]


def test_case_count() -> None:
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "build", "status", "reason"), CASES, ids=[c[0] for c in CASES])
def test_hostile(
    world: World, name: str, build: Callable[[World], RequestView], status: int, reason: str
) -> None:
    v = build(world)
    with pytest.raises(AuthError) as info:
        world.resolve(v)
    err = info.value
    assert (err.status, err.reason) == (status, reason), f"{name}: got {err.status} {err.reason}"
    # never token material in the message
    token = v.header("authorization").partition(" ")[2]
    for part in token.split("."):
        if len(part) > 8:
            assert part not in err.message


def test_valid_controls(world: World) -> None:
    """The same world accepts well-formed tokens, so every refusal above is for the stated reason."""
    ident = world.resolve(bearer(mint(world.rsa, iss=world.idp.issuer)))
    assert (ident.sub, ident.iss, ident.auth_method) == ("alice", world.idp.issuer, "jwt")
    ident = world.resolve(bearer(mint(world.ec, iss=world.idp.issuer, sub="bob")))
    assert ident.sub == "bob"
    # expired by less than the leeway (30 s) is still accepted
    assert (
        world.resolve(bearer(mint(world.rsa, iss=world.idp.issuer, iat_offset=-100, ttl=80))).sub == "alice"
    )
    # audience list containing ours
    assert world.resolve(bearer(mint(world.rsa, iss=world.idp.issuer, aud=["x", "phi-guard"]))).sub == "alice"


def test_stranger_issuer_never_contacted(world: World) -> None:
    """Neither the unconfigured issuer nor a token's jku URL is ever fetched."""
    world.resolve(bearer(mint(world.rsa, iss=world.idp.issuer)))
    for v in (
        bearer(mint(world.rsa, iss=world.stranger.issuer)),
        _signed(world, _claims(world), new_key("ES256", "evil"), jku=world.stranger.issuer + "/jwks"),
    ):
        with pytest.raises(AuthError):
            world.resolve(v)
    assert sum(world.stranger.state.hits.values()) == 0
    assert sum(world.disabled.state.hits.values()) == 0
