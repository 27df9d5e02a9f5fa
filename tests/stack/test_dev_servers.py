"""The dev OIDC issuer, the demo model and the dev certificates: real processes started by the stack code."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import brotli
import httpx
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from devstack.certs import ensure_pki
from devstack.demo_data import CLINICAL_NOTE, all_phi_values
from devstack.dev_issuer import KeyStore
from devstack.info import StackInfo
from devstack.runner import StackOptions, start_stack, stop_stack


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackInfo]:
    sd = tmp_path_factory.mktemp("devservers")
    doc, lock = start_stack(StackOptions(state_dir=sd, guard=False, envoy=False, seaweed=False))
    lock.release()
    try:
        yield StackInfo.from_doc(doc)
    finally:
        stop_stack(sd)


def _key_headers(dev: StackInfo, **extra: str) -> dict[str, str]:
    return {"authorization": f"Bearer {dev.upstream_credential()}", **extra}


def _chat(dev: StackInfo, body: object, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{dev.upstream_url}/v1/chat/completions",
        content=json.dumps(body).encode(),
        headers=_key_headers(dev, **{"content-type": "application/json", **headers}),
        timeout=10,
    )


def _verify(dev: StackInfo, token: str) -> dict[str, Any]:
    disc = httpx.get(f"{dev.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert disc["issuer"] == dev.issuer
    client = jwt.PyJWKClient(disc["jwks_uri"], cache_keys=False)
    key = client.get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256"], audience="phi-guard", issuer=dev.issuer)


# --- dev issuer -----------------------------------------------------------------------------------


def test_token_verifies_through_discovery_and_jwks(dev: StackInfo) -> None:
    claims = _verify(dev, dev.token("dr.house", ["clinician"], ttl=120))
    assert claims["sub"] == "dr.house" and claims["roles"] == ["clinician"]
    assert claims["exp"] - claims["iat"] == 120


def test_wrong_audience_fails_verification(dev: StackInfo) -> None:
    with pytest.raises(jwt.InvalidAudienceError):
        _verify(dev, dev.token("x", audience="someone-else"))


def test_rotation_publishes_new_key_and_keeps_or_retires_old(dev: StackInfo) -> None:
    old_token = dev.token("a")
    old_kid = jwt.get_unverified_header(old_token)["kid"]
    new_kid = dev.rotate_keys(keep_previous=True)
    assert new_kid != old_kid
    kids = {k["kid"] for k in httpx.get(f"{dev.issuer}/jwks.json").json()["keys"]}
    assert {old_kid, new_kid} <= kids
    new_token = dev.token("b")
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid
    _verify(dev, old_token)
    _verify(dev, new_token)
    newest = dev.rotate_keys(keep_previous=False)
    kids = {k["kid"] for k in httpx.get(f"{dev.issuer}/jwks.json").json()["keys"]}
    assert kids == {newest}
    with pytest.raises(jwt.PyJWKClientError):
        _verify(dev, old_token)


def test_key_file_dropped_in_is_published(dev: StackInfo) -> None:
    before = {k["kid"] for k in httpx.get(f"{dev.issuer}/jwks.json").json()["keys"]}
    added = KeyStore(dev.issuer_keys_dir).rotate(keep_previous=True)  # as another process would
    after = {k["kid"] for k in httpx.get(f"{dev.issuer}/jwks.json").json()["keys"]}
    assert after == before | {added.kid}


def test_rotate_rejects_bad_body(dev: StackInfo) -> None:
    r = httpx.post(f"{dev.issuer}/rotate", content=b"{nope", headers={"content-type": "application/json"})
    assert r.status_code == 400
    r = httpx.post(f"{dev.issuer}/rotate", json={"keep_previous": "yes"})
    assert r.status_code == 400


# --- demo model -----------------------------------------------------------------------------------


def test_echo_returns_last_user_message(dev: StackInfo) -> None:
    r = _chat(
        dev,
        {
            "model": "echo",
            "messages": [
                {"role": "user", "content": "first"},
                {"role": "assistant", "content": "x"},
                {"role": "user", "content": "Patient John Smith, SSN 123-45-6789"},
            ],
        },
    )
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion"
    assert body["choices"][0]["message"]["content"] == "Patient John Smith, SSN 123-45-6789"


def _sse_contents(raw: str) -> tuple[list[str], list[str]]:
    events = [e for e in raw.split("\n\n") if e.strip()]
    datas = [e.removeprefix("data: ") for e in events]
    assert all(e.startswith("data: ") for e in events)
    contents = [json.loads(d)["choices"][0]["delta"].get("content", "") for d in datas if d != "[DONE]"]
    return datas, contents


@pytest.mark.parametrize("n", [1, 4, 7])
def test_echo_streams_chunks_of_n_chars(dev: StackInfo, n: int) -> None:
    text = "MRN 00482913 for Jane Roe, phone 617-555-0143."
    r = _chat(
        dev,
        {"model": "echo", "stream": True, "messages": [{"role": "user", "content": text}]},
        **({"x-demo-chunk-chars": str(n)} if n != 4 else {}),
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    datas, contents = _sse_contents(r.text)
    assert datas[-1] == "[DONE]"
    assert json.loads(datas[-2])["choices"][0]["finish_reason"] == "stop"
    pieces = [c for c in contents if c]
    assert "".join(pieces) == text
    assert all(len(p) == n for p in pieces[:-1]) and 1 <= len(pieces[-1]) <= n
    assert all(json.loads(d)["object"] == "chat.completion.chunk" for d in datas[:-1])


def test_clinical_notes_is_full_of_phi(dev: StackInfo) -> None:
    r = _chat(dev, {"model": "clinical-notes", "messages": [{"role": "user", "content": "summary please"}]})
    text = r.json()["choices"][0]["message"]["content"]
    assert text == CLINICAL_NOTE
    assert all(v in text for v in all_phi_values())


def test_compression_only_when_allowed_or_forced(dev: StackInfo) -> None:
    body = {"model": "clinical-notes", "messages": [{"role": "user", "content": "x"}]}
    with httpx.Client(headers={"accept-encoding": "identity"}) as c:
        plain = c.post(
            f"{dev.upstream_url}/v1/chat/completions",
            json=body,
            headers=_key_headers(dev, **{"x-demo-compress": "gzip"}),
        )
        assert "content-encoding" not in plain.headers and "523-81-4467" in plain.text
        for coding, decode in (("gzip", gzip.decompress), ("br", brotli.decompress)):
            for hdrs in (
                {"x-demo-compress": coding, "accept-encoding": f"{coding}, identity"},
                {"x-demo-compress": f"force-{coding}", "accept-encoding": "identity"},
            ):
                with c.stream(
                    "POST",
                    f"{dev.upstream_url}/v1/chat/completions",
                    json=body,
                    headers=_key_headers(dev, **hdrs),
                ) as r:
                    assert r.headers["content-encoding"] == coding
                    raw = b"".join(r.iter_raw())
                assert b"523-81-4467" not in raw
                assert b"523-81-4467" in decode(raw), (coding, hdrs)
        refused = c.post(
            f"{dev.upstream_url}/v1/chat/completions",
            json=body,
            headers=_key_headers(dev, **{"x-demo-compress": "gzip", "accept-encoding": "gzip;q=0"}),
        )
        assert "content-encoding" not in refused.headers


def test_streamed_gzip_is_decodable(dev: StackInfo) -> None:
    body = {"model": "clinical-notes", "stream": True, "messages": [{"role": "user", "content": "x"}]}
    with (
        httpx.Client() as c,
        c.stream(
            "POST",
            f"{dev.upstream_url}/v1/chat/completions",
            json=body,
            headers=_key_headers(dev, **{"x-demo-compress": "force-gzip", "x-demo-chunk-chars": "16"}),
        ) as r,
    ):
        assert r.headers["content-encoding"] == "gzip"
        raw = b"".join(r.iter_raw())
    _, contents = _sse_contents(zlib.decompress(raw, wbits=31).decode())
    assert "".join(contents) == CLINICAL_NOTE


def test_models_stats_and_last_request(dev: StackInfo) -> None:
    dev.demo_reset()
    assert dev.demo_last() is None
    models = httpx.get(f"{dev.upstream_url}/v1/models", headers=_key_headers(dev)).json()
    assert {m["id"] for m in models["data"]} == {"echo", "clinical-notes"}
    _chat(dev, {"model": "echo", "messages": [{"role": "user", "content": "hi"}]}, **{"x-test-marker": "m1"})
    stats = dev.demo_stats()
    assert stats["requests"] == 2 and stats["POST /v1/chat/completions"] == 1
    last = dev.demo_last()
    assert last is not None and last["path"] == "/v1/chat/completions" and last["method"] == "POST"
    assert last["headers"]["x-test-marker"] == "m1"
    assert last["headers"]["authorization"] == f"Bearer {dev.upstream_credential()}"


def test_wrong_or_missing_key_is_401_and_counted(dev: StackInfo) -> None:
    dev.demo_reset()
    url = f"{dev.upstream_url}/v1/chat/completions"
    body = {"model": "echo", "messages": [{"role": "user", "content": "hi"}]}
    assert httpx.post(url, json=body).status_code == 401
    r = httpx.post(url, json=body, headers={"authorization": "Bearer caller-token"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_api_key"
    assert dev.demo_stats()["requests"] == 2 and dev.demo_stats()["unauthorized"] == 2


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "bad_json"),
        (b"[1, 2]", 400, "bad_request"),
        (b'{"model": "gpt-9", "messages": []}', 404, "model_not_found"),
        (b'{"model": "echo", "messages": "hi"}', 400, "bad_messages"),
        (b'{"model": "echo", "messages": [{"role": "system", "content": "s"}]}', 400, "bad_messages"),
    ],
)
def test_malformed_requests_get_clear_errors(dev: StackInfo, body: bytes, status: int, code: str) -> None:
    r = httpx.post(f"{dev.upstream_url}/v1/chat/completions", content=body, headers=_key_headers(dev))
    assert r.status_code == status and r.json()["error"]["code"] == code


def test_bad_chunk_header(dev: StackInfo) -> None:
    body = {"model": "echo", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    for value in ("0", "abc", "-3"):
        assert _chat(dev, body, **{"x-demo-chunk-chars": value}).status_code == 400


# --- dev certificates -----------------------------------------------------------------------------


def _load(p: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(p.read_bytes())


def test_client_certs_carry_spiffe_ids_and_chain_to_the_right_ca(dev: StackInfo) -> None:
    ca = _load(dev.ca_cert)
    good = dev.client_cert("billing-bot")
    cert = _load(good.cert)
    uris = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert uris.get_values_for_type(x509.UniformResourceIdentifier) == [
        "spiffe://phi-guard.local/ns/agents/sa/billing-bot"
    ]
    assert good.spiffe_id == "spiffe://phi-guard.local/ns/agents/sa/billing-bot"
    cert.verify_directly_issued_by(ca)
    bad = _load(dev.client_cert("billing-bot", untrusted=True).cert)
    with pytest.raises(ValueError):
        bad.verify_directly_issued_by(ca)
    assert bad.issuer != ca.subject
    expired = _load(dev.client_cert("old-bot", expired=True).cert)
    assert expired.not_valid_after_utc < dt.datetime.now(dt.UTC)
    with pytest.raises(ValueError):
        dev.client_cert("../etc/passwd")


def test_server_cert_names_loopback_and_is_reused(tmp_path: Path) -> None:
    first = ensure_pki(tmp_path)
    cert = _load(first.server.cert)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    assert [str(a) for a in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    cert.verify_directly_issued_by(_load(first.ca.cert))
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert (first.ca.key.stat().st_mode & 0o077) == 0
    again = ensure_pki(tmp_path)
    assert again.server.cert.read_bytes() == first.server.cert.read_bytes()
