"""The direct rego-cpp input builder: exact values or a refusal (then the engine sends JSON text)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
import regopy
from regopy import rego_shared as rs

from sidecar.policy.bundle import load_source
from sidecar.policy.embedded import EmbeddedEngine
from sidecar.policy.errors import PolicyEvalError
from sidecar.policy.rego_input import MAX_DEPTH, NotExact, build_input, free_input

DOC: dict[str, Any] = {
    "s": "héllo \u2603 \u2028 \x7f/'single'",
    "empty": "",
    "i": -(2**63),
    "j": 2**63 - 1,
    "f": 1.5,
    "t": True,
    "no": False,
    "n": None,
    "list": [1, "a", [], {}, [None, {"k": [True]}]],
    "obj": {"nested": {"deeper": {"x": 0}}, "": "empty key"},
}


def _echo(handle: int) -> Any:
    interp = regopy.Interpreter()
    assert rs.rego.regoSetInput(interp._impl, handle) == 0
    return json.loads(str(interp.query("x = input")))["bindings"]["x"]


def test_values_round_trip_exactly() -> None:
    handle = build_input(DOC)
    try:
        assert _echo(handle) == DOC
    finally:
        free_input(handle)


def _deep(n: int) -> Any:
    value: Any = 1
    for _ in range(n):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value",
    [
        2**63,
        -(2**63) - 1,
        "a\x00b",
        {"a\x00": 1},
        'quote " inside',
        "back \\ slash",
        "new\nline",
        "\x1f",
        {'"': 1},
        {1: "non-string key"},
        math.inf,
        math.nan,
        (1, 2),
        {1, 2},
        b"bytes",
        _deep(MAX_DEPTH + 1),
    ],
)
def test_values_it_cannot_hold_exactly_are_refused(value: Any) -> None:
    with pytest.raises(NotExact):
        build_input({"x": value})


def test_lone_surrogate_is_an_error_not_a_changed_string() -> None:
    with pytest.raises(UnicodeEncodeError):
        build_input({"x": "\ud800"})


def test_engine_sends_refused_values_as_json_or_fails_closed(tmp_path) -> None:
    (tmp_path / "p.rego").write_text('package p\n\nd := {"x": input.x}\n')
    engine = EmbeddedEngine(load_source(tmp_path), ["p/d"])
    assert engine.evaluate("p/d", {"x": 2**64 + 1}) == {"x": 2**64 + 1}
    assert engine.evaluate("p/d", {"x": "a\x00b"}) == {"x": "a\x00b"}
    assert engine.evaluate("p/d", {"x": (1, 2)}) == {"x": [1, 2]}
    for bad in (math.nan, "\ud800", object()):
        with pytest.raises(PolicyEvalError):
            engine.evaluate("p/d", {"x": bad})
