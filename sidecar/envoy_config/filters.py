"""The guard's pieces of Envoy configuration: the two HTTP filters, their per-route switches, the guard
cluster.

Every function returns plain dicts in Envoy's v3 JSON/YAML shape. These are what the bootstrap embeds and
what the drop-in snippets ship, so a pasted snippet and the hardened bootstrap cannot drift apart.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from sidecar.envoy_config.params import EnvoyParams
from sidecar.protocol import (
    CONTEXT_UPSTREAM,
    EARLY_BODY_METADATA,
    ENVOY_REPLY_LOG_NAME,
    EXT_AUTHZ_METADATA_NAMESPACE,
    GUARD_METADATA_NAMESPACE,
    MD_DENIED,
    REQUEST_BODY_SKIP_HEADER,
)

__all__ = ["EXT_AUTHZ_METADATA_NAMESPACE", "GUARD_METADATA_NAMESPACE", "REQUEST_BODY_SKIP_HEADER"]

GUARD_GRPC_CLUSTER = "phi_guard_grpc"
GUARD_HTTP_CLUSTER = "phi_guard_http"
EXT_AUTHZ_FILTER = "envoy.filters.http.ext_authz"
EXT_PROC_FILTER = "envoy.filters.http.ext_proc"
ROUTER_FILTER = "envoy.filters.http.router"

T_EXT_AUTHZ = "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz"
T_EXT_AUTHZ_ROUTE = "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute"
T_EXT_PROC = "type.googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor"
T_EXT_PROC_ROUTE = "type.googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExtProcPerRoute"
T_ROUTER = "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"
T_HEADER_MUTATION = "type.googleapis.com/envoy.extensions.filters.http.header_mutation.v3.HeaderMutation"
DROP_TRAILERS_FILTER = "phi_guard.drop_response_trailers"
T_HTTP_PROTOCOL_OPTIONS = "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
HTTP_PROTOCOL_OPTIONS_KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
T_HTTP_GRPC_LOG = "type.googleapis.com/envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig"
HTTP_GRPC_LOGGER = "envoy.access_loggers.http_grpc"
# Runtime key of the lowest status the guard's access log sends (Envoy's status filter requires one).
REFUSAL_LOG_STATUS_KEY = "phi_guard.envoy_replies.min_status"

# The one processing mode the guard supports. It is the configured mode (not an override) because Envoy
# silently
# ignores mode_override unless allow_mode_override is set, and an ignored override on a NONE mode passes PHI.
PROCESSING_MODE: dict[str, str] = {
    "request_header_mode": "SKIP",
    "request_body_mode": "BUFFERED",
    "response_header_mode": "SEND",
    "response_body_mode": "STREAMED",
    "request_trailer_mode": "SKIP",
    "response_trailer_mode": "SKIP",
}


def duration(ms: int) -> str:
    """Milliseconds as a protobuf Duration string (``"1.5s"``)."""
    if ms % 1000 == 0:
        return f"{ms // 1000}s"
    return f"{ms / 1000:.3f}s"


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def socket_address(host: str, port: int) -> dict[str, Any]:
    return {"socket_address": {"address": host, "port_value": port}}


def ext_authz_filter(params: EnvoyParams) -> dict[str, Any]:
    """The ext_authz HTTP filter: fail closed, distinct error status, whole request body, peer certificate."""
    return {
        "name": EXT_AUTHZ_FILTER,
        "typed_config": {
            "@type": T_EXT_AUTHZ,
            "transport_api_version": "V3",
            "grpc_service": {
                "envoy_grpc": {"cluster_name": GUARD_GRPC_CLUSTER},
                "timeout": duration(params.authz_timeout_ms),
            },
            "failure_mode_allow": False,
            "status_on_error": {"code": params.guard_error_status},
            "with_request_body": {
                "max_request_bytes": params.max_request_bytes,
                # A truncated body must never reach policy/redaction as if it were the whole one: 413 instead.
                "allow_partial_message": False,
                "pack_as_bytes": True,
            },
            "include_peer_certificate": True,
            "include_tls_session": True,
            # The guard's headers may pick another route (REQUEST_BODY_SKIP_HEADER): re-match after Check.
            "clear_route_cache": True,
        },
    }


def ext_proc_filter(params: EnvoyParams) -> dict[str, Any]:
    """The ext_proc HTTP filter: fail closed, the redacting processing mode fixed, no mode overrides."""
    return {
        "name": EXT_PROC_FILTER,
        "typed_config": {
            "@type": T_EXT_PROC,
            "grpc_service": {"envoy_grpc": {"cluster_name": GUARD_GRPC_CLUSTER},
                             # a held body's pause after which the guard extends the message timer, and
                             # to what (ms): half the message timeout, the route's idle timeout
                             "initial_metadata": [{"key": EARLY_BODY_METADATA, "value": (
                                 f"{max(params.ext_proc_message_timeout_ms // 2, 1)},"
                                 f"{params.stream_idle_timeout_s * 1000}")}]},
            "failure_mode_allow": False,
            "status_on_error": {"code": params.guard_error_status},
            "processing_mode": dict(PROCESSING_MODE),
            # Body chunks come before the guard answers the response headers: for a body it must read whole
            # (JSON), the guard answers headers with the scanned body, so a refusal is a clean status.
            "send_body_without_waiting_for_header_response": True,
            "allow_mode_override": False,
            "observability_mode": False,
            # The guard drops every upstream response header not on its allowlist, x-envoy-* included (Envoy
            # refuses those by default, silently); a mutation Envoy still refuses fails the request, not open.
            "mutation_rules": {"allow_envoy": True, "disallow_is_error": True},
            "message_timeout": duration(params.ext_proc_message_timeout_ms),
            # a held body may pause between chunks as long as the route lets the upstream idle
            "max_message_timeout": f"{params.stream_idle_timeout_s}s",
            "metadata_options": {
                "forwarding_namespaces": {"untyped": [EXT_AUTHZ_METADATA_NAMESPACE]},
                "receiving_namespaces": {"untyped": [GUARD_METADATA_NAMESPACE]},
            },
        },
    }


def refusal_access_log(cluster: str = GUARD_GRPC_CLUSTER) -> dict[str, Any]:
    """Envoy's gRPC access log to the guard, filtered to the requests Envoy answered or cut itself: any response
    flag (UAEX, UT, UF, DPE, NR, RL ...) or a status of 400 or more, except the guard's own Check refusals
    (ext_authz metadata ``denied: true``). The guard audits each (``sidecar/server/envoy_replies.py``). If the
    guard is down, Envoy buffers up to ``buffer_size_bytes`` and drops the rest: the file access log keeps them."""
    return {
        "name": HTTP_GRPC_LOGGER,
        "filter": {"and_filter": {"filters": [
            {"or_filter": {"filters": [
                {"response_flag_filter": {}},  # no flags listed: any flag
                {"status_code_filter": {"comparison": {
                    "op": "GE", "value": {"default_value": 400, "runtime_key": REFUSAL_LOG_STATUS_KEY}}}},
            ]}},
            # Logged when ``denied`` is absent or false. (Envoy's metadata filter ignores the matcher's
            # ``invert``: a present key is logged exactly when the value matches.)
            {"metadata_filter": {
                "matcher": {"filter": EXT_AUTHZ_METADATA_NAMESPACE, "path": [{"key": MD_DENIED}],
                            "value": {"bool_match": False}},
                "match_if_key_not_found": True,
            }},
        ]}},
        "typed_config": {
            "@type": T_HTTP_GRPC_LOG,
            "common_config": {
                "log_name": ENVOY_REPLY_LOG_NAME,
                "transport_api_version": "V3",
                "grpc_service": {"envoy_grpc": {"cluster_name": cluster}},
                "buffer_flush_interval": "1s",
                "buffer_size_bytes": 16384,
            },
        },
    }


def router_filter() -> dict[str, Any]:
    return {"name": ROUTER_FILTER, "typed_config": {"@type": T_ROUTER}}


def drop_response_trailers_filter() -> dict[str, Any]:
    """Removes every upstream response trailer. ext_proc does not see trailers in the guard's processing mode, so
    none may reach the client (HTTP/2 upstreams, or HTTP/1 with ``enable_trailers``, can send them)."""
    return {
        "name": DROP_TRAILERS_FILTER,
        "typed_config": {
            "@type": T_HEADER_MUTATION,
            "mutations": {
                "response_trailers_mutations": [{"remove_on_match": {"key_matcher": {"safe_regex": {"regex": ".*"}}}}],
            },
        },
    }


def guard_http_filters(params: EnvoyParams) -> list[dict[str, Any]]:
    """The guard filters, in order. They must come before the router (Envoy runs filters in list order)."""
    return [ext_authz_filter(params), ext_proc_filter(params), drop_response_trailers_filter()]


def per_route_disable_all() -> dict[str, Any]:
    """``typed_per_filter_config`` for a route that must not involve the guard (health checks only)."""
    return {
        EXT_AUTHZ_FILTER: {"@type": T_EXT_AUTHZ_ROUTE, "disabled": True},
        EXT_PROC_FILTER: {"@type": T_EXT_PROC_ROUTE, "disabled": True},
    }


# REQUEST_BODY_SKIP_HEADER is set by the guard (never by callers: removed early) when policy names no request
# profile: the request body then needs no ext_proc message. Missing header -> the body is processed (safe).


def per_route_skip_request_body() -> dict[str, Any]:
    """``typed_per_filter_config`` for model requests the guard marked as not needing request-body processing:
    the same processing mode minus the request body (responses are still redacted)."""
    mode = {**PROCESSING_MODE, "request_body_mode": "NONE"}
    return {EXT_PROC_FILTER: {"@type": T_EXT_PROC_ROUTE, "overrides": {"processing_mode": mode}}}


def per_route_upstream(params: EnvoyParams) -> dict[str, Any]:
    """``typed_per_filter_config`` entry for a model route: tells ext_authz (context extension) which upstream
    the route goes to, so the guard injects that upstream's credential. Empty when no name is configured."""
    if not params.guard_upstream_name:
        return {}
    return {EXT_AUTHZ_FILTER: {"@type": T_EXT_AUTHZ_ROUTE, "check_settings": {
        "context_extensions": {CONTEXT_UPSTREAM: params.guard_upstream_name}}}}


