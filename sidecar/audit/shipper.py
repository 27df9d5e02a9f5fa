"""Uploading sealed segments to S3 with Object Lock (synchronous; run in a worker thread).

Every object: ``ObjectLockMode=COMPLIANCE`` with a retain-until date, a SHA-256 content checksum, and
``If-None-Match: *`` so nothing is ever overwritten. A segment already present with the same digest (a
crash between upload and local delete) counts as shipped; a different one is a conflict, never replaced.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

OBJECT_SUFFIX = ".seg"


class ShipConflict(Exception):
    """The object holds other bytes than the local segment (never overwritten, the local copy kept)."""


def object_key(prefix: str, chain_id: str, index: int) -> str:
    return f"{prefix}{chain_id}/{index:012d}{OBJECT_SUFFIX}"


def _error_code(exc: Exception) -> str:
    resp = getattr(exc, "response", None) or {}
    err = resp.get("Error", {}) if isinstance(resp, dict) else {}
    status = resp.get("ResponseMetadata", {}).get("HTTPStatusCode") if isinstance(resp, dict) else None
    return str(err.get("Code") or status or type(exc).__name__)


def ship_segment(
    client: Any,
    bucket: str,
    key: str,
    data: bytes | Path,
    retention_days: int,
    now: datetime | None = None,
) -> str:
    """Upload one segment (its bytes, or its file: streamed, so a large segment is never held in memory);
    return ``"uploaded"`` or ``"already_present"``. Raises on any other outcome."""
    with contextlib.ExitStack() as stack:
        if isinstance(data, Path):
            f = stack.enter_context(data.open("rb"))
            digest = hashlib.file_digest(f, "sha256")
            size = os.fstat(f.fileno()).st_size
            f.seek(0)
            body: Any = f
        else:
            digest, size, body = hashlib.sha256(data), len(data), data
        retain = (now or datetime.now(UTC)) + timedelta(days=retention_days)
        try:
            client.put_object(
                Bucket=bucket,
                Key=key,
                Body=body,
                ContentLength=size,
                ObjectLockMode="COMPLIANCE",
                ObjectLockRetainUntilDate=retain,
                ChecksumSHA256=base64.b64encode(digest.digest()).decode(),
                IfNoneMatch="*",
                ContentType="application/vnd.phi-guard.audit-segment",
                Metadata={"sha256": digest.hexdigest()},
            )
            return "uploaded"
        except Exception as exc:
            if _error_code(exc) not in ("PreconditionFailed", "412"):
                raise
    head = client.head_object(Bucket=bucket, Key=key)
    if head.get("Metadata", {}).get("sha256") == digest.hexdigest() and head.get("ContentLength") == size:
        return "already_present"
    raise ShipConflict(f"s3://{bucket}/{key} exists with different content")


def default_s3_client(endpoint: str | None, region: str, session: Any = None) -> Any:
    """A boto3 S3 client with the default credential chain (environment, shared files, instance or pod role).
    No fallback credentials: with none configured, calls fail (and the guard refuses requests it cannot audit).

    Pass one ``boto3.session.Session`` for every client of a process: each new session loads botocore's S3
    model again (~12 MB resident each), a shared one loads it once."""
    import boto3
    from botocore.config import Config

    session = session or boto3.session.Session()
    return session.client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        config=Config(
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1, "mode": "standard"},
            connect_timeout=3,
            read_timeout=20,
        ),
    )
