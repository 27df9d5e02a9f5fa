"""Signed webhook delivery to a real local HTTP receiver, with retries; the service never waits on it."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import web

from devstack.ports import free_port
from sidecar.approvals.settings import ApprovalSettings
from sidecar.approvals.webhook import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookNotifier,
    sign,
    verify_signature,
)

from .conftest import CATHY, DR_HOUSE, held_decision, run

SECRET = b"webhook-test-secret"


class Receiver:
    """A real HTTP server that fails the first ``fail_first`` posts with 500, then accepts and keeps them."""

    def __init__(self, fail_first: int = 0, delay: float = 0.0) -> None:
        self.fail_first = fail_first
        self.delay = delay
        self.attempts: list[dict[str, Any]] = []
        self.accepted: list[dict[str, Any]] = []
        self.port = free_port()
        self.runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        item = {"headers": dict(request.headers), "body": body}
        self.attempts.append(item)
        if self.delay:
            await asyncio.sleep(self.delay)
        if len(self.attempts) <= self.fail_first:
            return web.Response(status=500)
        self.accepted.append(item)
        return web.Response(status=204)

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        assert self.runner is not None
        await self.runner.cleanup()


async def wait_for(cond: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_signature_helpers() -> None:
    body = b'{"a":1}'
    sig = sign(SECRET, "1790000000", body)
    assert sig.startswith("sha256=") and len(sig) == 7 + 64
    assert verify_signature(SECRET, "1790000000", body, sig, now=1790000010)
    assert not verify_signature(SECRET, "1790000000", body + b" ", sig, now=1790000010)
    assert not verify_signature(b"other", "1790000000", body, sig, now=1790000010)
    assert not verify_signature(SECRET, "1790000001", body, sig, now=1790000010)  # timestamp is signed
    assert not verify_signature(SECRET, "1790000000", body, sig, now=1790000000 + 301)  # too old
    assert not verify_signature(SECRET, "not-a-time", body, sig)


def test_delivery_is_signed_and_retried_after_failures() -> None:
    async def go() -> None:
        async with Receiver(fail_first=2) as rx:
            n = WebhookNotifier(rx.url, SECRET, retries=3, backoff=0.05, backoff_max=0.2)
            await n.start()
            assert n.notify("approval.requested", {"id": "apr_x"})
            await wait_for(lambda: len(rx.accepted) == 1)
            await n.aclose()
        assert len(rx.attempts) == 3
        assert len({a["headers"][DELIVERY_HEADER] for a in rx.attempts}) == 1  # same delivery, retried
        got = rx.accepted[0]
        h = {k.lower(): v for k, v in got["headers"].items()}
        assert verify_signature(SECRET, h[TIMESTAMP_HEADER], got["body"], h[SIGNATURE_HEADER])
        assert h[EVENT_HEADER] == "approval.requested"
        doc = json.loads(got["body"])
        assert doc["event"] == "approval.requested" and doc["data"] == {"id": "apr_x"}
        assert n.stats.delivered == 1 and n.stats.failed_attempts == 2 and n.stats.gave_up == 0

    run(go())


def test_gives_up_after_the_retries() -> None:
    async def go() -> None:
        async with Receiver(fail_first=100) as rx:
            n = WebhookNotifier(rx.url, SECRET, retries=2, backoff=0.02, backoff_max=0.05)
            await n.start()
            n.notify("approval.approved", {"id": "apr_y"})
            await wait_for(lambda: n.stats.gave_up == 1)
            await n.aclose()
        assert len(rx.attempts) == 3 and n.pending == 0

    run(go())


def test_a_failing_delivery_does_not_hold_up_others() -> None:
    async def go() -> None:
        # receiver refuses the first post only; the second notification must not wait for its backoff
        async with Receiver(fail_first=1) as rx:
            n = WebhookNotifier(rx.url, SECRET, retries=1, backoff=5.0, workers=1)
            await n.start()
            n.notify("first", {})
            await wait_for(lambda: len(rx.attempts) == 1)
            n.notify("second", {})
            await wait_for(lambda: len(rx.accepted) == 1, timeout=3.0)
            assert json.loads(rx.accepted[0]["body"])["event"] == "second"
            await n.aclose(drain_seconds=0.1)

    run(go())


def test_notify_never_blocks_and_drops_when_full() -> None:
    async def go() -> None:
        dead = f"http://127.0.0.1:{free_port()}/hook"
        n = WebhookNotifier(dead, SECRET, retries=5, backoff=1.0, queue_size=3, workers=1)
        await n.start()
        t0 = time.perf_counter()
        results = [n.notify("approval.requested", {"i": i}) for i in range(10)]
        assert time.perf_counter() - t0 < 0.05
        assert results.count(False) >= 6 and n.stats.dropped == results.count(False)
        await n.aclose(drain_seconds=0.1)

    run(go())


def test_service_notifies_each_state_change_without_waiting(make_service: Any, prefix: str) -> None:
    async def go() -> None:
        async with Receiver(delay=1.0) as rx:  # a slow receiver
            settings = ApprovalSettings(
                prefix=prefix,
                sweep_interval_seconds=0,
                webhook_url=rx.url,
                webhook_backoff_seconds=0.05,
                webhook_workers=4,
            )
            svc = make_service(settings, webhook_secret=SECRET)
            await svc.start()
            t0 = time.perf_counter()
            aid = (await svc.request_approval(DR_HOUSE, held_decision(), "fp1:x", {"model": "m"}))["id"]
            assert time.perf_counter() - t0 < 0.9  # did not wait for the 1 s receiver
            await svc.decide(aid, CATHY, True)
            await svc.consume(aid, DR_HOUSE, "fp1:x")
            bg = await svc.break_glass(DR_HOUSE, "code blue in bed 4", "fp1:y")
            await wait_for(lambda: len(rx.accepted) == 4)
            await svc.aclose()
        events = {json.loads(a["body"])["event"]: json.loads(a["body"])["data"] for a in rx.accepted}
        assert set(events) == {
            "approval.requested",
            "approval.approved",
            "approval.consumed",
            "break_glass.used",
        }
        assert events["approval.requested"]["id"] == aid
        assert events["break_glass.used"]["id"] == bg["id"] and "reason" not in events["break_glass.used"]
        assert all(b"code blue" not in a["body"] for a in rx.accepted)
        for a in rx.accepted:
            h = {k.lower(): v for k, v in a["headers"].items()}
            assert verify_signature(
                SECRET, h[TIMESTAMP_HEADER], a["body"], h[SIGNATURE_HEADER], tolerance=10**10
            )

    run(go())
