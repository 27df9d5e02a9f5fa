"""The golib engine evaluates through the bridge's C entry point (input encoded once, no wrapper per call): the
same documents as the bindings' own ``eval_document``, undefined stays undefined, and every failure is a
:class:`PolicyEvalError` (the guard refuses), never a partial answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from sidecar.policy.bundle import load_source
from sidecar.policy.errors import PolicyEvalError
from sidecar.policy.golib import GolibEngine
from sidecar.policy.reference import UNDEFINED
from tests.policy.conftest import SHIPPED
from tests.policy.policy_inputs import policy_inputs

DECISION = "phi_guard/authz/decision"


@pytest.fixture(scope="module")
def engine() -> GolibEngine:
    return GolibEngine(load_source(SHIPPED), [DECISION, "phi_guard/approvals/decision"])


def _encoded(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inp=policy_inputs())
def test_fast_path_gives_the_bindings_documents(engine: GolibEngine, inp: dict[str, Any]) -> None:
    opa = engine._opa
    assert opa.evaluate_fast(DECISION, _encoded(inp)) == opa.evaluate(DECISION, inp)
    assert engine.evaluate(DECISION, inp) == opa.evaluate(DECISION, inp)


def test_undefined_and_errors(engine: GolibEngine) -> None:
    opa = engine._opa
    assert opa.evaluate_fast("phi_guard/authz/no_such_rule", b"{}") is UNDEFINED
    with pytest.raises(PolicyEvalError):
        opa.evaluate_fast(DECISION, b"{not json")
    with pytest.raises(PolicyEvalError):  # a lone surrogate never reaches OPA as U+FFFD
        engine.evaluate(DECISION, {"ai": {"model": "gpt-4o\ud800"}})


def test_control_a_different_input_gives_a_different_document(engine: GolibEngine) -> None:
    """Control: the comparison above can fail: one role apart, the documents differ."""
    opa = engine._opa
    base = {"identity": {"roles": ["clinician"], "auth_method": "jwt"}, "purpose": "treatment"}
    other = {"identity": {"roles": ["nurse"], "auth_method": "jwt"}, "purpose": "treatment"}
    assert opa.evaluate_fast(DECISION, _encoded(base)) != opa.evaluate(DECISION, other)


def test_closed_engine_refuses() -> None:
    e = GolibEngine(load_source(SHIPPED), [DECISION])
    e._opa.close()
    with pytest.raises(PolicyEvalError):
        e.evaluate(DECISION, {"purpose": "treatment"})
