package phi_guard.authz_test

import data.phi_guard.authz

# A clean clinician request on a Tuesday at 10:00; each test changes what it is about.
base := {
	"attributes": {"request": {"http": {"method": "POST", "path": "/v1/chat/completions", "headers": {}}}},
	"parsed_path": ["v1", "chat", "completions"],
	"truncated_body": false,
	"identity": {"sub": "dr-house", "auth_method": "jwt", "roles": ["clinician"]},
	"purpose": "treatment",
	"break_glass": {"requested": false, "reason": ""},
	"approval": {"id": null},
	"time": {"hour": 10, "weekday": 1},
	"ai": {
		"api": "openai.chat", "provider": "openai", "model": "gpt-4o", "stream": false, "max_tokens": 512,
		"tools": [], "tool_calls": [], "messages": 1, "text_chars": 40, "parse_error": null,
		"rpc_method": null, "patient_count": 1, "topics": [],
	},
}

req(patch) := object.union(base, patch)

as_role(role, patch) := object.union(req(patch), {"identity": {"sub": "u-1", "auth_method": "jwt", "roles": [role]}})

ai(patch) := object.union(base.ai, patch)

codes(d) := {r.code | some r in d.reasons}

# --- allow paths, per role --------------------------------------------------------------------------

test_clinician_allowed if {
	d := authz.decision with input as base
	d.allow
	d.reasons == set()
	d.redaction == {"response": "clinical", "request": null}
	d.headers == {"x-phi-guard-purpose": "treatment"}
	d.approval_required == false
}

test_nurse_allowed_small_model if {
	d := authz.decision with input as as_role("nurse", {"ai": ai({"model": "gpt-4o-mini"})})
	d.allow
	d.redaction.response == "clinical"
}

test_care_coordinator_operations_standard_profile if {
	d := authz.decision with input as as_role("care-coordinator", {"purpose": "operations", "ai": ai({"model": "gpt-4o-mini"})})
	d.allow
	d.redaction.response == "standard"
}

test_billing_payment_minimises_prompt if {
	d := authz.decision with input as as_role("billing", {"purpose": "payment", "ai": ai({"model": "gpt-4o-mini"})})
	d.allow
	d.redaction == {"response": "standard", "request": "standard"}
}

test_researcher_safe_harbor_both_ways if {
	d := authz.decision with input as as_role("researcher", {"purpose": "research"})
	d.allow
	d.redaction == {"response": "safe_harbor", "request": "safe_harbor"}
}

test_compliance_officer_operations if {
	d := authz.decision with input as as_role("compliance-officer", {"purpose": "operations"})
	d.allow
}

test_agent_mcp_tool_call_allowed if {
	d := authz.decision with input as agent_call("ehr.get_encounter")
	d.allow
	d.redaction.response == "standard"
}

agent_call(tool) := object.union(req({"ai": ai({
	"api": "mcp.tools_call", "provider": "mcp", "model": null, "max_tokens": null,
	"tools": [tool], "tool_calls": [{"name": tool, "arguments": {}}], "rpc_method": "tools/call",
})}), {
	"identity": {"sub": "spiffe://hospital.example/agent/scheduler", "auth_method": "mtls", "roles": ["agent"]},
	"attributes": {"request": {"http": {"method": "POST", "path": "/mcp", "headers": {}}}},
})

test_agent_mcp_tools_list_allowed if {
	inp := object.union(agent_call("x"), {"ai": ai({"api": "mcp.rpc", "model": null, "tools": [], "tool_calls": [], "rpc_method": "tools/list"})})
	d := authz.decision with input as inp
	d.allow
}

test_metadata_route_needs_no_purpose if {
	inp := object.union(base, {
		"purpose": null, "parsed_path": ["v1", "models"],
		"attributes": {"request": {"http": {"method": "GET", "path": "/v1/models"}}},
		"ai": ai({"api": "unknown", "model": null, "parse_error": null}),
	})
	d := authz.decision with input as inp
	d.allow
	d.redaction.response == "clinical"
}

