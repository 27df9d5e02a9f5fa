"""The audit recorder's metrics (looked up once, not per event) count each event under its kind and time each
wait until durable, in the server's own registry."""

from __future__ import annotations

import asyncio
from typing import Any

from sidecar.audit.events import request_event
from sidecar.observability.metrics import Metrics
from sidecar.server.auditing import AuditRecorder
from tests.server.fakes import NullLog


class _Log:
    writable = True

    def __init__(self) -> None:
        self.events: list[Any] = []

    async def record(self, event: Any) -> str:
        self.events.append(event)
        return event.event_id


def _sample(m: Metrics, name: str, labels: dict[str, str]) -> float:
    value = m.registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


def test_each_event_is_counted_under_its_kind_and_timed() -> None:
    m, log = Metrics(), _Log()
    recorder = AuditRecorder(log, m, NullLog())  # type: ignore[arg-type]

    async def main() -> None:
        for kind in ("denied", "allowed", "denied", "response"):
            await recorder._record(kind, request_event(outcome=kind))  # noqa: SLF001

    asyncio.run(main())
    assert len(log.events) == 4
    counts = {k: _sample(m, "phi_guard_audit_events_total", {"kind": k}) for k in ("denied", "allowed", "response")}
    assert counts == {"denied": 2.0, "allowed": 1.0, "response": 1.0}
    assert _sample(m, "phi_guard_stage_seconds_count", {"stage": "audit"}) == 4.0
    # Control: another server's registry saw none of it (the samples are this recorder's).
    assert _sample(Metrics(), "phi_guard_audit_events_total", {"kind": "denied"}) == 0.0
