"""Decision cache keyed by the part of ``input`` the policy can read.

The key is the entrypoint plus the canonical JSON of the input pruned to the paths the Rego references
(:func:`sidecar.policy.input_keys.referenced_input_paths`): a field the policy never reads (the request id, the
minute, the message text) cannot split the cache, and a field it reads always does. Time is bucketed the way the
policy reads it for free: ``input.time`` carries hour and weekday, and only those the policy names are kept.

One cache belongs to one compiled engine, so a policy or data reload (a new engine) starts empty. Nothing is
cached when the policy calls a builtin whose result is not fixed by input and data (time, randomness, I/O), or
when it may read all of ``input`` (no static paths).
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from typing import Any

from sidecar.policy.input_keys import Paths

# Larger readable inputs (e.g. long tool-call arguments) are evaluated, not kept: memory stays bounded.
MAX_CACHED_INPUT_CHARS = 4096

# Builtins whose result is not a function of input and data.
_IMPURE = re.compile(
    r"\b(?:time\.now_ns|rand\.\w+|uuid\.rfc4122|http\.send|net\.lookup_ip_addr|opa\.runtime|trace)\s*\("
)


def is_pure(modules: dict[str, str]) -> bool:
    """True when no module calls a builtin whose result is not fixed by (input, data)."""
    return not any(_IMPURE.search(text) for text in modules.values())


def cache_size_for(modules: dict[str, str], input_paths: Paths | None, wanted: int) -> int:
    """``wanted``, or 0 when decisions of these modules must not be cached."""
    return wanted if is_pure(modules) and input_paths is not None else 0


class DecisionCache:
    """A thread-safe LRU of ``(entrypoint, pruned input) -> raw engine result``. ``size`` 0 disables it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, str], Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def key(self, entrypoint: str, pruned_input: Any) -> tuple[str, str] | None:
        """The cache key, or None when this input is not cached (cache off, unencodable or too large)."""
        if not self.size:
            return None
        try:
            text = json.dumps(pruned_input, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError):
            return None
        return (entrypoint, text) if len(text) <= MAX_CACHED_INPUT_CHARS else None

    def get(self, key: tuple[str, str] | None) -> Any:
        """The stored result or None."""
        if key is None:
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return hit

    def put(self, key: tuple[str, str] | None, value: Any) -> None:
        if key is None or value is None:
            return
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)
