"""Every disclosure is recorded durably before it happens, with the real audit log behind the services:
``Check`` allows (and Envoy then sends the request upstream) only once the request half is fsynced; ``Process``
releases the answer's last bytes only once the response half is. The disk is slowed (30 ms per fsync) so an
acknowledgement that does not wait for its fsync is seen."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from google.rpc import code_pb2

from sidecar.audit.log import AuditLog
from sidecar.audit.settings import AuditSettings
from sidecar.observability.metrics import Metrics
from sidecar.server.auditing import AuditRecorder
from tests.audit.test_audit_pipelined_fsync import DiskModel
from tests.server.fakes import NullLog, authz_service, chat_body, check_request, ext_proc_service, processing_requests

SLOW_FSYNC_S = 0.03


def _durable_at_disclosure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bool, bool]:
    """(request half durable when Check allowed, response half durable when the last body reply left)."""
    disk = DiskModel(monkeypatch, sync_delay=SLOW_FSYNC_S)

    async def main() -> tuple[bool, bool]:
        log = AuditLog(AuditSettings(segment_max_events=1000, segment_max_seconds=60), tmp_path)
        await log.start()
        recorder = AuditRecorder(log, Metrics(), NullLog())
        await log.record(_warm_event())  # opens the segment, as on a serving guard
        while log._writer is None:  # noqa: SLF001 - (the control's record returns before it is open)
            await asyncio.sleep(0.01)
        authz, _ = authz_service(audit=recorder)
        resp = await authz.Check(check_request(chat_body()), None)
        assert resp.status.code == code_pb2.OK
        request_durable = disk.is_durable(log, log._next_seq - 1)  # noqa: SLF001 - the event Check just wrote

        proc, _ = ext_proc_service(audit=recorder)
        msgs = processing_requests(resp.dynamic_metadata, [b"first part ", b"last part"])

        async def gen() -> AsyncIterator[Any]:
            for m in msgs:
                yield m

        response_durable = False
        async for reply in proc.Process(gen(), None):  # type: ignore[arg-type]
            if reply.HasField("response_body") and b"last" in reply.response_body.response.body_mutation.body:
                response_durable = disk.is_durable(log, log._next_seq - 1)  # noqa: SLF001
        await log.aclose()
        return request_durable, response_durable

    return asyncio.run(main())


def _warm_event() -> Any:
    from tests.audit.helpers import _event

    return _event(0)


def test_each_half_is_durable_before_its_disclosure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _durable_at_disclosure(tmp_path, monkeypatch) == (True, True)


def test_control_acknowledging_before_the_fsync_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle fails when ``record`` returns once the event is queued (its fsync still to come)."""
    real = AuditLog.record
    pending: set[asyncio.Task[Any]] = set()

    async def queued_only(self: AuditLog, event: Any) -> str:
        task = asyncio.get_running_loop().create_task(real(self, event))
        pending.add(task)
        await asyncio.sleep(0)  # chained and queued, not yet durable
        return str(event.event_id)

    monkeypatch.setattr(AuditLog, "record", queued_only)
    assert _durable_at_disclosure(tmp_path, monkeypatch) == (False, False)
