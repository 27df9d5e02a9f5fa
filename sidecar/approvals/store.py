"""Approval records as JSON objects in S3, changed only by conditional writes.

Creating uses ``If-None-Match: *``; every later change uses ``If-Match: <ETag read>``, so replicas sharing
the bucket agree: of concurrent writers from the same version exactly one succeeds, the others get
:class:`Conflict` and re-read. All methods block (boto3): call them from a worker thread.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

# ``apr_<YYYYMMDD>_<random>`` (approval) or ``bg_<YYYYMMDD>_<random>`` (break-glass): the creation day is
# part of the id so records are stored under a per-day prefix and listings scan only the days that matter.
ID_PATTERN = re.compile(r"^(apr|bg)_(\d{8})_[A-Za-z0-9_-]{16,64}$")


class StoreUnavailable(Exception):
    """S3 could not be read or written (the caller fails closed)."""


class Conflict(Exception):
    """The object changed (or already existed) since it was read."""


class NotFound(Exception):
    """No such record."""


@dataclass(frozen=True, slots=True)
class Versioned:
    record: dict[str, Any]
    etag: str


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


class ApprovalStore:
    def __init__(self, s3_client: Any, bucket: str, prefix: str) -> None:
        self.s3 = s3_client
        self.bucket = bucket
        self.prefix = prefix

    def key(self, record_id: str) -> str:
        m = ID_PATTERN.match(record_id)
        if not m:
            raise NotFound(record_id)
        return f"{self.prefix}{m.group(2)}/{record_id}.json"

    def get(self, record_id: str) -> Versioned:
        return self._get(self.key(record_id))

    def create(self, record: dict[str, Any]) -> str:
        """Write a new record; :class:`Conflict` if its id exists. Returns the ETag."""
        return self._put(self.key(record["id"]), record, IfNoneMatch="*")

    def replace(self, record: dict[str, Any], etag: str) -> str:
        """Overwrite the version read as ``etag``; :class:`Conflict` if it changed since. Returns the ETag."""
        return self._put(self.key(record["id"]), record, IfMatch=etag)

    # The "open request" index: one small object per (requester, fingerprint) naming the latest approval
    # requested for it, so a repeated held request reuses a pending approval instead of making another.

    def open_key(self, digest: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ValueError("index digest must be 64 hex characters")
        return f"{self.prefix}open/{digest}.json"

    def get_open(self, digest: str) -> Versioned:
        return self._get(self.open_key(digest))

    def put_open(self, digest: str, doc: dict[str, Any], etag: str | None) -> str:
        """Point the index at ``doc``; a create when ``etag`` is None, else a replace of that version."""
        cond = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        return self._put(self.open_key(digest), doc, **cond)

    def _get(self, key: str) -> Versioned:
        try:
            resp = self.s3.get_object(Bucket=self.bucket, Key=key)
            body = resp["Body"].read()
        except ClientError as exc:
            if _code(exc) in ("NoSuchKey", "404", "NotFound") or _status(exc) == 404:
                raise NotFound(key) from None
            raise StoreUnavailable(f"get failed: {_code(exc) or _status(exc)}") from None
        except BotoCoreError as exc:
            raise StoreUnavailable(f"get failed: {type(exc).__name__}") from None
        try:
            record = json.loads(body)
        except ValueError:
            raise StoreUnavailable("stored approval object is not JSON") from None
        if not isinstance(record, dict):
            raise StoreUnavailable("stored approval object is not a JSON object")
        return Versioned(record=record, etag=str(resp["ETag"]))

    def _put(self, key: str, doc: dict[str, Any], **condition: str) -> str:
        body = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8")
        try:
            resp = self.s3.put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentType="application/json", **condition
            )
        except ClientError as exc:
            if _code(exc) in ("PreconditionFailed", "ConditionalRequestConflict") or _status(exc) in (
                409,
                412,
            ):
                raise Conflict(key) from None
            raise StoreUnavailable(f"put failed: {_code(exc) or _status(exc)}") from None
        except BotoCoreError as exc:
            raise StoreUnavailable(f"put failed: {type(exc).__name__}") from None
        return str(resp.get("ETag", ""))

    def list_ids(self, day: str, limit: int = 10000) -> list[str]:
        """Ids of the records created on ``day`` (``YYYYMMDD``)."""
        ids: list[str] = []
        prefix = f"{self.prefix}{day}/"
        try:
            paginator = self.s3.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for obj in page.get("Contents", []):
                    name = obj["Key"][len(prefix) :]
                    if name.endswith(".json") and ID_PATTERN.match(name[:-5]):
                        ids.append(name[:-5])
                        if len(ids) >= limit:
                            return ids
        except ClientError as exc:
            raise StoreUnavailable(f"list failed: {_code(exc) or _status(exc)}") from None
        except BotoCoreError as exc:
            raise StoreUnavailable(f"list failed: {type(exc).__name__}") from None
        return ids
