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
import datetime as dt
import json
import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from sidecar.observability.logging import get_logger
from sidecar.webhook.certs import CertError, Leaf, issue_leaf, private_dir
from sidecar.webhook.cluster import ObjectCheckError, ObjectReader, missing_objects, required_objects
from sidecar.webhook.config import InjectionConfig
from sidecar.webhook.injection import InjectionRefused, mutate_pod

ADMISSION_API = "admission.k8s.io/v1"
MAX_REVIEW_BYTES = 8 * 1024 * 1024
CONFIG_KEY: web.AppKey[InjectionConfig] = web.AppKey("injection_config", InjectionConfig)
READER_KEY: web.AppKey[ObjectReader | None] = web.AppKey("object_reader")


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
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    response: dict[str, Any] = {"uid": uid, "allowed": allowed}
    if warnings:
        response["warnings"] = warnings
    if patch:
        response["patchType"] = "JSONPatch"
        response["patch"] = base64.b64encode(json.dumps(patch, separators=(",", ":")).encode()).decode()
    if code is not None:
        response["status"] = {"code": code, "message": message or "", "reason": reason or ""}
    return {"apiVersion": ADMISSION_API, "kind": "AdmissionReview", "response": response}


async def review(
    request: dict[str, Any], cfg: InjectionConfig, reader: ObjectReader | None = None
) -> tuple[dict[str, Any], str]:
    """The AdmissionReview answer for a parsed request, and the outcome to log. With ``cfg.check_objects`` a
    pod to inject is refused unless ``reader`` shows every ConfigMap and Secret the sidecar mounts exists in
    its namespace (no reader, or a reader that cannot tell, also refuses)."""
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

    def refuse(code: str, message: str) -> tuple[dict[str, Any], str]:
        return review_response(
            uid, allowed=False, code=403, reason=code, message=f"phi-guard sidecar injection refused: {message}"
        ), f"refused:{code}"

    try:
        mutation = mutate_pod(request["object"], str(namespace), cfg)
    except InjectionRefused as exc:
        return refuse(exc.code, str(exc))
    if mutation.injected and cfg.check_objects:
        required = required_objects(cfg.volumes)
        try:
            if reader is None:
                raise ObjectCheckError("the injector has no Kubernetes API access to check them")
            missing = await missing_objects(reader, str(namespace), required)
        except ObjectCheckError as exc:
            return refuse(
                "objects_unverified",
                f"cannot verify that namespace {namespace} has {', '.join(map(str, required))}: {exc}",
            )
        if missing:
            return refuse(
                "missing_objects",
                f"namespace {namespace} lacks {', '.join(map(str, missing))}, which the sidecar mounts (the pod "
                f"could never start): add the namespace to the chart's injection.namespaces for the ConfigMaps, "
                f"and create the Secrets (see the chart README)",
            )
    return review_response(uid, patch=mutation.patch, warnings=mutation.warnings), mutation.reason


def build_app(cfg: InjectionConfig, reader: ObjectReader | None = None) -> web.Application:
    """The webhook's routes, serving ``cfg``; ``reader`` checks the namespace's ConfigMaps and Secrets."""
    log = get_logger("phi_guard.webhook")
    app = web.Application(client_max_size=MAX_REVIEW_BYTES)
    app[CONFIG_KEY] = cfg
    app[READER_KEY] = reader

    async def mutate(req: web.Request) -> web.Response:
        try:
            request = parse_review(await req.read())
        except BadReview as exc:
            log.warning("admission_bad_request", error=str(exc))
            return web.json_response({"error": "bad_request", "message": str(exc)}, status=400)
        try:
            answer, outcome = await review(request, req.app[CONFIG_KEY], req.app[READER_KEY])
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


@dataclass(frozen=True)
class SelfIssued:
    """Helm mode: the webhook issues its own leaf from the chart's CA and renews it before it expires."""

    ca_cert: Path
    ca_key: Path
    dns_names: tuple[str, ...]
    days: float = 30.0


async def run_webhook(
    cfg: InjectionConfig,
    host: str,
    port: int,
    cert: str | Path | None,
    key: str | Path | None,
    stop: asyncio.Event,
    reload_interval: float = 30.0,
    reader: ObjectReader | None = None,
    issue: SelfIssued | None = None,
) -> None:
    """Serve until ``stop`` is set, with the certificate pair ``cert``/``key`` (reloaded when rotated on disk)
    or, with ``issue``, a leaf issued from the CA and renewed in place. Raises ``ssl.SSLError``/``OSError``/
    :class:`CertError` at start-up on a bad pair, CA or port."""
    log = get_logger("phi_guard.webhook")
    leaf: Leaf | None = None
    if issue is not None:
        leaf = issue_leaf(issue.ca_cert, issue.ca_key, issue.dns_names, private_dir(), issue.days)
        cert, key = leaf.cert, leaf.key
    if cert is None or key is None:
        raise CertError("no serving certificate: give --tls-cert/--tls-key or --tls-ca-cert/--tls-ca-key")
    tls = CertReloader(cert, key)
    runner = web.AppRunner(build_app(cfg, reader), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port, ssl_context=tls.context).start()
    log.info("webhook_started", host=host, port=port, containers=len(cfg.containers), revision=cfg.revision)

    async def watch_certs() -> None:
        nonlocal leaf
        while True:
            await asyncio.sleep(reload_interval)
            if issue is not None and leaf is not None and dt.datetime.now(dt.UTC) >= leaf.renew_at:
                try:
                    leaf = issue_leaf(issue.ca_cert, issue.ca_key, issue.dns_names, leaf.cert.parent, issue.days)
                    log.info("webhook_certificate_renewed", not_after=leaf.not_after.isoformat())
                except CertError as exc:  # keep serving the current leaf; retried next round
                    log.error("webhook_certificate_renewal_failed", error=str(exc))
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
