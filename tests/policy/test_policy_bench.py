"""The policy bench's stage breakdown (``python -m bench.policy_bench --breakdown``) times what it names: the raw
envelope it times decodes to the engine's own decision, the constant "floor" document is the decision it copies,
and every stage is measured for every request mix."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench import policy_bench
from sidecar.policy.bundle import load_source
from sidecar.policy.errors import PolicyEvalError
from sidecar.policy.golib import GolibEngine, encode_input
from tests.policy.conftest import SHIPPED

DECISION = "phi_guard/authz/decision"


@pytest.fixture(scope="module")
def engine() -> GolibEngine:
    return GolibEngine(load_source(SHIPPED), [DECISION])


def test_raw_envelope_decodes_to_the_engines_decision(engine: GolibEngine) -> None:
    for inp in policy_bench._inputs().values():
        raw = engine.opa.evaluate_raw(DECISION, encode_input(inp))
        assert json.loads(raw)["result"][0]["expressions"][0]["value"] == engine.evaluate(DECISION, inp)


def test_raw_envelope_carries_errors_and_undefined(engine: GolibEngine) -> None:
    assert json.loads(engine.opa.evaluate_raw("phi_guard/authz/no_such_rule", b"{}")).get("result") in (None, [])
    assert "error" in json.loads(engine.opa.evaluate_raw(DECISION, b"[not json"))
    with pytest.raises(PolicyEvalError):
        engine.opa.evaluate_fast(DECISION, b"[not json")


def test_encode_input_is_compact_utf8_and_refuses_what_json_cannot_carry() -> None:
    assert encode_input({"a": "é", "b": [1]}) == '{"a":"é","b":[1]}'.encode()
    with pytest.raises(PolicyEvalError):
        encode_input({"a": "\ud800"})  # a lone surrogate never reaches OPA as U+FFFD
    with pytest.raises(PolicyEvalError):
        encode_input({"a": object()})


def test_floor_document_is_the_decision_it_copies(engine: GolibEngine) -> None:
    inp = policy_bench._inputs()["sensitive (approval)"]
    doc = engine.evaluate(DECISION, inp)
    floor = policy_bench._constant_decision(SHIPPED, doc)
    try:
        assert floor.evaluate("bench_floor/decision", {"anything": 1}) == doc
        # Control: the floor is constant, the real decision is not.
        other = policy_bench._inputs()["denied model"]
        assert floor.evaluate("bench_floor/decision", other) != engine.evaluate(DECISION, other)
    finally:
        floor.close()


def test_breakdown_measures_every_stage_of_every_mix() -> None:
    rows = policy_bench.breakdown(SHIPPED, 3)
    assert set(policy_bench.MIX) <= set(rows)
    for name in policy_bench.MIX:
        r = rows[name]
        for stage in ("build input", "prune", "encode", "call", "call+input", "call+input+eval", "decode",
                      "decision", "decide", "floor", "decide p50", "floor p50"):
            assert math.isfinite(r[stage]) and r[stage] > 0, (name, stage)
        assert r["input bytes"] > 100 and r["result bytes"] > r["input bytes"] / 2
    assert rows["_prepare_first_call_us"]["wall"] > 0


def test_against_times_both_policies_in_every_mix(tmp_path: Path) -> None:
    """``--against`` gives both sides' wall p50 and CPU for every request mix (here a copy of the policy)."""
    import shutil

    other = tmp_path / "opa"
    shutil.copytree(SHIPPED, other)
    res = policy_bench.against(SHIPPED, other, ["golib"], 2, rounds=1)
    assert set(res["golib"]) == set(policy_bench.MIX)
    for r in res["golib"].values():
        assert all(math.isfinite(r[k]) and r[k] > 0 for k in ("p50", "cpu", "other p50", "other cpu"))
