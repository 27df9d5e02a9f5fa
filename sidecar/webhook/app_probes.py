"""``phi-guard app-probes``: the kubelet-facing probe forwarder of an injected pod (see ``probes``).

``GET /app-health/<container>/<kind>`` repeats the original probe against 127.0.0.1 (HTTP(S) GET with the
original path and headers, or a TCP connect) and answers 200 when it succeeds (HTTP 200-399, as the kubelet
counts), 503 otherwise, 404 for a path that is no probe. Nothing of the app's answer is passed back, and no
other path is forwarded, so the port is no way around Envoy.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Mapping
from typing import Any

import aiohttp
from aiohttp import web

from sidecar.webhook.probes import PROBERS_ENV

PROBERS_KEY: web.AppKey[dict[str, dict[str, Any]]] = web.AppKey("probers", dict)
SESSION_KEY: web.AppKey[aiohttp.ClientSession] = web.AppKey("session", aiohttp.ClientSession)


class ProbersError(ValueError):
    """The probers document is missing or malformed."""


def load_probers(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    raw = environ.get(PROBERS_ENV)
    if not raw:
        raise ProbersError(f"{PROBERS_ENV} is not set")
    try:
        doc = json.loads(raw)
    except ValueError:
        raise ProbersError(f"{PROBERS_ENV} is not JSON") from None
    if not isinstance(doc, dict) or not all(
        isinstance(v, dict) and v.get("type") in ("http", "tcp") and isinstance(v.get("port"), int)
        for v in doc.values()
    ):
        raise ProbersError(f"{PROBERS_ENV} must map paths to probes with a type and a port")
    return doc


async def run_probe(probe: Mapping[str, Any], session: aiohttp.ClientSession, host: str = "127.0.0.1") -> bool:
    """True when the original probe succeeds against ``host``."""
    timeout = float(probe.get("timeoutSeconds") or 1)
    port = int(probe["port"])
    try:
        if probe["type"] == "tcp":
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return True
        scheme = "https" if probe.get("scheme") == "HTTPS" else "http"
        headers = {h["name"]: h["value"] for h in probe.get("httpHeaders") or []}
        path = str(probe.get("path") or "/")
        if not path.startswith("/"):
            path = "/" + path
        async with session.get(
            f"{scheme}://{host}:{port}{path}",
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout),
            allow_redirects=False,
            ssl=False,  # the kubelet does not verify the app's certificate either
        ) as resp:
            return 200 <= resp.status < 400
    except (TimeoutError, OSError, aiohttp.ClientError):
        return False


def build_probe_app(probers: dict[str, dict[str, Any]], host: str = "127.0.0.1") -> web.Application:
    app = web.Application()
    app[PROBERS_KEY] = probers

    async def on_startup(a: web.Application) -> None:
        a[SESSION_KEY] = aiohttp.ClientSession(auto_decompress=False)

    async def on_cleanup(a: web.Application) -> None:
        await a[SESSION_KEY].close()

    async def probe(req: web.Request) -> web.Response:
        spec = req.app[PROBERS_KEY].get(req.path)
        if spec is None:
            return web.Response(status=404, text="no such probe\n")
        ok = await run_probe(spec, req.app[SESSION_KEY], host)
        return web.Response(status=200 if ok else 503, text="ok\n" if ok else "failed\n")

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/app-health/{container}/{kind}", probe)
    return app


async def serve_probes(
    probers: dict[str, dict[str, Any]], host: str, port: int, stop: asyncio.Event, target: str = "127.0.0.1"
) -> None:
    runner = web.AppRunner(build_probe_app(probers, target), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
