"""The decision cache key (:func:`sidecar.policy.cache.input_key`, marshal bytes of the pruned input) serves
every generated input the decision an uncached evaluation gives, never merges inputs the canonical-JSON key kept
apart, and tells apart values JSON conflated. Control: the same oracle fails for a key that drops a field the
policy reads."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sidecar.policy import cache as cache_mod
from sidecar.policy.bundle import load_source
from sidecar.policy.compiled import CompiledEngine
from sidecar.policy.embedded import EmbeddedEngine
from sidecar.policy.input_keys import prune, referenced_input_paths
from sidecar.policy.model import UNDEFINED
from tests.policy.conftest import SHIPPED
from tests.policy.policy_inputs import policy_inputs

DECISION = "phi_guard/authz/decision"
SOURCE = load_source(SHIPPED)
PATHS = referenced_input_paths(SOURCE.modules)
ENGINES: dict[str, Any] = {"compiled": CompiledEngine, "embedded": EmbeddedEngine}


def _evaluate(engine: Any, inp: dict[str, Any]) -> Any:
    try:
        return engine.evaluate(DECISION, copy.deepcopy(inp))
    except Exception as exc:  # noqa: BLE001 - a refusal is an outcome to compare too
        return ("refused", type(exc).__name__)


def _disagreements(cached: Any, plain: Any, inputs: list[dict[str, Any]]) -> list[int]:
    """Indexes of inputs whose cached decision differs from the uncached one. Each input is asked twice, the
    second time with every field the policy does not read changed (so it must be a hit)."""
    bad = []
    for i, inp in enumerate(inputs):
        want = _evaluate(plain, inp)
        again = copy.deepcopy(inp)
        again["attributes"]["request"]["http"]["id"] = f"other-{i}"
        again["time"]["minute"] = (inp["time"]["minute"] + 7) % 60
        again["parsed_body"] = {"messages": [{"role": "user", "content": f"unread {i}"}]}
        for probe in (inp, again):
            got = _evaluate(cached, probe)
            if got != want and not (got is UNDEFINED and want is UNDEFINED):
                bad.append(i)
                break
    return bad


@pytest.fixture(scope="module", params=list(ENGINES))
def engines(request: pytest.FixtureRequest) -> tuple[Any, Any]:
    cls = ENGINES[request.param]
    return cls(SOURCE, [DECISION], cache_size=4096), cls(SOURCE, [DECISION], cache_size=0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inputs=st.lists(policy_inputs(), min_size=8, max_size=8))
def test_cached_decisions_equal_uncached_ones_on_generated_inputs(engines: tuple[Any, Any],
                                                                   inputs: list[dict[str, Any]]) -> None:
    cached, plain = engines
    assert cached.cache.size and not plain.cache.size
    before = cached.cache.hits
    assert _disagreements(cached, plain, inputs) == []
    # hits were exercised, not only misses: at least every second probe of each input (unread fields changed);
    # an input the policy refuses before caching (a value it cannot take) is the exception
    refused = sum(1 for inp in inputs if isinstance(_evaluate(plain, inp), tuple))
    assert cached.cache.hits - before >= len(inputs) - refused


@settings(max_examples=200, deadline=None)
@given(a=policy_inputs(), b=policy_inputs())
def test_the_key_never_merges_inputs_the_json_key_kept_apart(a: dict[str, Any], b: dict[str, Any]) -> None:
    pa, pb = prune(a, PATHS), prune(b, PATHS)
    same_new = cache_mod.input_key(pa) == cache_mod.input_key(pb)
    same_json = json.dumps(pa, sort_keys=True) == json.dumps(pb, sort_keys=True)
    assert not same_new or same_json
    assert cache_mod.input_key(pa) == cache_mod.input_key(copy.deepcopy(pa))  # equal values, equal keys


@pytest.mark.parametrize("a, b", [
    (True, 1), (1, 1.0), (False, 0), ({"1": "x"}, {1: "x"}), (["a"], ("a",)), ("1", 1), (None, "null"),
    ({"a": [1, 2]}, {"a": [2, 1]}), ("\u00e9", "e\u0301"),
])
def test_values_of_other_types_get_other_keys(a: Any, b: Any) -> None:
    assert cache_mod.input_key(a) != cache_mod.input_key(b)


def test_the_json_key_conflated_an_int_key_with_a_string_key() -> None:
    """Why the key is typed: canonical JSON wrote ``{1: x}`` as ``{"1": x}``."""
    assert json.dumps({1: "x"}, sort_keys=True) == json.dumps({"1": "x"}, sort_keys=True)
    assert cache_mod.input_key({1: "x"}) != cache_mod.input_key({"1": "x"})


def test_unencodable_and_oversized_inputs_are_not_cached() -> None:
    c = cache_mod.DecisionCache(8)
    assert c.key(DECISION, {"x": object()}) is None
    assert c.key(DECISION, {"x": "a" * (cache_mod.MAX_CACHED_INPUT_BYTES + 1)}) is None
    assert c.key(DECISION, {"x": "a"}) is not None
    assert cache_mod.DecisionCache(0).key(DECISION, {"x": "a"}) is None


@pytest.mark.parametrize("name", list(ENGINES))
def test_control_a_key_that_drops_a_read_field_fails_the_oracle(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle above can fail: a key without ``identity`` (read by the policy: roles) serves one role's
    decision to another."""
    from tests.policy.test_decision_cache import _input

    real = cache_mod.input_key

    def lossy(pruned: Any) -> bytes:
        return real({k: v for k, v in pruned.items() if k != "identity"})

    inputs = [_input(role="clinician"), _input(role="nurse")]
    cls = ENGINES[name]
    plain = cls(SOURCE, [DECISION], cache_size=0)
    assert _disagreements(cls(SOURCE, [DECISION], cache_size=64), plain, inputs) == []
    monkeypatch.setattr(cache_mod, "input_key", lossy)
    assert _disagreements(cls(SOURCE, [DECISION], cache_size=64), plain, inputs) == [1]
