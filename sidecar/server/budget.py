"""A process-wide bound on response bytes held in memory by ext_proc streams (the audit copy of the upstream's
answer and what a processor buffers before it can release). Reserved as chunks arrive, released when the
stream ends or resets. Used from the event loop only (no lock)."""

from __future__ import annotations


class ByteBudget:
    def __init__(self, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        self.used = 0

    def try_reserve(self, n: int) -> bool:
        """Take ``n`` bytes (n <= 0 gives back); False, taking nothing, when they do not fit."""
        if n > 0 and self.used + n > self.capacity:
            return False
        self.used = max(self.used + n, 0)
        return True

    def release(self, n: int) -> None:
        self.used = max(self.used - n, 0)
