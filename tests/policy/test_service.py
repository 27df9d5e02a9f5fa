"""PolicyService: decisions, hot reload of a data edit, refusal of a broken or failing policy; each with the
embedded (rego-cpp) and the golib (OPA's Go evaluator) engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sidecar.ai_request import parse_ai_request
from sidecar.policy.errors import PolicyLoadError
from sidecar.policy.model import PolicyUnavailable
from sidecar.policy.service import PolicyReload, PolicyService
from sidecar.policy.settings import PolicySettings
from tests.policy.conftest import chat, person, view


@pytest.fixture(params=["embedded", "golib"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _service(engine: str, policy_dir: Path, reloads: list[PolicyReload] | None = None) -> PolicyService:
    settings = PolicySettings(directory=str(policy_dir), engine=engine)
    return PolicyService(settings, on_reload=reloads.append if reloads is not None else None)


def _nurse_input(model: str = "gpt-4o") -> dict:
    from sidecar.policy.input import build_policy_input

    v = view(chat(model))
    return build_policy_input(v, person("nurse"), parse_ai_request(v))


def _edit_data(policy_dir: Path, fn) -> None:
    f = policy_dir / "phi_guard" / "config" / "data.json"
    data = json.loads(f.read_text())
    fn(data)
    f.write_text(json.dumps(data, indent=2))


def test_decide_before_start_fails_closed(policy_dir: Path, engine: str) -> None:
    with pytest.raises(PolicyUnavailable):
        _service(engine, policy_dir).decide({})


def test_decision_carries_version_and_fresh_ids(policy_dir: Path, engine: str) -> None:
    reloads: list[PolicyReload] = []
    svc = _service(engine, policy_dir, reloads)
    svc.start()
    assert svc.status.loaded and svc.status.tests_passed > 0
    assert reloads and reloads[0].ok and reloads[0].version == svc.version
    a, b = svc.decide(_nurse_input("gpt-4o-mini")), svc.decide(_nurse_input("gpt-4o-mini"))
    assert a.allow and a.policy_version == svc.version and svc.version.startswith("sha256:")
    assert a.decision_id != b.decision_id
    assert a.response_profile == "clinical" and a.headers == {"x-phi-guard-purpose": "treatment"}
    denied = svc.decide(_nurse_input("gpt-4o"))
    assert not denied.allow and denied.reason_codes == ["model_not_permitted"]
    assert denied.extra["approvers"] == ["compliance-officer"]
    assert svc.check_reload() is None  # nothing changed


def test_data_edit_reloads(policy_dir: Path, engine: str) -> None:
    reloads: list[PolicyReload] = []
    svc = _service(engine, policy_dir, reloads)
    svc.start()
    old = svc.version
    assert not svc.decide(_nurse_input("med-llm-1")).allow
    _edit_data(policy_dir, lambda d: d["roles"]["nurse"]["models"].append("med-llm-1"))
    r = svc.check_reload()
    assert r is not None and r.ok and r.previous_version == old and r.version != old
    assert reloads[-1] is r
    after = svc.decide(_nurse_input("med-llm-1"))
    assert after.allow and after.policy_version == r.version


def test_broken_rego_is_refused_with_file_and_line(policy_dir: Path, engine: str) -> None:
    reloads: list[PolicyReload] = []
    svc = _service(engine, policy_dir, reloads)
    svc.start()
    good = svc.version
    f = policy_dir / "phi_guard" / "authz" / "risk.rego"
    text = f.read_text()
    f.write_text(text + "\nbroken if {\n\tinput.x ==\n}\n")
    r = svc.check_reload()
    assert r is not None and not r.ok
    assert r.file == str(f) and r.line in (text.count("\n") + 3, text.count("\n") + 4)
    assert r.error.startswith(f"{f}:{r.line}: ")
    assert svc.version == good and svc.status.loaded and svc.status.last_error == r.error
    assert not svc.decide(_nurse_input("gpt-4o")).allow  # old decisions still in force
    assert svc.check_reload() is None  # refused once, not retried every poll
    f.write_text(text)  # fixed back: the same content as the policy in force
    assert svc.check_reload() is None


def test_failing_rego_test_is_refused(policy_dir: Path, engine: str) -> None:
    svc = _service(engine, policy_dir)
    svc.start()
    good = svc.version
    # A data edit that breaks a rule's unit test: nurses allowed gpt-4o contradicts test_model_not_permitted.
    _edit_data(policy_dir, lambda d: d["roles"]["nurse"]["models"].append("gpt-4o"))
    tests = policy_dir / "phi_guard" / "authz" / "authz_test.rego"
    assert "test_model_not_permitted" in tests.read_text()
    r = svc.check_reload()
    assert r is not None and not r.ok and r.tests_failed >= 1
    assert "test_model_not_permitted" in r.error and r.file == str(tests)
    assert svc.version == good and not svc.decide(_nurse_input("gpt-4o")).allow


def test_bad_initial_policy_refuses_to_start(policy_dir: Path, engine: str) -> None:
    (policy_dir / "phi_guard" / "config" / "data.json").write_text("{\n  nope\n}")
    with pytest.raises(PolicyLoadError) as err:
        _service(engine, policy_dir).start()
    assert err.value.line == 2 and err.value.file.endswith("data.json")


def test_engine_crash_in_validation_is_a_refusal(policy_dir: Path) -> None:
    """rego-cpp aborts the process on some constructs: the gate runs in a child, so the guard survives."""
    svc = _service("embedded", policy_dir)
    svc.start()
    good = svc.version
    extra = policy_dir / "phi_guard" / "authz" / "crash.rego"
    extra.write_text('package phi_guard.authz\n\ncrash_probe if {\n\tallow with input as {"x": 1}\n}\n')
    svc.settings.__dict__["decision_path"] = "phi_guard/authz/crash_probe"
    r = svc.check_reload()
    assert r is not None and not r.ok
    assert svc.version == good


def test_query_other_entrypoint_and_undefined(policy_dir: Path, engine: str) -> None:
    svc = _service(engine, policy_dir)
    svc.start()
    doc = svc.query(
        "phi_guard/approvals/decision",
        {
            "approver": {"sub": "cathy", "auth_method": "jwt", "roles": ["compliance-officer"]},
            "request": {
                "requester": {"sub": "dr", "roles": ["clinician"]},
                "approvers": ["compliance-officer"],
            },
        },
    )
    assert doc == {"allow": True, "reasons": []}
    assert svc.query("phi_guard/authz/nothing_here", {}) is None


def test_unencodable_input_is_unavailable_not_a_crash(policy_dir: Path, engine: str) -> None:
    svc = _service(engine, policy_dir)
    svc.start()
    with pytest.raises(PolicyUnavailable):
        svc.decide({"identity": object()})


def test_golib_serves_opa_semantics_and_reports_its_engine(policy_dir: Path) -> None:
    svc = _service("golib", policy_dir)
    svc.start()
    assert svc.status.engine == "golib" and svc._engine.name == "golib"
    # A construct rego-cpp cannot run (``with``) is fine in OPA: the golib gate does not refuse it.
    extra = policy_dir / "phi_guard" / "authz" / "with_probe.rego"
    extra.write_text('package phi_guard.authz\n\nwith_probe if {\n\tknown_roles with input as {"x": 1}\n}\n')
    r = svc.check_reload()
    assert r is not None and r.ok and svc.version == r.version


def test_golib_without_its_package_is_a_clear_load_error(policy_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from sidecar.policy.bundle import load_source
    from sidecar.policy.golib import GolibEngine

    monkeypatch.setitem(sys.modules, "opa_bindings", None)  # import fails as if not installed
    with pytest.raises(PolicyLoadError, match="opa-golib-python-bindings"):
        GolibEngine(load_source(policy_dir), ["phi_guard/authz/decision"])
