"""Fixtures for the approval tests: a fresh Object-Lock bucket per test on the shared real SeaweedFS, the
shipped approvals Rego evaluated by regopy, an injectable clock, and an event list standing in for audit."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
import regopy

from devstack.seaweed import SeaweedServer, ensure_locked_bucket
from sidecar.approvals.service import ApprovalService
from sidecar.approvals.settings import ApprovalSettings
from sidecar.identity.model import Identity
from sidecar.policy.model import Decision, Reason

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")

DR_HOUSE = Identity(sub="dr-house", iss="https://idp.test", auth_method="jwt", roles=("clinician",))
DR_WILSON = Identity(sub="dr-wilson", iss="https://idp.test", auth_method="jwt", roles=("clinician",))
CATHY = Identity(sub="cathy", iss="https://idp.test", auth_method="jwt", roles=("compliance-officer",))
OFFICER_HOUSE = Identity(
    sub="dr-house", iss="https://idp.test", auth_method="jwt", roles=("clinician", "compliance-officer")
)
WORKLOAD = Identity(
    sub="spiffe://test/ns/x/sa/bot", iss="spiffe://test", auth_method="mtls", roles=("compliance-officer",)
)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


class Clock:
    """A settable clock (seconds since the epoch)."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class ShippedApprovalsPolicy:
    """``policy_query`` backed by the repository's approvals Rego and config data, via regopy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls = 0
        self._interp = regopy.Interpreter()
        rego = REPO / "opa" / "phi_guard" / "approvals" / "approvals.rego"
        self._interp.add_module(str(rego), rego.read_text())
        data = json.loads((REPO / "opa" / "phi_guard" / "config" / "data.json").read_text())
        self._interp.add_data_json(json.dumps({"phi_guard": {"config": data}}))

    def __call__(self, path: str, input_doc: dict[str, Any]) -> Any:
        with self._lock:
            self.calls += 1
            self._interp.set_input(input_doc)
            out = json.loads(str(self._interp.query("x = data." + path.replace("/", "."))))
        return out["bindings"]["x"] if "bindings" in out else None


class Events:
    """Stands in for the audit recorder: ``record(kind, approval)`` appends."""

    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, Any]]] = []

    async def record(self, kind: str, approval: dict[str, Any]) -> None:
        self.items.append((kind, approval))

    def kinds(self) -> list[str]:
        return [k for k, _ in self.items]


def held_decision(**extra: Any) -> Decision:
    return Decision(
        allow=False,
        approval_required=True,
        risk=55.0,
        reasons=(Reason("approval_required", "risk 55 reaches the approval threshold 50"),),
        policy_version="test-1",
        decision_id=str(uuid.uuid4()),
        extra={"approvers": ["compliance-officer"], "break_glass_allowed": True, **extra},
    )


@pytest.fixture(scope="session")
def bucket(seaweed: SeaweedServer) -> str:
    # One bucket for the session (SeaweedFS gives every bucket its own volumes); tests differ by prefix.
    name = f"apr-{uuid.uuid4().hex[:12]}"
    ensure_locked_bucket(seaweed.client(), name, 1)  # Object Lock, like the deployment's audit bucket
    return name


@pytest.fixture
def prefix() -> str:
    return f"approvals-{uuid.uuid4().hex[:12]}/"


@pytest.fixture(scope="session")
def policy() -> ShippedApprovalsPolicy:
    return ShippedApprovalsPolicy()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def make_service(
    seaweed: SeaweedServer,
    bucket: str,
    prefix: str,
    policy: ShippedApprovalsPolicy,
    clock: Clock,
    events: Events,
) -> Callable[..., ApprovalService]:
    def make(
        settings: ApprovalSettings | None = None,
        *,
        policy_query: Any = None,
        record_event: Callable[[str, dict[str, Any]], Awaitable[None]] | None = None,
        s3_client: Any = None,
        webhook_secret: bytes | None = None,
    ) -> ApprovalService:
        return ApprovalService(
            settings or ApprovalSettings(sweep_interval_seconds=0, prefix=prefix),
            s3_client or seaweed.client(),
            bucket,
            policy_query=policy_query or policy,
            record_event=record_event or events.record,
            clock=clock,
            webhook_secret=webhook_secret,
        )

    return make
