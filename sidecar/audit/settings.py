"""Audit settings: spool, encryption, S3 Object Lock shipping.

Relative paths (``spool_dir``, ``key_file``, ``mac_key_file``) are resolved against the global ``state_dir``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class AuditSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    spool_dir: str = "audit/spool"
    # Bound on the local spool: when reached, new events (so new requests) are refused until shipping drains.
    max_spool_bytes: Annotated[int, Field(gt=0)] = 1024 * 1024 * 1024
    segment_max_events: Annotated[int, Field(gt=0)] = 5000
    segment_max_bytes: Annotated[int, Field(gt=0)] = 64 * 1024 * 1024
    segment_max_seconds: Annotated[float, Field(gt=0)] = 5.0
    # Extra wait before writing a batch that starts from idle, so concurrent records can join it. 0 (default):
    # write at once; records that arrive while a batch is being synced form the next batch anyway, so batching
    # under load needs no delay, and an idle guard adds none to a request.
    group_commit_ms: Annotated[float, Field(ge=0)] = 0.0
    # Batches whose fsync may be in flight at once. 1 (default): one write + fsync after the other (a record that
    # arrives during an fsync waits for it and then for its own), so under load each batch holds every record
    # that arrived meanwhile. More: the next batch is written and its fsync starts at once, so a record waits for
    # about one fsync; each batch is acknowledged only by an fsync that began after it was written. The price is
    # smaller batches, each with its own thread hand-offs and fsync: 4 cost 11-15 % more guard CPU per request
    # under saturation (python -m bench.ab HEAD --env PHI_GUARD__AUDIT__MAX_INFLIGHT_FSYNCS=1).
    max_inflight_fsyncs: Annotated[int, Field(ge=1, le=64)] = 1
    s3_endpoint: str | None = None
    s3_region: str = "us-east-1"
    bucket: str = "phi-guard-audit"
    prefix: str = "audit/"
    retention_days: Annotated[int, Field(gt=0)] = 6 * 365 + 2
    key_provider: Literal["local", "kms"] = "local"
    kms_key_id: str | None = None
    kms_endpoint: str | None = None
    # Local key-encryption key and MAC key (embedded default), kept apart from the data.
    key_file: str = "keys/audit-kek.key"
    mac_key_file: str = "keys/audit-mac.key"
    ship_interval_seconds: Annotated[float, Field(gt=0)] = 1.0
    ship_max_backoff_seconds: Annotated[float, Field(gt=0)] = 30.0
    # Bound on the final ship attempt in ``aclose``.
    close_ship_timeout_seconds: Annotated[float, Field(ge=0)] = 10.0
    # Names the hash chain (with a random suffix kept in the spool); default: the host name.
    instance_id: str | None = None
