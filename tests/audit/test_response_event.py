"""The response half's event, built directly from the hand-off's values (``events.response_event``), is the event
the generic path built: ``request_event`` with an ``Identity`` made from the hand-off, then the decision's ids and
profiles set on it (the recorder's code before). Compared byte for byte, event id and time aside."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sidecar._generated.phi_guard.audit.v1 import audit_pb2
from sidecar.audit.events import request_event, response_event
from sidecar.identity.model import Identity

_TEXT = st.text(max_size=12)
_COUNTS = st.dictionaries(st.sampled_from(["NAME", "DATE", "MRN", "PHONE", "ID"]), st.integers(0, 50), max_size=4)
_VALUES = st.fixed_dictionaries({
    "request_id": _TEXT, "sub": _TEXT, "iss": _TEXT, "auth_method": st.sampled_from(["jwt", "mtls"]),
    "roles": st.lists(_TEXT, max_size=3).map(tuple), "client_id": _TEXT, "api": _TEXT, "model": _TEXT,
    "decision_id": _TEXT, "policy_version": _TEXT, "response_profile": _TEXT, "request_profile": _TEXT,
    "status": st.integers(0, 599), "outcome": _TEXT, "latency_s": st.floats(0, 100),
    "approval_ref": _TEXT, "break_glass": st.booleans(), "response_body": st.binary(max_size=40),
    "response_truncated": st.booleans(), "redaction_summary": _COUNTS, "request_redactions": _COUNTS,
    "response_headers_dropped": st.integers(0, 9),
})


def _generic(v: dict[str, Any]) -> audit_pb2.AuditEvent:
    """The recorder's former path, verbatim."""
    identity = Identity(sub=v["sub"], iss=v["iss"], auth_method=v["auth_method"], roles=v["roles"],
                        client_id=v["client_id"] or None)
    event = request_event(
        identity=identity, status=v["status"], outcome=v["outcome"], latency_s=v["latency_s"],
        approval_ref=v["approval_ref"], response_body=v["response_body"],
        response_truncated=v["response_truncated"], redaction_summary=v["redaction_summary"],
        request_redactions=v["request_redactions"], request_id=v["request_id"], api=v["api"], model=v["model"],
        parameters={}, request_body=b"", request_truncated=False,
        response_headers_dropped=v["response_headers_dropped"],
    )
    d = event.decision
    d.outcome = d.OUTCOME_ALLOW
    d.decision_id = v["decision_id"]
    d.policy_version = v["policy_version"]
    d.response_profile = v["response_profile"]
    d.request_profile = v["request_profile"]
    if v["break_glass"]:
        event.approval.break_glass = True
    return event


def _same(a: audit_pb2.AuditEvent, b: audit_pb2.AuditEvent) -> bool:
    b = audit_pb2.AuditEvent.FromString(b.SerializeToString())
    b.event_id = a.event_id
    b.time.CopyFrom(a.time)
    return (a.SerializeToString(deterministic=True) == b.SerializeToString(deterministic=True)
            and [f.name for f, _ in a.ListFields()] == [f.name for f, _ in b.ListFields()])


@given(_VALUES)
def test_the_direct_event_is_the_generic_event(values: dict[str, Any]) -> None:
    assert _same(_generic(values), response_event(**values))


def test_empty_parts_are_present_as_before() -> None:
    values = {"request_id": "", "sub": "", "iss": "", "auth_method": "jwt", "roles": (), "client_id": "", "api": "",
              "model": "", "decision_id": "", "policy_version": "", "response_profile": "", "request_profile": "",
              "status": 0, "outcome": "", "latency_s": 0.0}
    event = response_event(**values)
    assert event.HasField("request") and event.HasField("response") and not event.HasField("approval")
    assert _same(_generic({**values, "approval_ref": "", "break_glass": False, "response_body": b"",
                           "response_truncated": False, "redaction_summary": {}, "request_redactions": {},
                           "response_headers_dropped": 0}), event)


def test_control_an_event_without_the_empty_request_part_is_caught() -> None:
    """Control: the comparison sees a missing (empty) request part and a changed field."""
    values = {"request_id": "r", "sub": "s", "iss": "i", "auth_method": "jwt", "roles": ("a",), "client_id": "",
              "api": "", "model": "", "decision_id": "d", "policy_version": "p", "response_profile": "clinical",
              "request_profile": "", "status": 200, "outcome": "completed", "latency_s": 0.5,
              "approval_ref": "", "break_glass": False, "response_body": b"ok", "response_truncated": False,
              "redaction_summary": {}, "request_redactions": {}, "response_headers_dropped": 0}
    without_request = response_event(**values)
    without_request.ClearField("request")
    assert not _same(_generic(values), without_request)
    assert not _same(_generic(values), response_event(**{**values, "status": 201}))
    assert _same(_generic(values), response_event(**values))
