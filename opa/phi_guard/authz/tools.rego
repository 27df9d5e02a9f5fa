# METADATA
# title: tools by role and purpose
# description: |
#   A tool is permitted when an acting role lists it (config.roles[r].tools) and, if config.tool_purposes
#   names the tool, the request's purpose is one of those listed for it. Each MCP tools/call and every tool a
#   model request declares or calls is checked; the decision's permitted_tools is the set the guard leaves
#   in an MCP tools/list answer (the caller sees only the tools it may call).
package phi_guard.authz

import data.phi_guard.config

tool_purpose_permitted(t) if not config.tool_purposes[t]

tool_purpose_permitted(t) if purpose in config.tool_purposes[t]

permitted_tools := sort([t |
	some t in {t | some r in acting_roles; some t in config.roles[r].tools}
	tool_purpose_permitted(t)
])

deny contains {"code": "tool_purpose_not_permitted", "message": sprintf("tool %s may not be used for purpose %s", [t, purpose])} if {
	some t in requested_tools
	tool_permitted(t)
	not tool_purpose_permitted(t)
}
