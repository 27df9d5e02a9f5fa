"""build_policy_input: the opa-envoy-plugin shape plus identity, ai, purpose, break-glass, approval, time."""

from __future__ import annotations

from datetime import UTC, datetime

from sidecar.ai_request import parse_ai_request
from sidecar.policy.input import build_policy_input
from tests.policy.conftest import chat, person, view

NOW = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # a Tuesday


def _input(**headers: str):
    v = view(chat(), path="/v1/chat/completions?trace=1&trace=2", headers=headers)
    return build_policy_input(v, person("clinician"), parse_ai_request(v), now=NOW, tz="America/New_York")


def test_envoy_shape_and_masked_credentials() -> None:
    inp = _input(authorization="Bearer secret-token", cookie="sid=1")
    http = inp["attributes"]["request"]["http"]
    assert (http["method"], http["host"], http["scheme"]) == ("POST", "guard.local", "http")
    assert http["path"] == "/v1/chat/completions?trace=1&trace=2"
    assert http["headers"]["authorization"] == "<redacted>" and http["headers"]["cookie"] == "<redacted>"
    assert "secret-token" not in repr(inp)
    assert inp["parsed_path"] == ["v1", "chat", "completions"]
    assert inp["parsed_query"] == {"trace": ["1", "2"]}
    assert inp["parsed_body"]["model"] == "gpt-4o"
    assert inp["truncated_body"] is False
    assert inp["identity"]["roles"] == ["clinician"]
    assert inp["ai"]["api"] == "openai.chat"


def test_time_in_configured_zone() -> None:
    t = _input()["time"]
    assert (t["hour"], t["weekday"], t["weekday_name"]) == (18, 1, "tuesday")
    assert t["timezone"] == "America/New_York"


def test_purpose_break_glass_approval() -> None:
    inp = _input(
        **{
            "x-phi-guard-purpose": " Treatment ",
            "x-phi-guard-break-glass": " code blue ",
            "x-phi-guard-approval": "ap-1",
        }
    )
    assert inp["purpose"] == "treatment"
    assert inp["break_glass"] == {"requested": True, "reason": "code blue"}
    assert inp["approval"] == {"id": "ap-1"}


def test_break_glass_flag_without_reason_and_absent() -> None:
    assert _input(**{"x-phi-guard-break-glass": "true"})["break_glass"] == {"requested": True, "reason": ""}
    v = view(chat(), headers={"x-phi-guard-purpose": ""})
    inp = build_policy_input(v, person("nurse"), parse_ai_request(v), now=NOW)
    assert inp["break_glass"] == {"requested": False, "reason": ""}
    assert inp["purpose"] is None and inp["approval"] == {"id": None}
    assert inp["time"]["hour"] == 23
