# METADATA
# title: phi-guard request authorization
# description: |
#   One decision document per request to a model (entrypoint data.phi_guard.authz.decision).
#   Roles, allowlists, limits and risk points are data: opa/phi_guard/config/data.json.
#   Kept cheap to evaluate (the guard runs it on every request): each fact is computed once in a rule or
#   a comprehension and reused, and the cheapest condition of a rule comes first.
package phi_guard.authz

import data.phi_guard.config

# ---------------------------------------------------------------------------------------------------
# The decision document
# ---------------------------------------------------------------------------------------------------

decision := {
	"allow": allow,
	"reasons": reasons,
	"risk": risk,
	"risk_factors": risk_factors,
	"approval_required": approval_required,
	"approvers": config.approvers,
	"break_glass_allowed": break_glass_allowed,
	"redaction": {"response": response_profile, "request": request_profile},
	"headers": headers,
	"roles": acting_roles,
	"purpose": purpose,
	"request_summary": request_summary,
	"permitted_tools": permitted_tools,
	"approval_uses": config.approval.max_uses,
	"approval_window_seconds": config.approval.window_seconds,
}

# Any hard denial (computed once; every rule below reads this).
denied := count(deny) > 0

default allow := false

# A clean request under the threshold.
allow if {
	not denied
	not approval_required
	not break_glass_requested
}

# Break-glass: an emergency override of the approval step (never of a hard denial).
allow if {
	not denied
	break_glass_granted
}

reasons := deny if denied

reasons := {{"code": "break_glass", "message": "break-glass access: reviewed after the fact"}} if {
	not denied
	break_glass_granted
}

reasons := {approval_reason} if approval_required

default reasons := set()

approval_reason := {
	"code": "approval_required",
	"message": sprintf("risk %v reaches the approval threshold %v: see risk_factors", [risk, config.risk.threshold]),
}

default approval_required := false

# Only a request that would otherwise be allowed can be approved: an approval never lifts a hard denial.
approval_required if {
	not denied
	risk >= config.risk.threshold
	not break_glass_granted
	not metadata_request
}

# ---------------------------------------------------------------------------------------------------
# Who is asking: roles known to the policy, and the roles acting for this purpose
# ---------------------------------------------------------------------------------------------------

known_roles := {r | some r in input.identity.roles; config.roles[r]}

# (A role that is not in config.roles has no purposes: acting roles are always known roles.)
acting_roles := {r | some r in input.identity.roles; purpose in config.roles[r].purposes}

some_role_acts := count(acting_roles) > 0

several_roles_act if count(acting_roles) > 1

# The configuration of the one acting role (undefined when none or several act).
only_role_config := config.roles[r] if {
	count(acting_roles) == 1
	some r in acting_roles
}

purpose := object.get(input, "purpose", null)

metadata_request if {
	some route in config.metadata_routes
	input.attributes.request.http.method == route.method
	concat("/", ["", concat("/", input.parsed_path)]) == route.path
}

llm_apis := {"openai.chat", "openai.responses", "anthropic.messages", "gemini.generate_content", "ollama.chat"}

# A missing ai document counts as unparseable: absent fields never make a request look clean.
api := object.get(input, ["ai", "api"], "unknown")

parse_error := object.get(input, ["ai", "parse_error"], "missing")

# ---------------------------------------------------------------------------------------------------
# Hard denials (break-glass never overrides these)
# ---------------------------------------------------------------------------------------------------

deny contains {"code": "no_role", "message": "the caller holds no role known to the policy"} if {
	count(known_roles) == 0
}

deny contains {"code": "mtls_required", "message": "agent identities must authenticate with mTLS"} if {
	object.get(input, ["identity", "auth_method"], "") != "mtls"
	some r in known_roles
	config.roles[r].requires_mtls
}

deny contains {"code": "body_truncated", "message": "the request body was truncated and cannot be inspected"} if {
	input.truncated_body
}

deny contains {"code": "body_unparseable", "message": "the request body is not JSON, is compressed, or is not the shape of its API"} if {
	parse_error != null
	not input.truncated_body
	not metadata_request
}

deny contains {"code": "unknown_api", "message": "the request is not a recognised AI API call"} if {
	api == "unknown"
	parse_error == null
	not metadata_request
}

