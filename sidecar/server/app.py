"""Server wiring: the only place that knows every stage. Builds them from :class:`Settings`, serves gRPC
(ext_authz, ext_proc, health) and HTTP (metrics, readiness, approvals API), and shuts down gracefully."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import os
import secrets
import signal
import sys
from pathlib import Path
from typing import Any

import grpc
from aiohttp import web
from envoy.service.accesslog.v3 import als_pb2_grpc as als_grpc
from envoy.service.auth.v3 import external_auth_pb2_grpc as authz_grpc
from envoy.service.ext_proc.v3 import external_processor_pb2_grpc as ep_grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from sidecar.approvals.service import ApprovalService
from sidecar.config import Settings
from sidecar.edge.request_guard import RequestEdge
from sidecar.edge.response_headers import ResponseHeaderFilter, engine_scanner
from sidecar.observability.logging import configure_logging, get_logger
from sidecar.observability.memory import limit_malloc_arenas, release_free_heap
from sidecar.observability.metrics import Metrics
from sidecar.policy.service import PolicyReload
from sidecar.protocol import REDACTION_PROFILE_HEADER
from sidecar.server.auditing import AuditRecorder
from sidecar.server.authz_service import AuthorizationService, AuthzDeps
from sidecar.server.budget import ByteBudget
from sidecar.server.envoy_replies import EnvoyReplyAuditor
from sidecar.server.ext_proc_service import ExternalProcessorService, ExtProcDeps
from sidecar.server.http_app import build_http_app

SERVICES = ("envoy.service.auth.v3.Authorization", "envoy.service.ext_proc.v3.ExternalProcessor", "")


def _boto3_session() -> Any:
    from sidecar.server.boto_session import guard_boto3_session

    return guard_boto3_session()


def _read_or_create_key(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        return key


class GuardServer:
    """Owns every stage object for one guard process."""

    def __init__(self, settings: Settings) -> None:
        from sidecar.audit.log import AuditLog
        from sidecar.identity.resolver import IdentityResolver
        from sidecar.identity.upstream_credentials import UpstreamCredentials
        from sidecar.policy.service import PolicyService
        from sidecar.redaction.engine import RedactionEngine

        self.settings = settings
        self.state_dir = Path(settings.state_dir)
        self.log = get_logger("phi_guard")
        self.metrics = Metrics()
        m = self.metrics
        self.identity = IdentityResolver(
            settings.identity, on_jwks_fetch=lambda iss, ok: m.jwks_fetches.labels("ok" if ok else "error").inc()
        )
        # One boto3 session for every S3 client of the process (audit shipping, approvals): botocore's S3
        # model is then loaded once.
        self.s3_session = _boto3_session() if settings.audit.bucket else None
        self.audit_log = AuditLog(settings.audit, self.state_dir, s3_session=self.s3_session)
        self.audit = AuditRecorder(self.audit_log, m, self.log, self.audit_log.spool_dir)
        self.policy = PolicyService(settings.policy, on_reload=self._on_policy_reload)
        key_file = settings.redaction.pseudonym_key_file or str(self.state_dir / "keys" / "pseudonym.key")
        self.redaction = RedactionEngine(settings.redaction, _read_or_create_key(Path(key_file)))
        self.credentials = UpstreamCredentials(settings.upstreams)
        self.identity_key = secrets.token_bytes(32)
        self.approvals: ApprovalService | None = None
        self.health = health.HealthServicer()
        self.grpc_server: grpc.aio.Server | None = None
        self.http_runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ship_failures_seen = 0
        self._pending_reloads: set[concurrent.futures.Future[None] | asyncio.Future[None]] = set()

    # --- lifecycle ------------------------------------------------------------------------------------------

    async def start(self) -> None:
        s = self.settings
        self._loop = asyncio.get_running_loop()
        await self.audit_log.start()
        # Validation runs the policy's tests in a subprocess: off the loop (the reload event is scheduled back).
        await asyncio.to_thread(self.policy.start)
        await self.identity.start()
        self.approvals = await self._build_approvals()
        authz = AuthorizationService(AuthzDeps(
            identity=self.identity, policy=self.policy, approvals=self.approvals, audit=self.audit,
            credentials=self.credentials, metrics=self.metrics, log=self.log,
            identity_key=self.identity_key, upstream_names=tuple(u.name for u in s.upstreams),
            timezone=s.policy.timezone,
            request_edge=RequestEdge(s.edge.request_headers, self.redaction),
        ))
        proc = ExternalProcessorService(ExtProcDeps(
            redaction=self.redaction, audit=self.audit, metrics=self.metrics,
            log=self.log, max_audit_body_bytes=s.redaction.max_buffered_body_bytes,
            budget=ByteBudget(s.server.max_inflight_body_bytes),
            response_headers=ResponseHeaderFilter(s.edge.response_headers, engine_scanner(self.redaction),
                                                  keep=[REDACTION_PROFILE_HEADER]),
        ))
        server = grpc.aio.server(options=[
            ("grpc.max_concurrent_streams", s.server.max_concurrent_streams),
            ("grpc.max_receive_message_length", 16 * 1024 * 1024),
            ("grpc.keepalive_permit_without_calls", 1),
        ])
        authz_grpc.add_AuthorizationServicer_to_server(authz, server)
        ep_grpc.add_ExternalProcessorServicer_to_server(proc, server)
        # Envoy's own refusals (its access log, filtered to them): one audit event each
        als_grpc.add_AccessLogServiceServicer_to_server(EnvoyReplyAuditor(self.audit, self.log), server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, server)
        address = f"unix:{s.server.grpc_uds}" if s.server.grpc_uds else f"{s.server.grpc_host}:{s.server.grpc_port}"
        server.add_insecure_port(address)
        await server.start()
        self.grpc_server = server

        routes = []
        if self.approvals is not None:
            from sidecar.approvals.http_api import routes as approval_routes

            routes.append(approval_routes(self.approvals, self.identity_key))
        app = build_http_app(self.metrics, self.readiness, routes)
        self.http_runner = web.AppRunner(app, access_log=None)
        await self.http_runner.setup()
        await web.TCPSite(self.http_runner, s.server.admin_host, s.server.admin_port).start()
        self._update_health()
        # Start-up objects (detector tables, compiled policy, protobuf and botocore models) live as long as the
        # process: collect once, then keep them out of every later collection, so a full collection on the
        # request path walks only what requests allocated (p99: no multi-ms pauses over the whole heap).
        gc.collect()
        gc.freeze()
        release_free_heap()  # start-up (hyperscan and Rego compiles, botocore models) leaves freed heap behind
        self.log.info("started", grpc=address, admin=f"{s.server.admin_host}:{s.server.admin_port}",
                      policy_version=self.policy.version)

    async def _build_approvals(self) -> ApprovalService | None:
        s = self.settings
        if not s.approvals.enabled or not s.audit.bucket:
            return None
        from sidecar.audit.shipper import default_s3_client

        svc = ApprovalService(
            s.approvals, default_s3_client(s.audit.s3_endpoint, s.audit.s3_region, self.s3_session), s.audit.bucket,
            policy_query=self._approvals_query, record_event=self.audit.approval,
        )
        await svc.start()
        return svc

    async def _approvals_query(self, _path: str, input_doc: dict[str, Any]) -> Any:
        """The approvals policy (``policy.approvals_path``), queried off the event loop (the engine may be a
        remote OPA server)."""
        return await asyncio.to_thread(self.policy.query, self.settings.policy.approvals_path, input_doc)

    def readiness(self) -> dict[str, Any]:
        status = self.policy.status
        stats = self.audit_log.stats()
        checks = {
            "policy_loaded": status.loaded,
            "identity_keys": bool(self.identity.ready),
            "audit_spool_writable": self.audit.writable,
            "audit_backlog_ok": stats.get("backlog_ok", True),
            "not_stopping": not self._stopping.is_set(),
        }
        ready = all(checks.values())
        self.metrics.ready.set(1 if ready else 0)
        self.metrics.audit_spool_bytes.set(stats.get("spool_bytes", 0))
        self.metrics.audit_backlog.set(stats.get("backlog_segments", 0))
        self.metrics.audit_lag.set(stats.get("shipping_lag_seconds", 0))
        failures = int(stats.get("ship_failures", 0))
        if failures > self._ship_failures_seen:  # the audit log counts; the metric follows
            self.metrics.audit_ship_failures.inc(failures - self._ship_failures_seen)
            self._ship_failures_seen = failures
        return {"ready": ready, "checks": checks, "policy_version": self.policy.version,
                "policy_last_error": status.last_error}

    def _update_health(self) -> None:
        serving = self.readiness()["ready"]
        st = health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        for name in SERVICES:
            self.health.set(name, st)

    def _on_policy_reload(self, reload: PolicyReload) -> None:
        """Metrics, log and an audit event for every load attempt. Called on the loop (start-up) or from the
        worker thread that checks for reloads: the audit write is scheduled on the loop either way."""
        self.metrics.policy_reloads.labels("ok" if reload.ok else "error").inc()
        if reload.ok:
            self.metrics.policy_info.clear()
            self.metrics.policy_info.labels(reload.version).set(1)
            self.log.info("policy_reloaded", version=reload.version)
        else:
            self.log.error("policy_reload_refused", error=str(reload.error or ""))
        loop = self._loop
        if loop is None or loop.is_closed():
            self.log.error("policy_reload_not_audited", version=reload.version)
            return
        fut: concurrent.futures.Future[None] | asyncio.Future[None]
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            fut = loop.create_task(self.audit.policy_reload(reload))
        else:
            fut = asyncio.run_coroutine_threadsafe(self.audit.policy_reload(reload), loop)
        self._pending_reloads.add(fut)
        fut.add_done_callback(self._pending_reloads.discard)

    async def run_until_stopped(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stopping.set)
        reloader = asyncio.create_task(self._background())
        await self._stopping.wait()
        reloader.cancel()
        await self.stop()

    async def _background(self) -> None:
        """Policy hot reload and health refresh."""
        interval = self.settings.policy.reload_interval_seconds
        while True:
            await asyncio.sleep(interval)
            if self.settings.policy.reload:
                await asyncio.to_thread(self.policy.check_reload)
            self._update_health()
            await asyncio.to_thread(release_free_heap)  # ~3 ms; ctypes drops the GIL

    async def stop(self) -> None:
        """Stop accepting, let in-flight streams finish up to the grace period, then flush the audit spool."""
        self._stopping.set()
        for name in SERVICES:
            self.health.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
        grace = self.settings.server.shutdown_grace_seconds
        if self.grpc_server is not None:
            await self.grpc_server.stop(grace)
        if self.http_runner is not None:
            await self.http_runner.cleanup()
        if self.approvals is not None:
            await self.approvals.aclose()
        await self.identity.aclose()
        self.policy.aclose()
        if self._pending_reloads:
            await asyncio.gather(*(asyncio.wrap_future(f) if isinstance(f, concurrent.futures.Future) else f
                                   for f in list(self._pending_reloads)), return_exceptions=True)
        await self.audit_log.aclose()
        self.log.info("stopped")


async def serve(settings: Settings) -> None:
    limit_malloc_arenas()  # before the gRPC and worker threads exist
    sys.setswitchinterval(settings.server.gil_switch_interval_ms / 1000.0)
    configure_logging(settings.logging.level, settings.logging.json_logs)
    server = GuardServer(settings)
    await server.start()
    await server.run_until_stopped()
