"""Identity: who is calling, proven on every request before anything else happens.

- :mod:`.resolver` — ``IdentityResolver`` (bearer JWT from configured OIDC issuers, else an Envoy-verified
  SPIFFE client certificate); the only object the server wiring calls on the hot path.
- :mod:`.jwks` — per-issuer key cache: discovery, JWKS fetch, rate-limited refresh on unknown ``kid``,
  background refresh, stale keys while the IdP is unreachable.
- :mod:`.jwt_verifier` — token checks in a fixed order, one stable reason code per failure (:mod:`.reasons`).
- :mod:`.claims` — roles, groups, client id and policy claims from configurable claim paths.
- :mod:`.spiffe` — SPIFFE ID parsing and the mTLS identity.
- :mod:`.bearer` — the Authorization header: duplicates, scheme, size, compact-JWS framing.
- :mod:`.upstream_credentials` — the upstream model credential the guard injects (caller never sees it).
"""
