"""The webhook's own serving certificate, issued from the CA the chart keeps in a Secret (Helm mode).

The CA (long-lived, its certificate is the webhook configuration's ``caBundle``) never changes at renewal, so
renewing is invisible to the API server: each replica issues itself a short-lived leaf at start-up and a new
one once two thirds of its lifetime have passed, long before it expires. The leaf's key is generated in the
pod and written only to a private temporary directory (``ssl`` loads certificates from files).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


class CertError(Exception):
    """The CA pair cannot be read or cannot sign."""


@dataclass(frozen=True)
class Leaf:
    cert: Path
    key: Path
    not_after: dt.datetime
    renew_at: dt.datetime


def _load_ca(ca_cert: Path, ca_key: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey]:
    try:
        cert = x509.load_pem_x509_certificate(ca_cert.read_bytes())
        key = serialization.load_pem_private_key(ca_key.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise CertError(f"cannot load the webhook CA ({type(exc).__name__})") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise CertError("the webhook CA key must be ECDSA or RSA")
    return cert, key


def issue_leaf(
    ca_cert: Path,
    ca_key: Path,
    dns_names: Sequence[str],
    directory: Path,
    days: float = 30.0,
    now: dt.datetime | None = None,
) -> Leaf:
    """A new serving certificate for ``dns_names`` signed by the CA, written as ``tls.crt``/``tls.key`` (0600)
    under ``directory``; the chain file holds the leaf then the CA."""
    if not dns_names:
        raise CertError("no DNS names for the webhook certificate")
    ca, signer = _load_ca(ca_cert, ca_key)
    now = now or dt.datetime.now(dt.UTC)
    lifetime = dt.timedelta(days=days)
    not_after = min(now + lifetime, ca.not_valid_after_utc)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns_names[0][:64])]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(signer, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    crt_path, key_path = directory / "tls.crt", directory / "tls.key"
    for path, data in (
        (
            key_path,
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        ),
        (crt_path, cert.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)),
    ):
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    renew_at = now + (not_after - now) * 2 / 3
    return Leaf(crt_path, key_path, not_after, renew_at)


def private_dir() -> Path:
    """A fresh 0700 directory for the leaf (under $TMPDIR, an in-memory emptyDir in the chart)."""
    return Path(tempfile.mkdtemp(prefix="phi-guard-webhook-"))
