"""Signed webhook notifications of approval state changes, delivered in the background.

Each POST carries ``x-phi-guard-timestamp`` (unix seconds), ``x-phi-guard-event``, ``x-phi-guard-delivery``
and ``x-phi-guard-signature: sha256=<hex>`` where the hex is HMAC-SHA256(secret, timestamp + "." + body).
Receivers check it with :func:`verify_signature`. :meth:`WebhookNotifier.notify` never blocks: the queue is
bounded and a full queue drops the notification (counted and logged; the audit trail is the record, the
webhook is a prompt). Failed deliveries (network error or non-2xx) are retried with exponential backoff.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import structlog

from sidecar import protocol as P

SIGNATURE_HEADER = P.WEBHOOK_SIGNATURE_HEADER
TIMESTAMP_HEADER = P.WEBHOOK_TIMESTAMP_HEADER
EVENT_HEADER = P.WEBHOOK_EVENT_HEADER
DELIVERY_HEADER = P.WEBHOOK_DELIVERY_HEADER

log = structlog.get_logger("phi_guard.approvals.webhook")


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The ``x-phi-guard-signature`` value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={mac}"


def verify_signature(
    secret: bytes,
    timestamp: str,
    body: bytes,
    signature: str,
    tolerance: float = 300.0,
    now: float | None = None,
) -> bool:
    """True when ``signature`` is ours for this body and timestamp, and the timestamp within ``tolerance``."""
    try:
        ts = float(timestamp)
    except ValueError:
        return False
    t = time.time() if now is None else now
    if abs(t - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature.strip())


@dataclass
class _Delivery:
    event: str
    body: bytes
    delivery_id: str
    attempt: int = 0


@dataclass
class WebhookStats:
    queued: int = 0
    delivered: int = 0
    failed_attempts: int = 0
    gave_up: int = 0
    dropped: int = 0


class WebhookNotifier:
    """Posts JSON notifications to ``url``; :meth:`start` launches the workers, :meth:`aclose` stops them
    (waiting up to ``drain_seconds`` for queued deliveries)."""

    def __init__(
        self,
        url: str,
        secret: bytes,
        *,
        retries: int = 5,
        timeout: float = 5.0,
        backoff: float = 0.5,
        backoff_max: float = 30.0,
        queue_size: int = 1000,
        workers: int = 2,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not secret:
            raise ValueError("webhook secret is empty")
        self.url = url
        self._secret = secret
        self.retries = retries
        self.timeout = timeout
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.workers = workers
        self.clock = clock
        self.stats = WebhookStats()
        self._queue: asyncio.Queue[_Delivery] = asyncio.Queue(maxsize=queue_size)
        self._tasks: list[asyncio.Task[None]] = []
        self._retry_tasks: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None
        self._outstanding = 0

    async def start(self) -> None:
        self._client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False)
        self._tasks = [asyncio.create_task(self._worker()) for _ in range(self.workers)]

    async def aclose(self, drain_seconds: float = 2.0) -> None:
        deadline = time.monotonic() + drain_seconds
        while self._tasks and self.pending and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for task in [*self._tasks, *self._retry_tasks]:
            task.cancel()
        await asyncio.gather(*self._tasks, *self._retry_tasks, return_exceptions=True)
        self._tasks = []
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def notify(self, event: str, payload: dict[str, Any]) -> bool:
        """Queue a notification; False (and counted) when the queue is full. Never blocks, never raises."""
        body = json.dumps(
            {"event": event, "sent_at": self.clock(), "data": payload}, separators=(",", ":"), default=str
        ).encode("utf-8")
        delivery = _Delivery(event=event, body=body, delivery_id=uuid.uuid4().hex)
        try:
            self._queue.put_nowait(delivery)
        except asyncio.QueueFull:
            self.stats.dropped += 1
            log.warning("webhook_dropped", webhook_event=event, reason="queue_full")
            return False
        self.stats.queued += 1
        self._outstanding += 1
        return True

    async def _worker(self) -> None:
        while True:
            delivery = await self._queue.get()
            try:
                await self._attempt(delivery)
            except Exception:  # noqa: BLE001 - one bad delivery must not stop the worker
                self._outstanding -= 1
                log.exception("webhook_worker_error", delivery=delivery.delivery_id)
            finally:
                self._queue.task_done()

    async def _attempt(self, d: _Delivery) -> None:
        assert self._client is not None
        d.attempt += 1
        ts = str(int(self.clock()))
        headers = {
            "content-type": "application/json",
            TIMESTAMP_HEADER: ts,
            EVENT_HEADER: d.event,
            DELIVERY_HEADER: d.delivery_id,
            SIGNATURE_HEADER: sign(self._secret, ts, d.body),
        }
        status = 0
        try:
            resp = await self._client.post(self.url, content=d.body, headers=headers)
            status = resp.status_code
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        else:
            if 200 <= status < 300:
                self.stats.delivered += 1
                self._outstanding -= 1
                log.info(
                    "webhook_delivered", webhook_event=d.event, delivery=d.delivery_id, attempt=d.attempt
                )
                return
            error = f"http_{status}"
        self.stats.failed_attempts += 1
        if d.attempt > self.retries:
            self.stats.gave_up += 1
            self._outstanding -= 1
            log.error(
                "webhook_gave_up",
                webhook_event=d.event,
                delivery=d.delivery_id,
                attempts=d.attempt,
                error=error,
            )
            return
        delay = min(self.backoff_max, self.backoff * 2 ** (d.attempt - 1))
        log.warning(
            "webhook_retry",
            webhook_event=d.event,
            delivery=d.delivery_id,
            attempt=d.attempt,
            error=error,
            delay_s=delay,
        )
        # Wait outside the workers, so one failing delivery does not hold up the others.
        task = asyncio.create_task(self._retry_later(d, delay))
        self._retry_tasks.add(task)
        task.add_done_callback(self._retry_tasks.discard)

    async def _retry_later(self, d: _Delivery, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._queue.put(d)

    @property
    def pending(self) -> int:
        """Deliveries queued, in flight, or waiting to be retried."""
        return self._outstanding
