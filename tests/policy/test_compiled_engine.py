"""The compiled engine (the Rego's IR plan compiled to Python) against OPA itself (golib): identical decision
documents, compared exactly (order included), on generated inputs, on inputs with odd types at every path the
policy reads, for the shipped policy and after each typical compliance edit. Plus the refusals: a policy the
compiler cannot run is refused at load (the service falls back), an evaluation error or a non-JSON input is
an error (the request is refused), never a decision. Controls show the oracles can fail."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.policy_bench import _inputs
from bench.policy_edits import EDITS, edited_copy
from sidecar.policy.bundle import load_source
from sidecar.policy.compiled import CompiledEngine, UnsupportedPolicy
from sidecar.policy.errors import PolicyEvalError
from sidecar.policy.golib import GolibEngine
from sidecar.policy.ir_compile import UnsupportedPlan, compile_plan, decode_string
from sidecar.policy.model import UNDEFINED
from sidecar.policy.service import PolicyService
from sidecar.policy.settings import PolicySettings
from tests.policy.conftest import SHIPPED
from tests.policy.policy_inputs import approval_inputs, policy_inputs

DECISION = "phi_guard/authz/decision"
APPROVALS = "phi_guard/approvals/decision"
ENTRYPOINTS = [DECISION, APPROVALS]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 10_000)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.sampled_from(["", "clinician", "treatment", "gpt-4o", "mcp.rpc", "/mcp", "tools/call", "jwt", "mtls"])
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def mangled_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """A generated input with one to three values the policy reads replaced by any JSON value (wrong types,
    floats for integers, objects for lists): where engines most often part ways."""
    inp = draw(policy_inputs())
    for _ in range(draw(st.integers(1, 3))):
        node = inp
        while True:
            keys = sorted(node) if isinstance(node, dict) else []
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            if isinstance(node[key], dict) and node[key] and draw(st.booleans()):
                node = node[key]
                continue
            node[key] = draw(json_values)
            break
    return inp


@pytest.fixture(scope="module", params=list(EDITS))
def engines(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    root = edited_copy(SHIPPED, tmp_path_factory.mktemp("policy") / "opa", request.param)
    source = load_source(root)
    return CompiledEngine(source, ENTRYPOINTS), GolibEngine(source, ENTRYPOINTS)


def _same(compiled: CompiledEngine, golib: GolibEngine, entrypoint: str, inp: dict[str, Any]) -> None:
    try:
        expected = golib.evaluate(entrypoint, inp)
    except PolicyEvalError:
        with pytest.raises(PolicyEvalError):
            compiled.evaluate(entrypoint, inp)
        return
    assert compiled.evaluate(entrypoint, inp) == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inp=policy_inputs())
def test_authz_decisions_identical_to_opa(engines: tuple[Any, Any], inp: dict[str, Any]) -> None:
    _same(*engines, DECISION, inp)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inp=mangled_inputs())
def test_authz_decisions_identical_on_odd_types(engines: tuple[Any, Any], inp: dict[str, Any]) -> None:
    _same(*engines, DECISION, inp)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inp=approval_inputs())
def test_approval_decisions_identical_to_opa(engines: tuple[Any, Any], inp: dict[str, Any]) -> None:
    _same(*engines, APPROVALS, inp)


def test_empty_input_and_orderings_as_opa(engines: tuple[Any, Any]) -> None:
    compiled, golib = engines
    for inp in ({}, {"ai": {"api": "openai.chat", "tools": ["drug_interactions", "\x7f\x1f", "Z", "a\x01"],
                            "tool_calls": []}, "identity": {"roles": ["nurse", "clinician", "agent"]}}):
        assert compiled.evaluate(DECISION, inp) == golib.evaluate(DECISION, inp)


def test_control_a_one_rule_difference_is_caught(tmp_path: Path) -> None:
    """Control: the comparison fails when the compiled engine runs a policy whose business-hours rule differs
    by one comparison from the one OPA runs."""
    root = tmp_path / "opa"
    shutil.copytree(SHIPPED, root)
    risk = root / "phi_guard" / "authz" / "risk.rego"
    text = risk.read_text()
    assert "input.time.hour < hours.end_hour" in text
    risk.write_text(text.replace("input.time.hour < hours.end_hour", "input.time.hour < hours.end_hour - 6"))
    compiled = CompiledEngine(load_source(root), [DECISION])
    golib = GolibEngine(load_source(SHIPPED), [DECISION])
    found: list[dict[str, Any]] = []

    @settings(max_examples=400, deadline=None, database=None)
    @given(inp=policy_inputs())
    def compare(inp: dict[str, Any]) -> None:
        if compiled.evaluate(DECISION, inp) != golib.evaluate(DECISION, inp):
            found.append(inp)

    compare()
    assert found, "a policy difference went unnoticed: the differential oracle cannot fail"


# --- semantics on a small policy exercising what the shipped one does not --------------------------------------

SEMANTICS = """package t

