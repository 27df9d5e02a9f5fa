"""Keys for the audit trail: data-key wrapping (local KEK file or AWS KMS) and the segment MAC key.

Each segment gets a fresh AES-256 data key; the provider wraps it and the wrapped form and the KEK id go
into the segment header. The MAC key lives in its own file, never with the data.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_WRAP_AAD = b"phi-guard/audit/data-key/v1"
_KMS_CONTEXT = {"purpose": "phi-guard-audit-segment"}


class AuditKeyError(Exception):
    """A key cannot be created, read or used (message names the key id or file, never key material)."""


class DataKeyProvider(Protocol):
    name: str

    def new_data_key(self) -> tuple[bytes, bytes, str]:
        """Return (plaintext 32-byte key, wrapped key, id of the wrapping key)."""
        ...

    def unwrap(self, wrapped: bytes, kek_id: str) -> bytes: ...


def load_or_create_key(path: Path, create: bool = True) -> bytes:
    """A 32-byte key from ``path``; created (0600, directory 0700) when missing and ``create``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise AuditKeyError(f"key file {path} not found") from None
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = os.urandom(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # created concurrently: use that one
            return load_or_create_key(path, create=False)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
            f.flush()
            os.fsync(f.fileno())
        return key
    except OSError as exc:
        raise AuditKeyError(f"cannot read key file {path}: {exc.strerror}") from None
    if len(data) != 32:
        raise AuditKeyError(f"key file {path} does not hold a 32-byte key")
    return data


def key_id(kind: str, key: bytes) -> str:
    """A stable public id for a key (a keyed digest, so it reveals nothing of the key)."""
    return f"{kind}:" + hmac.new(key, b"phi-guard/audit/key-id", hashlib.sha256).hexdigest()[:16]


class LocalKeyProvider:
    """Wraps data keys with AES-256-GCM under a local key-encryption key (the embedded default)."""

    name = "local"

    def __init__(self, kek: bytes) -> None:
        self._kek = AESGCM(kek)
        self.kek_id = key_id("local-kek", kek)

    def new_data_key(self) -> tuple[bytes, bytes, str]:
        dek = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        return dek, nonce + self._kek.encrypt(nonce, dek, _WRAP_AAD), self.kek_id

    def unwrap(self, wrapped: bytes, kek_id: str) -> bytes:
        if kek_id != self.kek_id:
            raise AuditKeyError(f"data key wrapped by {kek_id}, but the local KEK is {self.kek_id}")
        try:
            return self._kek.decrypt(wrapped[:12], wrapped[12:], _WRAP_AAD)
        except Exception:  # noqa: BLE001 - InvalidTag and malformed input alike
            raise AuditKeyError(f"wrapped data key does not open with {kek_id}") from None


class KmsKeyProvider:
    """Data keys from AWS KMS (``GenerateDataKey`` / ``Decrypt``) through boto3."""

    name = "kms"

    def __init__(self, kms_client_factory: Callable[[], Any], key_id_: str) -> None:
        self._factory = kms_client_factory
        self._client: Any = None
        self._key_id = key_id_

    def _kms(self) -> Any:
        if self._client is None:
            self._client = self._factory()
        return self._client

    def new_data_key(self) -> tuple[bytes, bytes, str]:
        try:
            out = self._kms().generate_data_key(
                KeyId=self._key_id, KeySpec="AES_256", EncryptionContext=_KMS_CONTEXT
            )
        except Exception as exc:  # noqa: BLE001
            raise AuditKeyError(
                f"KMS GenerateDataKey with {self._key_id} failed: {type(exc).__name__}"
            ) from None
        return out["Plaintext"], out["CiphertextBlob"], out["KeyId"]

    def unwrap(self, wrapped: bytes, kek_id: str) -> bytes:
        try:
            out = self._kms().decrypt(CiphertextBlob=wrapped, KeyId=kek_id, EncryptionContext=_KMS_CONTEXT)
        except Exception as exc:  # noqa: BLE001
            raise AuditKeyError(f"KMS Decrypt with {kek_id} failed: {type(exc).__name__}") from None
        return bytes(out["Plaintext"])


class MacKey:
    """HMAC-SHA256 over a segment's bytes; the key id goes into the segment header."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self.key_id = key_id("local-mac", key)

    def new(self) -> hmac.HMAC:
        return hmac.new(self._key, digestmod=hashlib.sha256)


class AuditKeys:
    """What writing and reading segments needs: a data-key provider and the MAC key."""

    def __init__(self, provider: DataKeyProvider, mac: MacKey) -> None:
        self.provider = provider
        self.mac = mac


def resolve(state_dir: Path, path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else state_dir / p


def load_keys(
    settings: Any, state_dir: Path, create: bool = True, kms_client_factory: Callable[[], Any] | None = None
) -> AuditKeys:
    """Build the keys from :class:`AuditSettings` (local files created on first start when ``create``)."""
    mac = MacKey(load_or_create_key(resolve(state_dir, settings.mac_key_file), create=create))
    provider: DataKeyProvider
    if settings.key_provider == "kms":
        if not settings.kms_key_id:
            raise AuditKeyError("audit.key_provider is kms but audit.kms_key_id is not set")
        if kms_client_factory is None:

            def kms_client_factory() -> Any:
                import boto3
                from botocore.config import Config

                return boto3.client(
                    "kms",
                    region_name=settings.s3_region,
                    endpoint_url=settings.kms_endpoint,
                    config=Config(
                        retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=3, read_timeout=10
                    ),
                )

        provider = KmsKeyProvider(kms_client_factory, settings.kms_key_id)
    else:
        provider = LocalKeyProvider(load_or_create_key(resolve(state_dir, settings.key_file), create=create))
    return AuditKeys(provider, mac)
