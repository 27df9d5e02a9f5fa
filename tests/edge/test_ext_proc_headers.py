"""The ext_proc service applies the response-header allowlist and puts the dropped count in the audit event."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from unittest.mock import MagicMock

from envoy.config.core.v3 import base_pb2
from envoy.service.ext_proc.v3 import external_processor_pb2 as ep
from google.protobuf import struct_pb2

from sidecar.audit.events import request_event
from sidecar.edge.response_headers import ResponseHeaderFilter, engine_scanner
from sidecar.edge.settings import DEFAULT_RESPONSE_HEADERS
from sidecar.redaction.engine import RedactionEngine
from sidecar.server.ext_proc_service import ExternalProcessorService, ExtProcDeps
from sidecar.server.handoff import Handoff


class FakeAudit:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def response(self, handoff: Any, **kw: Any) -> None:
        self.calls.append(kw)


def _headers(pairs: list[tuple[str, str]]) -> ep.HttpHeaders:
    hm = base_pb2.HeaderMap(headers=[base_pb2.HeaderValue(key=k, raw_value=v.encode()) for k, v in pairs])
    return ep.HttpHeaders(headers=hm)


def _run(engine: RedactionEngine, headers: list[tuple[str, str]],
         with_filter: bool = True) -> tuple[list[Any], FakeAudit]:
    audit = FakeAudit()
    handoff = Handoff(request_id="r1", decision_id="d1", response_profile="clinical", sub="s",
                      authorized_at=time.time())
    deps = ExtProcDeps(redaction=engine, audit=audit, metrics=MagicMock(), log=MagicMock(),  # type: ignore[arg-type]
                       response_headers=ResponseHeaderFilter(DEFAULT_RESPONSE_HEADERS, engine_scanner(engine))
                       if with_filter else None)
    md = struct_pb2.Struct()
    md.update(handoff.to_metadata())
    first = ep.ProcessingRequest(response_headers=_headers(headers))
    first.metadata_context.filter_metadata["envoy.filters.http.ext_authz"].CopyFrom(md)
    msgs = [first, ep.ProcessingRequest(response_body=ep.HttpBody(body=b'{"a": "ok"}', end_of_stream=True))]

    async def it() -> Any:
        for m in msgs:
            yield m

    async def collect() -> list[Any]:
        return [r async for r in ExternalProcessorService(deps).Process(it(), MagicMock())]

    return asyncio.run(collect()), audit


HOSTILE = [(":status", "200"), ("content-type", "application/json"), ("x-patient-name", "John Smith"),
           ("set-cookie", "a=1"), ("set-cookie", "b=2"), ("x-request-id", "req_1"), ("x-ms-note", "SSN 123-45-6789")]


def test_dropped_headers_are_removed_and_counted_in_the_audit_event(engine: RedactionEngine) -> None:
    replies, audit = _run(engine, HOSTILE)
    mutation = replies[0].response_headers.response.header_mutation
    assert {"x-patient-name", "set-cookie"} <= set(mutation.remove_headers)
    assert "x-request-id" not in mutation.remove_headers and "content-type" not in mutation.remove_headers
    assert "x-ms-note" in mutation.remove_headers  # an id-shaped provider header holding an SSN
    sets = {h.header.key: h.header.raw_value.decode() for h in mutation.set_headers}
    assert "123-45-6789" not in str(sets)
    assert audit.calls and audit.calls[0]["response_headers_dropped"] == 4
    ev = request_event(response_headers_dropped=4)
    assert ev.response.headers_dropped == 4


def test_control_without_the_filter_nothing_is_dropped(engine: RedactionEngine) -> None:
    replies, audit = _run(engine, HOSTILE, with_filter=False)
    mutation = replies[0].response_headers.response.header_mutation
    assert "x-patient-name" not in mutation.remove_headers  # the oracle sees a leak when there is one
    assert audit.calls[0]["response_headers_dropped"] == 0
