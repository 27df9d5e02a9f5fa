"""``phi-guard serve`` and ``phi-guard check-config``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from sidecar.config import ConfigError, Settings, load_settings


def load_or_exit(path: str | None) -> Settings:
    """Settings, or one clear line on stderr and exit status 2."""
    try:
        return load_settings(path)
    except ConfigError as exc:
        print(f"phi-guard: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _serve(args: argparse.Namespace) -> int:
    settings = load_or_exit(args.config)
    # structlog imports rich (~3 MB resident) for its console tracebacks; the guard formats exceptions itself
    # (format_exc_info) before any renderer, so the guard process goes without it.
    sys.modules.setdefault("rich", None)  # type: ignore[arg-type]
    from sidecar.server.app import serve

    try:
        asyncio.run(serve(settings))
    except Exception as exc:  # start-up failures: one line, no stack trace with possible secrets in it
        print(f"phi-guard: cannot start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def _summary(settings: Settings) -> dict[str, Any]:
    s = settings
    return {
        "grpc": s.server.grpc_uds or f"{s.server.grpc_host}:{s.server.grpc_port}",
        "admin": f"{s.server.admin_host}:{s.server.admin_port}",
        "issuers": [i.issuer for i in s.identity.issuers if i.enabled],
        "mtls_trust_domains": s.identity.mtls.trust_domains if s.identity.mtls.enabled else [],
        "policy": {"engine": s.policy.engine, "directory": s.policy.directory, "entrypoint": s.policy.decision_path},
        "redaction_default_profile": s.redaction.default_profile,
        "audit": {"spool_dir": s.audit.spool_dir, "s3_endpoint": s.audit.s3_endpoint, "bucket": s.audit.bucket,
                  "retention_days": s.audit.retention_days, "key_provider": s.audit.key_provider},
        "approvals": s.approvals.enabled,
        "upstreams": [u.name for u in s.upstreams],
    }


def _check_config(args: argparse.Namespace) -> int:
    settings = load_or_exit(args.file or args.config)
    print(json.dumps({"valid": True, "would_run": _summary(settings)}, indent=2))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the guard (ext_authz + ext_proc + health gRPC; metrics/readiness HTTP)")
    p.set_defaults(handler=_serve)
    p = sub.add_parser("check-config", help="validate a configuration file and print what would run")
    p.add_argument("file", nargs="?", help="configuration file (default: --config)")
    p.set_defaults(handler=_check_config)
