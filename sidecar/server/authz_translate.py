"""Envoy ext_authz protobufs <-> the guard's neutral types (the only module that knows CheckRequest's shape)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from envoy.config.core.v3 import base_pb2
from envoy.service.auth.v3 import external_auth_pb2 as authz
from envoy.type.v3 import http_status_pb2
from google.protobuf import struct_pb2
from google.rpc import code_pb2, status_pb2

from sidecar.protocol import EXT_AUTHZ_METADATA_NAMESPACE
from sidecar.request_view import RequestView
from sidecar.struct_fill import fill_struct

METADATA_NAMESPACE = EXT_AUTHZ_METADATA_NAMESPACE
_OVERWRITE = base_pb2.HeaderValueOption.OVERWRITE_IF_EXISTS_OR_ADD
_GRPC_CODE_FOR_HTTP = {401: code_pb2.UNAUTHENTICATED, 403: code_pb2.PERMISSION_DENIED}


def request_view(req: authz.CheckRequest) -> RequestView:
    """Flatten a CheckRequest into a :class:`RequestView` (headers lower-cased; body from raw_body or body)."""
    attrs = req.attributes
    http = attrs.request.http
    headers: dict[str, str] = dict(http.headers)
    counts: dict[str, int] = {}
    if http.header_map.headers:  # encode_raw_headers: repeated headers arrive one by one
        headers = {}
        for hv in http.header_map.headers:
            key = hv.key.lower()
            value = hv.raw_value.decode("utf-8", "replace") if hv.raw_value else hv.value
            counts[key] = counts.get(key, 0) + 1
            headers[key] = f"{headers[key]},{value}" if key in headers else value
    body = http.raw_body or http.body.encode("utf-8")
    source = attrs.source
    return RequestView(
        method=http.method,
        path=http.path,
        host=http.host,
        scheme=http.scheme,
        headers=headers,
        body=body,
        body_truncated=headers.get("x-envoy-auth-partial-body", "") == "true",
        request_id=http.id or headers.get("x-request-id", ""),
        source_address=source.address.socket_address.address,
        source_principal=source.principal,
        source_certificate_pem=source.certificate,
        tls=bool(attrs.tls_session.sni) or http.scheme == "https" or bool(source.certificate),
        header_counts=counts,
    )


def _header_options(headers: Mapping[str, str]) -> list[base_pb2.HeaderValueOption]:
    return [
        base_pb2.HeaderValueOption(header=base_pb2.HeaderValue(key=k, value=v), append_action=_OVERWRITE)
        for k, v in headers.items()
    ]


def _add_headers(target: Any, headers: Mapping[str, str]) -> None:
    """Append ``headers`` to a repeated HeaderValueOption field in place (no intermediate messages to copy)."""
    for k, v in headers.items():
        option = target.add()
        option.header.key = k
        option.header.value = v
        option.append_action = _OVERWRITE


def _struct(data: Mapping[str, Any], s: struct_pb2.Struct | None = None) -> struct_pb2.Struct:
    """``data`` (None values dropped) as a Struct (``s``, filled in place, or a new one); strings, booleans,
    numbers and lists of strings are set field by field (cheaper than ``Struct.update``'s generic walk on every
    Check), anything else through ``update``."""
    if s is None:
        s = struct_pb2.Struct()
    fill_struct(s, data, drop_none=True)
    return s


def allow(
    upstream_headers: Mapping[str, str],
    remove_headers: Iterable[str],
    metadata: Mapping[str, Any] | Callable[[struct_pb2.Struct], None],
    client_headers: Mapping[str, str] | None = None,
) -> authz.CheckResponse:
    """OK: set/overwrite ``upstream_headers``, strip ``remove_headers``, emit dynamic metadata (a document, or a
    function that fills the empty Struct in place)."""
    resp = authz.CheckResponse()
    resp.status.code = code_pb2.OK
    ok = resp.ok_response
    _add_headers(ok.headers, upstream_headers)
    ok.headers_to_remove.extend(remove_headers)
    _add_headers(ok.response_headers_to_add, client_headers or {})
    ok.SetInParent()  # present even when empty, as the constructor form made it
    resp.dynamic_metadata.SetInParent()
    if callable(metadata):
        metadata(resp.dynamic_metadata)
    else:
        _struct(metadata, resp.dynamic_metadata)
    return resp


def deny(
    http_status: int,
    body: Mapping[str, Any],
    headers: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> authz.CheckResponse:
    """A local reply with a JSON body; nothing reaches the upstream."""
    all_headers = {"content-type": "application/json", "cache-control": "no-store", **(headers or {})}
    denied = authz.DeniedHttpResponse(
        status=http_status_pb2.HttpStatus(code=http_status),  # type: ignore[arg-type]
        headers=_header_options(all_headers),
        body=json.dumps(body, separators=(",", ":")),
    )
    return authz.CheckResponse(
        status=status_pb2.Status(code=_GRPC_CODE_FOR_HTTP.get(http_status, code_pb2.UNAVAILABLE)),
        denied_response=denied,
        dynamic_metadata=_struct(metadata or {}),
    )
