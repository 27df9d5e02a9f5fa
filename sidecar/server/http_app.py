"""The guard's HTTP side (aiohttp, same event loop as gRPC): /metrics, /healthz, /readyz and the approvals API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from sidecar.observability.metrics import Metrics


def build_http_app(
    metrics: Metrics, readiness: Callable[[], dict[str, Any]], extra_routes: list[Any]
) -> web.Application:
    """``readiness()`` returns ``{"ready": bool, "checks": {...}}``; 200 when ready, 503 otherwise."""
    app = web.Application(client_max_size=1024 * 1024)

    async def metrics_handler(_: web.Request) -> web.Response:
        return web.Response(body=metrics.render(), content_type="text/plain", charset="utf-8")

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(_: web.Request) -> web.Response:
        state = readiness()
        return web.json_response(state, status=200 if state["ready"] else 503)

    app.router.add_get("/metrics", metrics_handler)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    for routes in extra_routes:
        app.router.add_routes(routes)
    return app
