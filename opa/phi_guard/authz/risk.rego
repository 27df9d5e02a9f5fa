# METADATA
# title: risk points
# description: |
#   Points for bulk or sensitive requests; at config.risk.threshold a request needs approval.
#   Points and the threshold are data (config.risk).
package phi_guard.authz

import data.phi_guard.config

# Tools the request declares or calls (also used by the tool allowlist in authz.rego).
requested_tools := {t | some t in input.ai.tools} | {c.name | some c in input.ai.tool_calls}

risk := sum([f.points | some f in risk_factors])

risk_factors contains {"code": "bulk_patients", "points": config.risk.points.bulk_patients} if {
	input.ai.patient_count >= config.risk.bulk_patient_count
}

risk_factors contains {"code": t, "points": config.risk.points[t]} if {
	some t in input.ai.topics
	config.risk.points[t]
}

risk_factors contains {"code": "export_tool", "points": config.risk.points.export_tool} if {
	some t in requested_tools
	t in config.export_tools
}

risk_factors contains {"code": "off_hours", "points": config.risk.points.off_hours} if {
	not business_hours
}

risk_factors contains {"code": "large_output", "points": config.risk.points.large_output} if {
	is_number(input.ai.max_tokens)
	input.ai.max_tokens >= config.risk.large_output_tokens
}

business_hours if {
	hours := config.risk.business_hours
	input.time.weekday in hours.weekdays
	input.time.hour >= hours.start_hour
	input.time.hour < hours.end_hour
}
