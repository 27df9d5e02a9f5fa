"""Turns what the servicers know into audit events (via :mod:`sidecar.audit.events`) and records them.

``record`` returns once the event is durable in the local spool; if the spool cannot be written the
caller's request fails (fail closed).
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

from sidecar.identity.model import Identity
from sidecar.policy.model import Decision
from sidecar.request_view import RequestView
from sidecar.server.exchanges import Exchange


class AuditRecorder:
    def __init__(self, audit_log: Any, metrics: Any, log: Any, spool_dir: Path | None = None) -> None:
        self.log_ = audit_log
        self.metrics = metrics
        self.log = log
        self._spool_dir = spool_dir
        self._dir_ok = True
        self._dir_checked = 0.0
        self._background: set[asyncio.Task[Any]] = set()

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

    async def _record(self, kind: str, event: Any) -> None:
        await self.log_.record(event)
        self.metrics.audit_events.labels(kind).inc()

    async def denied(self, view: RequestView, identity: Identity | None, decision: Decision | None, ai: Any,
                     *, status: int, reason: str, latency_s: float, approval_ref: str = "") -> None:
        from sidecar.audit.events import request_event

        event = request_event(
            view=view, identity=identity, decision=decision, ai=ai, outcome=reason, status=status,
            latency_s=latency_s, approval_ref=approval_ref,
        )
        await self._record("denied", event)

    async def exchange(self, ex: Exchange, *, status: int, response_body: bytes, response_truncated: bool,
                       redaction_summary: dict[str, int], request_redactions: dict[str, int], complete: bool,
                       latency_s: float, response_headers_dropped: int = 0) -> None:
        from sidecar.audit.events import request_event

        event = request_event(
            view=ex.view, identity=ex.identity, decision=ex.decision, ai=ex.ai,
            outcome="completed" if complete else "incomplete", status=status, latency_s=latency_s,
            approval_ref=ex.approval_ref, break_glass_reason=ex.break_glass_reason,
            response_body=response_body, response_truncated=response_truncated,
            redaction_summary=redaction_summary, request_redactions=request_redactions,
            response_headers_dropped=response_headers_dropped,
        )
        await self._record("exchange", event)

    def expired_exchange(self, ex: Exchange) -> None:
        """An allowed request whose response never reached ext_proc: audited as such, in the background."""
        from sidecar.audit.events import request_event

        event = request_event(view=ex.view, identity=ex.identity, decision=ex.decision, ai=ex.ai,
                              outcome="no_response", status=0, latency_s=0.0, approval_ref=ex.approval_ref)
        task = asyncio.get_running_loop().create_task(self._record("no_response", event))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def approval(self, kind: str, approval: dict[str, Any]) -> None:
        from sidecar.audit.events import approval_event

        self.metrics.approvals.labels(kind).inc()
        await self._record("approval", approval_event(kind=kind, approval=approval))

    async def policy_reload(self, reload: Any) -> None:
        from sidecar.audit.events import policy_reload_event

        try:
            await self._record("policy_reload", policy_reload_event(reload=reload))
        except Exception:  # noqa: BLE001 - a reload is audited best-effort; requests fail closed on their own
            self.log.exception("audit_policy_reload_failed")
