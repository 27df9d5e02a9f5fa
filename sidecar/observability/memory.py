"""Keeping the guard's resident memory down (glibc malloc; elsewhere, e.g. musl or macOS, these are no-ops).

CPython frees into glibc's malloc, which keeps most of it mapped: the compiles at start-up (hyperscan
databases, the Rego bundle, botocore's models) leave ~15 MB resident that the process never uses again.
``malloc_trim(0)`` returns it. glibc also gives each thread that allocates its own arena (up to 8 per core),
each holding freed memory of its own; the guard's threads (gRPC, audit writer, executor) need no more than two.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from typing import Any

_M_ARENA_MAX = -8  # glibc's mallopt parameter number


@functools.cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def release_free_heap() -> bool:
    """Return free heap pages to the OS; True when glibc's ``malloc_trim`` ran and released some."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's malloc arenas for threads started from now on (call before the servers start). An operator's
    ``MALLOC_ARENA_MAX`` wins. True when the cap was set."""
    libc = _libc()
    if libc is None or "MALLOC_ARENA_MAX" in os.environ or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(_M_ARENA_MAX, arenas))
