"""Settings for rendering Envoy's configuration, and the mapping from the guard's Settings to EnvoyParams.

Ports, the guard's address and the upstream come from the guard's own settings (``server``, ``upstreams``),
so Envoy and the guard cannot disagree; only what is Envoy's alone lives in the ``envoy`` section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sidecar.envoy_config.params import EnvoyParams, TlsFiles, UpstreamTarget

if TYPE_CHECKING:
    from sidecar.config import Settings


# HTTP statuses Envoy Gateway's EnvoyExtensionPolicy/SecurityPolicy ``statusOnError`` enum admits.
GATEWAY_ERROR_STATUSES = frozenset((*range(500, 509), 510, 511))


class EnvoyTlsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cert_chain: str
    private_key: str
    client_ca: str | None = None
    require_client_certificate: bool = False


class EnvoySettings(BaseModel):
    """The ``envoy`` section of the guard's configuration."""

    model_config = ConfigDict(extra="forbid")

    http_port: int | None = Field(default=8080, ge=0, le=65535)
    https_port: int | None = Field(default=None, ge=0, le=65535)
    listen_address: str = "127.0.0.1"
    admin_port: int = Field(default=9901, ge=1, le=65535)
    tls: EnvoyTlsSettings | None = None
    # How Envoy reaches the guard when it is not at server.grpc_host (e.g. a Kubernetes Service name).
    guard_host: str | None = None
    # Which of settings.upstreams Envoy routes to (default: the first).
    upstream: str | None = None
    upstream_ca_file: str | None = None
    upstream_http2: bool = False
    max_request_bytes: int = Field(default=1024 * 1024, gt=0)
    authz_timeout_ms: int = Field(default=2000, gt=0)
    ext_proc_message_timeout_ms: int = Field(default=5000, gt=0)
    stream_idle_timeout_s: int = Field(default=60, gt=0)
    max_stream_duration_s: int = Field(default=600, gt=0)
    access_log_path: str | None = None
    # Send the requests Envoy answers itself (ext_authz/ext_proc failure or timeout, body over the limit, no route,
    # protocol error, upstream failure) to the guard over Envoy's gRPC access log: one audit event each.
    audit_envoy_replies: bool = True
    guard_error_status: int = Field(default=503, ge=500, le=599)

    @field_validator("guard_error_status")
    @classmethod
    def _status_every_dropin_accepts(cls, value: int) -> int:
        # The same status goes into Envoy Gateway's statusOnError, whose CRD enumerates these codes.
        if value not in GATEWAY_ERROR_STATUSES:
            allowed = ", ".join(str(code) for code in sorted(GATEWAY_ERROR_STATUSES))
            raise ValueError(f"envoy.guard_error_status must be one of {allowed} (Envoy Gateway's statusOnError)")
        return value


def upstream_target(name: str, url: str, ca_file: str | None = None) -> UpstreamTarget:
    """``http(s)://host[:port]`` -> UpstreamTarget. Raises ValueError on anything else (paths are ignored)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"upstream {name!r}: url must be http(s)://host[:port]")
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    return UpstreamTarget(
        name=name,
        host=parts.hostname,
        port=port,
        tls=tls,
        sni=parts.hostname if tls else None,
        ca_file=ca_file,
    )


def params_from_settings(settings: Settings, envoy: EnvoySettings | None = None) -> EnvoyParams:
    """EnvoyParams for this guard. ``envoy`` defaults to ``settings.envoy`` when that section exists."""
    if envoy is None:
        envoy = getattr(settings, "envoy", None) or EnvoySettings()
    up = settings.upstream(envoy.upstream) if envoy.upstream else settings.upstreams[0]
    srv = settings.server
    tls = None
    if envoy.tls is not None:
        tls = TlsFiles(
            cert_chain=envoy.tls.cert_chain,
            private_key=envoy.tls.private_key,
            client_ca=envoy.tls.client_ca,
            require_client_certificate=envoy.tls.require_client_certificate,
        )
    guard_host = envoy.guard_host or srv.grpc_host
    if guard_host in ("0.0.0.0", "::"):
        guard_host = "127.0.0.1"
    return EnvoyParams(
        http_port=envoy.http_port or None,
        https_port=envoy.https_port or None,
        listen_address=envoy.listen_address,
        tls=tls,
        admin_port=envoy.admin_port,
        guard_host=guard_host,
        guard_grpc_port=srv.grpc_port,
        guard_uds=srv.grpc_uds,
        guard_http_port=srv.admin_port,
        upstream=upstream_target(up.name, up.url, envoy.upstream_ca_file),
        guard_upstream_name=up.name,
        max_request_bytes=envoy.max_request_bytes,
        authz_timeout_ms=envoy.authz_timeout_ms,
        ext_proc_message_timeout_ms=envoy.ext_proc_message_timeout_ms,
        stream_idle_timeout_s=envoy.stream_idle_timeout_s,
        max_stream_duration_s=envoy.max_stream_duration_s,
        access_log_path=envoy.access_log_path,
        audit_envoy_replies=envoy.audit_envoy_replies,
        guard_error_status=envoy.guard_error_status,
        upstream_http2=envoy.upstream_http2,
    )
