"""The ext_authz -> ext_proc hand-off, carried by Envoy (dynamic metadata), never by process memory.

ext_authz puts :meth:`Handoff.to_metadata` into its CheckResponse ``dynamic_metadata`` (Envoy files it under
``envoy.filters.http.ext_authz``); ext_proc receives it on every message of the stream through
``metadata_options.forwarding_namespaces.untyped`` and rebuilds it with :func:`read_metadata`. So any replica
can process any response. The contents are ids, codes, profile names, the caller's identity summary and a
hash of the request: never PHI, never a body.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from google.protobuf import struct_pb2
from google.protobuf.json_format import MessageToDict

from sidecar import protocol as P
from sidecar.struct_fill import fill_struct


@dataclass(frozen=True, slots=True)
class Handoff:
    """What ext_proc needs from Check: the profiles policy chose and what the response audit event names."""

    request_id: str
    decision_id: str = ""
    policy_version: str = ""
    response_profile: str = ""
    request_profile: str = ""
    sub: str = ""
    iss: str = ""
    auth_method: str = ""
    roles: tuple[str, ...] = ()
    client_id: str = ""
    approval_ref: str = ""
    break_glass: bool = False
    request_sha256: str = ""
    request_content_type: str = ""
    request_content_encoding: str = ""
    api: str = ""
    model: str = ""
    rpc_method: str = ""
    permitted_tools: tuple[str, ...] | None = None
    authorized_at: float = 0.0
    tools: tuple[str, ...] = ()  # tool names the request declared (an answer's tool calls must name one)

    def to_metadata(self) -> dict[str, Any]:
        """The dynamic-metadata document (Struct-compatible values only; empty strings dropped)."""
        doc: dict[str, Any] = {
            P.MD_REQUEST_ID: self.request_id,
            P.MD_DECISION_ID: self.decision_id,
            P.MD_POLICY_VERSION: self.policy_version,
            P.MD_RESPONSE_PROFILE: self.response_profile,
            P.MD_REQUEST_PROFILE: self.request_profile,
            P.MD_SUB: self.sub,
            P.MD_ISS: self.iss,
            P.MD_AUTH_METHOD: self.auth_method,
            P.MD_ROLES: list(self.roles),
            P.MD_CLIENT_ID: self.client_id,
            P.MD_APPROVAL_REF: self.approval_ref,
            P.MD_BREAK_GLASS: self.break_glass,
            P.MD_REQUEST_SHA256: self.request_sha256,
            P.MD_REQUEST_CONTENT_TYPE: self.request_content_type,
            P.MD_REQUEST_CONTENT_ENCODING: self.request_content_encoding,
            P.MD_API: self.api,
            P.MD_MODEL: self.model,
            P.MD_RPC_METHOD: self.rpc_method,
            P.MD_PERMITTED_TOOLS: list(self.permitted_tools) if self.permitted_tools is not None else None,
            P.MD_AUTHORIZED_AT: self.authorized_at,
            P.MD_TOOLS: list(self.tools) or None,
        }
        return {k: v for k, v in doc.items() if v not in ("", None)}


# Hand-off fields that change with every request; the others repeat for one caller's requests under one policy
# decision and are copied from a template Struct (:class:`MetadataStructs`).
_PER_REQUEST = ("request_id", "decision_id", "request_sha256", "authorized_at")
_PER_REQUEST_KEYS = frozenset({P.MD_REQUEST_ID, P.MD_DECISION_ID, P.MD_REQUEST_SHA256, P.MD_AUTHORIZED_AT})
_TEMPLATE_KEY = operator.attrgetter(*(f.name for f in fields(Handoff) if f.name not in _PER_REQUEST))


class MetadataStructs:
    """:meth:`Handoff.to_metadata` written into a Struct: a copy of a template Struct built once per repeating
    part (caller, decision, model, tools...), then the four per-request fields. About a third of filling every
    field on every Check. At most ``max_templates`` are kept (all dropped when full: they rebuild in one Check)."""

    def __init__(self, max_templates: int = 1024) -> None:
        self.max_templates = max_templates
        self._templates: dict[tuple[Any, ...], struct_pb2.Struct] = {}

    def fill(self, handoff: Handoff, target: struct_pb2.Struct) -> None:
        """``target`` (empty) becomes the Struct of ``handoff.to_metadata()``."""
        key = _TEMPLATE_KEY(handoff)
        template = self._templates.get(key)
        if template is None:
            template = struct_pb2.Struct()
            doc = handoff.to_metadata()
            fill_struct(template, {k: v for k, v in doc.items() if k not in _PER_REQUEST_KEYS}, drop_none=True)
            if len(self._templates) >= self.max_templates:
                self._templates.clear()
            self._templates[key] = template
        target.CopyFrom(template)
        f = target.fields
        if handoff.request_id:
            f[P.MD_REQUEST_ID].string_value = handoff.request_id
        if handoff.decision_id:
            f[P.MD_DECISION_ID].string_value = handoff.decision_id
        if handoff.request_sha256:
            f[P.MD_REQUEST_SHA256].string_value = handoff.request_sha256
        f[P.MD_AUTHORIZED_AT].number_value = handoff.authorized_at


@dataclass(frozen=True, slots=True)
class StreamContext:
    """What ext_proc learns from the metadata of a stream: a hand-off, a local reply, or nothing."""

    request_id: str = ""
    handoff: Handoff | None = None
    # Envoy answered with ext_authz's refusal, or the route is the guard's own API: nothing from a model.
    local_reply: bool = False


def _str(doc: dict[str, Any], key: str) -> str:
    v = doc.get(key)
    return v if isinstance(v, str) else ""


def _str_tuple(v: Any) -> tuple[str, ...] | None:
    return tuple(x for x in v if isinstance(x, str)) if isinstance(v, list) else None


def from_document(doc: dict[str, Any]) -> StreamContext:
    """Rebuild the context from the metadata document (unknown keys ignored, wrong types read as empty)."""
    request_id = _str(doc, P.MD_REQUEST_ID)
    if doc.get(P.MD_DENIED) is True or doc.get(P.MD_GUARD_API) is True:
        return StreamContext(request_id=request_id, local_reply=True)
    if not request_id or not _str(doc, P.MD_DECISION_ID):
        return StreamContext(request_id=request_id)
    roles = doc.get(P.MD_ROLES)
    at = doc.get(P.MD_AUTHORIZED_AT)
    return StreamContext(
        request_id=request_id,
        handoff=Handoff(
            request_id=request_id,
            decision_id=_str(doc, P.MD_DECISION_ID),
            policy_version=_str(doc, P.MD_POLICY_VERSION),
            response_profile=_str(doc, P.MD_RESPONSE_PROFILE),
            request_profile=_str(doc, P.MD_REQUEST_PROFILE),
            sub=_str(doc, P.MD_SUB),
            iss=_str(doc, P.MD_ISS),
            auth_method=_str(doc, P.MD_AUTH_METHOD),
            roles=tuple(str(r) for r in roles) if isinstance(roles, list) else (),
            client_id=_str(doc, P.MD_CLIENT_ID),
            approval_ref=_str(doc, P.MD_APPROVAL_REF),
            break_glass=doc.get(P.MD_BREAK_GLASS) is True,
            request_sha256=_str(doc, P.MD_REQUEST_SHA256),
            request_content_type=_str(doc, P.MD_REQUEST_CONTENT_TYPE),
            request_content_encoding=_str(doc, P.MD_REQUEST_CONTENT_ENCODING),
            api=_str(doc, P.MD_API),
            model=_str(doc, P.MD_MODEL),
            rpc_method=_str(doc, P.MD_RPC_METHOD),
            permitted_tools=_str_tuple(doc.get(P.MD_PERMITTED_TOOLS)),
            authorized_at=float(at) if isinstance(at, (int, float)) else 0.0,
            tools=_str_tuple(doc.get(P.MD_TOOLS)) or (),
        ),
    )


def struct_document(md: struct_pb2.Struct) -> dict[str, Any]:
    """A flat metadata Struct as a dict: strings, booleans, numbers (float) and lists of those, as
    ``MessageToDict`` gives them, read field by field (json_format's generic walk costs several times more on
    every stream). A nested object falls back to ``MessageToDict`` for that value."""
    out: dict[str, Any] = {}
    fields = md.fields
    for key in fields:  # keys, then each value: the map's items() is a Python-level generator (~1.4 µs more here)
        value = fields[key]
        kind = value.WhichOneof("kind")
        if kind == "string_value":
            out[key] = value.string_value
        elif kind == "bool_value":
            out[key] = value.bool_value
        elif kind == "number_value":
            out[key] = value.number_value
        elif kind == "null_value" or kind is None:
            out[key] = None
        elif kind == "list_value":
            out[key] = [_scalar(v) for v in value.list_value.values]
        else:
            out[key] = MessageToDict(value.struct_value)
    return out


def _scalar(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        return value.number_value
    if kind == "null_value" or kind is None:
        return None
    return MessageToDict(value)


def read_metadata(filter_metadata: Mapping[str, struct_pb2.Struct]) -> StreamContext:
    """The context from a ProcessingRequest's ``metadata_context.filter_metadata`` map."""
    md: struct_pb2.Struct | None = filter_metadata.get(P.EXT_AUTHZ_METADATA_NAMESPACE)
    if md is None:
        return StreamContext()
    return from_document(struct_document(md))
