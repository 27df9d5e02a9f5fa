"""A complete, hardened Envoy v3 bootstrap for phi-guard, rendered from :class:`EnvoyParams`.

``render_bootstrap(params) -> dict`` is pure (no I/O); ``write_bootstrap(params, path) -> Path`` writes it
as YAML. Used by the local stack (free ports, dev certificates), the Helm sidecar injector and ``phi-guard
envoy-config``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from sidecar.envoy_config.filters import (
    EXT_AUTHZ_METADATA_NAMESPACE,
    GUARD_HTTP_CLUSTER,
    HTTP_PROTOCOL_OPTIONS_KEY,
    REQUEST_BODY_SKIP_HEADER,
    T_HTTP_PROTOCOL_OPTIONS,
    duration,
    guard_grpc_cluster,
    guard_http_cluster,
    guard_http_filters,
    is_ip,
    per_route_disable_all,
    per_route_identity_only,
    per_route_skip_request_body,
    per_route_upstream,
    refusal_access_log,
    router_filter,
    socket_address,
)
from sidecar.envoy_config.params import EnvoyParams, TlsFiles, UpstreamTarget
from sidecar.protocol import DECISION_ID_HEADER, ENVOY_RUNTIME, IDENTITY_HEADER, REQUEST_ID_HEADER

T_HCM = (
    "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"
)
T_DOWNSTREAM_TLS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext"
T_UPSTREAM_TLS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext"
T_FILE_LOG = "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog"
T_EARLY_HEADER_MUTATION = (
    "type.googleapis.com/envoy.extensions.http.early_header_mutation.header_mutation.v3.HeaderMutation"
)
# Headers only the guard may set: removed from callers' requests before any filter runs, so no filter, route
# or upstream ever sees a forged one (the guard also signs the identity header; this is defence in depth).
GUARD_SET_REQUEST_HEADERS = (
    IDENTITY_HEADER,
    DECISION_ID_HEADER,
    REQUEST_ID_HEADER,
    REQUEST_BODY_SKIP_HEADER,
)
T_REQ_WITHOUT_QUERY = "type.googleapis.com/envoy.extensions.formatter.req_without_query.v3.ReqWithoutQuery"

_AUTHZ_MD = EXT_AUTHZ_METADATA_NAMESPACE

# Ids and counts only: never the query string (may carry identifiers), bodies, or credential headers.
ACCESS_LOG_FORMAT: dict[str, str] = {
    "time": "%START_TIME%",
    "request_id": "%REQ(X-REQUEST-ID)%",
    "decision_id": f"%DYNAMIC_METADATA({_AUTHZ_MD}:decision_id)%",
    "policy_version": f"%DYNAMIC_METADATA({_AUTHZ_MD}:policy_version)%",
    "sub": f"%DYNAMIC_METADATA({_AUTHZ_MD}:sub)%",
    "method": "%REQ(:METHOD)%",
    "path": "%REQ_WITHOUT_QUERY(:PATH)%",
    "status": "%RESPONSE_CODE%",
    "details": "%RESPONSE_CODE_DETAILS%",
    "flags": "%RESPONSE_FLAGS%",
    "redactions": "%RESP(X-PHI-GUARD-REDACTIONS)%",
    "upstream": "%UPSTREAM_CLUSTER%",
    "bytes_in": "%BYTES_RECEIVED%",
    "bytes_out": "%BYTES_SENT%",
    "duration_ms": "%DURATION%",
    "peer": "%DOWNSTREAM_PEER_URI_SAN%",
}


def access_log(params: EnvoyParams) -> list[dict[str, Any]]:
    """The file access log (every request), and the guard's gRPC one (Envoy's own refusals, audited)."""
    guard = [refusal_access_log()] if params.audit_envoy_replies else []
    return [
        {
            "name": "envoy.access_loggers.file",
            "typed_config": {
                "@type": T_FILE_LOG,
                "path": params.access_log_path or "/dev/stdout",
                "log_format": {
                    "json_format": dict(ACCESS_LOG_FORMAT),
                    "formatters": [
                        {
                            "name": "envoy.formatter.req_without_query",
                            "typed_config": {"@type": T_REQ_WITHOUT_QUERY},
                        }
                    ],
                },
            },
        },
        *guard,
    ]


def route_config(params: EnvoyParams) -> dict[str, Any]:
    """Health: Envoy answers, guard off. Guard API: identity on, body processing off. Everything else: the
    model,
    both filters on, ``accept-encoding`` stripped so the processor always sees plain bodies."""
    stream_bound = {"max_stream_duration": f"{params.max_stream_duration_s}s"}
    model_route_action = {
        "cluster": params.upstream.name,
        # Streamed completions can run long: bound them by duration and idleness instead.
        "timeout": f"{params.max_stream_duration_s}s",
        "idle_timeout": f"{params.stream_idle_timeout_s}s",
        "max_stream_duration": stream_bound,
        "auto_host_rewrite": True,
    }
    return {
        "name": "phi_guard",
        "virtual_hosts": [
            {
                "name": "phi_guard",
                "domains": ["*"],
                "routes": [
                    {
                        "name": "health",
                        "match": {"path": params.health_path},
                        "direct_response": {"status": 200, "body": {"inline_string": "ok\n"}},
                        "typed_per_filter_config": per_route_disable_all(),
                    },
                    {
                        "name": "guard_api",
                        "match": {"prefix": params.guard_api_prefix},
                        "route": {
                            "cluster": GUARD_HTTP_CLUSTER,
                            "timeout": "30s",
                        },
                        "typed_per_filter_config": per_route_identity_only(),
                    },
                    *_mcp_routes(params, model_route_action),
                    {
                        # Chosen after Check when the guard marked the request (one ext_proc message fewer).
                        "name": "model_no_request_body",
                        "match": {
                            "prefix": "/",
                            "headers": [{"name": REQUEST_BODY_SKIP_HEADER, "string_match": {"exact": "skip"}}],
                        },
                        "request_headers_to_remove": ["accept-encoding", REQUEST_BODY_SKIP_HEADER],
                        "route": model_route_action,
                        "typed_per_filter_config": {**per_route_skip_request_body(), **per_route_upstream(params)},
                    },
                    {
                        "name": "model",
                        "match": {"prefix": "/"},
                        "request_headers_to_remove": ["accept-encoding"],
                        "route": model_route_action,
                        **({"typed_per_filter_config": per_route_upstream(params)} if params.guard_upstream_name
                           else {}),
                    },
                ],
            }
        ],
    }


def _mcp_routes(params: EnvoyParams, model_route_action: dict[str, Any]) -> list[dict[str, Any]]:
    """The MCP server's route: both filters on, as for the model (tools/call decided, results redacted)."""
    if params.mcp_upstream is None:
        return []
    return [
        {
            "name": "mcp",
            "match": {"prefix": params.mcp_prefix},
            "request_headers_to_remove": ["accept-encoding", REQUEST_BODY_SKIP_HEADER],
            "route": {**model_route_action, "cluster": params.mcp_upstream.name},
        }
    ]


