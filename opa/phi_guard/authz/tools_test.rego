package phi_guard.authz_tools_test

import data.phi_guard.authz

# An agent over mTLS on a Tuesday at 10:00; each test changes what it is about.
agent(patch) := object.union({
	"attributes": {"request": {"http": {"method": "POST", "path": "/mcp", "headers": {}}}},
	"parsed_path": ["mcp"],
	"truncated_body": false,
	"identity": {"sub": "spiffe://phi-guard.local/ns/agents/sa/triage", "auth_method": "mtls", "roles": ["agent"]},
	"purpose": "treatment",
	"break_glass": {"requested": false, "reason": ""},
	"approval": {"id": null},
	"time": {"hour": 10, "weekday": 1},
	"ai": {
		"api": "mcp.rpc", "provider": "mcp", "model": null, "stream": false, "max_tokens": null,
		"tools": [], "tool_calls": [], "messages": 0, "text_chars": 0, "parse_error": null,
		"rpc_method": "tools/list", "patient_count": 0, "topics": [],
	},
}, patch)

call(tool, purpose) := agent({"purpose": purpose, "ai": {
	"api": "mcp.tools_call", "rpc_method": "tools/call", "tools": [tool],
	"tool_calls": [{"name": tool, "arguments": {}}],
}})

codes(d) := {r.code | some r in d.reasons}

test_tools_list_carries_the_permitted_tools_for_the_purpose if {
	d := authz.decision with input as agent({})
	d.allow
	# fhir.bulk_data is on the agent's list but only for operations: not offered for treatment
	d.permitted_tools == ["drug_interactions", "ehr.get_encounter", "ehr.search_patients", "scheduling.find_slot"]
}

test_permitted_tools_follow_the_purpose if {
	d := authz.decision with input as agent({"purpose": "operations"})
	"fhir.bulk_data" in d.permitted_tools
	not "ehr.export_records" in d.permitted_tools
}

test_tool_limited_to_a_purpose_is_denied_for_another if {
	d := authz.decision with input as call("fhir.bulk_data", "treatment")
	not d.allow
	codes(d) == {"tool_purpose_not_permitted"}
}

test_tool_limited_to_a_purpose_is_allowed_for_it_with_approval if {
	d := authz.decision with input as call("fhir.bulk_data", "operations")
	not "tool_purpose_not_permitted" in codes(d)
	d.approval_required # an export tool: risk reaches the threshold
}

test_forbidden_tool_denied_and_permitted_tool_allowed if {
	bad := authz.decision with input as call("ehr.export_records", "treatment")
	codes(bad) == {"tool_not_permitted"}
	good := authz.decision with input as call("ehr.search_patients", "treatment")
	good.allow
	good.redaction.response == "standard"
}

test_no_acting_role_permits_no_tools if {
	d := authz.decision with input as agent({"purpose": "payment"})
	not d.allow
	d.permitted_tools == []
}

test_mcp_session_stream_and_delete_allowed if {
	every m in ["http.get", "http.delete", "notifications/initialized", "initialize"] {
		d := authz.decision with input as agent({"ai": {"rpc_method": m}})
		d.allow
	}
}

test_mcp_for_a_clinician_token_is_denied if {
	d := authz.decision with input as agent({"identity": {"sub": "dr", "auth_method": "jwt", "roles": ["clinician"]}})
	not d.allow
	"api_not_permitted" in codes(d)
}

test_gemini_and_ollama_allowed_for_clinicians_but_model_checked if {
	every api in ["gemini.generate_content", "ollama.chat"] {
		ok := authz.decision with input as agent({
			"identity": {"sub": "dr", "auth_method": "jwt", "roles": ["clinician"]},
			"ai": {"api": api, "model": "echo", "rpc_method": null},
		})
		ok.allow
		bad := authz.decision with input as agent({
			"identity": {"sub": "dr", "auth_method": "jwt", "roles": ["clinician"]},
			"ai": {"api": api, "model": "llama3-uncensored", "rpc_method": null},
		})
		codes(bad) == {"model_not_permitted"}
	}
}

test_mcp_only_on_mcp_routes if {
	every path in ["/mcp", "/mcp?x=1", "/mcp-json", "/mcp/sub"] {
		ok := authz.decision with input as agent({"attributes": {"request": {"http": {"path": path}}}})
		ok.allow
	}
	every path in ["/v1/files/file-1", "/mcpx", "/", "/v1/mcp"] {
		bad := authz.decision with input as agent({"attributes": {"request": {"http": {"path": path}}}})
		codes(bad) == {"mcp_path_not_permitted"}
	}
}

test_gemini_not_permitted_for_billing if {
	d := authz.decision with input as agent({
		"identity": {"sub": "b", "auth_method": "jwt", "roles": ["billing"]}, "purpose": "payment",
		"ai": {"api": "gemini.generate_content", "model": "echo", "rpc_method": null},
	})
	codes(d) == {"api_not_permitted"}
}
