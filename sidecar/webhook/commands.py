"""``phi-guard webhook``: the sidecar-injection admission webhook (HTTPS); ``phi-guard app-probes``: the probe
forwarder an injected pod runs for the kubelet."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import ssl
import sys
from pathlib import Path
from typing import Any


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


def _webhook(args: argparse.Namespace) -> int:
    from sidecar.observability.logging import configure_logging
    from sidecar.webhook.certs import CertError
    from sidecar.webhook.cluster import InClusterReader, ObjectCheckError, ObjectReader
    from sidecar.webhook.config import InjectionConfigError, load_injection_config
    from sidecar.webhook.server import SelfIssued, run_webhook

    configure_logging(args.log_level)
    try:
        cfg = load_injection_config(args.sidecar_config)
    except InjectionConfigError as exc:
        print(f"phi-guard: {exc}", file=sys.stderr)
        return 2
    issue: SelfIssued | None = None
    if args.tls_ca_key:
        if not args.tls_ca_cert or not args.tls_dns_names:
            print("phi-guard: --tls-ca-key needs --tls-ca-cert and --tls-dns-names", file=sys.stderr)
            return 2
        names = tuple(n.strip() for n in args.tls_dns_names.split(",") if n.strip())
        issue = SelfIssued(Path(args.tls_ca_cert), Path(args.tls_ca_key), names, args.leaf_days)
    elif not (args.tls_cert and args.tls_key):
        print("phi-guard: give --tls-cert and --tls-key, or --tls-ca-cert/--tls-ca-key", file=sys.stderr)
        return 2
    reader: ObjectReader | None = None
    if cfg.check_objects:
        try:
            reader = InClusterReader.from_environ(os.environ)
        except ObjectCheckError as exc:
            # Fail closed: without API access every injection would be refused; say so at start-up.
            print(f"phi-guard: object checks are on (checkObjects) but {exc}", file=sys.stderr)
            return 2

    async def main() -> None:
        await run_webhook(
            cfg,
            args.host,
            args.port,
            args.tls_cert,
            args.tls_key,
            _stop_event(),
            args.cert_reload_seconds,
            reader=reader,
            issue=issue,
        )

    try:
        asyncio.run(main())
    except (OSError, ssl.SSLError, CertError) as exc:
        print(f"phi-guard: webhook cannot start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def _app_probes(args: argparse.Namespace) -> int:
    from sidecar.webhook.app_probes import ProbersError, load_probers, serve_probes

    try:
        probers = load_probers(os.environ)
    except ProbersError as exc:
        print(f"phi-guard: {exc}", file=sys.stderr)
        return 2

    async def main() -> None:
        await serve_probes(probers, args.host, args.port, _stop_event())

    try:
        asyncio.run(main())
    except OSError as exc:
        print(f"phi-guard: app-probes cannot start: {exc}", file=sys.stderr)
        return 1
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("webhook", help="serve the sidecar-injection admission webhook (AdmissionReview v1, TLS)")
    p.add_argument("--tls-cert", help="PEM certificate chain served to the API server (reloaded when rotated)")
    p.add_argument("--tls-key", help="PEM private key")
    p.add_argument("--tls-ca-cert", help="CA certificate: issue and renew the serving certificate from it")
    p.add_argument("--tls-ca-key", help="CA private key (with --tls-ca-cert)")
    p.add_argument("--tls-dns-names", help="comma-separated DNS names of the issued certificate")
    p.add_argument("--leaf-days", type=float, default=30.0, help="lifetime of an issued certificate (renewed at 2/3)")
    p.add_argument("--port", type=int, default=8443)
    p.add_argument("--host", default="0.0.0.0", help="listen address (default: all, as the API server must reach it)")
    p.add_argument("--sidecar-config", required=True, help="sidecar spec rendered by the Helm chart (sidecar.yaml)")
    p.add_argument("--cert-reload-seconds", type=float, default=30.0, help="how often to look for a rotated cert")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.set_defaults(handler=_webhook)

    probes = sub.add_parser(
        "app-probes", help="forward the kubelet's rewritten probes to the app on 127.0.0.1 (injected pods)"
    )
    probes.add_argument("--port", type=int, default=15020)
    probes.add_argument("--host", default="0.0.0.0", help="listen address (the kubelet probes the pod IP)")
    probes.set_defaults(handler=_app_probes)