metadata_input(roles) := object.union(base, {
	"purpose": null, "parsed_path": ["v1", "models"],
	"attributes": {"request": {"http": {"method": "GET", "path": "/v1/models"}}},
	"ai": ai({"api": "unknown", "model": null, "parse_error": null}),
	"identity": {"sub": "u-1", "auth_method": "jwt", "roles": roles},
})

test_metadata_route_keeps_the_roles_profile if {
	d := authz.decision with input as metadata_input(["researcher"])
	d.allow
	d.redaction.response == "safe_harbor"
}

test_metadata_route_takes_the_strictest_of_the_callers_roles if {
	d := authz.decision with input as metadata_input(["clinician", "researcher"])
	d.redaction.response == "safe_harbor"
	d2 := authz.decision with input as metadata_input(["clinician", "billing"])
	d2.redaction.response == "standard"
}

# --- hard denials --------------------------------------------------------------------------------------

test_unknown_role_denied if {
	d := authz.decision with input as as_role("janitor", {})
	not d.allow
	"no_role" in codes(d)
	d.redaction.response == "safe_harbor"
}

test_empty_input_is_a_denial_not_undefined if {
	d := authz.decision with input as {}
	not d.allow
	"no_role" in codes(d)
}

test_agent_without_mtls_denied if {
	inp := object.union(agent_call("ehr.get_encounter"), {"identity": {"auth_method": "jwt"}})
	d := authz.decision with input as inp
	"mtls_required" in codes(d)
	not d.allow
}

test_truncated_body_denied if {
	d := authz.decision with input as req({"truncated_body": true, "ai": ai({"parse_error": "truncated"})})
	codes(d) == {"body_truncated"}
	not d.allow
}

test_unparseable_body_denied if {
	d := authz.decision with input as req({"ai": ai({"parse_error": "invalid_json", "model": null})})
	codes(d) == {"body_unparseable"}
}

test_unknown_api_denied if {
	d := authz.decision with input as req({"parsed_path": ["v1", "embeddings"], "ai": ai({"api": "unknown"})})
	"unknown_api" in codes(d)
	not d.allow
}

test_purpose_required if {
	d := authz.decision with input as req({"purpose": null})
	"purpose_required" in codes(d)
}

test_unknown_purpose if {
	d := authz.decision with input as req({"purpose": "curiosity"})
	"unknown_purpose" in codes(d)
}

test_purpose_not_permitted_for_role if {
	d := authz.decision with input as as_role("billing", {"purpose": "treatment", "ai": ai({"model": "gpt-4o-mini"})})
	codes(d) == {"purpose_not_permitted"}
}

test_api_not_permitted if {
	d := authz.decision with input as as_role("billing", {"purpose": "payment", "ai": ai({"api": "anthropic.messages", "model": "gpt-4o-mini"})})
	codes(d) == {"api_not_permitted"}
}

test_model_required if {
	d := authz.decision with input as req({"ai": ai({"model": null})})
	codes(d) == {"model_required"}
}

test_model_not_permitted if {
	d := authz.decision with input as as_role("nurse", {"ai": ai({"model": "gpt-4o"})})
	codes(d) == {"model_not_permitted"}
	not d.allow
}

test_tool_not_permitted_for_agent if {
	d := authz.decision with input as agent_call("ehr.delete_patient")
	codes(d) == {"tool_not_permitted"}
}

test_tool_declared_in_chat_not_permitted if {
	d := authz.decision with input as as_role("billing", {"purpose": "payment", "ai": ai({"model": "gpt-4o-mini", "tools": ["ehr.search_patients"]})})
	codes(d) == {"tool_not_permitted"}
}

test_mcp_method_not_permitted if {
	inp := object.union(agent_call("x"), {"ai": ai({"api": "mcp.rpc", "model": null, "tools": [], "tool_calls": [], "rpc_method": "resources/read"})})
	d := authz.decision with input as inp
	codes(d) == {"mcp_method_not_permitted"}
}

