"""Envoy's own refusals, audited: the gRPC access-log service (``envoy.service.accesslog.v3.AccessLogService``)
Envoy streams its filtered access-log entries to, and the mapping of each entry to an audit event.

Envoy answers some requests without the guard deciding: ext_authz or ext_proc failed or timed out (503
``ext_authz_error`` / ``ext_proc_error_*``), a body over the buffer limit (413), no route, a protocol error, an
upstream that cannot be reached or resets. The rendered access log (``sidecar/envoy_config/filters.py``,
``refusal_access_log``) sends only entries with a response flag or a status of 400 or more that the guard did not
refuse itself; :func:`envoy_reply` drops the rest again (another Envoy config may send everything). Each entry
left becomes one ``EVENT_KIND_ENVOY_REPLY`` event, joined to the guard's own events by ``request_id``: it arrives
after them (Envoy logs when the stream ends), so a request's last event says what the caller got.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from envoy.data.accesslog.v3 import accesslog_pb2 as al
from envoy.service.accesslog.v3 import als_pb2
from envoy.service.accesslog.v3 import als_pb2_grpc as als_grpc
from google.protobuf import json_format

from sidecar import protocol as P
from sidecar.audit.log import AuditUnavailable
from sidecar.server.stages import Log

# ResponseFlags field -> the short code Envoy's file access log writes (%RESPONSE_FLAGS%).
FLAG_CODES: dict[str, str] = {
    "failed_local_healthcheck": "LH", "no_healthy_upstream": "UH", "upstream_request_timeout": "UT",
    "local_reset": "LR", "upstream_remote_reset": "UR", "upstream_connection_failure": "UF",
    "upstream_connection_termination": "UC", "upstream_overflow": "UO", "no_route_found": "NR",
    "delay_injected": "DI", "fault_injected": "FI", "rate_limited": "RL", "unauthorized_details": "UAEX",
    "rate_limit_service_error": "RLSE", "downstream_connection_termination": "DC",
    "upstream_retry_limit_exceeded": "URX", "stream_idle_timeout": "SI", "invalid_envoy_request_headers": "IH",
    "downstream_protocol_error": "DPE", "upstream_max_stream_duration_reached": "UMSDR",
    "response_from_cache_filter": "RFCF", "no_filter_config_found": "NFCF", "duration_timeout": "DT",
    "upstream_protocol_error": "UPE", "no_cluster_found": "NC", "overload_manager": "OM",
    "dns_resolution_failure": "DF", "downstream_remote_reset": "DR",
}
# Response code details of answers the guard decided and audited itself.
GUARD_DENIED_DETAILS = "ext_authz_denied"  # Check's own refusal (401/403/503 ...)
GUARD_WITHHELD_PREFIX = "phi_guard_withheld_"  # ext_proc's immediate response (sidecar/server/ext_proc_service.py)
VIA_UPSTREAM = "via_upstream"  # the upstream's own answer, audited by ext_proc as the response half
_IDENTITY_KEYS = (P.MD_SUB, P.MD_ISS, P.MD_AUTH_METHOD, P.MD_ROLES, P.MD_CLIENT_ID)


@dataclass(frozen=True)
class EnvoyReply:
    """One access-log entry the guard audits: ids, codes and the caller's identity summary, never PHI."""

    request_id: str
    outcome: str
    status: int
    flags: tuple[str, ...]
    details: str
    route_name: str = ""
    upstream_cluster: str = ""
    termination_details: str = ""
    method: str = ""
    path: str = ""
    client_address: str = ""
    identity: Mapping[str, Any] = field(default_factory=dict)
    decision_id: str = ""
    policy_version: str = ""
    latency_s: float = 0.0
    start_time: float | None = None


class ReplyRecorder(Protocol):
    async def envoy_reply(self, reply: EnvoyReply) -> None: ...


def response_flags(flags: al.ResponseFlags) -> tuple[str, ...]:
    """The flags set in ``flags`` as Envoy's short codes (a flag this table does not know: its field name)."""
    return tuple(FLAG_CODES.get(f.name, f.name) for f, _ in flags.ListFields())


