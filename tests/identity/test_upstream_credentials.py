"""Credential brokering: the injected upstream credential comes from a secret file or env var, is re-read
on rotation, and an unusable one fails closed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sidecar.config import UpstreamSettings
from sidecar.identity.upstream_credentials import CredentialUnavailable, UpstreamCredentials


def _bump_mtime(p: Path) -> None:
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_file_credential_and_rotation(tmp_path: Path) -> None:
    secret = tmp_path / "model-key"
    secret.write_text("sk-one\n")
    creds = UpstreamCredentials([UpstreamSettings(name="openai", credential_file=str(secret))])
    assert creds.header_for("openai") == ("authorization", "Bearer sk-one")
    secret.write_text("sk-two\n")  # same size: the mtime/inode check must still notice
    _bump_mtime(secret)
    assert creds.header_for("openai") == ("authorization", "Bearer sk-two")


def test_kubernetes_style_symlink_swap(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "key").write_text("k-1")
    (tmp_path / "..data").symlink_to("v1")
    (tmp_path / "key").symlink_to("..data/key")
    creds = UpstreamCredentials(
        [
            UpstreamSettings(
                name="m",
                credential_file=str(tmp_path / "key"),
                credential_header="x-api-key",
                credential_format="{credential}",
            )
        ]
    )
    assert creds.header_for("m") == ("x-api-key", "k-1")
    (tmp_path / "v2").mkdir()
    (tmp_path / "v2" / "key").write_text("k-2")
    (tmp_path / "..data_tmp").symlink_to("v2")
    os.replace(tmp_path / "..data_tmp", tmp_path / "..data")
    assert creds.header_for("m") == ("x-api-key", "k-2")


def test_env_credential() -> None:
    u = UpstreamSettings(name="m", credential_env="MODEL_KEY")
    assert UpstreamCredentials([u], environ={"MODEL_KEY": "abc"}).header_for("m") == (
        "authorization",
        "Bearer abc",
    )
    with pytest.raises(CredentialUnavailable):
        UpstreamCredentials([u], environ={}).header_for("m")


def test_no_credential_configured() -> None:
    assert UpstreamCredentials([UpstreamSettings(name="local")]).header_for("local") is None


@pytest.mark.parametrize("content", ["", "  \n", "line1\r\nX-Evil: 1", "bad\x00byte"])
def test_unusable_file_fails_closed(tmp_path: Path, content: str) -> None:
    secret = tmp_path / "key"
    secret.write_text(content)
    creds = UpstreamCredentials([UpstreamSettings(name="m", credential_file=str(secret))])
    with pytest.raises(CredentialUnavailable) as info:
        creds.header_for("m")
    assert "X-Evil" not in str(info.value) and "line1" not in str(info.value)


def test_missing_or_vanished_file_fails_closed(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    creds = UpstreamCredentials([UpstreamSettings(name="m", credential_file=str(secret))])
    with pytest.raises(CredentialUnavailable):
        creds.header_for("m")
    secret.write_text("ok")
    assert creds.header_for("m") == ("authorization", "Bearer ok")
    secret.unlink()  # a cached value is not served once the file is gone
    with pytest.raises(CredentialUnavailable):
        creds.header_for("m")


def test_unknown_upstream_and_bad_config() -> None:
    with pytest.raises(CredentialUnavailable):
        UpstreamCredentials([]).header_for("nope")
    with pytest.raises(ValueError):
        UpstreamCredentials([UpstreamSettings(name="m", credential_env="K", credential_header="bad header")])
    with pytest.raises(ValueError):
        UpstreamCredentials(
            [UpstreamSettings(name="m", credential_env="K", credential_format="Bearer static")]
        )
