"""Shared by the audit tests: the PHI the tests send, and a typical request event."""

from __future__ import annotations

import asyncio

from sidecar._generated.phi_guard.audit.v1 import audit_pb2
from sidecar.audit.events import request_event
from sidecar.audit.log import AuditLog
from sidecar.identity.model import Identity
from sidecar.policy.model import Decision, Reason

PHI = ("Jane Q. Doeberman", "MRN 84731922", "123-45-6789", "jane.doeberman@example.org")

IDENT = Identity(sub="dr-house", iss="https://idp.test", auth_method="jwt", roles=("clinician",))


def _event(i: int) -> audit_pb2.AuditEvent:
    body = (
        f'{{"model":"m","messages":[{{"role":"user","content":"patient {PHI[0]} {PHI[1]} #{i}"}}]}}'.encode()
    )
    return request_event(
        identity=IDENT,
        decision=Decision(allow=True, reasons=(Reason("ok"),), policy_version="v1", decision_id=f"d{i}"),
        request_id=f"req-{i}",
        client_address="10.0.0.7",
        method="POST",
        path="/v1/chat/completions",
        api="openai.chat",
        model="m",
        parameters={"temperature": 0.2},
        request_body=body,
        response_body=f"SSN {PHI[2]} mail {PHI[3]}".encode(),
        redaction_summary={"SSN": 1, "EMAIL": 1},
        status=200,
        latency_s=0.012,
        outcome="completed",
    )


async def _record_many(log: AuditLog, n: int, start: int = 0) -> list[str]:
    return list(await asyncio.gather(*(log.record(_event(i)) for i in range(start, start + n))))