test_max_tokens_exceeded if {
	d := authz.decision with input as as_role("nurse", {"ai": ai({"model": "gpt-4o-mini", "max_tokens": 5000})})
	codes(d) == {"max_tokens_exceeded"}
}

test_minimum_necessary_patients if {
	d := authz.decision with input as as_role("nurse", {"ai": ai({"model": "gpt-4o-mini", "patient_count": 4})})
	"minimum_necessary_patients" in codes(d)
	not d.allow
}

test_sensitive_category_not_permitted if {
	d := authz.decision with input as as_role("billing", {"purpose": "payment", "ai": ai({"model": "gpt-4o-mini", "topics": ["hiv"]})})
	"sensitive_category_not_permitted" in codes(d)
}

test_sensitive_category_allowed_when_any_acting_role_allows if {
	inp := object.union(req({"ai": ai({"model": "gpt-4o-mini", "topics": ["psychotherapy_notes"]})}), {"identity": {"roles": ["nurse", "clinician"]}})
	d := authz.decision with input as inp
	not "sensitive_category_not_permitted" in codes(d)
}

# --- risk and approval ---------------------------------------------------------------------------------

test_risk_below_threshold_allows if {
	d := authz.decision with input as req({"ai": ai({"topics": ["hiv"]})})
	d.allow
	d.risk == 30
}

test_risk_at_threshold_requires_approval if {
	d := authz.decision with input as req({"ai": ai({"topics": ["psychotherapy_notes"]})})
	not d.allow
	d.approval_required
	codes(d) == {"approval_required"}
	d.approvers == ["compliance-officer"]
}

test_bulk_patients_points if {
	d := authz.decision with input as req({"ai": ai({"patient_count": 6})})
	{"code": "bulk_patients", "points": 40} in d.risk_factors
	d.allow
}

test_substance_use_off_hours_requires_approval if {
	d := authz.decision with input as req({"time": {"hour": 23, "weekday": 1}, "ai": ai({"topics": ["substance_use"]})})
	d.risk == 55
	d.approval_required
}

test_weekend_is_off_hours if {
	d := authz.decision with input as req({"time": {"hour": 10, "weekday": 6}})
	{"code": "off_hours", "points": 15} in d.risk_factors
}

test_business_hours_no_off_hours_points if {
	d := authz.decision with input as base
	d.risk == 0
	d.risk_factors == set()
}

test_genetic_and_hiv_points_add_up if {
	d := authz.decision with input as req({"ai": ai({"topics": ["genetic", "hiv"]})})
	d.risk == 60
	d.approval_required
}

test_export_tool_requires_approval if {
	d := authz.decision with input as as_role("care-coordinator", {"ai": ai({"model": "gpt-4o-mini", "tool_calls": [{"name": "ehr.export_records", "arguments": {}}]})})
	{"code": "export_tool", "points": 50} in d.risk_factors
	d.approval_required
	not d.allow
}

test_large_output_points if {
	d := authz.decision with input as req({"ai": ai({"max_tokens": 6000})})
	{"code": "large_output", "points": 10} in d.risk_factors
}

test_threshold_is_data if {
	d := authz.decision with input as req({"ai": ai({"topics": ["hiv"]})}) with data.phi_guard.config.risk.threshold as 20
	d.approval_required
}

test_hard_denial_is_never_approvable if {
	d := authz.decision with input as as_role("nurse", {"ai": ai({"model": "gpt-4o", "topics": ["substance_use", "hiv"]})})
	codes(d) == {"model_not_permitted"}
	d.risk >= 50
	d.approval_required == false
	not d.allow
}

# --- break-glass ---------------------------------------------------------------------------------------

test_break_glass_overrides_approval if {
	d := authz.decision with input as req({
		"ai": ai({"topics": ["psychotherapy_notes"]}),
		"break_glass": {"requested": true, "reason": "patient unconscious in ED", "reason_visible_chars": 22},
	})
	d.allow
	codes(d) == {"break_glass"}
	d.approval_required == false
	d.break_glass_allowed
}

