"""Decision document mapping (malformed documents fail closed) and OPA-shaped, masked decision logs."""

from __future__ import annotations

import json

import pytest

from sidecar.ai_request import parse_ai_request
from sidecar.policy.decision import to_decision
from sidecar.policy.decision_log import decision_log_entry
from sidecar.policy.errors import PolicyEvalError
from sidecar.policy.input import build_policy_input
from tests.policy.conftest import chat, person, view

DOC = {
    "allow": True,
    "reasons": [],
    "risk": 10,
    "approval_required": False,
    "redaction": {"response": "clinical", "request": None},
    "headers": {"X-A": "1"},
    "approvers": ["x"],
    "break_glass_allowed": True,
}


def test_maps_document() -> None:
    d = to_decision(DOC, "sha256:v", "id-1")
    assert (d.allow, d.risk, d.response_profile, d.request_profile) == (True, 10.0, "clinical", None)
    assert d.headers == {"x-a": "1"} and d.extra == {"approvers": ["x"], "break_glass_allowed": True}
    assert (d.policy_version, d.decision_id) == ("sha256:v", "id-1")


@pytest.mark.parametrize(
    "doc",
    [
        None,
        [],
        {},
        {"allow": "yes"},
        {**DOC, "reasons": ["x"]},
        {**DOC, "risk": "high"},
        {**DOC, "risk": True},
        {**DOC, "redaction": {}},
        {**DOC, "redaction": {"response": "clinical", "request": 3}},
        {**DOC, "headers": []},
    ],
)
def test_malformed_documents_fail_closed(doc) -> None:
    with pytest.raises(PolicyEvalError):
        to_decision(doc, "v", "id")


def test_decision_log_masks_sensitive_values() -> None:
    body = chat(text="Jane Roe MRN 1234567 has HIV")
    body["messages"].append(
        {
            "role": "assistant",
            "tool_calls": [{"function": {"name": "ehr.get_labs", "arguments": '{"patient": "Jane Roe"}'}}],
        }
    )
    v = view(
        body,
        path="/v1/chat/completions?patient=JaneRoe",
        headers={
            "authorization": "Bearer tok",
            "x-patient-name": "Jane Roe",
            "x-phi-guard-break-glass": "Jane Roe coding",
        },
    )
    inp = build_policy_input(v, person("clinician"), parse_ai_request(v))
    decision = to_decision(DOC, "sha256:v", "id-9")
    entry = decision_log_entry(inp, decision, "phi_guard/authz/decision")
    text = json.dumps(entry)
    assert "Jane" not in text and "1234567" not in text and "Bearer tok" not in text
    assert entry["decision_id"] == "id-9" and entry["path"] == "phi_guard/authz/decision"
    assert entry["bundles"] == {"phi_guard": {"revision": "sha256:v"}}
    assert entry["result"]["allow"] is True and entry["timestamp"].endswith("Z")
    assert "/parsed_body" in entry["erased"] and "/break_glass/reason" in entry["erased"]
    assert entry["input"]["ai"]["model"] == "gpt-4o" and entry["input"]["identity"]["sub"] == "u-1"
    assert inp["parsed_body"]["messages"][0]["content"].startswith("Jane")  # the input itself is untouched
