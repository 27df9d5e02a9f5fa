"""Policy end to end through Envoy and the guard: each role's allowed and denied requests, reasons in the JSON
body, over-scoped requests stopped before the demo model sees them, hot reload while traffic flows."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.info import StackInfo
from devstack.runner import StackOptions, start_stack, stop_stack
from tests.policy.conftest import SHIPPED

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=["compiled", "embedded", "golib"])
def policy_stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[StackInfo, Path]]:
    """A stack of our own: its guard serves a private copy of the shipped policy that the tests edit, with each
    in-process engine (the compiled IR plan, rego-cpp, OPA's Go evaluator)."""
    base = tmp_path_factory.mktemp("policy-e2e")
    policy = base / "opa"
    shutil.copytree(SHIPPED, policy)
    overrides = {
        "policy": {"directory": str(policy), "reload_interval_seconds": 0.5, "engine": request.param}
    }
    doc, lock = start_stack(StackOptions(state_dir=base / "state", guard_overrides=overrides))
    lock.release()
    try:
        yield StackInfo.from_doc(doc), policy
    finally:
        stop_stack(base / "state")


def _chat(model: str = "echo", text: str = "Summarise today's plan.", **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


def _post(
    info: StackInfo,
    sub: str,
    role: str,
    body: Any,
    purpose: str | None = "treatment",
    path: str = "/v1/chat/completions",
    **headers: str,
) -> httpx.Response:
    h = {**info.auth_headers(sub, [role]), **headers}
    if purpose:
        h["x-phi-guard-purpose"] = purpose
    with info.http() as c:
        if isinstance(body, bytes):
            return c.post(path, content=body, headers={**h, "content-type": "application/json"}, timeout=30)
        return c.post(path, json=body, headers=h, timeout=30)


def _upstream_count(info: StackInfo) -> int:
    return int(info.demo_stats().get("requests", 0))


ALLOWED = [
    ("clinician", "treatment", _chat()),
    ("nurse", "treatment", _chat("clinical-notes")),
    ("care-coordinator", "operations", _chat()),
    ("billing", "payment", _chat()),
    ("researcher", "research", _chat()),
    ("compliance-officer", "operations", _chat()),
]

DENIED = [
    ("nurse", "treatment", _chat("gpt-4o"), "model_not_permitted"),
    ("nurse", "treatment", _chat(max_tokens=6000), "max_tokens_exceeded"),
    ("billing", "treatment", _chat(), "purpose_not_permitted"),
    (
        "billing",
        "payment",
        _chat(text="Explain the HIV viral load result"),
        "sensitive_category_not_permitted",
    ),
    (
        "billing",
        "payment",
        _chat(tools=[{"type": "function", "function": {"name": "ehr.search_patients"}}]),
        "tool_not_permitted",
    ),
    ("researcher", "treatment", _chat(), "purpose_not_permitted"),
    (
        "care-coordinator",
        "operations",
        _chat(text="patient_ids", patient_ids=[str(i) for i in range(30)]),
        "minimum_necessary_patients",
    ),
    ("clinician", None, _chat(), "purpose_required"),
    ("clinician", "treatment", b"{not json", "body_unparseable"),
    ("janitor", "treatment", _chat(), "no_role"),
    ("agent", "treatment", _chat(), "mtls_required"),  # an agent role claimed in a JWT
]


@pytest.mark.parametrize(("role", "purpose", "body"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_role_allowed(policy_stack: tuple[StackInfo, Path], role: str, purpose: str, body: Any) -> None:
    info, _ = policy_stack
    before = _upstream_count(info)
    r = _post(info, f"user-{role}", role, body, purpose)
    assert r.status_code == 200, r.text
    assert r.headers.get("x-phi-guard-decision-id")
    assert _upstream_count(info) == before + 1


@pytest.mark.parametrize(("role", "purpose", "body", "code"), DENIED, ids=[d[3] for d in DENIED])
def test_over_scoped_request_denied_before_upstream(
    policy_stack: tuple[StackInfo, Path], role: str, purpose: str | None, body: Any, code: str
) -> None:
    info, _ = policy_stack
    before = _upstream_count(info)
    r = _post(info, f"user-{role}", role, body, purpose)
    assert r.status_code == 403, r.text
    doc = r.json()
    assert doc["error"] == "policy_denied"
    assert code in [x["code"] for x in doc["reasons"]]
    assert all(x["message"] for x in doc["reasons"])
    assert doc["policy_version"].startswith("sha256:") and doc["decision_id"] and doc["request_id"]
    assert _upstream_count(info) == before  # the demo model never saw it


def test_high_risk_needs_approval_and_break_glass(policy_stack: tuple[StackInfo, Path]) -> None:
    info, _ = policy_stack
    before = _upstream_count(info)
    held = _post(info, "dr-b", "clinician", _chat(text="Summarise the psychotherapy notes"))
    assert held.status_code == 403 and held.json()["error"] in ("approval_required", "policy_denied")
    assert "approval_required" in [x["code"] for x in held.json()["reasons"]]
    no_reason = _post(
        info, "dr-b", "clinician", _chat(text="psychotherapy notes"), **{"x-phi-guard-break-glass": "true"}
    )
    assert no_reason.status_code == 403
    assert [x["code"] for x in no_reason.json()["reasons"]] == ["break_glass_reason_required"]
    assert _upstream_count(info) == before
    glass = _post(
        info,
        "dr-b",
        "clinician",
        _chat(text="psychotherapy notes"),
        **{"x-phi-guard-break-glass": "patient unresponsive in ED"},
    )
    assert glass.status_code == 200, glass.text
    assert _upstream_count(info) == before + 1


def test_agent_over_mtls(policy_stack: tuple[StackInfo, Path]) -> None:
    info, _ = policy_stack
    cert = info.client_cert("scheduler")
    call = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "ehr.delete_patient", "arguments": {}},
    }
    with info.http(tls=True, cert=cert) as c:
        before = _upstream_count(info)
        r = c.post("/mcp", json=call, headers={"x-phi-guard-purpose": "treatment"}, timeout=30)
        assert r.status_code == 403, r.text
        assert [x["code"] for x in r.json()["reasons"]] == ["tool_not_permitted"]
        ok = c.post(
            "/v1/chat/completions", json=_chat(), headers={"x-phi-guard-purpose": "treatment"}, timeout=30
        )
        assert ok.status_code == 200, ok.text
        assert _upstream_count(info) == before + 1


def _edit_data(policy: Path, fn: Any) -> None:
    f = policy / "phi_guard" / "config" / "data.json"
    data = json.loads(f.read_text())
    fn(data)
    tmp = f.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    tmp.replace(f)  # atomic: the reloader never reads half a file


def test_hot_reload_under_traffic(policy_stack: tuple[StackInfo, Path]) -> None:
    """A data edit while requests flow: new decisions within seconds and no failed (5xx) request; then a
    broken policy: the old decisions stay, and the error names the file and line."""
    info, policy = policy_stack
    statuses: list[int] = []
    stop = threading.Event()
    token = info.auth_headers("nina", ["nurse"])

    def traffic() -> None:
        with info.http() as c:
            while not stop.is_set():
                r = c.post(
                    "/v1/chat/completions",
                    json=_chat("med-llm"),
                    timeout=30,
                    headers={**token, "x-phi-guard-purpose": "treatment"},
                )
                statuses.append(r.status_code)

    t = threading.Thread(target=traffic)
    t.start()
    try:
        time.sleep(1.0)
        assert statuses and set(statuses) == {403}
        _edit_data(policy, lambda d: d["roles"]["nurse"]["models"].append("med-llm"))
        changed_at = time.monotonic()
        deadline = changed_at + 20
        while time.monotonic() < deadline and (not statuses or statuses[-1] == 403):
            time.sleep(0.1)
        took = time.monotonic() - changed_at
        time.sleep(0.5)
    finally:
        stop.set()
        t.join(timeout=30)
    # 403 before, then the model is allowed: the demo model answers 404 (it has no "med-llm"), which is the
    # upstream's answer, not a failure of the guard.
    assert statuses[-1] in (200, 404), statuses[-5:]
    assert took < 10, took
    assert not [s for s in statuses if s >= 500], sorted(set(statuses))

    ready_before = httpx.get(f"{info.admin_url}/readyz", timeout=5).json()
    f = policy / "phi_guard" / "authz" / "risk.rego"
    text = f.read_text()
    line = text.count("\n") + 3
    f.write_text(text + "\nbroken if {\n\tinput.x ==\n}\n")
    try:
        log = Path(info.state_dir) / "logs" / "guard.log"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "policy_reload_refused" not in log.read_text():
            time.sleep(0.2)
        refused = [ln for ln in log.read_text().splitlines() if "policy_reload_refused" in ln]
        assert refused and (f"risk.rego:{line}" in refused[-1] or f"risk.rego:{line + 1}" in refused[-1])
        r = _post(info, "nina", "nurse", _chat("gpt-4o"))
        assert r.status_code == 403 and r.json()["policy_version"] == ready_before["policy_version"]
        metrics = httpx.get(f"{info.admin_url}/metrics", timeout=5).text
        assert 'phi_guard_policy_reloads_total{result="error"}' in metrics
        assert (
            httpx.get(f"{info.admin_url}/readyz", timeout=5).json()["policy_version"]
            == ready_before["policy_version"]
        )
    finally:
        f.write_text(text)
