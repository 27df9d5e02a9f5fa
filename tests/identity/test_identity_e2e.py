"""Identity through real Envoy (ext_authz -> the guard) with the dev OIDC issuer and real mTLS certificates.

Every refusal is checked as the caller sees it: status, ``WWW-Authenticate``, the JSON reason code, no token
material echoed back, and the demo model never reached.
"""

from __future__ import annotations

import base64
import json
import ssl
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from identity_idp import OidcProviderMock

from devstack.dev_issuer import KeyStore
from devstack.info import StackInfo

pytestmark = pytest.mark.e2e


def _b64(obj: Any) -> str:
    raw = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(stack: StackInfo, **over: Any) -> dict[str, Any]:
    now = int(time.time())
    c = {
        "iss": stack.issuer,
        "sub": "e2e-user",
        "aud": stack.audience,
        "iat": now,
        "exp": now + 300,
        "roles": ["clinician"],
    }
    c.update(over)
    return {k: v for k, v in c.items() if v is not None}


def _sign(stack: StackInfo, claims: dict[str, Any], **hdr: Any) -> str:
    key = KeyStore(stack.issuer_keys_dir).current()
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid, **hdr})


def _hostile(stack: StackInfo) -> list[tuple[str, list[tuple[str, str]], str]]:
    key = KeyStore(stack.issuer_keys_dir).current()
    pem = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    hs_input = f"{_b64({'alg': 'HS256', 'kid': key.kid})}.{_b64(_claims(stack))}".encode()
    hs = f"{hs_input.decode()}.{_b64(jwt.get_algorithm_by_name('HS256').sign(hs_input, pem))}"
    none = f"{_b64({'alg': 'none'})}.{_b64(_claims(stack))}."
    now = int(time.time())
    good = _sign(stack, _claims(stack))

    def auth(v: str) -> list[tuple[str, str]]:
        return [("authorization", v)]

    return [
        ("no_credentials", [], "missing_credentials"),
        ("alg_none", auth(f"Bearer {none}"), "alg_not_allowed"),
        ("hs256_with_rsa_public_key", auth(f"Bearer {hs}"), "alg_not_allowed"),
        (
            "expired",
            auth("Bearer " + _sign(stack, _claims(stack, iat=now - 900, exp=now - 600))),
            "token_expired",
        ),
        ("nbf_future", auth("Bearer " + _sign(stack, _claims(stack, nbf=now + 900))), "token_not_yet_valid"),
        ("wrong_aud", auth("Bearer " + _sign(stack, _claims(stack, aud="someone-else"))), "invalid_audience"),
        (
            "unknown_issuer",
            auth("Bearer " + _sign(stack, _claims(stack, iss="https://evil.example"))),
            "unknown_issuer",
        ),
        (
            "unknown_kid",
            auth("Bearer " + _sign(stack, _claims(stack), kid="k-" + uuid.uuid4().hex)),
            "unknown_kid",
        ),
        (
            "lifetime_above_max",
            auth("Bearer " + _sign(stack, _claims(stack, exp=now + 3 * 86400))),
            "lifetime_exceeded",
        ),
        (
            "tampered",
            auth(f"Bearer {good.split('.')[0]}.{_b64(_claims(stack, sub='admin'))}.{good.split('.')[2]}"),
            "bad_signature",
        ),
        ("truncated", auth(f"Bearer {good[:-1]}"), "malformed_token"),
        ("non_base64", auth("Bearer eyJ!!.eyJ$$.x"), "malformed_token"),
        ("empty_bearer", auth("Bearer"), "malformed_token"),
        ("basic_scheme", auth("Basic ZTJlOnB3"), "unsupported_scheme"),
        (
            "duplicate_headers",
            [("authorization", f"Bearer {good}"), ("authorization", f"Bearer {good}")],
            "duplicate_authorization",
        ),
    ]


def _assert_401(r: httpx.Response, reason: str, sent: list[tuple[str, str]]) -> None:
    assert r.status_code == 401, (reason, r.status_code, r.text[:200])
    assert 'Bearer error="invalid_token"' in r.headers.get("www-authenticate", "")
    body = r.json()
    assert body["error"] == reason and body["request_id"]
    for _, value in sent:
        for part in value.replace("Bearer ", "").split("."):
            if len(part) > 12:
                assert part not in r.text


def test_hostile_tokens_through_envoy(stack: StackInfo) -> None:
    before = stack.demo_stats()["requests"]
    wrong: list[str] = []
    with httpx.Client(base_url=stack.envoy_url, timeout=30) as c:
        for name, headers, reason in _hostile(stack):
            r = c.get("/v1/models", headers=headers)
            try:
                _assert_401(r, reason, headers)
            except (AssertionError, ValueError, KeyError) as exc:
                wrong.append(f"{name}: {exc!r}")
        # a 1 MB token never reaches the guard's parser: Envoy's header limit answers first (431, or a reset
        # while the client is still sending)
        try:
            r = c.get("/v1/models", headers={"authorization": "Bearer " + "A" * (1024 * 1024)})
            if r.status_code not in (400, 413, 431):
                wrong.append(f"1MB token: {r.status_code}")
        except httpx.TransportError:
            pass
    assert wrong == []
    assert stack.demo_stats()["requests"] == before


