"""Resolver: algorithms, claim mapping per issuer, several issuers, SPIFFE workload identities, fuzzing."""

from __future__ import annotations

import base64
import datetime as dt
import json
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from identity_idp import IdpServer, Key, LoopThread, issuer_cfg, mint, new_key, view
from pydantic import ValidationError

from sidecar.identity.model import AuthError, Identity
from sidecar.identity.resolver import IdentityResolver
from sidecar.identity.settings import IdentitySettings, IssuerSettings
from sidecar.identity.spiffe import parse_spiffe_id
from sidecar.request_view import RequestView


def _resolve(loop: LoopThread, r: IdentityResolver, v: RequestView) -> Identity:
    return loop.run(r.resolve(v))


def _reason(loop: LoopThread, r: IdentityResolver, v: RequestView) -> tuple[int, str]:
    with pytest.raises(AuthError) as info:
        loop.run(r.resolve(v))
    return info.value.status, info.value.reason


@pytest.mark.parametrize("alg", ["RS256", "PS256", "ES256", "EdDSA"])
def test_each_asymmetric_algorithm(
    alg: str,
    idp: IdpServer,
    keys: dict[str, Key],
    loop: LoopThread,
    make_resolver: Callable[..., IdentityResolver],
) -> None:
    r = make_resolver({"issuers": [issuer_cfg(idp)]})
    ident = _resolve(loop, r, view(f"Bearer {mint(keys[alg], iss=idp.issuer, sub='svc-' + alg)}"))
    assert ident.sub == f"svc-{alg}" and ident.auth_method == "jwt"


