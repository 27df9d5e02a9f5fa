"""Identity settings: OIDC issuers and mTLS/SPIFFE workload identities."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Asymmetric JWS algorithms an issuer may be configured with. ``none`` and HS* are never accepted:
# a shared-secret algorithm with a public JWKS lets anyone who can read the JWKS mint tokens.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class IssuerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issuer: str
    # Either discovery (issuer + /.well-known/openid-configuration) or an explicit JWKS URI.
    jwks_uri: str | None = None
    enabled: bool = True
    audiences: list[str] = Field(default_factory=list)
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "PS256", "ES256", "EdDSA"])
    leeway_seconds: int = Field(default=30, ge=0, le=300)
    required_claims: list[str] = Field(default_factory=lambda: ["exp", "iat", "sub"])
    max_lifetime_seconds: int = Field(default=24 * 3600, gt=0)
    # Dotted claim paths whose values become roles / groups (e.g. "realm_access.roles").
    role_claims: list[str] = Field(default_factory=lambda: ["roles"])
    group_claims: list[str] = Field(default_factory=lambda: ["groups"])
    # A space-separated scope claim whose entries also become roles, prefixed (empty: ignored).
    scope_claim: str | None = None
    scope_role_prefix: str = ""
    client_id_claims: list[str] = Field(default_factory=lambda: ["azp", "client_id"])
    # Claims copied into input.identity.claims for policy (never logged).
    passthrough_claims: list[str] = Field(default_factory=lambda: ["email", "name"])
    # CA bundle (PEM) for an HTTPS issuer with a private CA, e.g. the Kubernetes API server's issuer.
    ca_file: str | None = None
    # Bearer token file sent with discovery/JWKS requests (the Kubernetes issuer needs one unless anonymous
    # access to its discovery endpoints is granted). Read on each fetch, so a rotated token is picked up.
    fetch_token_file: str | None = None

    @field_validator("issuer")
    @classmethod
    def _issuer_is_url(cls, v: str) -> str:
        if not v.startswith(("https://", "http://")):
            raise ValueError("issuer must be an http(s) URL")
        return v

    @field_validator("algorithms")
    @classmethod
    def _only_asymmetric(cls, v: list[str]) -> list[str]:
        bad = [a for a in v if a not in ASYMMETRIC_ALGORITHMS]
        if bad:
            raise ValueError(f"not an allowed asymmetric algorithm: {', '.join(bad)} (never none or HS*)")
        if not v:
            raise ValueError("at least one algorithm is required")
        return v

    @model_validator(mode="after")
    def _audience_required(self) -> IssuerSettings:
        # A token minted for another relying party of the same IdP must not be accepted here.
        if self.enabled and not self.audiences:
            raise ValueError("an enabled issuer needs at least one audience")
        return self


class MtlsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    trust_domains: list[str] = Field(default_factory=lambda: ["phi-guard.local"])
    # SPIFFE ID (exact) or prefix ending in "/" -> roles
    roles: dict[str, list[str]] = Field(default_factory=dict)
    # PEM bundle (roots and intermediates). When set, the guard also verifies the client certificate Envoy
    # forwards (include_peer_certificate) and refuses peers whose certificate is absent or does not chain.
    ca_file: str | None = None


class IdentitySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issuers: list[IssuerSettings] = Field(default_factory=list)
    mtls: MtlsSettings = MtlsSettings()
    jwks_cache_seconds: int = Field(default=300, gt=0)
    # At most one unknown-kid refresh per issuer per interval (a flood of random kids is one fetch).
    jwks_min_refresh_interval_seconds: float = Field(default=10.0, ge=0)
    jwks_fetch_timeout_seconds: float = Field(default=3.0, gt=0)
    # Cached keys keep working while the IdP is unreachable, for at most this long after the last good fetch.
    jwks_max_stale_seconds: int = Field(default=24 * 3600, gt=0)
    max_token_bytes: int = Field(default=16384, gt=0)
    # Tokens whose signature verified are remembered (by SHA-256) so a repeat skips the signature check; the
    # time and audience checks run again on every use, and a hit counts only while the key is still
    # published. 0 turns it off. Like Envoy jwt_authn's jwt_cache_config.
    verified_token_cache_size: int = Field(default=1024, ge=0)

    @field_validator("issuers")
    @classmethod
    def _unique_issuers(cls, v: list[IssuerSettings]) -> list[IssuerSettings]:
        seen: set[str] = set()
        for i in v:
            if i.issuer in seen:
                raise ValueError(f"issuer configured twice: {i.issuer}")
            seen.add(i.issuer)
        return v
