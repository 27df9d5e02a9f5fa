"""The admission webhook's HTTPS server (aiohttp): ``POST /mutate`` (AdmissionReview v1 -> JSONPatch),
``GET /healthz``.

Malformed reviews get 400 and nothing else happens. A pod that should be guarded but cannot be is denied (the
API server reports the message); an internal error is also a denial (fail closed). Logs carry the review uid,
namespace and outcome only.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import ssl
from pathlib import Path
from typing import Any

from aiohttp import web

from sidecar.observability.logging import get_logger
from sidecar.webhook.config import InjectionConfig
from sidecar.webhook.injection import InjectionRefused, mutate_pod

ADMISSION_API = "admission.k8s.io/v1"
MAX_REVIEW_BYTES = 8 * 1024 * 1024
CONFIG_KEY: web.AppKey[InjectionConfig] = web.AppKey("injection_config", InjectionConfig)


class BadReview(ValueError):
    """The request body is not an AdmissionReview v1 request."""


def parse_review(raw: bytes) -> dict[str, Any]:
    """The ``request`` of an AdmissionReview v1, or :class:`BadReview` naming what is wrong (never the
    content)."""
    try:
        review = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadReview("body is not JSON") from None
    if not isinstance(review, dict):
        raise BadReview("body is not a JSON object")
    if review.get("apiVersion") != ADMISSION_API or review.get("kind") != "AdmissionReview":
        raise BadReview(f"expected apiVersion {ADMISSION_API} kind AdmissionReview")
    request = review.get("request")
    if not isinstance(request, dict):
        raise BadReview("missing request")
    uid = request.get("uid")
    if not isinstance(uid, str) or not uid:
        raise BadReview("missing request.uid")
    kind = request.get("kind")
    if not isinstance(kind, dict) or not isinstance(kind.get("kind"), str):
        raise BadReview("missing request.kind")
    if (
        request.get("operation") in ("CREATE", None)
        and kind.get("kind") == "Pod"
        and not isinstance(request.get("object"), dict)
    ):
        raise BadReview("missing request.object")
    return request


def review_response(
    uid: str,
    *,
    allowed: bool = True,
    patch: list[dict[str, Any]] | None = None,
    code: int | None = None,
    message: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    response: dict[str, Any] = {"uid": uid, "allowed": allowed}
    if patch:
        response["patchType"] = "JSONPatch"
        response["patch"] = base64.b64encode(json.dumps(patch, separators=(",", ":")).encode()).decode()
    if code is not None:
        response["status"] = {"code": code, "message": message or "", "reason": reason or ""}
    return {"apiVersion": ADMISSION_API, "kind": "AdmissionReview", "response": response}


def review(request: dict[str, Any], cfg: InjectionConfig) -> tuple[dict[str, Any], str]:
    """The AdmissionReview answer for a parsed request, and the outcome to log."""
    uid = request["uid"]
    kind = request["kind"]
    if (
        kind.get("group", "") != ""
        or kind.get("kind") != "Pod"
        or request.get("operation", "CREATE") != "CREATE"
    ):
        return review_response(uid), "ignored"
    namespace = (
        request.get("namespace") or (request["object"].get("metadata") or {}).get("namespace") or "default"
    )
    try:
        mutation = mutate_pod(request["object"], str(namespace), cfg)
    except InjectionRefused as exc:
        return review_response(
            uid,
            allowed=False,
            code=403,
            reason=exc.code,
            message=f"phi-guard sidecar injection refused: {exc}",
        ), f"refused:{exc.code}"
    return review_response(uid, patch=mutation.patch), mutation.reason


def build_app(cfg: InjectionConfig) -> web.Application:
    """The webhook's routes, serving ``cfg``."""
    log = get_logger("phi_guard.webhook")
    app = web.Application(client_max_size=MAX_REVIEW_BYTES)
    app[CONFIG_KEY] = cfg

    async def mutate(req: web.Request) -> web.Response:
        try:
            request = parse_review(await req.read())
        except BadReview as exc:
            log.warning("admission_bad_request", error=str(exc))
            return web.json_response({"error": "bad_request", "message": str(exc)}, status=400)
        try:
            answer, outcome = review(request, req.app[CONFIG_KEY])
        except Exception as exc:  # fail closed: deny rather than admit an unguarded pod
            log.error("admission_error", uid=request["uid"], error=type(exc).__name__)
            answer, outcome = (
                review_response(
                    request["uid"],
                    allowed=False,
                    code=500,
                    reason="internal_error",
                    message="phi-guard sidecar injector failed",
                ),
                "error",
            )
        log.info("admission", uid=request["uid"], namespace=request.get("namespace"), outcome=outcome)
        return web.json_response(answer)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_post("/mutate", mutate)
    app.router.add_get("/healthz", healthz)
    return app


class CertReloader:
    """Keeps a server SSL context's certificate current (cert-manager rotates the Secret under us)."""

    def __init__(self, cert: str | Path, key: str | Path) -> None:
        self.cert, self.key = Path(cert), Path(key)
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_2
        self._stamp: tuple[int, ...] | None = None
        self.reload_if_changed()

    def _current(self) -> tuple[int, ...]:
        a, b = os.stat(self.cert), os.stat(self.key)
        return (a.st_mtime_ns, a.st_size, a.st_ino, b.st_mtime_ns, b.st_size, b.st_ino)

    def reload_if_changed(self) -> bool:
        """Load the pair when it changed; True if loaded. A half-written pair keeps the old one (retried
        later)."""
        stamp = self._current()
        if stamp == self._stamp:
            return False
        try:
            self.context.load_cert_chain(self.cert, self.key)
        except ssl.SSLError:
            if self._stamp is None:
                raise
            return False
        self._stamp = stamp
        return True


async def run_webhook(
    cfg: InjectionConfig,
    host: str,
    port: int,
    cert: str | Path,
    key: str | Path,
    stop: asyncio.Event,
    reload_interval: float = 30.0,
) -> None:
    """Serve until ``stop`` is set. Raises ``ssl.SSLError``/``OSError`` at start-up on a bad pair or port."""
    log = get_logger("phi_guard.webhook")
    tls = CertReloader(cert, key)
    runner = web.AppRunner(build_app(cfg), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port, ssl_context=tls.context).start()
    log.info("webhook_started", host=host, port=port, containers=len(cfg.containers), revision=cfg.revision)

    async def watch_certs() -> None:
        while True:
            await asyncio.sleep(reload_interval)
            with contextlib.suppress(OSError):
                if tls.reload_if_changed():
                    log.info("webhook_certificate_reloaded")

    watcher = asyncio.create_task(watch_certs())
    try:
        await stop.wait()
    finally:
        watcher.cancel()
        await runner.cleanup()
        log.info("webhook_stopped")
