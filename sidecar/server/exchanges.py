"""Requests between their authorization and their response, keyed by request id.

ext_authz and ext_proc run in the same process; ext_authz parks what it learned (identity, decision, request)
here and ext_proc takes it when the response starts, so the audit event holds both halves.
Entries that no response ever claims are handed to ``on_expired`` (so they are still audited).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sidecar.identity.model import Identity
from sidecar.policy.model import Decision
from sidecar.request_view import RequestView


@dataclass(slots=True)
class Exchange:
    view: RequestView
    identity: Identity
    decision: Decision
    ai: Any
    started: float = field(default_factory=time.monotonic)
    approval_ref: str = ""
    break_glass_reason: str = ""


class ExchangeRegistry:
    def __init__(self, ttl_seconds: float = 900.0, max_entries: int = 100_000,
                 on_expired: Callable[[Exchange], None] | None = None) -> None:
        self._items: OrderedDict[str, Exchange] = OrderedDict()
        self._ttl = ttl_seconds
        self._max = max_entries
        self._on_expired = on_expired

    def put(self, request_id: str, exchange: Exchange) -> None:
        self._items[request_id] = exchange
        self._evict()

    def take(self, request_id: str) -> Exchange | None:
        return self._items.pop(request_id, None)

    def __len__(self) -> int:
        return len(self._items)

    def _evict(self) -> None:
        now = time.monotonic()
        while self._items:
            key, oldest = next(iter(self._items.items()))
            if len(self._items) <= self._max and now - oldest.started < self._ttl:
                break
            del self._items[key]
            if self._on_expired is not None:
                self._on_expired(oldest)