def hardened_hcm_settings(params: EnvoyParams) -> dict[str, Any]:
    """The HttpConnectionManager fields the guard relies on (also a drop-in for existing configs)."""
    return {
        "use_remote_address": True,
        "generate_request_id": True,
        "preserve_external_request_id": False,
        "always_set_request_id_in_response": True,
        # Callers cannot forge a client-certificate header; the guard reads the peer certificate itself.
        "forward_client_cert_details": "SANITIZE",
        # Route matching on a normalized path: "/healthz/../v1/chat" cannot dodge the guard.
        "normalize_path": True,
        "merge_slashes": True,
        "path_with_escaped_slashes_action": "UNESCAPE_AND_REDIRECT",
        "early_header_mutation_extensions": [
            {
                "name": "envoy.http.early_header_mutation.header_mutation",
                "typed_config": {
                    "@type": T_EARLY_HEADER_MUTATION,
                    "mutations": [{"remove": h} for h in GUARD_SET_REQUEST_HEADERS],
                },
            }
        ],
        # A stuck processor or upstream cannot hold a stream open: idle and total bounds.
        "stream_idle_timeout": f"{params.stream_idle_timeout_s}s",
        "request_headers_timeout": "10s",
        "common_http_protocol_options": {
            "max_stream_duration": f"{params.max_stream_duration_s}s",
            "headers_with_underscores_action": "REJECT_REQUEST",
        },
    }


def http_connection_manager(params: EnvoyParams, stat_prefix: str) -> dict[str, Any]:
    return {
        "name": "envoy.filters.network.http_connection_manager",
        "typed_config": {
            "@type": T_HCM,
            "stat_prefix": stat_prefix,
            "codec_type": "AUTO",
            **hardened_hcm_settings(params),
            "server_header_transformation": "PASS_THROUGH",
            "access_log": access_log(params),
            "route_config": route_config(params),
            "http_filters": [*guard_http_filters(params), router_filter()],
        },
    }


def downstream_tls(tls: TlsFiles) -> dict[str, Any]:
    common: dict[str, Any] = {
        "tls_params": {"tls_minimum_protocol_version": "TLSv1_2"},
        "tls_certificates": [
            {"certificate_chain": {"filename": tls.cert_chain}, "private_key": {"filename": tls.private_key}}
        ],
        "alpn_protocols": ["h2", "http/1.1"],
    }
    ctx: dict[str, Any] = {"@type": T_DOWNSTREAM_TLS, "common_tls_context": common}
    if tls.client_ca:
        common["validation_context"] = {"trusted_ca": {"filename": tls.client_ca}}
        ctx["require_client_certificate"] = tls.require_client_certificate
    return {"name": "envoy.transport_sockets.tls", "typed_config": ctx}


