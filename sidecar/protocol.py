"""Protocol constants shared by the stages: header names, Envoy metadata namespaces and keys, refusal codes.

The one place these are spelled; every module imports them from here. Add new ones here, grouped as below.
"""

from __future__ import annotations

# --- request headers a caller (or Envoy, on the guard's behalf) sets ---------------------------------------
PURPOSE_HEADER = "x-phi-guard-purpose"
BREAK_GLASS_HEADER = "x-phi-guard-break-glass"
APPROVAL_HEADER = "x-phi-guard-approval"
# signed identity ext_authz hands to the guard's own HTTP API (approvals)
IDENTITY_HEADER = "x-phi-guard-identity"
# set by ext_authz upstream-bound when policy names no request profile: routes to the no-request-body route
REQUEST_BODY_SKIP_HEADER = "x-phi-guard-request-body"

# --- response headers the guard sets -----------------------------------------------------------------------
REDACTION_PROFILE_HEADER = "x-phi-guard-redaction-profile"

# --- approval webhooks -------------------------------------------------------------------------------------
WEBHOOK_SIGNATURE_HEADER = "x-phi-guard-signature"
WEBHOOK_TIMESTAMP_HEADER = "x-phi-guard-timestamp"
WEBHOOK_EVENT_HEADER = "x-phi-guard-event"
WEBHOOK_DELIVERY_HEADER = "x-phi-guard-delivery"

# --- Envoy dynamic metadata --------------------------------------------------------------------------------
EXT_AUTHZ_METADATA_NAMESPACE = "envoy.filters.http.ext_authz"
GUARD_METADATA_NAMESPACE = "phi_guard"

# --- refusal codes (the ``error`` field of a refusal body) -------------------------------------------------
GUARD_UNAVAILABLE = "guard_unavailable"
POLICY_UNAVAILABLE = "policy_unavailable"
AUDIT_UNAVAILABLE = "audit_unavailable"
JWKS_UNAVAILABLE = "jwks_unavailable"
UPSTREAM_CREDENTIAL_UNAVAILABLE = "upstream_credential_unavailable"
POLICY_DENIED = "policy_denied"
APPROVAL_REQUIRED = "approval_required"
INVALID_BODY = "invalid_body"
# a JSON AI API body sent under another content type (415)
UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
# identifiers in the path or query string of a caller whose profile minimises prompts (400)
PHI_IN_URL = "phi_in_url"
