"""Every 503 refusal, every guard-API call and every policy reload outcome is an event in the bucket: the real
``AuthorizationService`` and ``AuditRecorder`` over a real ``AuditLog`` shipping to SeaweedFS (Object Lock),
read back with the exporter. Stages that must fail are in-memory (tests/server/fakes.py)."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import pytest

from devstack.seaweed import SeaweedServer
from sidecar import protocol as P
from sidecar.audit.export import export_events
from sidecar.audit.keys import load_keys
from sidecar.audit.log import AuditLog
from sidecar.audit.settings import AuditSettings
from sidecar.observability.metrics import Metrics
from sidecar.policy.service import PolicyReload
from sidecar.server.auditing import AuditRecorder
from tests.server.fakes import FakeCredentials, FakePolicy, NullLog, authz_service, chat_body, check_request

CASES: dict[str, dict[str, Any]] = {
    P.POLICY_UNAVAILABLE: {"policy": FakePolicy(fail=True)},
    P.UPSTREAM_CREDENTIAL_UNAVAILABLE: {"credentials": FakeCredentials(fail=True)},
    P.GUARD_UNAVAILABLE: {"parse_request": lambda view: 1 / 0},
}


def _settings(seaweed: SeaweedServer, bucket: str, prefix: str) -> AuditSettings:
    return AuditSettings(s3_endpoint=seaweed.endpoint, bucket=bucket, prefix=prefix, retention_days=1,
                         segment_max_events=20, segment_max_seconds=0.5, group_commit_ms=1,
                         ship_interval_seconds=0.1, ship_max_backoff_seconds=0.5)


def _in_bucket(seaweed: SeaweedServer, bucket: str, settings: AuditSettings, state_dir: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    result = export_events(seaweed.client(), bucket, settings.prefix, load_keys(settings, state_dir, create=False),
                           out)
    assert not result.problems, result.problems
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_refusals_guard_api_calls_and_reloads_reach_the_bucket(
        seaweed: SeaweedServer, locked_bucket: str, prefix: str, state_dir: Path) -> None:
    settings = _settings(seaweed, locked_bucket, prefix)

    async def main() -> None:
        log = AuditLog(settings, state_dir, s3_client_factory=seaweed.client)
        await log.start()
        recorder = AuditRecorder(log, Metrics(), NullLog())
        for i, (code, stages) in enumerate(CASES.items()):
            svc, _ = authz_service(audit=recorder, **stages)
            resp = await svc.Check(check_request(chat_body(), request_id=f"refused-{i}"), None)
            assert json.loads(resp.denied_response.body)["error"] == code
        svc, _ = authz_service(audit=recorder)
        resp = await svc.Check(check_request(b"", path="/phi-guard/v1/approvals", method="GET",
                                             request_id="guard-api"), None)
        assert resp.HasField("ok_response")
        await recorder.policy_reload(PolicyReload(ok=True, version="v2", previous_version="v1", tests_passed=56))
        await recorder.policy_reload(PolicyReload(ok=False, version="v3", previous_version="v2",
                                                  error="authz.rego:12: rego_parse_error", file="authz.rego", line=12))
        await log.aclose()
        assert log.backlog_segments == 0, log.stats()

    asyncio.run(main())
    events = _in_bucket(seaweed, locked_bucket, settings, state_dir)
    by_request = {e.get("request_id"): e for e in events if e.get("request_id")}
    for i, code in enumerate(CASES):
        ev = by_request[f"refused-{i}"]
        assert ev["outcome"] == code and ev["status"] == 503, ev
    assert by_request["guard-api"]["outcome"] == P.OUTCOME_GUARD_API
    assert by_request["guard-api"]["identity"]["sub"] == "dr.who"
    reloads = [e["policy_reload"] for e in events if e.get("kind") == "EVENT_KIND_POLICY_RELOAD"]
    assert [(r.get("ok", False), r["policy_version"]) for r in reloads] == [(True, "v2"), (False, "v3")]
    assert "rego_parse_error" in reloads[1]["error"]


def test_control_the_oracle_sees_an_empty_trail(seaweed: SeaweedServer, locked_bucket: str, prefix: str,
                                                 state_dir: Path) -> None:
    """Control: with nothing recorded, the same reader finds none of those events."""
    settings = _settings(seaweed, locked_bucket, prefix)

    async def main() -> None:
        log = AuditLog(settings, state_dir, s3_client_factory=seaweed.client)
        await log.start()
        await log.aclose()

    asyncio.run(main())
    assert [e for e in _in_bucket(seaweed, locked_bucket, settings, state_dir) if e.get("request_id")] == []


@pytest.fixture
def prefix() -> str:
    import uuid

    return f"refusals-{uuid.uuid4().hex[:10]}/"
