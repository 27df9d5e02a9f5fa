"""Fixtures for the injection webhook tests: the chart-rendered sidecar config, a test CA, Kubernetes
schemas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from devstack.certs import CertPair, ensure_pki, issue_server_cert
from sidecar.webhook.config import InjectionConfig, load_injection_config

HERE = Path(__file__).parent
SIDECAR_FIXTURE = HERE / "fixtures" / "sidecar.yaml"
KUBE_VERSIONS = ("1.29", "1.33", "1.35")


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


def make_server_cert(directory: Path, ca: CertPair, stem: str = "server") -> TlsPair:
    """A fresh serving certificate for localhost/127.0.0.1 signed by ``ca``, as ``<stem>.pem``/``.key``."""
    out = issue_server_cert(ca, CertPair(directory / f"{stem}.pem", directory / f"{stem}.key"), days=1)
    return TlsPair(ca.cert, out.cert, out.key)


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CertPair]:
    """A directory for the webhook's certificates and the test CA (the dev PKI's, created there)."""
    directory = tmp_path_factory.mktemp("webhook-pki")
    return directory, ensure_pki(directory).ca
