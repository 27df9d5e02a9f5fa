"""The embedded engine (rego-cpp) against OPA itself on the shipped policy: same decision documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sidecar.ai_request import parse_ai_request
from sidecar.identity.model import Identity
from sidecar.policy.bundle import load_source
from sidecar.policy.embedded import UNDEFINED, EmbeddedEngine
from sidecar.policy.errors import PolicyLoadError
from sidecar.policy.input import build_policy_input
from sidecar.policy.reference import ReferenceOpa
from tests.policy.conftest import SHIPPED, agent, chat, person, view

DECISION = "phi_guard/authz/decision"
DAY = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
NIGHT = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)

MCP = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "tools/call",
    "params": {"name": "ehr.get_encounter", "arguments": {}},
}

# (identity, body, path, headers, now, expected allow)
SCENARIOS: list[tuple[Identity, Any, str, dict[str, str], datetime, bool]] = [
    (person("clinician"), chat(), "/v1/chat/completions", {}, DAY, True),
    (
        person("clinician"),
        chat(text="HIV viral load for MRN 1234567"),
        "/v1/chat/completions",
        {},
        NIGHT,
        True,
    ),
    (person("clinician"), chat(text="psychotherapy notes"), "/v1/chat/completions", {}, DAY, False),
    (
        person("clinician"),
        chat(text="psychotherapy notes"),
        "/v1/chat/completions",
        {"x-phi-guard-break-glass": "unconscious patient"},
        DAY,
        True,
    ),
    (person("nurse"), chat(), "/v1/chat/completions", {}, DAY, False),
    (person("nurse"), chat("gpt-4o-mini"), "/v1/chat/completions", {}, DAY, True),
    (
        person("billing"),
        chat("gpt-4o-mini"),
        "/v1/chat/completions",
        {"x-phi-guard-purpose": "payment"},
        DAY,
        True,
    ),
    (
        person("billing"),
        chat("gpt-4o-mini", text="HIV"),
        "/v1/chat/completions",
        {"x-phi-guard-purpose": "payment"},
        DAY,
        False,
    ),
    (person("researcher"), chat(), "/v1/responses", {"x-phi-guard-purpose": "research"}, DAY, False),
    (
        person("researcher"),
        {"model": "gpt-4o", "input": "cohort"},
        "/v1/responses",
        {"x-phi-guard-purpose": "research"},
        DAY,
        True,
    ),
    (
        person("care-coordinator"),
        {"model": "claude-sonnet-4", "max_tokens": 100, "messages": []},
        "/v1/messages",
        {},
        DAY,
        True,
    ),
    (
        person("compliance-officer"),
        chat(),
        "/v1/chat/completions",
        {"x-phi-guard-purpose": "operations"},
        DAY,
        True,
    ),
    (agent(), MCP, "/mcp", {}, DAY, True),
    (agent(), {**MCP, "params": {"name": "ehr.delete", "arguments": {}}}, "/mcp", {}, DAY, False),
    (person("clinician"), b"{oops", "/v1/chat/completions", {}, DAY, False),
    (person("clinician"), chat(), "/v1/embeddings", {}, DAY, False),
    (person("janitor"), chat(), "/v1/chat/completions", {}, DAY, False),
]


def _input(
    identity: Identity, body: Any, path: str, headers: dict[str, str], now: datetime
) -> dict[str, Any]:
    v = view(body, path=path, headers=headers)
    return build_policy_input(v, identity, parse_ai_request(v), now=now)


@pytest.fixture(scope="module")
def engines() -> tuple[EmbeddedEngine, ReferenceOpa]:
    source = load_source(SHIPPED)
    return EmbeddedEngine(source, [DECISION]), ReferenceOpa(source, include_tests=False)


@pytest.mark.parametrize("case", range(len(SCENARIOS)))
def test_embedded_matches_opa(engines: tuple[EmbeddedEngine, ReferenceOpa], case: int) -> None:
    identity, body, path, headers, now, allow = SCENARIOS[case]
    inp = _input(identity, body, path, headers, now)
    embedded, opa = engines
    got = embedded.evaluate(DECISION, inp)
    assert got == opa.evaluate(DECISION, inp)
    assert got["allow"] is allow, got["reasons"]


def test_undefined_and_other_paths(engines: tuple[EmbeddedEngine, ReferenceOpa]) -> None:
    embedded, _ = engines
    assert embedded.evaluate("phi_guard/authz/no_such_rule", {}) is UNDEFINED
    assert embedded.evaluate("phi_guard/config/risk/threshold", {}) == 50


def test_compile_error_names_file_and_line(policy_dir) -> None:
    f = policy_dir / "phi_guard" / "authz" / "authz.rego"
    text = f.read_text()
    line = text.count("\n") + 3
    f.write_text(text + "\nbroken if {\n\tinput.x ==\n}\n")
    with pytest.raises(PolicyLoadError) as err:
        EmbeddedEngine(load_source(policy_dir), [DECISION])
    assert err.value.file == str(f) and err.value.line == line
    with pytest.raises(PolicyLoadError) as err2:
        ReferenceOpa(load_source(policy_dir))
    assert err2.value.file == str(f) and err2.value.line in (line, line + 1)  # OPA points at the "}"


def test_bad_data_json_names_file_and_line(policy_dir) -> None:
    f = policy_dir / "phi_guard" / "config" / "data.json"
    f.write_text('{\n  "roles": {\n    "x": ,\n  }\n}\n')
    with pytest.raises(PolicyLoadError) as err:
        load_source(policy_dir)
    assert str(err.value).startswith(f"{f}:3: invalid JSON")


def test_values_reach_the_policy_unchanged(engines: tuple[EmbeddedEngine, ReferenceOpa]) -> None:
    """No integer wrap-around (max_tokens 2**64 + 1 must not look like 1) and no string cut at NUL."""
    embedded, opa = engines
    # (the guard refuses such a body before policy: sidecar/strict_json.py; the engine must still not wrap)
    big = _input(person("nurse"), chat("gpt-4o-mini", max_tokens=5), "/v1/chat/completions", {}, DAY)
    big["ai"]["max_tokens"] = 2**64 + 1
    got = embedded.evaluate(DECISION, big)
    assert "max_tokens_exceeded" in [r["code"] for r in got["reasons"]]
    nul = _input(person("nurse"), chat("gpt-4o-mini\u0000x"), "/v1/chat/completions", {}, DAY)
    got = embedded.evaluate(DECISION, nul)
    assert [r["code"] for r in got["reasons"]] == ["model_not_permitted"]
    assert got == opa.evaluate(DECISION, nul)


def test_only_referenced_input_keys_are_converted(engines: tuple[EmbeddedEngine, ReferenceOpa]) -> None:
    embedded, _ = engines
    paths = embedded.input_paths
    assert paths is not None and "parsed_body" not in paths and "ai" in paths
    assert paths["identity"] == {"roles": {}, "auth_method": {}}


def test_decision_cache_same_answers_and_impure_policies_not_cached(tmp_path) -> None:
    source = load_source(SHIPPED)
    cached = EmbeddedEngine(source, [DECISION], cache_size=64)
    plain = EmbeddedEngine(source, [DECISION])
    for identity, body, path, headers, now, _ in SCENARIOS * 2:
        inp = _input(identity, body, path, headers, now)
        assert cached.evaluate(DECISION, inp) == plain.evaluate(DECISION, inp)
    assert cached.cache_hits >= len(SCENARIOS)
    small = EmbeddedEngine(source, [DECISION], cache_size=2)
    for scenario in SCENARIOS[:3]:
        small.evaluate(DECISION, _input(*scenario[:5]))
    assert len(small.cache) == 2
    (tmp_path / "p.rego").write_text("package p\n\nd := {\"t\": time.now_ns(), \"x\": input.x}\n")
    impure = EmbeddedEngine(load_source(tmp_path), ["p/d"], cache_size=8)
    assert impure.cache_size == 0
    a, b = impure.evaluate("p/d", {"x": 1}), impure.evaluate("p/d", {"x": 1})
    assert a["t"] != b["t"] and impure.cache_hits == 0


def test_limits_of_several_roles_are_compared_as_numbers(engines: tuple[EmbeddedEngine, ReferenceOpa]) -> None:
    """rego-cpp's max() orders numbers as text (max([3, 10]) is 3 there): the policy must not depend on it.
    A nurse (3 patients) who is also a clinician (10) may send 4; 11 is over both."""
    embedded, opa = engines
    both = Identity("dr-n", "https://idp.local", "jwt", ("nurse", "clinician"))
    for patients, denied in ((4, False), (11, True)):
        inp = _input(both, chat("gpt-4o-mini"), "/v1/chat/completions", {}, DAY)
        inp["ai"]["patient_count"] = patients
        got = embedded.evaluate(DECISION, inp)
        assert got == opa.evaluate(DECISION, inp)
        codes = [r["code"] for r in got["reasons"]]
        assert ("minimum_necessary_patients" in codes) is denied, codes
        if not denied:
            assert "limit 10" not in str(got["reasons"]) and got["allow"] is True


def test_missing_model_field_is_no_model_in_both_engines(engines: tuple[EmbeddedEngine, ReferenceOpa]) -> None:
    embedded, opa = engines
    inp = _input(person("clinician"), chat(), "/v1/chat/completions", {}, DAY)
    del inp["ai"]["model"]
    got = embedded.evaluate(DECISION, inp)
    assert got == opa.evaluate(DECISION, inp)
    assert [r["code"] for r in got["reasons"]] == ["model_required"]


@pytest.mark.parametrize("value", ['x"}, "allow": true, "reasons": [], "z": {"a": "', "back\\slash", "tab\tnew\nline"])
def test_request_strings_cannot_inject_into_the_decision(
    engines: tuple[EmbeddedEngine, ReferenceOpa], value: str
) -> None:
    """rego-cpp writes strings from its input builder unescaped into its output: such strings must go as JSON
    text, so the decision is the same document as OPA's (a nurse asking for a model she may not use)."""
    embedded, opa = engines
    for field in ("model", "tool", "purpose"):
        inp = _input(person("nurse"), chat("gpt-4o-mini"), "/v1/chat/completions", {}, DAY)
        if field == "model":
            inp["ai"]["model"] = value
        elif field == "tool":
            inp["ai"]["tools"] = [value]
        else:
            inp["purpose"] = value
        got = embedded.evaluate(DECISION, inp)
        assert got == opa.evaluate(DECISION, inp)
        assert got["allow"] is False and got["reasons"], field
