"""``phi-guard audit export``: decrypted events as JSON lines, for investigations and an accounting of
disclosures. Reads the same segments ``verify`` checks; segments that do not authenticate are reported,
never silently skipped."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from google.protobuf.json_format import MessageToDict

from sidecar._generated.phi_guard.audit.v1 import audit_pb2
from sidecar.audit.keys import AuditKeys
from sidecar.audit.segment import SegmentError, parse_segment


@dataclass
class ExportResult:
    events: int = 0
    segments: int = 0
    problems: list[str] = field(default_factory=list)


def event_to_dict(ev: audit_pb2.AuditEvent, digest: bytes = b"") -> dict[str, Any]:
    """JSON-ready dict: bodies as text when UTF-8 (else base64, see ``body_encoding``), hashes in hex."""
    d = MessageToDict(ev, preserving_proto_field_name=True)
    for part, msg in (("request", ev.request), ("response", ev.response)):
        if part in d and "redactions" in d[part]:  # int64 map values are JSON strings in proto3 JSON
            d[part]["redactions"] = {k: int(v) for k, v in d[part]["redactions"].items()}
        if part in d and msg.body:
            try:
                d[part]["body"] = msg.body.decode("utf-8")
                d[part]["body_encoding"] = "utf-8"
            except UnicodeDecodeError:
                d[part]["body"] = base64.b64encode(msg.body).decode()
                d[part]["body_encoding"] = "base64"
    d["prev_hash"] = ev.prev_hash.hex()
    d["hash"] = digest.hex() if digest else ev.hash.hex()
    if "sequence" in d:
        d["sequence"] = int(d["sequence"])
    return d


def iter_segments(client: Any, bucket: str, prefix: str) -> Iterator[tuple[str, bytes]]:
    """(key, bytes) of every segment object under ``prefix``, in key order (chain, then segment index)."""
    keys: list[str] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [o["Key"] for o in page.get("Contents", [])]
    for key in sorted(keys):
        yield key, client.get_object(Bucket=bucket, Key=key)["Body"].read()


def export_events(
    client: Any,
    bucket: str,
    prefix: str,
    keys: AuditKeys,
    out: TextIO,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    subject: str | None = None,
) -> ExportResult:
    """Write matching events (``since`` <= time < ``until``, identity.sub == ``subject``) as JSONL."""
    result = ExportResult()
    for key, data in iter_segments(client, bucket, prefix):
        result.segments += 1
        try:
            seg = parse_segment(data, keys)
        except SegmentError as exc:
            result.problems.append(f"{key}: {exc}")
            continue
        if seg.key_error:
            result.problems.append(f"{key}: {seg.key_error}")
        if seg.trailer is not None and not seg.mac_ok:
            result.problems.append(f"{key}: segment MAC does not verify (run audit verify)")
        for rec in seg.records:
            if rec.event is None:
                if not seg.key_error:
                    result.problems.append(f"{key}: record #{rec.position} does not authenticate")
                continue
            ev = rec.event
            at = ev.time.ToDatetime(tzinfo=UTC)
            if (since and at < since) or (until and at >= until):
                continue
            if subject is not None and ev.identity.sub != subject:
                continue
            out.write(json.dumps(event_to_dict(ev, rec.hash), sort_keys=True) + "\n")
            result.events += 1
    return result


def parse_time(text: str) -> datetime:
    """ISO 8601 date or date-time; naive values are UTC. Raises ValueError with the offending text."""
    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not an ISO 8601 date or time: {text!r}") from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
