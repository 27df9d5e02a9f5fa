"""Giving freed heap back to the operating system.

CPython frees into glibc's malloc, which keeps most of it mapped: the compiles at start-up (hyperscan
databases, the Rego bundle, botocore's models) leave ~15 MB resident that the process never uses again.
``malloc_trim(0)`` returns it. Elsewhere (musl, macOS) this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any


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
