package phi_guard.approvals_test

import data.phi_guard.approvals

held := {
	"requester": {"sub": "dr-house", "roles": ["clinician"]},
	"reasons": [{"code": "approval_required", "message": "risk 55"}],
	"risk": 55, "model": "gpt-4o", "purpose": "treatment",
	"approvers": ["compliance-officer"],
}

officer := {"sub": "cathy", "auth_method": "jwt", "roles": ["compliance-officer"]}

codes(d) := {r.code | some r in d.reasons}

test_compliance_officer_may_approve if {
	d := approvals.decision with input as {"approver": officer, "request": held}
	d.allow
	d.reasons == set()
}

test_requester_never_approves_own if {
	own := object.union(officer, {"sub": "dr-house"})
	d := approvals.decision with input as {"approver": own, "request": held}
	not d.allow
	"self_approval" in codes(d)
}

test_self_approval_even_when_requester_is_an_approver if {
	req := object.union(held, {"requester": {"sub": "cathy", "roles": ["compliance-officer"]}})
	d := approvals.decision with input as {"approver": officer, "request": req}
	codes(d) == {"self_approval"}
}

test_other_roles_cannot_approve if {
	nurse := {"sub": "nina", "auth_method": "jwt", "roles": ["nurse"]}
	d := approvals.decision with input as {"approver": nurse, "request": held}
	codes(d) == {"not_an_approver"}
}

test_default_approvers_from_data if {
	req := object.union(held, {"approvers": []})
	d := approvals.decision with input as {"approver": officer, "request": req}
	d.allow
}

test_agents_cannot_approve if {
	bot := {"sub": "spiffe://hospital.example/agent/x", "auth_method": "mtls", "roles": ["compliance-officer"]}
	d := approvals.decision with input as {"approver": bot, "request": held}
	codes(d) == {"approver_must_be_a_person"}
}