test_break_glass_needs_reason if {
	d := authz.decision with input as req({"break_glass": {"requested": true, "reason": ""}})
	codes(d) == {"break_glass_reason_required"}
	not d.allow
}

test_break_glass_reason_of_invisible_or_few_characters_is_refused if {
	# the guard counts visible letters/digits (U+3164, U+2800, ZWSP ... count 0); below the minimum: refused
	short := authz.decision with input as req({"break_glass": {"requested": true, "reason": "ok go", "reason_visible_chars": 4}})
	codes(short) == {"break_glass_reason_too_short"}
	not short.allow
	missing := authz.decision with input as req({"break_glass": {"requested": true, "reason": "\u3164\u3164\u3164\u3164\u3164\u3164\u3164\u3164\u3164\u3164"}})
	codes(missing) == {"break_glass_reason_too_short"}
	not missing.allow
}

test_break_glass_minimum_is_data if {
	d := authz.decision with input as req({"break_glass": {"requested": true, "reason": "ok go", "reason_visible_chars": 4}})
		with data.phi_guard.config.break_glass.min_reason_visible_chars as 4
	codes(d) == {"break_glass"}
	d.allow
}

test_break_glass_not_permitted_for_billing if {
	d := authz.decision with input as as_role("billing", {
		"purpose": "payment", "ai": ai({"model": "gpt-4o-mini"}),
		"break_glass": {"requested": true, "reason": "month end close", "reason_visible_chars": 13},
	})
	codes(d) == {"break_glass_not_permitted"}
	d.break_glass_allowed == false
}

test_break_glass_never_overrides_hard_denial if {
	d := authz.decision with input as as_role("nurse", {
		"ai": ai({"model": "gpt-4o"}),
		"break_glass": {"requested": true, "reason": "code blue in bay four", "reason_visible_chars": 17},
	})
	not d.allow
	codes(d) == {"model_not_permitted"}
}

# --- profiles and scope --------------------------------------------------------------------------------

test_strictest_profile_of_acting_roles if {
	inp := object.union(req({"purpose": "operations"}), {"identity": {"roles": ["clinician", "compliance-officer"]}})
	d := authz.decision with input as inp
	d.redaction.response == "standard"
	d.roles == {"clinician", "compliance-officer"}
}

test_several_acting_roles_combine_profiles_limits_and_tools if {
	inp := object.union(req({"purpose": "operations", "ai": ai({"max_tokens": 8000})}), {"identity": {"roles": ["billing", "clinician"]}})
	d := authz.decision with input as inp
	d.redaction == {"response": "standard", "request": "standard"}
	d.permitted_tools == ["drug_interactions", "ehr.get_encounter", "ehr.get_labs", "ehr.search_patients"]
	not "max_tokens_exceeded" in codes(d)
}

test_request_summary_names_the_request if {
	d := authz.decision with input as agent_call("ehr.get_encounter")
	d.approval_uses == 1
	d.approval_window_seconds == 900
	d.purpose == "treatment"
	d.request_summary == {"api": "mcp.tools_call", "model": null, "purpose": "treatment", "tools": ["ehr.get_encounter"]}
}

test_reproductive_health_points if {
	d := authz.decision with input as req({"ai": ai({"topics": ["reproductive_health"]})})
	{"code": "reproductive_health", "points": 30} in d.risk_factors
	d.allow
}

test_missing_ai_document_denied if {
	d := authz.decision with input as {"identity": {"roles": ["nurse"], "auth_method": "jwt"}, "purpose": "treatment"}
	not d.allow
	codes(d) == {"body_unparseable"}
}

test_agent_without_auth_method_denied if {
	inp := json.remove(agent_call("ehr.get_encounter"), ["identity/auth_method"])
	d := authz.decision with input as inp
	"mtls_required" in codes(d)
}
