"""The audit trail: hash-chained, encrypted, MAC-sealed segments in a local spool, shipped to S3 Object Lock.

Needs the generated protobuf code (``make proto``, i.e. ``python -m sidecar.audit.build_protos``).
"""

from __future__ import annotations

import sys

try:
    from sidecar._generated.phi_guard.audit.v1 import audit_pb2 as _audit_pb2  # noqa: F401
except ImportError as _exc:  # pragma: no cover - depends on the build
    # ``python -m sidecar.audit.build_protos`` imports this package before it can build anything.
    if "sidecar.audit.build_protos" not in getattr(sys, "orig_argv", ()):
        raise ImportError(
            "sidecar.audit: generated protobuf code is missing (sidecar/_generated): run make proto"
        ) from _exc
