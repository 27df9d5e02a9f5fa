"""Identity settings: OIDC issuers and mTLS/SPIFFE workload identities."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class IssuerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issuer: str
    # Either discovery (issuer + /.well-known/openid-configuration) or an explicit JWKS URI.
    jwks_uri: str | None = None
    enabled: bool = True
    audiences: list[str] = Field(default_factory=list)
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "PS256", "ES256", "EdDSA"])
    leeway_seconds: int = Field(30, ge=0, le=300)
    required_claims: list[str] = Field(default_factory=lambda: ["exp", "iat", "sub"])
    max_lifetime_seconds: int = Field(24 * 3600, gt=0)
    # Dotted claim paths whose values become roles / groups (e.g. "realm_access.roles").
    role_claims: list[str] = Field(default_factory=lambda: ["roles"])
    group_claims: list[str] = Field(default_factory=lambda: ["groups"])
    # A space-separated scope claim whose entries also become roles, prefixed (empty: ignored).
    scope_claim: str | None = None
    scope_role_prefix: str = ""
    client_id_claims: list[str] = Field(default_factory=lambda: ["azp", "client_id"])
    # Claims copied into input.identity.claims for policy (never logged).
    passthrough_claims: list[str] = Field(default_factory=lambda: ["email", "name"])


class MtlsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    trust_domains: list[str] = Field(default_factory=lambda: ["phi-guard.local"])
    # SPIFFE ID (exact) or prefix ending in "/" -> roles
    roles: dict[str, list[str]] = Field(default_factory=dict)


class IdentitySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issuers: list[IssuerSettings] = Field(default_factory=list)
    mtls: MtlsSettings = MtlsSettings()
    jwks_cache_seconds: int = Field(300, gt=0)
    jwks_min_refresh_interval_seconds: float = Field(10.0, ge=0)
    jwks_fetch_timeout_seconds: float = Field(3.0, gt=0)
    max_token_bytes: int = Field(16384, gt=0)
