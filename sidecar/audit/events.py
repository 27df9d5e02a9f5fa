"""Building audit events (``phi_guard.audit.v1.AuditEvent``) from what the stages know.

Every helper takes keyword arguments only, tolerates missing parts (a request refused before identity
exists still becomes an event) and returns the proto message; the audit log fills in the chain fields.
"""

from __future__ import annotations

import json
import os
import time as _time
from collections.abc import Mapping
from typing import Any

from sidecar._generated.phi_guard.audit.v1 import audit_pb2
from sidecar.identity.model import Identity
from sidecar.policy.model import Decision
from sidecar.struct_fill import fill_struct

AuditEvent = audit_pb2.AuditEvent


def new_event_id() -> str:
    """A random 128-bit id (hex), like a UUID4 without the version bits' cost."""
    return os.urandom(16).hex()


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _update_struct(target: Any, value: Mapping[str, Any]) -> None:
    """``target.update(value)`` (field by field where it can: on every request event); values a Struct cannot
    hold are stored in their JSON form."""
    try:
        fill_struct(target, value)
    except (ValueError, TypeError, AttributeError):  # values Struct cannot hold: store their JSON form
        target.Clear()
        target.update(_json_safe(dict(value)))


# type -> whether it is a Mapping (``isinstance`` against the ABC costs more than the lookup: ~20 per event)
_IS_MAPPING: dict[type, bool] = {}


def _is_mapping(obj: Any) -> bool:
    kind = type(obj)
    mapping = _IS_MAPPING.get(kind)
    if mapping is None:
        mapping = _IS_MAPPING[kind] = isinstance(obj, Mapping)
    return mapping


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if _is_mapping(obj):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _base(kind: int, at: float | None) -> audit_pb2.AuditEvent:
    ev = audit_pb2.AuditEvent(event_id=new_event_id(), kind=kind)  # type: ignore[arg-type]
    ns = _time.time_ns() if at is None else int(at * 1e9)
    ev.time.seconds, ev.time.nanos = divmod(ns, 1_000_000_000)
    return ev


def _fill_identity(ev: audit_pb2.AuditEvent, identity: Identity | None) -> None:
    if identity is None:
        return
    ev.identity.sub = identity.sub
    ev.identity.iss = identity.iss
    ev.identity.auth_method = identity.auth_method
    ev.identity.roles.extend(identity.roles)
    ev.identity.groups.extend(identity.groups)
    ev.identity.client_id = identity.client_id or ""


def _fill_decision(ev: audit_pb2.AuditEvent, decision: Decision | None) -> None:
    if decision is None:
        return
    d = ev.decision
    if decision.allow:
        d.outcome = audit_pb2.Decision.OUTCOME_ALLOW
    elif decision.approval_required:
        d.outcome = audit_pb2.Decision.OUTCOME_APPROVAL_REQUIRED
    else:
        d.outcome = audit_pb2.Decision.OUTCOME_DENY
    for r in decision.reasons:
        d.reasons.add(code=r.code, message=r.message)
    d.risk = float(decision.risk)
    d.policy_version = decision.policy_version
    d.decision_id = decision.decision_id
    d.response_profile = decision.response_profile or ""
    d.request_profile = decision.request_profile or ""


# Generation parameters copied from a parsed JSON body (never message content).
_BODY_PARAMETERS = (
    "temperature",
    "top_p",
    "top_k",
    "max_tokens",
    "max_completion_tokens",
    "max_output_tokens",
    "stream",
    "n",
    "seed",
    "stop",
    "presence_penalty",
    "frequency_penalty",
    "tool_choice",
    "response_format",
    "reasoning_effort",
    "user",
)
_AI_FIELDS = (
    "provider",
    "stream",
    "max_tokens",
    "tools",
    "messages",
    "text_chars",
    "rpc_method",
    "patient_count",
    "topics",
    "parse_error",
)


def _parameters(ai: Any) -> dict[str, Any]:
    """The request's parameters from a parsed AI request (``sidecar.ai_request.AIRequest`` or a mapping)."""
    explicit = _get(ai, "parameters", None)
    if explicit:
        return dict(explicit)
    if ai is None:
        return {}
    # one mapping test for the ten fields (``_get`` per field was a third of building the event)
    values = [ai.get(n) for n in _AI_FIELDS] if _is_mapping(ai) else [getattr(ai, n, None) for n in _AI_FIELDS]
    out: dict[str, Any] = {n: v for n, v in zip(_AI_FIELDS, values, strict=True)
                           if v is not None and v != [] and v != ""}
    body = _get(ai, "body", None)
    if body is not None and _is_mapping(body):
        for name in _BODY_PARAMETERS:
            if name in body and body[name] is not None:
                out.setdefault(name, body[name])
    return out


def _counts(target: Any, counts: Mapping[str, int] | None) -> None:
    for k, v in (counts or {}).items():
        target[str(k)] = int(v)