deny contains {"code": "purpose_required", "message": "header x-phi-guard-purpose is required"} if {
	purpose == null
	not metadata_request
}

deny contains {"code": "unknown_purpose", "message": sprintf("purpose %s is not a recognised purpose of use", [purpose])} if {
	purpose != null
	not config.purposes[purpose]
	not metadata_request
}

deny contains {"code": "purpose_not_permitted", "message": sprintf("no role of the caller may act for purpose %s", [purpose])} if {
	not some_role_acts
	count(known_roles) > 0
	config.purposes[purpose]
	not metadata_request
}

deny contains {"code": "api_not_permitted", "message": sprintf("API %s is not permitted for this role", [api])} if {
	some_role_acts
	api != "unknown"
	not api_permitted
}

api_permitted if {
	some r in acting_roles
	api in config.roles[r].apis
}

deny contains {"code": "model_required", "message": "the request names no model"} if {
	not is_string(object.get(input, ["ai", "model"], null)) # a missing model is no model, in OPA and the guard
	some_role_acts
	api in llm_apis
	parse_error == null
}

deny contains {"code": "model_not_permitted", "message": sprintf("model %s is not on this role's allowlist", [input.ai.model])} if {
	some_role_acts
	is_string(input.ai.model)
	not model_permitted
}

model_permitted if {
	some r in acting_roles
	input.ai.model in config.roles[r].models
}

deny contains {"code": "tool_not_permitted", "message": sprintf("tool %s is not on this role's allowlist", [t])} if {
	some t in requested_tools
	some_role_acts
	not tool_permitted(t)
}

tool_permitted(t) if {
	some r in acting_roles
	t in config.roles[r].tools
}

# MCP requests only on the MCP servers' routes (config.mcp_path_prefixes): a JSON-RPC body or a bodiless
# session GET/DELETE aimed at a model API path would otherwise ride the agent's MCP permissions there.
deny contains {"code": "mcp_path_not_permitted", "message": "MCP requests are accepted only on the MCP server routes"} if {
	startswith(api, "mcp.")
	not mcp_path
}

mcp_path if {
	p := split(input.attributes.request.http.path, "?")[0]
	some prefix in config.mcp_path_prefixes
	path_under(p, prefix)
}

path_under(p, prefix) if p == prefix

path_under(p, prefix) if startswith(p, concat("", [prefix, "/"]))

# Tools by purpose: a tool named in config.tool_purposes is permitted only for the purposes listed there.
# permitted_tools (in the decision) is what the guard leaves in an MCP tools/list answer: the caller sees
# only the tools it may call.
tool_purpose_permitted(t) if not config.tool_purposes[t]

tool_purpose_permitted(t) if purpose in config.tool_purposes[t]

# Tools listed in config.tool_purposes without this purpose (one set, computed once per decision).
tools_closed_for_purpose := {t | purposes := config.tool_purposes[t]; not purpose in purposes}

default permitted_tools := []

permitted_tools := sort({t | some t in cfg.tools} - tools_closed_for_purpose) if {
	cfg := only_role_config
}

permitted_tools := sort({t | some r in acting_roles; some t in config.roles[r].tools} - tools_closed_for_purpose) if {
	several_roles_act
}

deny contains {"code": "tool_purpose_not_permitted", "message": sprintf("tool %s may not be used for purpose %s", [t, purpose])} if {
	some t in requested_tools
	tool_permitted(t)
	not tool_purpose_permitted(t)
}

deny contains {"code": "mcp_method_not_permitted", "message": sprintf("MCP method %s is not permitted", [input.ai.rpc_method])} if {
	api == "mcp.rpc"
	some_role_acts
	not mcp_method_permitted
}

mcp_method_permitted if {
	some r in acting_roles
	input.ai.rpc_method in object.get(config.roles[r], "mcp_methods", [])
}

deny contains {"code": "max_tokens_exceeded", "message": sprintf("max tokens %v exceed this role's limit %v", [input.ai.max_tokens, max_tokens_limit])} if {
	some_role_acts
	is_number(input.ai.max_tokens)
	input.ai.max_tokens > max_tokens_limit
}

# One acting role (the usual case) reads its limits directly; several take the largest.
max_tokens_limit := only_role_config.max_tokens

