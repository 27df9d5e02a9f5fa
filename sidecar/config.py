"""The one typed configuration object.

Sources, later wins: built-in defaults < YAML file < environment variables ``PHI_GUARD__SECTION__KEY``
(double underscore separates levels, e.g. ``PHI_GUARD__SERVER__GRPC_PORT=9001``).
Validation happens once at start-up; :class:`ConfigError` names every bad key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sidecar.approvals.settings import ApprovalSettings
from sidecar.audit.settings import AuditSettings
from sidecar.edge.settings import EdgeSettings
from sidecar.envoy_config.settings import EnvoySettings
from sidecar.identity.settings import IdentitySettings
from sidecar.policy.settings import PolicySettings
from sidecar.redaction.settings import RedactionSettings

ENV_PREFIX = "PHI_GUARD__"


class ConfigError(Exception):
    """A configuration that cannot be used; ``str()`` is one line naming the bad key(s)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Strict):
    grpc_host: str = "127.0.0.1"
    grpc_port: int = Field(default=9001, ge=0, le=65535)
    # Unix socket path; when set, the guard listens there instead of (not as well as) TCP.
    grpc_uds: str | None = None
    admin_host: str = "127.0.0.1"
    admin_port: int = Field(default=9002, ge=0, le=65535)
    shutdown_grace_seconds: float = Field(default=20.0, gt=0)
    max_concurrent_streams: int = Field(default=1000, gt=0)
    # Response bytes all ext_proc streams together may hold in memory (audit copies of the upstream's answers and
    # what processors buffer before release); a response that would exceed it is refused with 503
    # body_budget_exhausted. Nothing is held between Check and the response (the hand-off is Envoy metadata).
    max_inflight_body_bytes: int = Field(default=512 * 1024 * 1024, gt=0)
    # How long a thread may hold the GIL while another waits for it (``sys.setswitchinterval``; CPython: 5 ms).
    # Every request crosses threads (gRPC's poller to the loop, the audit spool's threads back): a shorter
    # interval bounds each crossing's wait behind redaction on the loop, at the cost of more switches.
    gil_switch_interval_ms: float = Field(default=0.5, gt=0, le=100)


class UpstreamSettings(_Strict):
    """An upstream model service. Its credential never comes from, nor goes back to, the caller."""

    name: str
    url: str = "http://127.0.0.1:8000"
    # Credential injected by the guard: from a mounted secret file, or from an env var.
    credential_file: str | None = None
    credential_env: str | None = None
    credential_header: str = "authorization"
    credential_format: str = "Bearer {credential}"


class LoggingSettings(_Strict):
    level: str = Field(default="info", pattern=r"^(debug|info|warning|error)$")
    json_logs: bool = Field(default=True, alias="json")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Settings(_Strict):
    state_dir: str = ".phi-guard"
    server: ServerSettings = ServerSettings()
    identity: IdentitySettings = IdentitySettings()
    policy: PolicySettings = PolicySettings()
    approvals: ApprovalSettings = ApprovalSettings()
    redaction: RedactionSettings = RedactionSettings()
    audit: AuditSettings = AuditSettings()
    upstreams: list[UpstreamSettings] = [UpstreamSettings(name="default")]
    logging: LoggingSettings = LoggingSettings()
    envoy: EnvoySettings = EnvoySettings()
    edge: EdgeSettings = EdgeSettings()

    def upstream(self, name: str) -> UpstreamSettings:
        for u in self.upstreams:
            if u.name == name:
                return u
        raise KeyError(name)


def _env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, raw in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        path = [p.lower() for p in key[len(ENV_PREFIX) :].split("__") if p]
        if not path:
            continue
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"config error: {'.'.join(path)}: conflicts with another env override")
        node[path[-1]] = value
    return out


def deep_merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``over`` into ``base`` (nested mappings merged, everything else replaced); returns ``base``."""
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(base.get(k), dict):
            deep_merge(base[k], v)
        else:
            base[k] = v
    return base


def _format_errors(err: ValidationError, source: str) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "<root>"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key"
        parts.append(f"{loc}: {msg}")
    return f"config error in {source}: " + "; ".join(parts)


def load_settings(path: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read, merge and validate the configuration. Raises :class:`ConfigError` (one line) on any problem."""
    environ = os.environ if environ is None else environ
    data: dict[str, Any] = {}
    source = "defaults"
    if path is not None:
        source = str(path)
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"config error: cannot read {source}: {exc.strerror}") from None
        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            raise ConfigError(f"config error in {source}{where}: not valid YAML") from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ConfigError(f"config error in {source}: <root>: expected a mapping of sections")
        data = loaded
    env = _env_overrides(environ)
    if env:
        source = f"{source} + environment"
        data = deep_merge(data, env)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_errors(exc, source)) from None
