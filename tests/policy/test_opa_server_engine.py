"""engine=opa: the guard queries an OPA server through opa-python-client and decides exactly as embedded."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.ports import free_port, wait_for_port
from devstack.processes import spawn, stop_pid
from sidecar.policy.errors import PolicyLoadError
from sidecar.policy.model import PolicyUnavailable
from sidecar.policy.service import PolicyService
from sidecar.policy.settings import PolicySettings
from tests.policy.conftest import SHIPPED
from tests.policy.test_engines import SCENARIOS, _input

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def opa_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("opa") / "opa.log"
    proc = spawn([sys.executable, "-m", "tests.policy.opa_rest", "--port", str(port)], log, cwd=REPO)
    try:
        wait_for_port("127.0.0.1", port, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_pid(proc.pid)


def test_same_decisions_as_embedded(opa_url: str) -> None:
    embedded = PolicyService(PolicySettings(directory=str(SHIPPED)))
    embedded.start()
    remote = PolicyService(
        PolicySettings(engine="opa", opa_url=opa_url, opa_push=True, directory=str(SHIPPED))
    )
    remote.start()
    assert remote.version == embedded.version
    for identity, body, path, headers, now, allow in SCENARIOS:
        inp = _input(identity, body, path, headers, now)
        a, b = embedded.decide(inp), remote.decide(inp)
        assert (a.allow, a.reasons, a.risk, a.response_profile, a.request_profile, a.extra) == (
            b.allow,
            b.reasons,
            b.risk,
            b.response_profile,
            b.request_profile,
            b.extra,
        )
        assert a.allow is allow
    assert remote.query("phi_guard/approvals/decision", {}) == embedded.query(
        "phi_guard/approvals/decision", {}
    )
    # Querying an OPA that serves its own bundles: the version comes from OPA's provenance.
    own = PolicyService(PolicySettings(engine="opa", opa_url=opa_url, opa_push=False))
    own.start()
    assert own.decide(_input(*SCENARIOS[0][:5])).policy_version.startswith("opa:phi_guard@")


def test_opa_down_fails_closed(opa_url: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(PolicyLoadError):
        PolicyService(PolicySettings(engine="opa", opa_url=dead)).start()
    svc = PolicyService(PolicySettings(engine="opa", opa_url=opa_url, opa_push=False))
    svc.start()
    svc._engine._client.root_url = f"{dead}/v1"  # OPA goes away after start
    with pytest.raises(PolicyUnavailable):
        svc.decide({})
