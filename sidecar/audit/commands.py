"""``phi-guard audit verify`` and ``phi-guard audit export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    audit = subparsers.add_parser("audit", help="verify or export the audit trail in S3")
    sub = audit.add_subparsers(dest="audit_command", metavar="ACTION")
    audit.set_defaults(handler=lambda args: (audit.print_help(), 2)[1])

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--endpoint", help="S3 endpoint URL (default: audit.s3_endpoint)")
        p.add_argument("--bucket", help="bucket (default: audit.bucket)")
        p.add_argument("--prefix", help="key prefix (default: audit.prefix)")

    v = sub.add_parser(
        "verify", help="check every chain, hash, MAC and Object Lock retention; exit 1 on findings"
    )
    common(v)
    v.add_argument(
        "--no-lock-check", action="store_true", help="skip the Object Lock checks (unlocked copies)"
    )
    v.set_defaults(handler=_verify, guard_state=True)

    e = sub.add_parser("export", help="decrypted events as JSON lines")
    common(e)
    e.add_argument("--since", help="ISO 8601 start (inclusive)")
    e.add_argument("--until", help="ISO 8601 end (exclusive)")
    e.add_argument("--subject", help="only events of this identity (sub)")
    e.add_argument("--output", "-o", help="file to write (default: stdout)")
    e.set_defaults(handler=_export, guard_state=True)


def _context(args: argparse.Namespace) -> tuple[Any, Any, str, str, Any]:
    from sidecar.audit.keys import load_keys
    from sidecar.audit.shipper import default_s3_client
    from sidecar.config import load_settings

    settings = load_settings(args.config)
    a = settings.audit
    endpoint = args.endpoint or a.s3_endpoint
    keys = load_keys(a, Path(settings.state_dir), create=False)
    client = default_s3_client(endpoint, a.s3_region)
    return a, client, args.bucket or a.bucket, args.prefix if args.prefix is not None else a.prefix, keys


def _verify(args: argparse.Namespace) -> int:
    from sidecar.audit.keys import AuditKeyError
    from sidecar.audit.verify import verify_bucket
    from sidecar.config import ConfigError

    try:
        a, client, bucket, prefix, keys = _context(args)
        report = verify_bucket(
            client, bucket, prefix, keys, retention_days=a.retention_days, check_lock=not args.no_lock_check
        )
    except (ConfigError, AuditKeyError) as exc:
        print(f"audit verify: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - S3 errors: one line, no traceback
        print(
            f"audit verify: cannot read s3://{args.bucket or ''}: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return 2
    print(f"bucket: s3://{bucket}/{prefix}")
    print(report.render())
    return 0 if report.ok else 1


def _export(args: argparse.Namespace) -> int:
    from sidecar.audit.export import export_events, parse_time
    from sidecar.audit.keys import AuditKeyError
    from sidecar.config import ConfigError

    try:
        since = parse_time(args.since) if args.since else None
        until = parse_time(args.until) if args.until else None
        _, client, bucket, prefix, keys = _context(args)
    except (ValueError, ConfigError, AuditKeyError) as exc:
        print(f"audit export: {exc}", file=sys.stderr)
        return 2
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        result = export_events(
            client, bucket, prefix, keys, out, since=since, until=until, subject=args.subject
        )
    except BrokenPipeError:  # the reader (head, less) went away
        return 0
    except Exception as exc:  # noqa: BLE001
        print(f"audit export: cannot read s3://{bucket}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    finally:
        if out is not sys.stdout:
            out.close()
    for p in result.problems:
        print(f"audit export: {p}", file=sys.stderr)
    print(f"audit export: {result.events} events from {result.segments} segments", file=sys.stderr)
    return 1 if result.problems else 0
