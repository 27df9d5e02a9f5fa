"""Envoy's access-log entries -> audit events (``sidecar/server/envoy_replies.py``): which entries are Envoy's own
refusals (kept) and which the guard decided and audited itself (dropped), what each event holds, and that no PHI
an entry carries (query string, referer, user agent, header values) reaches the event."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from envoy.data.accesslog.v3 import accesslog_pb2 as al
from envoy.service.accesslog.v3 import als_pb2
from google.protobuf import struct_pb2

from sidecar import protocol as P
from sidecar._generated.phi_guard.audit.v1 import audit_pb2
from sidecar.audit.log import AuditUnavailable
from sidecar.observability.metrics import Metrics
from sidecar.server.auditing import AuditRecorder
from sidecar.server.envoy_replies import EnvoyReply, EnvoyReplyAuditor, envoy_reply
from tests.server.fakes import NullLog

PHI = ("Okonkwo", "123-45-6789", "maria@example.org")


def entry(status: int | None, details: str, *flags: str, authz: dict[str, Any] | None = None,
          path: str = "/v1/chat/completions?patient=Okonkwo&ssn=123-45-6789") -> al.HTTPAccessLogEntry:
    e = al.HTTPAccessLogEntry()
    c = e.common_properties
    for f in flags:
        if f == "unauthorized_details":
            c.response_flags.unauthorized_details.SetInParent()
        else:
            setattr(c.response_flags, f, True)
    c.route_name = "model"
    c.upstream_cluster = "model"
    c.downstream_remote_address.socket_address.address = "10.1.2.3"
    c.start_time.FromSeconds(1_700_000_000)
    c.duration.FromMilliseconds(2003)
    if authz is not None:
        s = struct_pb2.Struct()
        s.update(authz)
        c.metadata.filter_metadata[P.EXT_AUTHZ_METADATA_NAMESPACE].CopyFrom(s)
    r = e.request
    r.request_method = al.HTTPRequestProperties.DESCRIPTOR.fields_by_name["request_method"].enum_type \
        .values_by_name["POST"].number
    r.path = path
    r.request_id = "rid-1"
    r.user_agent = f"agent {PHI[0]}"
    r.referer = f"https://ehr.example/patients/{PHI[1]}"
    r.request_headers["x-patient"] = PHI[2]
    if status is not None:
        e.response.response_code.value = status
    e.response.response_code_details = details
    return e


# Envoy's own answers: kept, with the outcome they get.
KEPT = {
    "ext_authz timed out (UAEX 503)": (entry(503, "ext_authz_error", "unauthorized_details"), P.OUTCOME_ENVOY_REFUSED,
                                       ("UAEX",)),
    "body over the buffer limit (413, no flag)": (entry(413, "request_payload_too_large"), P.OUTCOME_ENVOY_REFUSED,
                                                  ()),
    "no route (NR 404)": (entry(404, "route_not_found", "no_route_found"), P.OUTCOME_ENVOY_REFUSED, ("NR",)),
    "protocol error, no status yet (DPE)": (entry(None, "http1.codec_error", "downstream_protocol_error"),
                                            P.OUTCOME_ENVOY_REFUSED, ("DPE",)),
    "ext_proc timed out after Check allowed": (
        entry(503, "ext_proc_error_gRPC_error_4", authz={"sub": "dr.house", "denied": False}),
        P.OUTCOME_ENVOY_REFUSED, ()),
    "upstream unreachable (UF 503)": (entry(503, "upstream_reset_before_response_started{connection_failure}",
                                            "upstream_connection_failure"), P.OUTCOME_ENVOY_REFUSED, ("UF",)),
    "answer cut after a 200 (UR)": (entry(200, "via_upstream", "upstream_remote_reset"), P.OUTCOME_ENVOY_CUT,
                                    ("UR",)),
    "rate limited with its own 429 (RL)": (entry(429, "request_rate_limited", "rate_limited"),
                                           P.OUTCOME_ENVOY_REFUSED, ("RL",)),
}
# Answers the guard decided and audited itself, or nothing to report: dropped.
DROPPED = {
    "Check's own refusal (details)": entry(403, "ext_authz_denied", "unauthorized_details"),
    "Check's own refusal (metadata)": entry(401, "ext_authz_denied", authz={"denied": True, "request_id": "x"}),
    "ext_proc withheld the answer": entry(502, "phi_guard_withheld_RedactionError"),
    "upstream's own 500, through ext_proc": entry(500, "via_upstream"),
    "a plain 200": entry(200, "via_upstream"),
    "health check": entry(200, "direct_response"),
}


@pytest.mark.parametrize("name", list(KEPT))
def test_envoys_own_answers_are_kept(name: str) -> None:
    e, outcome, flags = KEPT[name]
    reply = envoy_reply(e)
    assert reply is not None
    assert (reply.outcome, reply.flags) == (outcome, flags)
    assert reply.request_id == "rid-1" and reply.details == e.response.response_code_details
    assert reply.path == "/v1/chat/completions" and reply.method == "POST"
    assert (reply.route_name, reply.upstream_cluster, reply.client_address) == ("model", "model", "10.1.2.3")
    assert reply.latency_s == pytest.approx(2.003)


@pytest.mark.parametrize("name", list(DROPPED))
def test_answers_the_guard_decided_are_dropped(name: str) -> None:
    assert envoy_reply(DROPPED[name]) is None


def test_identity_and_decision_come_from_ext_authz_metadata_when_check_got_that_far() -> None:
    e = entry(503, "upstream_reset_before_response_started{remote_reset}", "upstream_remote_reset", authz={
        "request_id": "rid-1", "sub": "dr.house", "iss": "https://issuer", "auth_method": "jwt",
        "roles": ["clinician"], "client_id": "app", "decision_id": "dec-9", "policy_version": "v7",
        "request_sha256": "ab" * 32})
    reply = envoy_reply(e)
    assert reply is not None
    assert dict(reply.identity) == {"sub": "dr.house", "iss": "https://issuer", "auth_method": "jwt",
                                    "roles": ["clinician"], "client_id": "app"}
    assert (reply.decision_id, reply.policy_version) == ("dec-9", "v7")


class _Spool:
    def __init__(self, fail: bool = False) -> None:
        self.events: list[Any] = []
        self.fail = fail
        self.writable = True

    async def record(self, event: Any) -> str:
        if self.fail:
            raise AuditUnavailable("disk full")
        self.events.append(event)
        return event.event_id


def test_the_event_is_of_its_own_kind_and_carries_no_phi() -> None:
    spool = _Spool()
    recorder = AuditRecorder(spool, Metrics(), NullLog())  # type: ignore[arg-type]
    e, _, _ = KEPT["ext_authz timed out (UAEX 503)"]
    reply = envoy_reply(e)
    assert reply is not None
    asyncio.run(recorder.envoy_reply(reply))
    (ev,) = spool.events
    assert ev.kind == audit_pb2.EVENT_KIND_ENVOY_REPLY
    assert (ev.request_id, ev.status, ev.outcome) == ("rid-1", 503, P.OUTCOME_ENVOY_REFUSED)
    assert list(ev.envoy_reply.response_flags) == ["UAEX"]
    assert ev.envoy_reply.response_code_details == "ext_authz_error"
    assert ev.request.path == "/v1/chat/completions" and ev.time.seconds == 1_700_000_000
    data = ev.SerializeToString()
    assert not [p for p in PHI if p.encode() in data]
    # control: the entry itself carries every one of them (an event copying it would fail the line above)
    assert all(p.encode() in e.SerializeToString() for p in PHI)


async def _stream(*entries: al.HTTPAccessLogEntry) -> AsyncIterator[als_pb2.StreamAccessLogsMessage]:
    msg = als_pb2.StreamAccessLogsMessage()
    msg.identifier.log_name = P.ENVOY_REPLY_LOG_NAME
    msg.http_logs.log_entry.extend(entries)
    yield msg


class _Recorder:
    def __init__(self, fail: bool = False) -> None:
        self.replies: list[EnvoyReply] = []
        self.fail = fail

    async def envoy_reply(self, reply: EnvoyReply) -> None:
        if self.fail:
            raise AuditUnavailable("disk full")
        self.replies.append(reply)


class _Log:
    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, Any]]] = []

    def error(self, event: str, **kw: Any) -> None:
        self.lines.append((event, kw))


def test_the_service_records_each_kept_entry_of_a_flush() -> None:
    rec = _Recorder()
    auditor = EnvoyReplyAuditor(rec, _Log())  # type: ignore[arg-type]
    entries = [KEPT["ext_authz timed out (UAEX 503)"][0], DROPPED["Check's own refusal (details)"],
               KEPT["body over the buffer limit (413, no flag)"][0]]
    resp = asyncio.run(auditor.StreamAccessLogs(_stream(*entries), None))
    assert isinstance(resp, als_pb2.StreamAccessLogsResponse)
    assert sorted(r.status for r in rec.replies) == [413, 503]


def test_an_event_that_cannot_be_written_is_logged_without_phi_and_the_stream_goes_on() -> None:
    log = _Log()
    auditor = EnvoyReplyAuditor(_Recorder(fail=True), log)  # type: ignore[arg-type]
    asyncio.run(auditor.StreamAccessLogs(_stream(KEPT["no route (NR 404)"][0]), None))
    ((event, fields),) = log.lines
    assert event == "envoy_reply_not_audited" and fields["flags"] == "NR"
    assert not [p for p in PHI if p in repr(fields)]