def guard_decided(details: str, flags: tuple[str, ...], authz: Mapping[str, Any]) -> bool:
    """True when the guard itself answered (and audited) the request: its Check refused it, its ext_proc
    withheld the answer, or the upstream's answer passed through ext_proc unflagged."""
    if authz.get(P.MD_DENIED) is True or details == GUARD_DENIED_DETAILS:
        return True
    if details.startswith(GUARD_WITHHELD_PREFIX):
        return True
    return details == VIA_UPSTREAM and not flags


def _path_without_query(request: al.HTTPRequestProperties) -> str:
    path = request.original_path or request.path
    return path.split("?", 1)[0].split("#", 1)[0]


def _ext_authz_metadata(common: al.AccessLogCommon) -> dict[str, Any]:
    md = common.metadata.filter_metadata
    if P.EXT_AUTHZ_METADATA_NAMESPACE not in md:
        return {}
    return json_format.MessageToDict(md[P.EXT_AUTHZ_METADATA_NAMESPACE])


def _method(request: al.HTTPRequestProperties) -> str:
    if not request.request_method:
        return ""
    name: str = request.DESCRIPTOR.fields_by_name["request_method"].enum_type.values_by_number[
        request.request_method].name
    return name


def _latency_s(common: al.AccessLogCommon) -> float:
    if common.HasField("duration"):
        return float(common.duration.ToNanoseconds()) / 1e9
    return float(common.time_to_last_downstream_tx_byte.ToNanoseconds()) / 1e9


def envoy_reply(entry: al.HTTPAccessLogEntry) -> EnvoyReply | None:
    """The audit record of one access-log entry, or None when there is nothing to add to the guard's own events
    (the guard decided the answer, or Envoy neither flagged it nor answered with 400 or more)."""
    common, request, response = entry.common_properties, entry.request, entry.response
    status = response.response_code.value if response.HasField("response_code") else 0
    flags = response_flags(common.response_flags)
    details = response.response_code_details
    authz = _ext_authz_metadata(common)
    if guard_decided(details, flags, authz) or (not flags and 0 < status < 400):
        return None
    refused = status == 0 or status >= 400
    return EnvoyReply(
        request_id=request.request_id or str(authz.get(P.MD_REQUEST_ID, "") or ""),
        outcome=P.OUTCOME_ENVOY_REFUSED if refused else P.OUTCOME_ENVOY_CUT,
        status=status,
        flags=flags,
        details=details,
        route_name=common.route_name,
        upstream_cluster=common.upstream_cluster,
        termination_details=common.connection_termination_details,
        method=_method(request),
        path=_path_without_query(request),
        client_address=common.downstream_remote_address.socket_address.address,
        identity={k: authz[k] for k in _IDENTITY_KEYS if k in authz},
        decision_id=str(authz.get(P.MD_DECISION_ID, "") or ""),
        policy_version=str(authz.get(P.MD_POLICY_VERSION, "") or ""),
        latency_s=_latency_s(common),
        start_time=common.start_time.ToNanoseconds() / 1e9 if common.HasField("start_time") else None,
    )


class EnvoyReplyAuditor(als_grpc.AccessLogServiceServicer):
    """Receives Envoy's access-log stream and records one audit event per entry :func:`envoy_reply` keeps.

    The request was answered before the entry was sent, so an event that cannot be written fails nothing: it is
    logged (ids and codes only) and counted; Envoy's file access log still holds the entry."""

    def __init__(self, audit: ReplyRecorder, log: Log) -> None:
        self.audit = audit
        self.log = log

    async def StreamAccessLogs(  # noqa: N802 (gRPC method name)
        self, request_iterator: AsyncIterator[als_pb2.StreamAccessLogsMessage], context: Any
    ) -> als_pb2.StreamAccessLogsResponse:
        async for message in request_iterator:
            replies = [r for r in map(envoy_reply, message.http_logs.log_entry) if r is not None]
            if replies:  # one group commit for the batch Envoy flushed
                await asyncio.gather(*(self._record(r) for r in replies))
        return als_pb2.StreamAccessLogsResponse()

    async def _record(self, reply: EnvoyReply) -> None:
        try:
            await self.audit.envoy_reply(reply)
        except AuditUnavailable:
            self.log.error("envoy_reply_not_audited", request_id=reply.request_id, status=reply.status,
                           flags=",".join(reply.flags), details=reply.details)
