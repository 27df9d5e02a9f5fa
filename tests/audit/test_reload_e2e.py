"""Through the running guard (its policy reloader runs in a worker thread): an accepted and a refused policy
reload, a 503 for an unreadable upstream credential, and a call to the guard's own API each become an event
in the Object-Lock bucket, read back with ``phi-guard audit export`` (which finds the stack's S3 credentials
from the configuration's state dir)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.info import StackInfo
from sidecar import protocol as P

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _export(st: StackInfo) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    out = subprocess.run([sys.executable, "-m", "sidecar.cli", "--config", str(st.guard_config), "audit", "export"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def _wait_for(st: StackInfo, found: Callable[[list[dict[str, Any]]], bool],
              timeout: float = 90) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        events = _export(st)
        if found(events) or time.monotonic() > deadline:
            return events
        time.sleep(2)


def test_reloads_refusals_and_guard_api_calls_reach_the_bucket(
        stack_factory: Callable[..., StackInfo], tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    shutil.copytree(ROOT / "opa", policy)
    st = stack_factory(guard_overrides={"policy": {"directory": str(policy), "reload_interval_seconds": 0.5},
                                        "audit": {"segment_max_seconds": 1.0}})
    rego = policy / "phi_guard" / "authz" / "authz.rego"
    original = rego.read_text()
    rego.write_text(original + "\n# reviewed\n")  # a new version that passes its tests: accepted
    deadline = time.monotonic() + 60
    version = httpx.get(f"{st.admin_url}/readyz", timeout=5).json()["policy_version"]
    while time.monotonic() < deadline:
        if httpx.get(f"{st.admin_url}/readyz", timeout=5).json()["policy_version"] != version:
            break
        time.sleep(0.5)
    rego.write_text(original + "\nbroken := {\n")  # does not parse: refused, the previous one stays
    time.sleep(3)
    assert httpx.get(f"{st.admin_url}/readyz", timeout=5).json()["policy_last_error"]

    headers = {**st.auth_headers("cred-503", ["clinician"]), "x-phi-guard-purpose": "treatment"}
    secret = st.upstream_credential_file.read_text()
    st.upstream_credential_file.write_text("")  # configured but empty: refuse rather than forward
    try:
        with st.http() as c:
            r = c.post("/v1/chat/completions", json={"model": "echo", "messages": [
                {"role": "user", "content": "hello"}]}, headers=headers)
    finally:
        st.upstream_credential_file.write_text(secret)
    assert r.status_code == 503 and r.json()["error"] == P.UPSTREAM_CREDENTIAL_UNAVAILABLE
    with st.http() as c:
        api = c.get("/phi-guard/v1/approvals", headers=st.auth_headers("api-caller", ["clinician"]))
    assert api.status_code < 500

    def complete(events: list[dict[str, Any]]) -> bool:
        reloads = [e["policy_reload"] for e in events if e.get("kind") == "EVENT_KIND_POLICY_RELOAD"]
        return (sum(1 for r in reloads if r.get("ok")) >= 2 and any(not r.get("ok") for r in reloads)
                and any(e.get("outcome") == P.UPSTREAM_CREDENTIAL_UNAVAILABLE for e in events)
                and any(e.get("outcome") == P.OUTCOME_GUARD_API for e in events))

    events = _wait_for(st, complete)
    reloads = [e["policy_reload"] for e in events if e.get("kind") == "EVENT_KIND_POLICY_RELOAD"]
    # start-up load, the accepted reload, the refused one (with the file and line of the error)
    assert sum(1 for r in reloads if r.get("ok")) >= 2, reloads
    refused = [r for r in reloads if not r.get("ok")]
    assert refused and "authz.rego" in (refused[0].get("error", "") + refused[0].get("source", "")), refused
    (cred,) = [e for e in events if e.get("outcome") == P.UPSTREAM_CREDENTIAL_UNAVAILABLE]
    assert cred["status"] == 503 and cred["identity"]["sub"] == "cred-503"
    api_calls = [e for e in events if e.get("outcome") == P.OUTCOME_GUARD_API]
    assert any(e["identity"]["sub"] == "api-caller" and e["request"]["path"].startswith("/phi-guard/v1/")
               for e in api_calls)
