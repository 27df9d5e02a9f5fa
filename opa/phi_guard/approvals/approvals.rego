# METADATA
# title: who may approve a held request
# description: |
#   Entrypoint data.phi_guard.approvals.decision. input.approver is the approver's identity document,
#   input.request the stored approval request (requester {sub, roles}, reasons, risk, model, purpose, approvers).
package phi_guard.approvals

import data.phi_guard.config

decision := {"allow": allow, "reasons": reasons}

default allow := false

allow if count(deny) == 0

default reasons := set()

reasons := deny if count(deny) > 0

approver_roles := {r | some r in input.request.approvers} | {r | count(input.request.approvers) == 0; some r in config.approvers}

deny contains {"code": "self_approval", "message": "a requester can never approve their own request"} if {
	input.approver.sub == input.request.requester.sub
}

deny contains {"code": "not_an_approver", "message": "the approver holds none of the roles that may approve this request"} if {
	not holds_approver_role
}

holds_approver_role if {
	some r in input.approver.roles
	r in approver_roles
}

deny contains {"code": "approver_must_be_a_person", "message": "workload identities cannot approve"} if {
	input.approver.auth_method != "jwt"
}
