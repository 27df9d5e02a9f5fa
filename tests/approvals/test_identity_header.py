"""The signed identity header the approvals API trusts."""

from __future__ import annotations

import base64
import json

import pytest

from sidecar.approvals.identity_header import sign_identity, verify_identity
from sidecar.identity.model import AuthError, Identity

KEY = b"k" * 32
WHO = Identity(
    sub="cathy",
    iss="https://idp.test",
    auth_method="jwt",
    roles=("compliance-officer",),
    groups=("g1",),
    client_id="cli",
    claims={"department": "oncology"},
)
T0 = 1_790_000_000.0


def test_round_trip() -> None:
    header = sign_identity(WHO, KEY, now=T0)
    assert verify_identity(header, KEY, now=T0 + 1) == WHO


@pytest.mark.parametrize("age, ok", [(0, True), (29.9, True), (30.1, False), (-4, True), (-6, False)])
def test_validity_window(age: float, ok: bool) -> None:
    header = sign_identity(WHO, KEY, now=T0)
    if ok:
        verify_identity(header, KEY, max_age=30, now=T0 + age)
    else:
        with pytest.raises(AuthError) as err:
            verify_identity(header, KEY, max_age=30, now=T0 + age)
        assert err.value.reason == "identity_expired" and err.value.status == 401


def test_other_key_is_refused() -> None:
    with pytest.raises(AuthError) as err:
        verify_identity(sign_identity(WHO, b"x" * 32, now=T0), KEY, now=T0)
    assert err.value.reason == "identity_bad_signature"


def test_tampered_payload_is_refused() -> None:
    v, payload, mac = sign_identity(WHO, KEY, now=T0).split(".")
    doc = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    doc["roles"] = ["compliance-officer", "admin"]
    forged = base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode()
    with pytest.raises(AuthError) as err:
        verify_identity(f"{v}.{forged}.{mac}", KEY, now=T0)
    assert err.value.reason == "identity_bad_signature"


@pytest.mark.parametrize(
    "header, reason",
    [
        ("", "identity_missing"),
        ("v1.abc", "identity_malformed"),
        ("v2.abc.def", "identity_malformed"),
        ("v1.abc.!!!", "identity_malformed"),
        ('{"sub": "cathy", "roles": ["compliance-officer"]}', "identity_malformed"),
    ],
)
def test_malformed_or_unsigned(header: str, reason: str) -> None:
    with pytest.raises(AuthError) as err:
        verify_identity(header, KEY, now=T0)
    assert err.value.reason == reason


def test_validly_signed_garbage_payload_is_malformed() -> None:
    import hashlib
    import hmac

    payload = base64.urlsafe_b64encode(b'{"no": "sub"}').rstrip(b"=").decode()
    mac = base64.urlsafe_b64encode(hmac.new(KEY, f"v1.{payload}".encode(), hashlib.sha256).digest()).rstrip(
        b"="
    )
    with pytest.raises(AuthError) as err:
        verify_identity(f"v1.{payload}.{mac.decode()}", KEY, now=T0)
    assert err.value.reason == "identity_malformed"
