"""Dev certificates for the local stack and the tests (``cryptography``; local use only).

Layout under ``pki_dir``: ``ca.pem``/``ca.key`` (the dev CA that signs the server and client certificates),
``server.pem``/``server.key`` (127.0.0.1, localhost), ``clients/<name>.pem``/``.key`` (SPIFFE URI SANs
``spiffe://phi-guard.local/ns/agents/sa/<name>``), and ``untrusted/`` (a second CA the stack does not trust).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TRUST_DOMAIN = "phi-guard.local"
DEFAULT_NAMESPACE = "agents"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


@dataclass(frozen=True)
class CertPair:
    cert: Path
    key: Path


@dataclass(frozen=True)
class ClientCert(CertPair):
    spiffe_id: str


@dataclass(frozen=True)
class DevPki:
    """Paths of the dev PKI; create it with :func:`ensure_pki`."""

    dir: Path
    ca: CertPair
    server: CertPair

    @property
    def ca_cert(self) -> Path:
        return self.ca.cert


def spiffe_id(name: str, namespace: str = DEFAULT_NAMESPACE, trust_domain: str = TRUST_DOMAIN) -> str:
    return f"spiffe://{trust_domain}/ns/{namespace}/sa/{name}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    os.replace(tmp, path)


def _load(pair: CertPair) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert = x509.load_pem_x509_certificate(pair.cert.read_bytes())
    key = serialization.load_pem_private_key(pair.key.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return cert, key


def _make_ca(pair: CertPair, common_name: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "phi-guard dev"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_key(pair.key, key)
    _write_cert(pair.cert, cert)


def _issue(
    ca: CertPair,
    out: CertPair,
    common_name: str,
    sans: list[x509.GeneralName],
    server: bool,
    days: int,
    not_before: dt.datetime | None = None,
) -> None:
    ca_cert, ca_key = _load(ca)
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or (_now() - dt.timedelta(minutes=5))
    eku = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_key(out.key, key)
    _write_cert(out.cert, cert)


def ensure_pki(pki_dir: Path) -> DevPki:
    """Create the dev CA and the server certificate on first use; reuse them afterwards."""
    pki_dir.mkdir(parents=True, exist_ok=True)
    ca = CertPair(pki_dir / "ca.pem", pki_dir / "ca.key")
    server = CertPair(pki_dir / "server.pem", pki_dir / "server.key")
    if not (ca.cert.exists() and ca.key.exists()):
        _make_ca(ca, "phi-guard dev CA")
        server.cert.unlink(missing_ok=True)
    if not (server.cert.exists() and server.key.exists()):
        issue_server_cert(ca, server)
    return DevPki(dir=pki_dir, ca=ca, server=server)


def issue_server_cert(
    ca: CertPair, out: CertPair, hosts: tuple[str, ...] = ("localhost", "127.0.0.1"), days: int = 825
) -> CertPair:
    """Sign a server certificate for ``hosts`` (DNS names or IP addresses; the first is the CN) with ``ca``
    and write it (and its new key) to ``out``, replacing what was there."""
    sans: list[x509.GeneralName] = []
    for host in hosts:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            sans.append(x509.DNSName(host))
    _issue(ca, out, hosts[0], sans, server=True, days=days)
    return out


def client_cert(
    pki_dir: Path,
    name: str,
    *,
    namespace: str = DEFAULT_NAMESPACE,
    trust_domain: str = TRUST_DOMAIN,
    untrusted: bool = False,
    expired: bool = False,
    uri: str | None = None,
) -> ClientCert:
    """Mint (or reuse) a client certificate for workload ``name`` with a SPIFFE URI SAN.

    ``untrusted=True`` signs it with a CA the stack does not trust; ``expired=True`` makes one whose validity
    ended yesterday; ``uri`` overrides the URI SAN (e.g. a foreign trust domain).
    Raises ValueError on a bad name.
    """
    if not _NAME_RE.match(name):
        raise ValueError(f"bad workload name {name!r}: letters, digits, '.', '_' or '-' only")
    pki = ensure_pki(pki_dir)
    ca = pki.ca
    sub = "clients"
    if untrusted:
        ca = CertPair(pki_dir / "untrusted" / "ca.pem", pki_dir / "untrusted" / "ca.key")
        if not ca.cert.exists():
            _make_ca(ca, "phi-guard UNTRUSTED dev CA")
        sub = "untrusted/clients"
    sid = uri or spiffe_id(name, namespace, trust_domain)
    variant = ("-expired" if expired else "") + (
        f"-{hashlib.sha256(uri.encode()).hexdigest()[:8]}" if uri else ""
    )
    variant += (
        ""
        if (namespace, trust_domain) == (DEFAULT_NAMESPACE, TRUST_DOMAIN)
        else f"-{namespace}-{trust_domain}"
    )
    out = CertPair(pki_dir / sub / f"{name}{variant}.pem", pki_dir / sub / f"{name}{variant}.key")
    if not (out.cert.exists() and out.key.exists()):
        start = _now() - dt.timedelta(days=3) if expired else None
        _issue(
            ca,
            out,
            name,
            [x509.UniformResourceIdentifier(sid)],
            server=False,
            days=2 if expired else 365,
            not_before=start,
        )
    return ClientCert(cert=out.cert, key=out.key, spiffe_id=sid)
