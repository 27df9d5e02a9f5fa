"""Everything the Envoy bootstrap and drop-ins are rendered from (one source of truth with the guard's
settings).

The envoy_config stage owns rendering (``render_bootstrap(params) -> dict``); the local stack, the Helm
sidecar injector and the tests build an :class:`EnvoyParams` and call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TlsFiles:
    cert_chain: str
    private_key: str
    # CA that verifies client certificates (mTLS); None: no client certificates requested.
    client_ca: str | None = None
    require_client_certificate: bool = False


@dataclass(frozen=True)
class UpstreamTarget:
    name: str
    host: str
    port: int
    tls: bool = False
    sni: str | None = None
    ca_file: str | None = None


@dataclass(frozen=True)
class EnvoyParams:
    # Public listeners (0 / None disables one).
    http_port: int | None = 8080
    https_port: int | None = 8443
    listen_address: str = "127.0.0.1"
    tls: TlsFiles | None = None
    admin_port: int = 9901
    # The guard's gRPC endpoint: host:port, or a Unix socket path when guard_uds is set.
    guard_host: str = "127.0.0.1"
    guard_grpc_port: int = 9001
    guard_uds: str | None = None
    # More guard replicas' gRPC ports on guard_host: the cluster balances ROUND_ROBIN over all of them (any
    # replica can process any response: the hand-off travels in Envoy's dynamic metadata).
    guard_grpc_extra_ports: tuple[int, ...] = ()
    # The guard's HTTP API (approvals), routed through Envoy with identity enforced.
    guard_http_port: int = 9002
    upstream: UpstreamTarget = field(default_factory=lambda: UpstreamTarget("model", "127.0.0.1", 8000))
    # An MCP server behind the same filters, for paths under mcp_prefix (None: no MCP route).
    mcp_upstream: UpstreamTarget | None = None
    mcp_prefix: str = "/mcp"
    # The guard's name for that upstream (settings.upstreams[].name): sent to ext_authz as the route's context
    # extension ``phi_guard_upstream`` so the guard injects that upstream's credential. None: not sent (the
    # guard then needs exactly one configured upstream).
    guard_upstream_name: str | None = None
    max_request_bytes: int = 1024 * 1024
    authz_timeout_ms: int = 2000
    ext_proc_message_timeout_ms: int = 5000
    stream_idle_timeout_s: int = 60
    max_stream_duration_s: int = 600
    access_log_path: str | None = None
    # Envoy's gRPC access log to the guard, filtered to the requests Envoy answered itself (each one is audited).
    audit_envoy_replies: bool = True
    # --- rendering details (defaults are the safe choice) ---
    # Status Envoy answers with when the guard cannot be reached or errs (distinct from a policy 403).
    guard_error_status: int = 503
    guard_connect_timeout_ms: int = 1000
    # Requests matching these never reach the guard or the model.
    health_path: str = "/healthz"
    # The guard's own HTTP API: identity enforced (ext_authz on), no body processing (ext_proc off).
    guard_api_prefix: str = "/phi-guard/v1/"
    node_id: str = "phi-guard"
    upstream_http2: bool = False