def request_event(
    *,
    view: Any = None,
    identity: Identity | None = None,
    decision: Decision | None = None,
    ai: Any = None,
    outcome: str = "",
    status: int = 0,
    latency_s: float = 0.0,
    approval_ref: str = "",
    break_glass_reason: str = "",
    request_body: bytes | None = None,
    request_truncated: bool | None = None,
    response_body: bytes = b"",
    response_truncated: bool = False,
    redaction_summary: Mapping[str, int] | None = None,
    request_redactions: Mapping[str, int] | None = None,
    response_headers_dropped: int = 0,
    request_id: str | None = None,
    client_address: str | None = None,
    method: str | None = None,
    path: str | None = None,
    api: str | None = None,
    model: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    at: float | None = None,
) -> audit_pb2.AuditEvent:
    """One model invocation (or refused attempt): who, from where, what was asked, decided and returned.

    ``view`` is a :class:`sidecar.request_view.RequestView` (method, path, body, request id, peer); ``ai`` the
    parsed AI request (``api``, ``model``, ``parameters``; object or mapping). Explicit keywords win over
    both.
    Bodies are kept whole: the event is encrypted before it touches disk.
    """
    ev = _base(audit_pb2.EVENT_KIND_REQUEST, at)
    ev.request_id = request_id if request_id is not None else str(_get(view, "request_id", "") or "")
    ev.client_address = (
        client_address if client_address is not None else str(_get(view, "source_address", "") or "")
    )
    _fill_identity(ev, identity)
    _fill_decision(ev, decision)
    if approval_ref or break_glass_reason:
        ev.approval.approval_id = approval_ref
        ev.approval.break_glass = bool(break_glass_reason)
        ev.approval.break_glass_reason = break_glass_reason
    req = ev.request
    req.method = method if method is not None else str(_get(view, "method", "") or "")
    req.path = path if path is not None else str(_get(view, "path", "") or "")
    req.host = str(_get(view, "host", "") or "")
    req.api = api if api is not None else str(_get(ai, "api", "") or "")
    req.model = model if model is not None else str(_get(ai, "model", "") or "")
    params = parameters if parameters is not None else _parameters(ai)
    if params:
        _update_struct(req.parameters, params)
    body = request_body if request_body is not None else _get(view, "body", b"")
    req.body = bytes(body or b"")
    req.body_truncated = bool(
        request_truncated if request_truncated is not None else _get(view, "body_truncated", False)
    )
    _counts(req.redactions, request_redactions)
    ev.response.body = bytes(response_body or b"")
    ev.response.body_truncated = response_truncated
    _counts(ev.response.redactions, redaction_summary)
    ev.response.headers_dropped = int(response_headers_dropped)
    ev.status = int(status)
    ev.latency_ms = float(latency_s) * 1000.0
    ev.outcome = outcome
    return ev


def response_event(
    *,
    request_id: str,
    sub: str,
    iss: str,
    auth_method: str,
    roles: tuple[str, ...],
    client_id: str,
    api: str,
    model: str,
    decision_id: str,
    policy_version: str,
    response_profile: str,
    request_profile: str,
    status: int,
    outcome: str,
    latency_s: float,
    approval_ref: str = "",
    break_glass: bool = False,
    response_body: bytes = b"",
    response_truncated: bool = False,
    redaction_summary: Mapping[str, int] | None = None,
    request_redactions: Mapping[str, int] | None = None,
    response_headers_dropped: int = 0,
) -> audit_pb2.AuditEvent:
    """The response half of an allowed exchange, from the hand-off's values: the event :func:`request_event`
    builds from them (no view, no parsed request, no parameters) with the decision's ids and profiles (outcome
    allow), set directly. The request and response parts are present even when empty, as there."""
    ev = _base(audit_pb2.EVENT_KIND_REQUEST, None)
    ev.request_id = request_id
    who = ev.identity
    who.sub = sub
    who.iss = iss
    who.auth_method = auth_method
    who.roles.extend(roles)
    who.client_id = client_id
    if approval_ref:
        ev.approval.approval_id = approval_ref
    if break_glass:
        ev.approval.break_glass = True
    d = ev.decision
    d.outcome = audit_pb2.Decision.OUTCOME_ALLOW
    d.decision_id = decision_id
    d.policy_version = policy_version
    d.response_profile = response_profile
    d.request_profile = request_profile
    req = ev.request
    req.SetInParent()
    req.api = api
    req.model = model
    _counts(req.redactions, request_redactions)
    resp = ev.response
    resp.SetInParent()
    resp.body = bytes(response_body)
    resp.body_truncated = response_truncated
    _counts(resp.redactions, redaction_summary)
    resp.headers_dropped = int(response_headers_dropped)
    ev.status = int(status)
    ev.latency_ms = float(latency_s) * 1000.0
    ev.outcome = outcome
    return ev


