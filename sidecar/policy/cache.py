"""Decision cache keyed by the part of ``input`` the policy can read.

The key is the entrypoint plus the input pruned to the paths the Rego references
(:func:`sidecar.policy.input_keys.referenced_input_paths`), serialised once by :func:`input_key`: a field the
policy never reads (the request id, the minute, the message text) cannot split the cache, and a field it reads
always does. Time is bucketed the way the
policy reads it for free: ``input.time`` carries hour and weekday, and only those the policy names are kept.

One cache belongs to one compiled engine, so a policy or data reload (a new engine) starts empty. Nothing is
cached when the policy calls a builtin whose result is not fixed by input and data (time, randomness, I/O), or
when it may read all of ``input`` (no static paths).
"""

from __future__ import annotations

import marshal
import re
import threading
from collections import OrderedDict
from typing import Any

from sidecar.policy.input_keys import Paths

# Larger readable inputs (e.g. long tool-call arguments) are evaluated, not kept: memory stays bounded.
MAX_CACHED_INPUT_BYTES = 4096

# marshal format 2: no back-references, so the bytes depend only on the value, never on which objects are shared.
_KEY_FORMAT = 2

# Builtins whose result is not a function of input and data.
_IMPURE = re.compile(
    r"\b(?:time\.now_ns|rand\.\w+|uuid\.rfc4122|http\.send|net\.lookup_ip_addr|opa\.runtime|trace)\s*\("
)


def input_key(pruned_input: Any) -> bytes:
    """The pruned input as typed bytes: equal bytes hold equal values of the same types (``true`` is not ``1``,
    ``1`` is not ``1.0``, an int key is not a string key, a tuple is not a list), so two inputs that share a key
    get the same decision. Objects are taken in their key order, which ``build_policy_input`` fixes; another order
    is only a miss. Several times cheaper than canonical JSON (``json.dumps(sort_keys=True)``), which also
    conflated ``{1: x}`` with ``{"1": x}``. Raises ValueError for values marshal cannot hold (or too deep)."""
    return marshal.dumps(pruned_input, _KEY_FORMAT)


def is_pure(modules: dict[str, str]) -> bool:
    """True when no module calls a builtin whose result is not fixed by (input, data)."""
    return not any(_IMPURE.search(text) for text in modules.values())


def cache_size_for(modules: dict[str, str], input_paths: Paths | None, wanted: int) -> int:
    """``wanted``, or 0 when decisions of these modules must not be cached."""
    return wanted if is_pure(modules) and input_paths is not None else 0


class DecisionCache:
    """A thread-safe LRU of ``(entrypoint, input_key(pruned input)) -> raw engine result``. ``size`` 0
    disables it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, bytes], Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def key(self, entrypoint: str, pruned_input: Any) -> tuple[str, bytes] | None:
        """The cache key, or None when this input is not cached (cache off, unencodable or too large)."""
        if not self.size:
            return None
        try:
            data = input_key(pruned_input)
        except ValueError:
            return None
        return (entrypoint, data) if len(data) <= MAX_CACHED_INPUT_BYTES else None

    def get(self, key: tuple[str, bytes] | None) -> Any:
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

    def put(self, key: tuple[str, bytes] | None, value: Any) -> None:
        if key is None or value is None:
            return
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)