def per_route_identity_only() -> dict[str, Any]:
    """``typed_per_filter_config`` for the guard's own API: callers are identified, bodies are not
    processed."""
    return {EXT_PROC_FILTER: {"@type": T_EXT_PROC_ROUTE, "disabled": True}}


def guard_grpc_cluster(params: EnvoyParams) -> dict[str, Any]:
    """The cluster both filters call: the guard's gRPC server over HTTP/2 (TCP, or a Unix socket)."""
    if params.guard_uds:
        addresses: list[dict[str, Any]] = [{"pipe": {"path": params.guard_uds}}]
        discovery = "STATIC"
    else:
        addresses = [socket_address(params.guard_host, port)
                     for port in (params.guard_grpc_port, *params.guard_grpc_extra_ports)]
        discovery = "STATIC" if is_ip(params.guard_host) else "STRICT_DNS"
    return {
        "name": GUARD_GRPC_CLUSTER,
        "type": discovery,
        # Per call (Check, and each ext_proc stream): any replica may take any of a request's calls.
        "lb_policy": "ROUND_ROBIN",
        "connect_timeout": duration(params.guard_connect_timeout_ms),
        "typed_extension_protocol_options": {
            HTTP_PROTOCOL_OPTIONS_KEY: {
                "@type": T_HTTP_PROTOCOL_OPTIONS,
                "explicit_http_config": {
                    "http2_protocol_options": {"connection_keepalive": {"interval": "30s", "timeout": "5s"}}
                },
            }
        },
        "load_assignment": {
            "cluster_name": GUARD_GRPC_CLUSTER,
            "endpoints": [{"lb_endpoints": [{"endpoint": {"address": a}} for a in addresses]}],
        },
    }


def guard_http_cluster(params: EnvoyParams) -> dict[str, Any]:
    """The guard's HTTP API (approvals), reached only through the route that keeps ext_authz on."""
    return {
        "name": GUARD_HTTP_CLUSTER,
        "type": "STATIC" if is_ip(params.guard_host) else "STRICT_DNS",
        "connect_timeout": duration(params.guard_connect_timeout_ms),
        "load_assignment": {
            "cluster_name": GUARD_HTTP_CLUSTER,
            "endpoints": [
                {
                    "lb_endpoints": [
                        {"endpoint": {"address": socket_address(params.guard_host, params.guard_http_port)}}
                    ]
                }
            ],
        },
    }