def listener(params: EnvoyParams, name: str, port: int, tls: TlsFiles | None) -> dict[str, Any]:
    chain: dict[str, Any] = {"filters": [http_connection_manager(params, name)]}
    if tls is not None:
        chain["transport_socket"] = downstream_tls(tls)
    return {
        "name": name,
        "address": socket_address(params.listen_address, port),
        "per_connection_buffer_limit_bytes": 1024 * 1024,
        "filter_chains": [chain],
    }


def upstream_cluster(target: UpstreamTarget, http2: bool = False) -> dict[str, Any]:
    """The model service. With ``tls``: SNI set, the certificate verified against ``ca_file`` (or the system
    bundle) and its name checked against the SNI."""
    cluster: dict[str, Any] = {
        "name": target.name,
        "type": "STATIC" if is_ip(target.host) else "LOGICAL_DNS",
        "connect_timeout": "5s",
        "dns_lookup_family": "V4_PREFERRED",
        "load_assignment": {
            "cluster_name": target.name,
            "endpoints": [
                {"lb_endpoints": [{"endpoint": {"address": socket_address(target.host, target.port)}}]}
            ],
        },
    }
    if http2:
        cluster["typed_extension_protocol_options"] = {
            HTTP_PROTOCOL_OPTIONS_KEY: {
                "@type": T_HTTP_PROTOCOL_OPTIONS,
                "explicit_http_config": {"http2_protocol_options": {}},
            }
        }
    if target.tls:
        sni = target.sni or target.host
        validation: dict[str, Any] = {
            "trusted_ca": {"filename": target.ca_file or "/etc/ssl/certs/ca-certificates.crt"},
            "match_typed_subject_alt_names": [{"san_type": "DNS", "matcher": {"exact": sni}}],
        }
        cluster["transport_socket"] = {
            "name": "envoy.transport_sockets.tls",
            "typed_config": {
                "@type": T_UPSTREAM_TLS,
                "sni": sni,
                "common_tls_context": {
                    "tls_params": {"tls_minimum_protocol_version": "TLSv1_2"},
                    "validation_context": validation,
                    **({"alpn_protocols": ["h2"]} if http2 else {}),
                },
            },
        }
    return cluster


def render_bootstrap(params: EnvoyParams) -> dict[str, Any]:
    """The full bootstrap as a dict ready for ``yaml.safe_dump``. Raises ValueError on contradictory
    params."""
    listeners = []
    if params.http_port:
        listeners.append(listener(params, "ingress_http", params.http_port, None))
    if params.https_port:
        if params.tls is None:
            raise ValueError("https_port is set but tls (certificate files) is not")
        listeners.append(listener(params, "ingress_https", params.https_port, params.tls))
    if not listeners:
        raise ValueError("no listener: set http_port and/or https_port")
    if params.upstream.name in ("phi_guard_grpc", GUARD_HTTP_CLUSTER):
        raise ValueError(f"upstream name {params.upstream.name!r} is reserved")
    return {
        "node": {"id": params.node_id, "cluster": "phi-guard"},
        "admin": {
            "address": socket_address("127.0.0.1", params.admin_port),
            "access_log": [
                {
                    "name": "envoy.access_loggers.file",
                    "typed_config": {"@type": T_FILE_LOG, "path": "/dev/null"},
                }
            ],
        },
        "static_resources": {
            "listeners": listeners,
            "clusters": [
                guard_grpc_cluster(params),
                guard_http_cluster(params),
                upstream_cluster(params.upstream, params.upstream_http2),
                *([upstream_cluster(params.mcp_upstream)] if params.mcp_upstream is not None else []),
            ],
        },
        "layered_runtime": {"layers": [{"name": "phi_guard", "static_layer": dict(ENVOY_RUNTIME)}]},
    }


def to_yaml(doc: Any) -> str:
    return yaml.safe_dump(doc, sort_keys=False, default_flow_style=False, width=120)


def envoy_args(config_path: str | os.PathLike[str], concurrency: int | None = None) -> list[str]:
    """Recommended Envoy command-line flags (after the binary) for a rendered bootstrap.

    Access-log lines are flushed every second (Envoy default: 10 s, which delays audit correlation), and hot
    restart is off so several Envoys can run on one host without sharing a base id.
    """
    args = ["-c", str(config_path), "--disable-hot-restart", "--file-flush-interval-msec", "1000"]
    if concurrency:
        args += ["--concurrency", str(concurrency)]
    return args


def write_bootstrap(params: EnvoyParams, path: str | os.PathLike[str]) -> Path:
    """Render and write the bootstrap YAML atomically; returns the path written."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = to_yaml(render_bootstrap(params))
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


__all__ = ["render_bootstrap", "write_bootstrap", "envoy_args", "to_yaml", "duration"]
