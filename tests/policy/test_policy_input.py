"""build_policy_input: the opa-envoy-plugin shape plus identity, ai, purpose, break-glass, approval, time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

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
    assert inp["break_glass"] == {"requested": True, "reason": "code blue", "reason_visible_chars": 8}
    assert inp["approval"] == {"id": "ap-1"}


@pytest.mark.parametrize(
    ("reason", "visible"),
    [
        ("\u3164" * 20, 0),  # Hangul filler: a letter to Unicode, renders as nothing
        ("\u2800" * 20, 0),  # Braille blank
        ("\u115f\u1160\uffa0" * 5, 0),
        ("\u200b\u200c\u200d\u2060\ufeff" * 4, 0),  # zero-width and format characters
        (" . - ! \t", 0),
        ("a\u200bb\u3164c", 3),
        ("patient unconscious", 18),
        ("ＣＯＤＥ ＢＬＵＥ", 8),  # full-width folds to letters
        ("قلب ١٢٣", 6),  # letters and digits of any script count
    ],
)
def test_break_glass_counts_only_visible_letters_and_digits(reason: str, visible: int) -> None:
    bg = _input(**{"x-phi-guard-break-glass": reason})["break_glass"]
    assert bg["requested"] is True
    assert bg["reason_visible_chars"] == visible
    assert (bg["reason"] == "") == (visible == 0)  # nothing visible: no reason at all


def test_break_glass_flag_without_reason_and_absent() -> None:
    assert _input(**{"x-phi-guard-break-glass": "true"})["break_glass"] == {
        "requested": True, "reason": "", "reason_visible_chars": 0}
    v = view(chat(), headers={"x-phi-guard-purpose": ""})
    inp = build_policy_input(v, person("nurse"), parse_ai_request(v), now=NOW)
    assert inp["break_glass"] == {"requested": False, "reason": "", "reason_visible_chars": 0}
    assert inp["purpose"] is None and inp["approval"] == {"id": None}
    assert inp["time"]["hour"] == 23
