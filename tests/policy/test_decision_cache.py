"""The decision cache is keyed by the part of ``input`` the policy reads (derived from the Rego's ``input.*``
references): a change to a read field is a new decision, a change to an unread field is a cache hit, and a
policy reload starts an empty cache. Each with both in-process engines."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sidecar.ai_request import parse_ai_request
from sidecar.policy.bundle import load_source
from sidecar.policy.compiled import CompiledEngine
from sidecar.policy.embedded import EmbeddedEngine
from sidecar.policy.golib import GolibEngine
from sidecar.policy.input import build_policy_input
from sidecar.policy.service import PolicyService
from sidecar.policy.settings import PolicySettings
from tests.policy.conftest import SHIPPED, chat, person, view

DECISION = "phi_guard/authz/decision"
TUESDAY_10 = datetime(2026, 11, 24, 10, 7, tzinfo=UTC)
ENGINES = {"embedded": EmbeddedEngine, "golib": GolibEngine}


def _input(role: str = "clinician", model: str = "gpt-4o", text: str = "Plan for the patient.", **kw: Any) -> dict:
    v = view(chat(model, text), headers=kw.pop("headers", None))
    return build_policy_input(v, person(role), parse_ai_request(v), now=kw.pop("now", TUESDAY_10))


def _engine(name: str, root: Path = SHIPPED, size: int = 64) -> Any:
    return ENGINES[name](load_source(root), [DECISION], cache_size=size)


@pytest.mark.parametrize("name", list(ENGINES))
def test_unread_fields_hit_the_cache(name: str) -> None:
    engine = _engine(name)
    first = engine.evaluate(DECISION, _input())
    assert engine.cache_hits == 0
    variants = [
        _input(text="A different message: list the follow-up appointments."),  # parsed_body, messages
        _input(headers={"x-request-id": "other", "user-agent": "curl"}),  # headers
        _input(now=TUESDAY_10.replace(minute=59, second=30)),  # time.minute, time.iso: not read
    ]
    for n, inp in enumerate(variants, start=1):
        inp["attributes"]["request"]["http"]["id"] = f"req-{n}"
        assert engine.evaluate(DECISION, inp) == first
        assert engine.cache_hits == n


@pytest.mark.parametrize("name", list(ENGINES))
def test_read_fields_change_the_decision(name: str) -> None:
    engine = _engine(name)
    base = engine.evaluate(DECISION, _input())
    assert base["allow"] is True
    changed = {
        "role": _input(role="nurse"),  # identity.roles: gpt-4o not on the nurse allowlist
        "model": _input(model="gpt-5"),  # ai.model
        "topic": _input(text="psychotherapy notes"),  # ai.topics: approval
        "hour": _input(now=TUESDAY_10.replace(hour=23)),  # time.hour: off-hours risk
        "purpose": _input(headers={"x-phi-guard-purpose": "marketing"}),
    }
    for what, inp in changed.items():
        got = engine.evaluate(DECISION, inp)
        assert got != base, what
        assert engine.cache_hits == 0, what
    # The cached answers stay right for each input (nothing was served across keys).
    assert engine.evaluate(DECISION, _input(role="nurse"))["allow"] is False
    assert engine.cache_hits == 1


@pytest.mark.parametrize("name", list(ENGINES))
def test_control_a_field_the_policy_starts_reading_splits_the_cache(name: str, tmp_path: Path) -> None:
    """Control: the minute is unread by the shipped policy (a hit above); a policy that reads it gets a
    different key, so the read set comes from the Rego, not from a list kept by hand."""
    root = tmp_path / "opa"
    shutil.copytree(SHIPPED, root)
    (root / "phi_guard" / "authz" / "minute.rego").write_text(
        "package phi_guard.authz\n\nlate_minute if input.time.minute >= 30\n"
    )
    engine = _engine(name, root)
    assert engine.input_paths["time"] == {"hour": {}, "minute": {}, "weekday": {}}
    engine.evaluate(DECISION, _input())
    engine.evaluate(DECISION, _input(now=TUESDAY_10.replace(minute=59)))
    assert engine.cache_hits == 0
    off = _engine(name, size=0)
    off.evaluate(DECISION, _input())
    off.evaluate(DECISION, _input())
    assert off.cache_hits == 0 and len(off.cache) == 0


@pytest.mark.parametrize("name", [*ENGINES, "compiled"])
def test_cached_documents_are_private_copies(name: str) -> None:
    engine = _engine(name) if name != "compiled" else CompiledEngine(load_source(SHIPPED), [DECISION], cache_size=64)
    a = engine.evaluate(DECISION, _input())
    a["allow"] = False
    a["reasons"].append({"code": "tampered"})
    b = engine.evaluate(DECISION, _input())
    assert engine.cache_hits == 1 and b["allow"] is True and b["reasons"] == []


@pytest.mark.parametrize("name", list(ENGINES))
def test_impure_policies_are_not_cached(name: str, tmp_path: Path) -> None:
    (tmp_path / "p.rego").write_text('package p\n\nd := {"t": time.now_ns(), "x": input.x}\n')
    engine = ENGINES[name](load_source(tmp_path), ["p/d"], cache_size=8)
    assert engine.cache_size == 0
    a, b = engine.evaluate("p/d", {"x": 1}), engine.evaluate("p/d", {"x": 1})
    assert a["t"] != b["t"] and engine.cache_hits == 0


@pytest.mark.parametrize("name", list(ENGINES))
def test_reload_starts_an_empty_cache(name: str, policy_dir: Path) -> None:
    svc = PolicyService(PolicySettings(directory=str(policy_dir), engine=name, require_tests_pass=False))
    svc.start()
    inp = _input(role="nurse", model="med-llm-1")
    assert not svc.decide(copy.deepcopy(inp)).allow
    assert not svc.decide(copy.deepcopy(inp)).allow and svc._engine.cache_hits == 1
    data = policy_dir / "phi_guard" / "config" / "data.json"
    doc = json.loads(data.read_text())
    doc["roles"]["nurse"]["models"].append("med-llm-1")
    data.write_text(json.dumps(doc))
    r = svc.check_reload()
    assert r is not None and r.ok
    assert svc.decide(copy.deepcopy(inp)).allow  # same readable input, new data: not the cached denial
