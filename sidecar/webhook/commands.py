"""``phi-guard webhook``: the sidecar-injection admission webhook (HTTPS)."""

from __future__ import annotations

import argparse
import asyncio
import signal
import ssl
import sys
from typing import Any


def _webhook(args: argparse.Namespace) -> int:
    from sidecar.observability.logging import configure_logging
    from sidecar.webhook.config import InjectionConfigError, load_injection_config
    from sidecar.webhook.server import run_webhook

    configure_logging(args.log_level)
    try:
        cfg = load_injection_config(args.sidecar_config)
    except InjectionConfigError as exc:
        print(f"phi-guard: {exc}", file=sys.stderr)
        return 2

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await run_webhook(
            cfg, args.host, args.port, args.tls_cert, args.tls_key, stop, args.cert_reload_seconds
        )

    try:
        asyncio.run(main())
    except (OSError, ssl.SSLError) as exc:
        print(f"phi-guard: webhook cannot start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "webhook", help="serve the sidecar-injection admission webhook (AdmissionReview v1, TLS)"
    )
    p.add_argument("--tls-cert", required=True, help="PEM certificate chain served to the API server")
    p.add_argument("--tls-key", required=True, help="PEM private key")
    p.add_argument("--port", type=int, default=8443)
    p.add_argument(
        "--host", default="0.0.0.0", help="listen address (default: all, as the API server must reach it)"
    )
    p.add_argument(
        "--sidecar-config", required=True, help="sidecar spec rendered by the Helm chart (sidecar.yaml)"
    )
    p.add_argument(
        "--cert-reload-seconds", type=float, default=30.0, help="how often to look for a rotated cert"
    )
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.set_defaults(handler=_webhook)
