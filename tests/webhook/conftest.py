"""Fixtures for the injection webhook tests: the chart-rendered sidecar config, a test CA, Kubernetes
schemas."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sidecar.webhook.config import InjectionConfig, load_injection_config

HERE = Path(__file__).parent
SIDECAR_FIXTURE = HERE / "fixtures" / "sidecar.yaml"
KUBE_VERSIONS = ("1.29", "1.33")


def validate_k8s(obj: dict[str, Any]) -> None:
    """Strict schema validation for every supported Kubernetes version (unknown kinds raise too)."""
    for version in KUBE_VERSIONS:
        kubernetes_validate.validate(obj, version, strict=True)


@pytest.fixture(scope="session")
def injection_config() -> InjectionConfig:
    return load_injection_config(SIDECAR_FIXTURE)


@dataclass(frozen=True)
class TlsPair:
    ca: Path
    cert: Path
    key: Path


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_server_cert(
    directory: Path, ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, stem: str = "server"
) -> TlsPair:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("phi-guard-webhook.test.svc"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{stem}.pem", directory / f"{stem}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return TlsPair(directory / "ca.pem", cert_path, key_path)


@pytest.fixture(scope="session")
def test_ca(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, ec.EllipticCurvePrivateKey, x509.Certificate]:
    directory = tmp_path_factory.mktemp("webhook-pki")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("test webhook CA"))
        .issuer_name(_name("test webhook CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
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
        .sign(key, hashes.SHA256())
    )
    (directory / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return directory, key, cert


@pytest.fixture(scope="session")
def server_tls(test_ca: tuple[Path, ec.EllipticCurvePrivateKey, x509.Certificate]) -> TlsPair:
    directory, key, cert = test_ca
    return make_server_cert(directory, key, cert)