def test_claim_mapping_keycloak_azure_scopes(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver(
        {
            "issuers": [
                issuer_cfg(
                    idp,
                    role_claims=["realm_access.roles", "resource_access.phi-guard.roles", "roles"],
                    group_claims=["groups"],
                    scope_claim="scope",
                    scope_role_prefix="scope:",
                    client_id_claims=["azp", "appid"],
                    passthrough_claims=["email", "tid", "department.name"],
                )
            ]
        }
    )
    token = mint(
        keys["RS256"],
        iss=idp.issuer,
        sub="u-1",
        realm_access={"roles": ["clinician", "offline_access"]},
        resource_access={"phi-guard": {"roles": ["approver"]}, "other": {"roles": ["root"]}},
        roles=["clinician", 42, {"x": 1}],  # duplicates and non-strings are dropped
        groups="ward-7 cardiology",
        scope="openid chat.write",
        appid="app-123",
        email="u1@example.org",
        tid="tenant",
        department={"name": "cardio"},
        secret_claim="x",
    )
    ident = _resolve(loop, r, view(f"Bearer {token}"))
    assert ident.roles == ("clinician", "offline_access", "approver", "scope:openid", "scope:chat.write")
    assert ident.groups == ("ward-7", "cardiology")
    assert ident.client_id == "app-123"
    assert ident.claims == {"email": "u1@example.org", "tid": "tenant", "department.name": "cardio"}
    doc = ident.to_input()
    assert doc["auth_method"] == "jwt" and doc["iss"] == idp.issuer and "secret_claim" not in doc["claims"]


def test_several_issuers_at_once(
    keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    workforce, k8s = IdpServer([keys["RS256"]]), IdpServer([keys["ES256"]])
    try:
        r = make_resolver(
            {
                "issuers": [
                    issuer_cfg(workforce),
                    issuer_cfg(
                        k8s,
                        audiences=["phi-guard-k8s"],
                        algorithms=["ES256"],
                        role_claims=[],
                        client_id_claims=["kubernetes.io.serviceaccount.name"],
                    ),
                ]
            }
        )
        a = _resolve(loop, r, view(f"Bearer {mint(keys['RS256'], iss=workforce.issuer, roles=['nurse'])}"))
        b = _resolve(
            loop,
            r,
            view(
                "Bearer "
                + mint(
                    keys["ES256"],
                    iss=k8s.issuer,
                    aud="phi-guard-k8s",
                    sub="system:serviceaccount:ai:summarizer",
                    roles=["ignored"],
                    **{"kubernetes.io": {"serviceaccount": {"name": "summarizer"}}},
                )
            ),
        )
        assert (a.iss, a.roles) == (workforce.issuer, ("nurse",))
        assert (b.iss, b.roles, b.client_id) == (k8s.issuer, (), "summarizer")
        # each issuer's keys only verify its own tokens
        forged = mint(keys["RS256"], iss=k8s.issuer, aud="phi-guard-k8s", alg="RS256")
        assert _reason(loop, r, view(f"Bearer {forged}")) == (401, "alg_not_allowed")
        forged = mint(
            Key(keys["ES256"].kid, "ES256", new_key("ES256").private), iss=k8s.issuer, aud="phi-guard-k8s"
        )
        assert _reason(loop, r, view(f"Bearer {forged}")) == (401, "bad_signature")
    finally:
        workforce.close()
        k8s.close()


# --- mTLS / SPIFFE -----------------------------------------------------------------------------------------


def _cert(uris: list[str], cn: str = "workload") -> str:
    """A real X.509 certificate (self-issued: chain validation is Envoy's job), URL-encoded like Envoy."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = dt.datetime.now(dt.UTC)
    b = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
    )
    if uris:
        b = b.add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(u) for u in uris]), critical=False
        )
    pem = b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()
    return quote(pem, safe="")


MTLS = {
    "mtls": {
        "trust_domains": ["phi-guard.local", "prod.example"],
        "roles": {
            "spiffe://phi-guard.local/agent/": ["agent"],
            "spiffe://phi-guard.local/agent/summarizer": ["summarizer"],
        },
    }
}


def test_spiffe_identity_from_principal_and_certificate(
    loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver(MTLS)
    sid = "spiffe://phi-guard.local/agent/summarizer"
    ident = _resolve(loop, r, view(principal=sid, cert_pem=_cert([sid])))
    assert (ident.sub, ident.iss, ident.auth_method) == (sid, "spiffe://phi-guard.local", "mtls")
    assert ident.roles == ("summarizer", "agent") and ident.client_id == sid
    assert ident.to_input()["claims"]["trust_domain"] == "phi-guard.local"
    # principal alone (certificate not forwarded) and certificate alone both work
    assert _resolve(loop, r, view(principal="spiffe://prod.example/ns/a/sa/b")).roles == ()
    assert _resolve(loop, r, view(cert_pem=_cert(["spiffe://phi-guard.local/agent/x"]))).roles == ("agent",)


@pytest.mark.parametrize(
    ("principal", "uris", "reason"),
    [
        ("spiffe://evil.example/agent/x", None, "untrusted_trust_domain"),
        ("spiffe://phi-guard.local.evil.example/agent/x", None, "untrusted_trust_domain"),
        (
            "CN=workload,O=corp",
            None,
            "invalid_spiffe_id",
        ),  # Envoy falls back to the subject without a URI SAN
        ("spiffe://phi-guard.local", None, "invalid_spiffe_id"),  # no workload path
        ("spiffe://phi-guard.local/agent/../admin", None, "invalid_spiffe_id"),
        ("spiffe://PHI-GUARD.local/agent/x", None, "invalid_spiffe_id"),
        ("spiffe://phi-guard.local:443/agent/x", None, "invalid_spiffe_id"),
        ("spiffe://phi-guard.local/agent/x?admin=1", None, "invalid_spiffe_id"),
        ("spiffe://user@phi-guard.local/agent/x", None, "invalid_spiffe_id"),
        (
            "",
            ["spiffe://phi-guard.local/a", "spiffe://phi-guard.local/b"],
            "invalid_spiffe_id",
        ),  # two SVID IDs
        ("", [], "invalid_spiffe_id"),  # certificate without SANs
        (
            "spiffe://phi-guard.local/agent/a",
            ["spiffe://phi-guard.local/agent/b"],
            "invalid_spiffe_id",
        ),  # mismatch
    ],
)
def test_spiffe_refusals(
    principal: str,
    uris: list[str] | None,
    reason: str,
    loop: LoopThread,
    make_resolver: Callable[..., IdentityResolver],
) -> None:
    r = make_resolver(MTLS)
    v = view(principal=principal, cert_pem=_cert(uris) if uris is not None else "")
    assert _reason(loop, r, v) == (401, reason)


def test_garbage_certificate_is_refused(
    loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver(MTLS)
    assert _reason(
        loop, r, view(cert_pem=quote("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
    ) == (401, "invalid_spiffe_id")


def test_mtls_disabled_means_no_workload_identity(
    loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver({"mtls": {"enabled": False}})
    assert _reason(loop, r, view(principal="spiffe://phi-guard.local/agent/a")) == (
        401,
        "missing_credentials",
    )


def test_bearer_wins_over_certificate(
    idp: IdpServer, keys: dict[str, Key], loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    r = make_resolver({"issuers": [issuer_cfg(idp)], **MTLS})
    v = RequestView(
        method="GET",
        path="/",
        host="h",
        scheme="https",
        headers={"authorization": f"Bearer {mint(keys['RS256'], iss=idp.issuer, sub='person')}"},
        source_principal="spiffe://phi-guard.local/agent/a",
        tls=True,
    )
    assert _resolve(loop, r, v).auth_method == "jwt"


def test_spiffe_id_parser() -> None:
    assert str(parse_spiffe_id("spiffe://td.example/a/b-c_d.e")) == "spiffe://td.example/a/b-c_d.e"
    for bad in (
        "spiffe://td/",
        "spiffe://td//a",
        "spiffe://td/a/",
        "https://td/a",
        "spiffe:///a",
        "spiffe://td/a%2e",
        "spiffe://" + "a" * 3000 + "/x",
    ):
        with pytest.raises(ValueError):
            parse_spiffe_id(bad)


# --- settings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("algs", [["none"], ["HS256"], ["RS256", "HS512"], []])
def test_settings_refuse_unsafe_algorithms(algs: list[str]) -> None:
    with pytest.raises(ValidationError):
        IssuerSettings(issuer="https://idp.example", audiences=["x"], algorithms=algs)


def test_settings_require_audience_and_unique_issuers() -> None:
    with pytest.raises(ValidationError):
        IssuerSettings(issuer="https://idp.example")
    IssuerSettings(issuer="https://idp.example", enabled=False)  # a disabled issuer needs none
    with pytest.raises(ValidationError):
        IdentitySettings.model_validate({"issuers": [{"issuer": "https://a", "audiences": ["x"]}] * 2})
    with pytest.raises(ValidationError):
        IssuerSettings(issuer="idp.example", audiences=["x"])


# --- fuzzing: whatever the header, the answer is a 401 AuthError, never another exception ------------------

_b64ish = st.text(alphabet=string.ascii_letters + string.digits + "-_", max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.one_of(
        st.text(max_size=200),
        st.builds(lambda a, b, c: f"Bearer {a}.{b}.{c}", _b64ish, _b64ish, _b64ish),
        st.builds(lambda a: f"Bearer {a}", st.text(max_size=100)),
    )
)
def test_fuzz_authorization_header(value: str, loop: LoopThread, fuzz_resolver: IdentityResolver) -> None:
    with pytest.raises(AuthError) as info:
        loop.run(fuzz_resolver.resolve(view(value)))
    assert info.value.status == 401


@pytest.fixture(scope="module")
def fuzz_resolver(loop: LoopThread) -> IdentityResolver:
    async def build() -> IdentityResolver:
        r = IdentityResolver(
            IdentitySettings.model_validate(
                {
                    "issuers": [{"issuer": "http://127.0.0.1:9", "audiences": ["x"]}],
                    "jwks_min_refresh_interval_seconds": 3600,
                }
            )
        )
        return r

    r = loop.run(build())
    yield r
    loop.run(r.aclose())


@pytest.fixture(scope="module")
def fuzz_world(loop: LoopThread, keys: dict[str, Key]) -> Iterator[tuple[IdentityResolver, IdpServer]]:
    idp = IdpServer([keys["RS256"]])

    async def build() -> IdentityResolver:
        r = IdentityResolver(IdentitySettings.model_validate({"issuers": [issuer_cfg(idp)]}))
        await r.start()
        return r

    r = loop.run(build())
    yield r, idp
    loop.run(r.aclose())
    idp.close()


_json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.fixed_dictionaries(
        {},
        optional={
            "alg": st.sampled_from(["RS256", "ES256", "none", "HS256"]) | _json_value,
            "kid": st.just(None) | _json_value,
            "crit": _json_value,
        },
    ),
    claims=st.fixed_dictionaries(
        {},
        optional={
            "sub": _json_value,
            "aud": _json_value,
            "exp": _json_value,
            "iat": _json_value,
            "nbf": _json_value,
            "roles": _json_value,
        },
    ),
    sig=_b64ish,
)
def test_fuzz_structured_tokens(
    header: dict,
    claims: dict,
    sig: str,
    loop: LoopThread,
    fuzz_world: tuple[IdentityResolver, IdpServer],
    keys: dict[str, Key],
) -> None:
    """Structurally valid JWTs with arbitrary JSON values and a forged signature: always a 401, never a crash;
    and the same claims validly signed never crash either (whatever the verdict)."""
    r, idp = fuzz_world
    payload = {"iss": idp.issuer, **claims}
    h = {**header, "kid": keys["RS256"].kid} if "kid" not in header else header
    segs = [base64.urlsafe_b64encode(json.dumps(x).encode()).rstrip(b"=").decode() for x in (h, payload)]
    with pytest.raises(AuthError) as info:
        loop.run(r.resolve(view(f"Bearer {segs[0]}.{segs[1]}.{sig}")))
    assert info.value.status == 401
    signed = jwt.encode(payload, keys["RS256"].private, algorithm="RS256", headers={"kid": keys["RS256"].kid})
    try:
        ident = loop.run(r.resolve(view(f"Bearer {signed}")))
    except AuthError as err:
        assert err.status == 401
    else:
        assert isinstance(ident.sub, str) and ident.sub


def test_guard_side_chain_verification_with_ca_file(
    tmp_path: Path, loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    """With ``mtls.ca_file`` the guard re-verifies the forwarded leaf (the stack's real dev PKI)."""
    from devstack.certs import client_cert, ensure_pki

    pki = ensure_pki(tmp_path)
    r = make_resolver({"mtls": {"trust_domains": ["phi-guard.local"], "ca_file": str(pki.ca.cert)}})

    def pem(**kw: object) -> tuple[str, str]:
        c = client_cert(tmp_path, "bot", **kw)
        return c.spiffe_id, quote(c.cert.read_text(), safe="")

    sid, good = pem()
    assert _resolve(loop, r, view(principal=sid, cert_pem=good)).sub == sid
    for kw in ({"untrusted": True}, {"expired": True}):
        sid, bad = pem(**kw)
        assert _reason(loop, r, view(principal=sid, cert_pem=bad)) == (401, "untrusted_certificate"), kw
    # the principal alone is not enough once the guard verifies certificates itself
    assert _reason(loop, r, view(principal=sid)) == (401, "untrusted_certificate")


def test_expired_forwarded_certificate_refused_without_ca_file(
    tmp_path: Path, loop: LoopThread, make_resolver: Callable[..., IdentityResolver]
) -> None:
    from devstack.certs import client_cert

    c = client_cert(tmp_path, "bot", expired=True)
    r = make_resolver(MTLS)
    v = view(principal=c.spiffe_id, cert_pem=quote(c.cert.read_text(), safe=""))
    assert _reason(loop, r, v) == (401, "untrusted_certificate")