def _subject(who: Any) -> str:
    """A person named by a record: its ``sub`` when the record holds an identity document."""
    if isinstance(who, Mapping):
        return str(who.get("sub", "") or "")
    return str(who or "")


def approval_event(
    *,
    kind: str,
    approval: Mapping[str, Any] | Any,
    actor: str | None = None,
    identity: Identity | None = None,
    at: float | None = None,
) -> audit_pb2.AuditEvent:
    """An approval state change (``kind``: requested, approved, denied, expired, used, ...).

    ``approval`` is the approval record (mapping or object); common field names are picked out and the
    whole record is kept in ``approval_change.details``.
    """
    ev = _base(audit_pb2.EVENT_KIND_APPROVAL, at)
    _fill_identity(ev, identity)
    ch = ev.approval_change
    ch.change = kind
    ch.approval_id = str(_get(approval, "id", None) or _get(approval, "approval_id", "") or "")
    ch.state = str(_get(approval, "state", None) or _get(approval, "status", "") or "")
    ch.requester = _subject(
        _get(approval, "requester", None) or _get(approval, "requested_by", None) or _get(approval, "sub", "")
    )
    ch.actor = actor or _subject(
        _get(approval, "actor", None) or _get(approval, "approver", None) or _get(approval, "decided_by", "")
    )
    ev.request_id = str(_get(approval, "request_id", "") or "")
    ev.outcome = kind
    record = approval if isinstance(approval, Mapping) else getattr(approval, "__dict__", {})
    if record:
        _update_struct(ch.details, record)
    ev.approval.approval_id = ch.approval_id
    return ev


def policy_reload_event(
    *,
    reload: Any = None,
    ok: bool | None = None,
    version: str | None = None,
    error: str | None = None,
    source: str | None = None,
    at: float | None = None,
) -> audit_pb2.AuditEvent:
    """A policy reload attempt (``reload``: a ``sidecar.policy.service.PolicyReload`` or anything with ``ok``,
    ``version``, ``error``, ``file``/``line`` or ``source``, ``previous_version``; keywords win)."""
    ev = _base(audit_pb2.EVENT_KIND_POLICY_RELOAD, at)
    pr = ev.policy_reload
    pr.ok = bool(ok if ok is not None else _get(reload, "ok", False))
    pr.policy_version = str(version if version is not None else _get(reload, "version", "") or "")
    pr.error = str(error if error is not None else _get(reload, "error", "") or "")
    if source is None:
        file, line = _get(reload, "file", None), _get(reload, "line", None)
        source = _get(reload, "source", None) or (f"{file}:{line}" if file and line else file) or ""
    pr.source = str(source)
    pr.previous_version = str(_get(reload, "previous_version", "") or "")
    pr.tests_passed = int(_get(reload, "tests_passed", 0) or 0)
    pr.tests_failed = int(_get(reload, "tests_failed", 0) or 0)
    ev.outcome = "policy_reloaded" if pr.ok else "policy_reload_refused"
    return ev


def envoy_reply_event(
    *,
    request_id: str,
    outcome: str,
    status: int,
    response_flags: tuple[str, ...] = (),
    details: str = "",
    route_name: str = "",
    upstream_cluster: str = "",
    termination_details: str = "",
    method: str = "",
    path: str = "",
    client_address: str = "",
    identity: Mapping[str, Any] | None = None,
    decision_id: str = "",
    policy_version: str = "",
    latency_s: float = 0.0,
    at: float | None = None,
) -> audit_pb2.AuditEvent:
    """A request Envoy answered or cut itself, as its access log reported it. ``path`` must come without its
    query string; ``identity`` is the hand-off's summary (``sub``, ``iss``, ``auth_method``, ``roles``,
    ``client_id``) when ext_authz got that far. No bodies, no header values: the entry carries none."""
    ev = _base(audit_pb2.EVENT_KIND_ENVOY_REPLY, at)
    ev.request_id = request_id
    ev.client_address = client_address
    if identity:
        who = ev.identity
        who.sub = str(identity.get("sub", "") or "")
        who.iss = str(identity.get("iss", "") or "")
        who.auth_method = str(identity.get("auth_method", "") or "")
        who.roles.extend(str(r) for r in identity.get("roles", ()) or ())
        who.client_id = str(identity.get("client_id", "") or "")
    if decision_id or policy_version:
        ev.decision.decision_id = decision_id
        ev.decision.policy_version = policy_version
    ev.request.method = method
    ev.request.path = path
    reply = ev.envoy_reply
    reply.SetInParent()
    reply.response_flags.extend(response_flags)
    reply.response_code_details = details
    reply.route_name = route_name
    reply.upstream_cluster = upstream_cluster
    reply.connection_termination_details = termination_details
    ev.status = int(status)
    ev.latency_ms = float(latency_s) * 1000.0
    ev.outcome = outcome
    return ev