max_tokens_limit := largest([config.roles[r].max_tokens | some r in acting_roles]) if several_roles_act

max_patients_limit := only_role_config.max_patients

max_patients_limit := largest([config.roles[r].max_patients | some r in acting_roles]) if several_roles_act

# The largest number in xs (undefined when empty). Not max(): rego-cpp orders numbers as text there, so
# max([3, 10]) would be 3 in the guard.
largest(xs) := m if {
	some m in xs
	every x in xs {
		x <= m
	}
}

deny contains {"code": "minimum_necessary_patients", "message": sprintf("the request concerns %v patients; this role may send at most %v", [input.ai.patient_count, max_patients_limit])} if {
	some_role_acts
	input.ai.patient_count > max_patients_limit
}

deny contains {"code": "sensitive_category_not_permitted", "message": sprintf("%s content is not permitted for this role", [t])} if {
	some t in input.ai.topics
	some_role_acts
	every r in acting_roles {
		t in config.roles[r].denied_topics
	}
}

deny contains {"code": "break_glass_reason_required", "message": "break-glass needs a reason in header x-phi-guard-break-glass"} if {
	input.break_glass.requested == true
	input.break_glass.reason == ""
}

deny contains {"code": "break_glass_reason_too_short", "message": sprintf("a break-glass reason needs at least %d visible letters or digits", [break_glass_min_reason_chars])} if {
	input.break_glass.requested == true
	input.break_glass.reason != ""
	not break_glass_reason_ok
}

deny contains {"code": "break_glass_not_permitted", "message": "break-glass is not permitted for this role"} if {
	input.break_glass.requested == true
	break_glass_reason_ok
	not break_glass_allowed
}

# ---------------------------------------------------------------------------------------------------
# Break-glass
# ---------------------------------------------------------------------------------------------------

break_glass_requested if input.break_glass.requested == true

default break_glass_allowed := false

break_glass_allowed if {
	some r in acting_roles
	config.roles[r].break_glass == true
}

break_glass_granted if {
	break_glass_requested
	break_glass_reason_ok
	break_glass_allowed
}

# A reason counts when it has enough visible letters or digits (the guard counts them, ignoring invisible and
# filler characters such as U+3164 or U+2800: input.break_glass.reason_visible_chars).
break_glass_min_reason_chars := object.get(config, ["break_glass", "min_reason_visible_chars"], 10)

break_glass_reason_ok if {
	input.break_glass.reason != ""
	object.get(input.break_glass, "reason_visible_chars", 0) >= break_glass_min_reason_chars
}

# ---------------------------------------------------------------------------------------------------
# Redaction profiles: the strictest of the acting roles (safe_harbor when no role acts)
# ---------------------------------------------------------------------------------------------------

profile_rank := {"clinical": 1, "standard": 2, "safe_harbor": 3}

profile_by_rank := {1: "clinical", 2: "standard", 3: "safe_harbor"}

default response_profile := "safe_harbor"

response_profile := p if {
	p := only_role_config.response_profile
	profile_rank[p]
}

response_profile := profile_by_rank[largest([profile_rank[config.roles[r].response_profile] | some r in acting_roles])] if {
	several_roles_act
}

# A role's response profile applies to every path it may call: a metadata route (no purpose, so no acting
# role) gets the strictest profile among the caller's known roles, never a fixed weaker one.
response_profile := profile_by_rank[largest([profile_rank[config.roles[r].response_profile] | some r in known_roles])] if {
	not some_role_acts
	metadata_request
	count(known_roles) > 0
}

default request_profile := null

request_profile := p if {
	p := only_role_config.request_profile
	profile_rank[p]
}

request_profile := profile_by_rank[largest(ranks)] if {
	several_roles_act
	ranks := [profile_rank[p] | some r in acting_roles; p := config.roles[r].request_profile; p != null]
	count(ranks) > 0
}

# ---------------------------------------------------------------------------------------------------
# Upstream headers and a summary of what was asked (for approvers and decision logs)
# ---------------------------------------------------------------------------------------------------

default headers := {}

headers := {"x-phi-guard-purpose": purpose} if is_string(purpose)

request_summary := {
	"api": object.get(input, ["ai", "api"], null),
	"model": object.get(input, ["ai", "model"], null),
	"purpose": purpose,
	"tools": sort(requested_tools),
}
