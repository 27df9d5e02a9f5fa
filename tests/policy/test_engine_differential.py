"""Differential test: rego-cpp (embedded) and OPA's Go engine (golib) give identical decision documents on
generated inputs, for the shipped policy and for the edits a compliance team typically makes. The control shows
the comparison catches a one-rule semantic difference."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from bench.policy_edits import EDITS, edited_copy
from sidecar.policy.bundle import load_source
from sidecar.policy.embedded import EmbeddedEngine
from sidecar.policy.golib import GolibEngine
from tests.policy.conftest import SHIPPED
from tests.policy.policy_inputs import approval_inputs, policy_inputs

DECISION = "phi_guard/authz/decision"
APPROVALS = "phi_guard/approvals/decision"


def _ordered(value: Any) -> Any:
    """``value`` with lists of strings or objects in one canonical order. rego-cpp orders strings holding
    characters that JSON escapes (control characters) by their escaped text, OPA by their bytes: sets (reasons,
    roles) and ``sort()`` of such strings list the same members in another order (see
    test_golib_orders_strings_as_opa_does). Every member, count and every other value is still compared exactly."""
    if isinstance(value, dict):
        return {k: _ordered(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_ordered(v) for v in value]
        if all(isinstance(v, str | dict) for v in items):
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return items
    return value


@pytest.fixture(scope="module", params=list(EDITS))
def engine_pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    root = edited_copy(SHIPPED, tmp_path_factory.mktemp("policy") / "opa", request.param)
    source = load_source(root)
    entrypoints = [DECISION, APPROVALS]
    return EmbeddedEngine(source, entrypoints), GolibEngine(source, entrypoints)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inp=policy_inputs())
def test_authz_decisions_identical(engine_pair: tuple[Any, Any], inp: dict[str, Any]) -> None:
    embedded, golib = engine_pair
    assert _ordered(embedded.evaluate(DECISION, inp)) == _ordered(golib.evaluate(DECISION, inp))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inp=approval_inputs())
def test_approval_decisions_identical(engine_pair: tuple[Any, Any], inp: dict[str, Any]) -> None:
    embedded, golib = engine_pair
    assert _ordered(embedded.evaluate(APPROVALS, inp)) == _ordered(golib.evaluate(APPROVALS, inp))


def test_generated_inputs_reach_allow_deny_and_approval(engine_pair: tuple[Any, Any]) -> None:
    """The generator is not vacuous: it produces allowed, denied and approval-required requests."""
    _, golib = engine_pair
    seen: set[str] = set()

    @settings(max_examples=200, deadline=None, database=None)
    @given(inp=policy_inputs())
    def collect(inp: dict[str, Any]) -> None:
        d = golib.evaluate(DECISION, inp)
        seen.add("allow" if d["allow"] else ("approval" if d["approval_required"] else "deny"))

    collect()
    assert seen == {"allow", "deny", "approval"}


def test_control_a_one_rule_difference_is_caught(tmp_path: Path) -> None:
    """Control: the same comparison fails when one engine runs a policy whose business-hours rule differs by one
    comparison (the last six business hours count as off hours)."""
    root = tmp_path / "opa"
    shutil.copytree(SHIPPED, root)
    embedded = EmbeddedEngine(load_source(SHIPPED), [DECISION])
    risk = root / "phi_guard" / "authz" / "risk.rego"
    text = risk.read_text()
    assert "input.time.hour < hours.end_hour" in text
    risk.write_text(text.replace("input.time.hour < hours.end_hour", "input.time.hour < hours.end_hour - 6"))
    golib = GolibEngine(load_source(root), [DECISION])
    found: list[dict[str, Any]] = []

    @settings(max_examples=400, deadline=None, database=None)
    @given(inp=policy_inputs())
    def compare(inp: dict[str, Any]) -> None:
        if _ordered(embedded.evaluate(DECISION, inp)) != _ordered(golib.evaluate(DECISION, inp)):
            found.append(inp)

    compare()
    assert found, "a policy difference went unnoticed: the differential oracle cannot fail"


def test_golib_orders_strings_as_opa_does(engine_pair: tuple[Any, Any]) -> None:
    """OPA sorts strings by their bytes (Go string order): so does golib, control characters included."""
    _, golib = engine_pair
    tools = ["drug_interactions", "\x7f\x1f", "Z", "a\x01"]
    inp = {"ai": {"api": "openai.chat", "tools": tools, "tool_calls": []}, "identity": {"roles": []}}
    summary = golib.evaluate(DECISION, inp)["request_summary"]
    assert summary["tools"] == sorted(tools, key=lambda t: t.encode())
