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
# MCP streamable HTTP: the session a server assigned (request and response header)
MCP_SESSION_HEADER = "mcp-session-id"
# Envoy's own request id, also sent upstream by the guard (joins the model's logs to the audit trail)
REQUEST_ID_HEADER = "x-phi-guard-request-id"
# Set upstream-bound and client-bound on an allowed request; on a denial, client-bound
DECISION_ID_HEADER = "x-phi-guard-decision-id"
# Never forwarded to the model: the caller's credential (below) and the guard's own control headers
STRIPPED_REQUEST_HEADERS = ("accept-encoding", "cookie", IDENTITY_HEADER, APPROVAL_HEADER, BREAK_GLASS_HEADER)

# --- response headers the guard sets -----------------------------------------------------------------------
REDACTION_PROFILE_HEADER = "x-phi-guard-redaction-profile"

# APIs whose official client reads every non-``data:`` SSE line as JSON (google-genai): their streams get no
# ``: phi-guard-redactions`` summary comment (the counts are in the audit event either way).
NO_SSE_SUMMARY_COMMENT_APIS = frozenset({"gemini.generate_content"})

# --- approval webhooks -------------------------------------------------------------------------------------
WEBHOOK_SIGNATURE_HEADER = "x-phi-guard-signature"
WEBHOOK_TIMESTAMP_HEADER = "x-phi-guard-timestamp"
WEBHOOK_EVENT_HEADER = "x-phi-guard-event"
WEBHOOK_DELIVERY_HEADER = "x-phi-guard-delivery"

# --- Envoy dynamic metadata --------------------------------------------------------------------------------
EXT_AUTHZ_METADATA_NAMESPACE = "envoy.filters.http.ext_authz"
GUARD_METADATA_NAMESPACE = "phi_guard"
# ext_authz -> ext_proc hand-off: the keys ext_authz writes into its CheckResponse ``dynamic_metadata``
# (namespace EXT_AUTHZ_METADATA_NAMESPACE); ext_proc reads them through
# ``metadata_options.forwarding_namespaces.untyped``. Never PHI: ids, codes, profile names, the caller's
# identity summary and a hash of the request. See README "The hand-off contract".
MD_REQUEST_ID = "request_id"
MD_DENIED = "denied"  # true: Envoy answered locally with ext_authz's refusal; nothing reached the model
MD_GUARD_API = "guard_api"  # true: the guard's own HTTP API (no body processing)
MD_DECISION_ID = "decision_id"
MD_POLICY_VERSION = "policy_version"
MD_RESPONSE_PROFILE = "response_profile"
MD_REQUEST_PROFILE = "request_profile"
MD_SUB = "sub"
MD_ISS = "iss"
MD_AUTH_METHOD = "auth_method"
MD_ROLES = "roles"
MD_CLIENT_ID = "client_id"
MD_APPROVAL_REF = "approval_ref"
MD_BREAK_GLASS = "break_glass"
MD_REQUEST_SHA256 = "request_sha256"
MD_REQUEST_CONTENT_TYPE = "request_content_type"
MD_REQUEST_CONTENT_ENCODING = "request_content_encoding"
MD_API = "api"
MD_MODEL = "model"
MD_RPC_METHOD = "rpc_method"  # MCP JSON-RPC method of the request (tools/list answers are filtered)
# tools the caller may call (MCP tools/list answers are cut to these); absent: the decision named none
MD_PERMITTED_TOOLS = "permitted_tools"
# tool names the caller declared in its request (``tools[]``): an answer's tool calls must name one of them
MD_TOOLS = "tools"
MD_AUTHORIZED_AT = "authorized_at"  # unix seconds (float) when Check allowed the request
# ext_authz per-route ``check_settings.context_extensions`` key naming the upstream a route goes to (which
# credential the guard injects)
CONTEXT_UPSTREAM = "phi_guard_upstream"
# Envoy runtime the rendered bootstraps set: ext_proc half-closes its side stream at the end of a request and
# waits for the guard's status instead of resetting it. A reset cancels the guard's pending read, and grpc.aio
# leaks that read's op array (~100 bytes of native heap a request; grpc/grpc#43360): +1 MB a minute at 100 req/s.
ENVOY_RUNTIME: dict[str, bool] = {"envoy.reloadable_features.ext_proc_graceful_grpc_close": True}
# gRPC initial metadata the rendered ext_proc filter sends on every Process stream, next to its
# ``send_body_without_waiting_for_header_response: true``: Envoy sends response body chunks before the guard
# answers the response headers, so the guard may hold its headers reply until a buffered (JSON) body is scanned
# and a late refusal is a clean status, not a reset stream. Absent (another Envoy config): headers are answered
# at once, as STREAMED mode needs. Its value, ``"<pause ms>,<extend ms>"``: when a held body pauses that long, the
# guard extends Envoy's message timer (``override_message_timeout``) to the second (≤ ``max_message_timeout``).
EARLY_BODY_METADATA = "x-phi-guard-early-body"
# Envoy's gRPC access log (``envoy.access_loggers.http_grpc``) names the entries it sends the guard with this
ENVOY_REPLY_LOG_NAME = "phi_guard_envoy_replies"

# --- refusal codes (the ``error`` field of a refusal body) -------------------------------------------------
GUARD_UNAVAILABLE = "guard_unavailable"
POLICY_UNAVAILABLE = "policy_unavailable"
AUDIT_UNAVAILABLE = "audit_unavailable"
JWKS_UNAVAILABLE = "jwks_unavailable"
UPSTREAM_CREDENTIAL_UNAVAILABLE = "upstream_credential_unavailable"
POLICY_DENIED = "policy_denied"
APPROVAL_REQUIRED = "approval_required"
INVALID_BODY = "invalid_body"
RESPONSE_WITHHELD = "response_withheld"
# 503: the guard already holds server.max_inflight_body_bytes of response bodies (retry later)
BODY_BUDGET_EXHAUSTED = "body_budget_exhausted"
# 502: a redaction scan used more than its CPU budget (redaction.scan_budget_seconds); the body is withheld, and
# the response half of the audit event has this as its outcome
SCAN_BUDGET_EXCEEDED = "scan_budget_exceeded"

# --- audit event outcomes (``AuditEvent.outcome``) ----------------------------------------------------------
OUTCOME_ALLOWED = "allowed"  # the request half, written at Check time before the request goes upstream
OUTCOME_COMPLETED = "completed"  # the response half (joined to the request half by request_id)
OUTCOME_INCOMPLETE = "incomplete"  # the response half of a stream that ended early
OUTCOME_GUARD_API = "guard_api"  # a call to the guard's own HTTP API (identity proven by ext_authz)
# a request Envoy answered itself with an error (ext_authz/ext_proc failed or timed out, body over the buffer
# limit, no route, protocol error, upstream unreachable ...), reported by its gRPC access log
OUTCOME_ENVOY_REFUSED = "envoy_refused"
# an answer Envoy cut or flagged after it began (upstream reset mid-stream, idle or duration timeout, client gone)
OUTCOME_ENVOY_CUT = "envoy_cut"
# a JSON AI API body sent under another content type (415)
UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
# an image, audio, video or scanned PDF in a minimised prompt: its content is not read (400;
# redaction.request_media)
UNREADABLE_MEDIA = "unreadable_media"
# identifiers in the path or query string of a caller whose profile minimises prompts (400)
PHI_IN_URL = "phi_in_url"
