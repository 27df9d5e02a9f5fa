"""The guard configuration the local stack writes (YAML for :mod:`sidecar.config`), validated before use."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from devstack.certs import TRUST_DOMAIN
from devstack.dev_issuer import DEFAULT_AUDIENCE
from sidecar.audit.settings import AuditSettings
from sidecar.config import deep_merge, load_settings

UPSTREAM_NAME = "demo"


def repo_policy_dir() -> Path:
    """The shipped policy set (``opa/`` at the repository root)."""
    return Path(__file__).resolve().parents[1] / "opa"


def guard_config(
    *,
    state_dir: Path,
    grpc_port: int,
    admin_port: int,
    issuer: str,
    s3_endpoint: str | None,
    bucket: str,
    upstream_url: str,
    credential_file: Path,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The stack's guard settings as a plain document; ``overrides`` are merged in last (tests use them)."""
    sd = state_dir.resolve()
    doc: dict[str, Any] = {
        "state_dir": str(sd),
        "server": {
            "grpc_host": "127.0.0.1",
            "grpc_port": grpc_port,
            "admin_host": "127.0.0.1",
            "admin_port": admin_port,
            "shutdown_grace_seconds": 5,
        },
        "identity": {
            "issuers": [{"issuer": issuer, "audiences": [DEFAULT_AUDIENCE]}],
            "mtls": {
                "enabled": True,
                "trust_domains": [TRUST_DOMAIN],
                "roles": {f"spiffe://{TRUST_DOMAIN}/ns/agents/sa/": ["agent"]},
            },
            # dev stack: a token signed by a freshly rotated key is accepted within a second
            "jwks_min_refresh_interval_seconds": 1.0,
        },
        "policy": {"directory": str(repo_policy_dir())},
        "audit": {
            "spool_dir": str(sd / "spool"),
            "s3_endpoint": s3_endpoint,
            "bucket": bucket,
            "key_file": str(sd / "keys" / "audit-kek.key"),
            "mac_key_file": str(sd / "keys" / "audit-mac.key"),
            "retention_days": AuditSettings().retention_days,
        },
        "redaction": {"pseudonym_key_file": str(sd / "keys" / "pseudonym.key")},
        "upstreams": [{"name": UPSTREAM_NAME, "url": upstream_url, "credential_file": str(credential_file)}],
        "logging": {"level": "info", "json": True},
    }
    return deep_merge(doc, overrides or {})


def write_guard_config(doc: dict[str, Any], path: Path) -> Path:
    """Write the YAML and validate it with the guard's own loader (raises ConfigError naming the bad key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    load_settings(path, environ={})
    return path