import rego.v1

nums := [n | some n in input.xs; is_number(n)]
total := sum(nums)
default biggest := null
biggest := max_of(nums)
max_of(xs) := m if {
	some m in xs
	every x in xs { x <= m }
}
tags contains t if some t in input.tags
objs contains {"k": k, "v": v} if some k, v in input.obj
sorted_objs := sort([o | some o in objs])
msg := sprintf("%v|%s|%d|%v|%v|%v", [input.f, input.s, count(nums), nums, tags, input.obj])
deep := object.get(input, ["obj", "a", "b"], "none")
default first := null
first := split(input.s, ",")[0]
default has_a := false
has_a if "a" in tags
default not_b := false
not_b if not "b" in tags
default bool_vs_num := false
bool_vs_num if input.flag == 1
diff := tags - {"a"}
joined := concat("-", tags)
default top := null
top := max(input.xs)
default low := []
low := [min(input.xs)]
doc := {"top": top, "low": low, "nums": nums, "total": total, "biggest": biggest, "tags": tags, "objs": objs,
	"sorted_objs": sorted_objs, "msg": msg, "deep": deep, "first": first, "has_a": has_a, "not_b": not_b,
	"bool_vs_num": bool_vs_num, "diff": diff, "joined": joined}
"""

SEMANTIC_INPUTS: list[dict[str, Any]] = [
    {"xs": [3, 1.5, "x", 10, True], "tags": ["b", "a", "c"], "obj": {"a": {"b": [1, 2]}, "z": None},
     "f": 0.1, "s": "p,q", "flag": True},
    {"xs": [], "tags": [], "obj": {}, "f": 1e21, "s": "", "flag": 1},
    {"xs": [2, 2.0, -1], "tags": ["a", "a"], "obj": {"a": 1, "A": [True, {"x": 1}]}, "f": 2.0, "s": "é,ü",
     "flag": 1.0},
]


# `not` with undefined arguments (OPA evaluates call arguments and ref keys before the negation, not comparison
# operands), and string literals holding escapes in every position rego-cpp writes them.
NEGATION_AND_STRINGS = """package t

import rego.v1