def test_valid_token_and_credential_brokering(stack: StackInfo) -> None:
    token = stack.token("dr.e2e", ["clinician"])
    with httpx.Client(base_url=stack.envoy_url, timeout=30) as c:
        r = c.get("/v1/models", headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    seen = stack.demo_last()["headers"]
    assert seen["authorization"] == f"Bearer {stack.upstream_credential()}"
    assert token not in json.dumps(seen)


def test_mtls_workload_identities(stack: StackInfo) -> None:
    before = stack.demo_stats()["requests"]
    with stack.http(cert=stack.client_cert("e2e-agent")) as c:
        assert c.get("/v1/models").status_code == 200
    # signed by the trusted CA, but a foreign trust domain / not a SPIFFE ID
    for uri, reason in (
        ("spiffe://evil.example/ns/agents/sa/x", "untrusted_trust_domain"),
        ("https://agents.example/x", "invalid_spiffe_id"),
    ):
        with stack.http(cert=stack.client_cert("e2e-odd", uri=uri)) as c:
            r = c.get("/v1/models")
            _assert_401(r, reason, [])
    # a bearer token, when present, wins over the certificate, and must be valid
    with stack.http(cert=stack.client_cert("e2e-agent")) as c:
        _assert_401(c.get("/v1/models", headers={"authorization": "Bearer a.b.c"}), "malformed_token", [])
    # certificates from an untrusted CA or expired ones fail the TLS handshake at Envoy
    for kw in ({"untrusted": True}, {"expired": True}):
        cert = stack.client_cert("e2e-agent", **kw)
        ctx = ssl.create_default_context(cafile=str(stack.ca_cert))
        ctx.load_cert_chain(str(cert.cert), str(cert.key))
        with pytest.raises(httpx.HTTPError), httpx.Client(verify=ctx, timeout=10) as c:
            c.get(f"{stack.envoy_tls_url}/v1/models")
    assert stack.demo_stats()["requests"] == before + 1


def _jwks_fetches(stack: StackInfo) -> int:
    return int(httpx.get(f"{stack.issuer}/_issuer/stats", timeout=5).json()["jwks"])


def test_kid_flood_and_rotation_under_traffic(stack: StackInfo) -> None:
    """100 random kids cost a bounded number of JWKS fetches; after a rotation at the IdP, tokens signed by
    the new key are accepted as soon as the guard refreshed, while traffic keeps running."""
    time.sleep(1.1)  # let the dev stack's 1 s refresh interval pass
    f0, t0 = _jwks_fetches(stack), time.monotonic()
    tokens = [_sign(stack, _claims(stack), kid="flood-" + uuid.uuid4().hex) for _ in range(100)]
    with httpx.Client(base_url=stack.envoy_url, timeout=30) as c:

        def hit(token: str) -> tuple[int, str]:
            r = c.get("/v1/models", headers={"authorization": f"Bearer {token}"})
            return r.status_code, r.json().get("error", "")

        with ThreadPoolExecutor(8) as pool:
            outcomes_flood = set(pool.map(hit, tokens))
        elapsed = time.monotonic() - t0
        assert outcomes_flood == {(401, "unknown_kid")}
        # one fetch per 1 s refresh interval at most, plus background refreshes
        assert _jwks_fetches(stack) - f0 <= int(elapsed / 1.0) + 3

        time.sleep(1.1)
        old_kid = KeyStore(stack.issuer_keys_dir).current().kid
        new_kid = stack.rotate_keys(keep_previous=True)
        assert new_kid != old_kid
        outcomes: list[int] = []
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            token = stack.token("dr.rotate", ["clinician"])
            assert jwt.get_unverified_header(token)["kid"] == new_kid
            outcomes.append(c.get("/v1/models", headers={"authorization": f"Bearer {token}"}).status_code)
            old = c.get("/v1/models", headers=stack.auth_headers("dr.rotate", ["clinician"], kid=old_kid))
            assert old.status_code == 200, old.text  # the previous key stays valid while it is published
    assert 200 in outcomes
    assert outcomes[outcomes.index(200) :] == [200] * len(outcomes[outcomes.index(200) :])


@pytest.fixture(scope="module")
def mock_op_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StackInfo, OidcProviderMock]]:
    """A second stack whose guard trusts only oidc-provider-mock (an independent OpenID provider)."""
    from devstack.runner import StackOptions, start_stack, stop_stack

    op = OidcProviderMock(tmp_path_factory.mktemp("op"))
    state_dir = tmp_path_factory.mktemp("op-stack")
    try:
        issuers = [{"issuer": op.issuer, "audiences": ["phi-guard"], "algorithms": ["RS256"]}]
        doc, lock = start_stack(
            StackOptions(
                state_dir=state_dir, seaweed=False, guard_overrides={"identity": {"issuers": issuers}}
            )
        )
        lock.release()
        try:
            yield StackInfo.from_doc(doc), op
        finally:
            stop_stack(state_dir)
    finally:
        op.close()


def test_independent_openid_provider_through_envoy(mock_op_stack: tuple[StackInfo, OidcProviderMock]) -> None:
    stack, op = mock_op_stack
    token = op.id_token("dr.mock", claims={"roles": ["clinician"]})
    with httpx.Client(base_url=stack.envoy_url, timeout=30) as c:
        r = c.get("/v1/models", headers={"authorization": f"Bearer {token}"})
        assert r.status_code == 200, r.text
        other_client = op.id_token("dr.mock", client_id="another-app", claims={"roles": ["clinician"]})
        _assert_401(
            c.get("/v1/models", headers={"authorization": f"Bearer {other_client}"}), "invalid_audience", []
        )
        # the dev issuer is not configured in this stack: its perfectly valid token is an unknown issuer
        _assert_401(
            c.get("/v1/models", headers={"authorization": f"Bearer {stack.token('dr.dev', ['clinician'])}"}),
            "unknown_issuer",
            [],
        )
