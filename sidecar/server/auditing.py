"""Turns what the servicers know into audit events (via :mod:`sidecar.audit.events`) and records them.

Each exchange is two events joined by ``request_id``: the request half (``allowed``, written by ext_authz
before the request goes upstream: identity, decision, request body) and the response half (``completed`` /
``incomplete``, written by whichever replica's ext_proc saw the response: status, response body, redaction
counts, and the hand-off's decision ids). Refusals are one event. Each call returns once the event is durable
in the local spool; if it cannot be written the caller's request fails (fail closed).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sidecar import protocol as P
from sidecar.ai_request import AIRequest
from sidecar.audit.events import (
    AuditEvent,
    approval_event,
    envoy_reply_event,
    policy_reload_event,
    request_event,
    response_event,
)
from sidecar.audit.log import AuditLog
from sidecar.identity.model import Identity
from sidecar.observability.metrics import Metrics
from sidecar.policy.model import Decision
from sidecar.policy.service import PolicyReload
from sidecar.request_view import RequestView
from sidecar.server.envoy_replies import EnvoyReply
from sidecar.server.handoff import Handoff
from sidecar.server.stages import Log


class AuditRecorder:
    def __init__(self, audit_log: AuditLog, metrics: Metrics, log: Log, spool_dir: Path | None = None) -> None:
        self.log_ = audit_log
        self.metrics = metrics
        self.log = log
        self._spool_dir = spool_dir
        self._dir_ok = True
        self._dir_checked = 0.0
        self._background: set[asyncio.Task[Any]] = set()
        # The labelled metric children every event touches, looked up once (``labels()`` locks and hashes).
        self._audit_timer = metrics.stage_seconds.labels("audit")
        self._event_counters: dict[str, Any] = {}

    @property
    def writable(self) -> bool:
        """The audit log can take events now: its own state, plus the spool directory (checked at most
        every 0.5 s), so a read-only or vanished spool refuses requests before one fails mid-flight."""
        if not self.log_.writable:
            return False
        if self._spool_dir is not None:
            now = time.monotonic()
            if now - self._dir_checked > 0.5:
                self._dir_checked = now
                self._dir_ok = os.access(self._spool_dir, os.W_OK)
            return self._dir_ok
        return True

    async def _record(self, kind: str, event: AuditEvent) -> None:
        with self._audit_timer.time():  # the wait until the event is durable
            await self.log_.record(event)
        counter = self._event_counters.get(kind)
        if counter is None:  # kinds are the guard's own outcome codes: a small, fixed set
            counter = self._event_counters[kind] = self.metrics.audit_events.labels(kind)
        counter.inc()

    async def refused(self, view: RequestView, identity: Identity | None, decision: Decision | None,
                      ai: AIRequest | None, *, status: int, reason: str, latency_s: float,
                      approval_ref: str = "") -> None:
        """A request the guard answered itself (401/403/503...): ``outcome`` is the refusal code."""
        event = request_event(
            view=view, identity=identity, decision=decision, ai=ai, outcome=reason, status=status,
            latency_s=latency_s, approval_ref=approval_ref,
        )
        await self._record("denied", event)

    # Kept for callers on other branches that still say ``denied``.
    denied = refused

    async def allowed(self, view: RequestView, identity: Identity, decision: Decision | None,
                      ai: AIRequest | None, *, outcome: str, latency_s: float, approval_ref: str = "",
                      break_glass_reason: str = "") -> None:
        """The request half of an allowed exchange (or a guard-API call), before it goes upstream."""
        event = request_event(
            view=view, identity=identity, decision=decision, ai=ai, outcome=outcome, status=0,
            latency_s=latency_s, approval_ref=approval_ref, break_glass_reason=break_glass_reason,
        )
        await self._record(outcome, event)

    async def response(self, handoff: Handoff, *, status: int, response_body: bytes, response_truncated: bool,
                       redaction_summary: Mapping[str, int], request_redactions: Mapping[str, int],
                       profile: str, complete: bool, latency_s: float, response_headers_dropped: int = 0,
                       outcome: str = "") -> None:
        """The response half, from the hand-off alone (no state shared with the replica that ran Check).
        ``outcome``: a refusal code (``protocol.SCAN_BUDGET_EXCEEDED``) instead of completed / incomplete."""
        event = response_event(
            request_id=handoff.request_id, sub=handoff.sub, iss=handoff.iss,
            auth_method="mtls" if handoff.auth_method == "mtls" else "jwt", roles=handoff.roles,
            client_id=handoff.client_id, api=handoff.api, model=handoff.model, decision_id=handoff.decision_id,
            policy_version=handoff.policy_version, response_profile=profile, request_profile=handoff.request_profile,
            status=status, outcome=outcome or (P.OUTCOME_COMPLETED if complete else P.OUTCOME_INCOMPLETE),
            latency_s=latency_s, approval_ref=handoff.approval_ref, break_glass=handoff.break_glass,
            response_body=response_body, response_truncated=response_truncated,
            redaction_summary=redaction_summary, request_redactions=request_redactions,
            response_headers_dropped=response_headers_dropped,
        )
        await self._record("response", event)

    async def envoy_reply(self, reply: EnvoyReply) -> None:
        """A request Envoy answered or cut itself (its access log's entry): one event of its own kind."""
        event = envoy_reply_event(
            request_id=reply.request_id, outcome=reply.outcome, status=reply.status, response_flags=reply.flags,
            details=reply.details, route_name=reply.route_name, upstream_cluster=reply.upstream_cluster,
            termination_details=reply.termination_details, method=reply.method, path=reply.path,
            client_address=reply.client_address, identity=reply.identity, decision_id=reply.decision_id,
            policy_version=reply.policy_version, latency_s=reply.latency_s, at=reply.start_time,
        )
        await self._record("envoy_reply", event)

    async def approval(self, kind: str, approval: dict[str, Any]) -> None:
        self.metrics.approvals.labels(kind).inc()
        await self._record("approval", approval_event(kind=kind, approval=approval))

    async def policy_reload(self, reload: PolicyReload) -> None:
        """A policy reload, accepted or refused. Best effort: requests fail closed on their own."""
        try:
            await self._record("policy_reload", policy_reload_event(reload=reload))
        except Exception:  # noqa: BLE001
            self.log.exception("audit_policy_reload_failed")
