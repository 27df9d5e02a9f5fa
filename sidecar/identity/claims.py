"""Roles, groups, client id and policy claims from a verified JWT payload, per issuer configuration.

Claim paths are dotted (``realm_access.roles``, ``resource_access.my-client.roles``,
``kubernetes.io.serviceaccount.name``). A list contributes its
string entries; a string is split on whitespace (scope-style). Anything else is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sidecar.identity.settings import IssuerSettings

MAX_VALUES = 256
MAX_VALUE_CHARS = 256


def claim_at(payload: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or None. Keys may themselves contain dots (``kubernetes.io``): at each
    level the longest matching key wins."""
    if "." not in path:
        return payload.get(path)
    return _walk(payload, path.split("."))


def _walk(node: Any, parts: list[str]) -> Any:
    if not parts:
        return node
    if not isinstance(node, dict):  # JSON objects decode to dict
        return None
    for i in range(len(parts), 0, -1):
        key = ".".join(parts[:i])
        if key in node:
            found = _walk(node[key], parts[i:])
            if found is not None:
                return found
    return None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _collect(payload: Mapping[str, Any], paths: Iterable[str], prefix: str = "") -> list[str]:
    out: dict[str, None] = {}
    for path in paths:
        for v in _strings(claim_at(payload, path)):
            if v and len(v) <= MAX_VALUE_CHARS:
                out.setdefault(prefix + v, None)
            if len(out) >= MAX_VALUES:
                return list(out)
    return list(out)


def roles_of(payload: Mapping[str, Any], cfg: IssuerSettings) -> tuple[str, ...]:
    roles = _collect(payload, cfg.role_claims)
    if cfg.scope_claim:
        for r in _collect(payload, [cfg.scope_claim], cfg.scope_role_prefix):
            if r not in roles and len(roles) < MAX_VALUES:
                roles.append(r)
    return tuple(roles)


def groups_of(payload: Mapping[str, Any], cfg: IssuerSettings) -> tuple[str, ...]:
    return tuple(_collect(payload, cfg.group_claims))


def client_id_of(payload: Mapping[str, Any], cfg: IssuerSettings) -> str | None:
    for path in cfg.client_id_claims:
        v = claim_at(payload, path)
        if isinstance(v, str) and v:
            return v
    return None


def passthrough_of(payload: Mapping[str, Any], cfg: IssuerSettings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in cfg.passthrough_claims:
        v = claim_at(payload, path)
        if v is not None:
            out[path] = v
    return out