r := input.missing
m := {"a": true}
h(x) if x == 1
not_call if not is_string(input.m.x)
not_in if not r in {"a"}
not_key if not m[input.m.k]
not_nested if not count(input.m.xs) > 1
not_user if not h(input.m.x)
not_cmp if not input.m.x == "x"
not_ref if not input.m.x
default not_call := false
default not_in := false
default not_key := false
default not_nested := false
default not_user := false
default not_cmp := false
default not_ref := false
lits := {"q": "\\"quoted\\"", "bs": "a\\\\b", "nl": "x\\ny", "u": "é\\u00e9", "raw": `back\\slash "q"`}
default lit_eq := false
lit_eq if input.s == "a\\\\b\\"c"
doc := {"not_call": not_call, "not_in": not_in, "not_key": not_key, "not_nested": not_nested,
	"not_user": not_user, "not_cmp": not_cmp, "not_ref": not_ref, "lits": lits, "lit_eq": lit_eq,
	"key": object.get(input, ["o", "a\\"b"], 0)}
"""


NEGATION_INPUTS: list[dict[str, Any]] = [
    {},
    {"m": {"x": "x", "k": "a", "xs": [1, 2]}, "s": 'a\\b"c', "o": {'a"b': 2}},
    {"m": {"x": 1, "k": "b", "xs": []}, "s": "", "o": {}},
]


@pytest.mark.parametrize(
    ("policy", "inp"),
    [(SEMANTICS, i) for i in SEMANTIC_INPUTS] + [(NEGATION_AND_STRINGS, i) for i in NEGATION_INPUTS],
    ids=[f"builtins-{n}" for n in range(len(SEMANTIC_INPUTS))] + [f"not-{n}" for n in range(len(NEGATION_INPUTS))],
)
def test_small_policies_as_opa(tmp_path: Path, policy: str, inp: dict[str, Any]) -> None:
    """Builtins, sets, ordering, negation and string literals: the compiled document equals OPA's (and is
    defined: the policies give every value a default)."""
    (tmp_path / "t.rego").write_text(policy)
    source = load_source(tmp_path)
    compiled, golib = CompiledEngine(source, ["t/doc"]), GolibEngine(source, ["t/doc"])
    result = compiled.evaluate("t/doc", inp)
    assert result == golib.evaluate("t/doc", inp)
    assert result is not UNDEFINED and isinstance(result, dict)


def test_policy_the_compiler_cannot_run_is_refused_at_load_and_served_by_the_fallback(tmp_path: Path) -> None:
    (tmp_path / "p.rego").write_text(
        'package phi_guard.authz\n\nimport rego.v1\n\ndecision := {"allow": regex.match("^a", input.x)}\n'
    )
    (tmp_path / "a.rego").write_text('package phi_guard.approvals\n\nimport rego.v1\n\ndecision := {"allow": false}\n')
    with pytest.raises(UnsupportedPolicy, match="regex.match"):
        CompiledEngine(load_source(tmp_path), ENTRYPOINTS)
    svc = PolicyService(PolicySettings(directory=str(tmp_path), engine="compiled", require_tests_pass=False))
    svc.start()
    assert svc.status.engine == "embedded" and "regex.match" in (svc.status.fallback_reason or "")
    assert svc.query(DECISION, {"x": "abc"}) == {"allow": True}
    # Control: the shipped policy is served compiled, with no fallback.
    shipped = PolicyService(PolicySettings(directory=str(SHIPPED), engine="compiled", require_tests_pass=False))
    shipped.start()
    assert shipped.status.engine == "compiled" and shipped.status.fallback_reason is None


def test_evaluation_errors_and_non_json_input_are_errors_not_decisions(tmp_path: Path) -> None:
    (tmp_path / "p.rego").write_text(
        "package t\n\nimport rego.v1\n\nv := 1 if input.a\nv := 2 if input.b\n"
        'doc := {"v": v, "roles": input.roles}\n'
    )
    compiled = CompiledEngine(load_source(tmp_path), ["t/doc"])
    assert compiled.evaluate("t/doc", {"a": True, "roles": []}) == {"v": 1, "roles": []}  # control
    with pytest.raises(PolicyEvalError, match="several values"):
        compiled.evaluate("t/doc", {"a": True, "b": True})
    for bad in ({"roles": ("clinician",)}, {"roles": [float("nan")]}, {"roles": [object()]}, {"roles": ["\ud800"]}):
        with pytest.raises(PolicyEvalError):
            compiled.evaluate("t/doc", {"a": True, **bad})
    with pytest.raises(PolicyEvalError):
        compiled.evaluate("t/other", {})


def test_service_hot_reloads_the_compiled_policy(tmp_path: Path) -> None:
    root = tmp_path / "opa"
    shutil.copytree(SHIPPED, root)
    svc = PolicyService(PolicySettings(directory=str(root), engine="compiled", require_tests_pass=False))
    svc.start()
    inp = _inputs()["small chat (allow)"]  # a clinician asking gpt-4o
    assert svc.decide(inp).allow is True
    data = root / "phi_guard" / "config" / "data.json"
    data.write_text(data.read_text().replace('"gpt-4o"', '"gpt-4o-x"'))
    reload = svc.check_reload()
    assert reload is not None and reload.ok and svc.status.engine == "compiled"
    assert svc.decide(inp).allow is False


def test_plan_statements_and_strings_the_compiler_does_not_know_are_refused() -> None:
    def plan(stmt: dict[str, Any]) -> dict[str, Any]:
        return {"static": {"strings": [{"value": "result"}]},
                "plans": {"plans": [{"name": "x", "blocks": [{"stmts": [stmt]}]}]}}

    with pytest.raises(UnsupportedPlan, match="WithStmt"):
        compile_plan(plan({"type": "WithStmt", "stmt": {"local": 0, "path": [], "value": {}, "block": {}}}))
    with pytest.raises(UnsupportedPlan, match="builtin http.send"):
        compile_plan(plan({"type": "CallStmt", "stmt": {"func": "http.send", "args": [], "result": 2}}))
    # Control: a known statement compiles.
    plans, _ = compile_plan(plan({"type": "ResultSetAddStmt", "stmt": {"value": 0}}))
    assert plans["x"]({}, {"a": 1}, {}) == [{"a": 1}]
    # rego-cpp writes string literals as JSON text, names bare.
    assert decode_string('"a\\"b"') == 'a"b' and decode_string("phi_guard") == "phi_guard"
