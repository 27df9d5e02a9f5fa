"""``phi-guard audit verify``: prove the bucket's audit trail is complete and unaltered.

For every object: Object Lock mode and retain-until date, content checksum, no later versions or
delete markers. For every segment: data key unwraps, every record authenticates, the MAC over the whole
segment holds. For every chain (one per guard instance): segments contiguous, sequence numbers without
gaps or reordering, each event's ``prev_hash`` equal to the hash of the event before it, across segments.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sidecar.audit.keys import AuditKeys
from sidecar.audit.segment import ParsedSegment, Record, SegmentError, parse_segment
from sidecar.audit.shipper import OBJECT_SUFFIX

_KEY = re.compile(r"^(?P<chain>[^/]+)/(?P<index>\d{12})" + re.escape(OBJECT_SUFFIX) + "$")


@dataclass(frozen=True)
class Finding:
    code: str
    object: str
    message: str
    sequence: int | None = None
    event_id: str = ""

    def render(self) -> str:
        where = f" seq={self.sequence}" if self.sequence is not None else ""
        ev = f" event={self.event_id}" if self.event_id else ""
        return f"FINDING {self.code}: {self.object}{where}{ev}: {self.message}"


@dataclass
class ChainSummary:
    segments: int = 0
    events: int = 0
    first_sequence: int = 0
    last_sequence: int = 0


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    chains: dict[str, ChainSummary] = field(default_factory=dict)
    objects: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def events(self) -> int:
        return sum(c.events for c in self.chains.values())

    def add(self, code: str, obj: str, message: str, sequence: int | None = None, event_id: str = "") -> None:
        self.findings.append(Finding(code, obj, message, sequence, event_id))

    def render(self) -> str:
        lines = [
            f"objects: {self.objects}  chains: {len(self.chains)}  events: {self.events}  "
            f"findings: {len(self.findings)}"
        ]
        for name, c in sorted(self.chains.items()):
            lines.append(
                f"chain {name}: {c.segments} segments, {c.events} events, "
                f"sequences {c.first_sequence}..{c.last_sequence}"
            )
        lines += [f.render() for f in self.findings]
        lines.append("RESULT: " + ("OK" if self.ok else "FAILED"))
        return "\n".join(lines)


@dataclass
class SegmentSource:
    """One segment's bytes and where they came from (chain and index as named by the object key)."""

    name: str
    chain: str
    index: int
    data: bytes


def _eid(rec: Record | None) -> str:
    return rec.event.event_id if rec is not None and rec.event is not None else ""


def check_segment(src: SegmentSource, keys: AuditKeys, report: Report) -> ParsedSegment | None:
    """Findings inside one segment; returns the parsed segment for the chain checks (None if unreadable)."""
    name = src.name
    try:
        seg = parse_segment(src.data, keys)
    except SegmentError as exc:
        report.add("segment_unreadable", name, str(exc))
        return None
    h = seg.header
    if seg.key_error:
        report.add("key_error", name, seg.key_error)
    if h.instance_id != src.chain or h.segment_index != src.index:
        report.add(
            "segment_misplaced",
            name,
            f"header says chain {h.instance_id} segment {h.segment_index}, stored as {src.chain}/{src.index}",
        )
    if seg.trailer is None:
        report.add("segment_unsealed", name, "no trailer: the segment was cut short or never sealed")
    elif not seg.mac_ok:
        report.add(
            "mac_mismatch", name, "segment MAC does not verify: bytes were changed, removed or reordered"
        )
    if seg.torn_tail:
        report.add("segment_truncated", name, "the segment ends inside a frame")
    if seg.trailing_garbage:
        report.add("trailing_data", name, "bytes follow the trailer")
    by_seq: dict[int, Record] = {}
    prev_framed: Record | None = None
    for rec in seg.records:
        if rec.plaintext is None:
            if not seg.key_error:
                report.add(
                    "record_altered",
                    name,
                    f"record #{rec.position} does not authenticate (ciphertext or its sequence changed)",
                    rec.sequence,
                )
            prev_framed = rec
            continue
        if rec.event is None:
            report.add(
                "record_unparseable", name, f"record #{rec.position} is not an audit event", rec.sequence
            )
            continue
        ev = rec.event
        if ev.sequence != rec.sequence:
            report.add(
                "sequence_mismatch",
                name,
                f"event says sequence {ev.sequence}, framed as {rec.sequence}",
                rec.sequence,
                ev.event_id,
            )
        if ev.instance_id != h.instance_id:
            report.add(
                "chain_mismatch", name, f"event belongs to chain {ev.instance_id}", rec.sequence, ev.event_id
            )
        if prev_framed is not None and rec.sequence <= prev_framed.sequence:
            report.add(
                "event_reordered",
                name,
                f"sequence {rec.sequence} is stored after sequence {prev_framed.sequence}"
                + (f" (event {_eid(prev_framed)})" if _eid(prev_framed) else ""),
                rec.sequence,
                ev.event_id,
            )
        if rec.sequence in by_seq:
            report.add(
                "event_duplicated", name, f"sequence {rec.sequence} appears twice", rec.sequence, ev.event_id
            )
        by_seq[rec.sequence] = rec
        prev_framed = rec
    first = h.first_sequence
    last = seg.trailer.last_sequence if seg.trailer is not None else max(by_seq, default=first - 1)
    unreadable = {r.sequence for r in seg.records if r.plaintext is None}
    for seq in range(first, last + 1):
        if seq not in by_seq and seq not in unreadable:
            before, after = by_seq.get(seq - 1), by_seq.get(seq + 1)
            ctx = ", ".join(
                x
                for x in (
                    f"after event {_eid(before)}" if before else "",
                    f"before event {_eid(after)}" if after else "",
                )
                if x
            )
            report.add(
                "event_missing", name, f"sequence {seq} is missing{' (' + ctx + ')' if ctx else ''}", seq
            )
    for seq in sorted(by_seq):
        if seq < first or seq > last:
            report.add(
                "sequence_out_of_range",
                name,
                f"sequence {seq} outside {first}..{last}",
                seq,
                _eid(by_seq[seq]),
            )
    # Hash links, in sequence order: event k+1 records the hash of event k.
    prev_hash: bytes | None = h.prev_hash if first not in unreadable else None
    prev_rec: Record | None = None
    for seq in range(first, last + 1):
        link = by_seq.get(seq)
        if link is None or link.event is None:
            prev_hash, prev_rec = None, None
            continue
        if prev_hash is not None and link.event.prev_hash != prev_hash:
            if prev_rec is None:
                report.add(
                    "chain_broken",
                    name,
                    "first event does not continue the hash recorded in the segment header",
                    seq,
                    link.event.event_id,
                )
            else:
                report.add(
                    "event_altered",
                    name,
                    f"content of sequence {prev_rec.sequence} does not match the hash recorded by "
                    f"sequence {seq} (event {link.event.event_id})",
                    prev_rec.sequence,
                    _eid(prev_rec),
                )
        prev_hash, prev_rec = link.hash, link
    if seg.trailer is not None:
        t = seg.trailer
        if t.event_count != len(seg.records):
            report.add(
                "event_count_mismatch",
                name,
                f"trailer counts {t.event_count} events, segment holds {len(seg.records)}",
            )
        if prev_rec is not None and prev_rec.sequence == last and t.last_hash != prev_rec.hash:
            report.add(
                "event_altered",
                name,
                f"content of sequence {last} does not match the hash in the trailer",
                last,
                _eid(prev_rec),
            )
    return seg


def check_chains(segments: Iterable[tuple[SegmentSource, ParsedSegment | None]], report: Report) -> None:
    """Continuity across the segments of each chain (index and sequence gaps, hash links)."""
    chains: dict[str, list[tuple[SegmentSource, ParsedSegment | None]]] = {}
    for src, seg in segments:
        chains.setdefault(src.chain, []).append((src, seg))
    for chain, items in chains.items():
        items.sort(key=lambda x: x[0].index)
        summary = report.chains.setdefault(chain, ChainSummary())
        expect_index = 1
        prev: ParsedSegment | None = None
        for src, seg in items:
            summary.segments += 1
            if src.index > expect_index:
                report.add(
                    "segment_missing",
                    src.name,
                    f"segments {expect_index}..{src.index - 1} of chain {chain} are missing",
                )
            expect_index = src.index + 1
            if seg is None:
                prev = None
                continue
            summary.events += sum(1 for r in seg.records if r.event is not None)
            if seg.records and summary.first_sequence == 0:
                summary.first_sequence = seg.header.first_sequence
            if seg.trailer is not None:
                summary.last_sequence = seg.trailer.last_sequence
            h = seg.header
            if src.index == 1 and (h.first_sequence != 1 or h.prev_hash):
                report.add("chain_start_missing", src.name, f"chain {chain} does not start at sequence 1")
            if prev is not None and prev.trailer is not None and src.index == prev.header.segment_index + 1:
                if h.first_sequence != prev.trailer.last_sequence + 1:
                    report.add(
                        "sequence_gap",
                        src.name,
                        f"starts at sequence {h.first_sequence}, previous segment "
                        f"ended at {prev.trailer.last_sequence}",
                        h.first_sequence,
                    )
                elif h.prev_hash != prev.trailer.last_hash:
                    report.add(
                        "chain_broken",
                        src.name,
                        "does not continue the hash chain of the previous segment",
                        h.first_sequence,
                    )
            prev = seg


# -- S3 -----------------------------------------------------------------------------------------------


def _versions(client: Any, bucket: str, prefix: str) -> Iterator[dict[str, Any]]:
    """Every object version and delete marker under ``prefix`` (falls back to a plain listing)."""
    try:
        pages = client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix)
        for page in pages:
            for v in page.get("Versions", []):
                yield {**v, "_marker": False}
            for m in page.get("DeleteMarkers", []):
                yield {**m, "_marker": True}
        return
    except Exception as exc:  # noqa: BLE001
        if "NotImplemented" not in str(exc):
            raise
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for o in page.get("Contents", []):
            yield {**o, "VersionId": None, "_marker": False}


def verify_bucket(
    client: Any, bucket: str, prefix: str, keys: AuditKeys, *, retention_days: int, check_lock: bool = True
) -> Report:
    """Read every segment under ``prefix`` in ``bucket`` and check it (see the module docstring)."""
    report = Report()
    by_key: dict[str, list[dict[str, Any]]] = {}
    for v in _versions(client, bucket, prefix):
        by_key.setdefault(v["Key"], []).append(v)
    checked: list[tuple[SegmentSource, ParsedSegment | None]] = []
    for key in sorted(by_key):
        # S3 lists a key's versions newest first; LastModified (1 s resolution) breaks no ties.
        versions = sorted(reversed(by_key[key]), key=lambda v: (v["LastModified"], bool(v.get("IsLatest"))))
        report.objects += 1
        rel = key[len(prefix) :]
        m = _KEY.match(rel)
        if not m:
            report.add("unexpected_object", key, "not a segment name")
            continue
        markers = [v for v in versions if v["_marker"]]
        objects = [v for v in versions if not v["_marker"]]
        if markers:
            report.add("object_deleted", key, f"{len(markers)} delete marker(s) hide this segment")
        if len(objects) > 1:
            report.add(
                "object_overwritten",
                key,
                f"{len(objects)} versions: the segment was overwritten; checking the original",
            )
        if not objects:
            continue
        original = objects[0]
        vid = original.get("VersionId")
        extra = {"VersionId": vid} if vid and vid != "null" else {}
        got = client.get_object(Bucket=bucket, Key=key, **extra)
        data = got["Body"].read()
        want = got.get("Metadata", {}).get("sha256")
        if want != hashlib.sha256(data).hexdigest():
            report.add("checksum_mismatch", key, "content does not match its recorded SHA-256")
        if check_lock:
            _check_lock(client, bucket, key, extra, original, retention_days, report)
        src = SegmentSource(name=key, chain=m.group("chain"), index=int(m.group("index")), data=data)
        checked.append((src, check_segment(src, keys, report)))
    check_chains(checked, report)
    return report


def _check_lock(
    client: Any,
    bucket: str,
    key: str,
    extra: dict[str, Any],
    obj: dict[str, Any],
    retention_days: int,
    report: Report,
) -> None:
    try:
        ret = client.get_object_retention(Bucket=bucket, Key=key, **extra).get("Retention", {})
    except Exception as exc:  # noqa: BLE001 - no lock configuration on the bucket or object
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
        report.add("not_locked", key, f"no Object Lock retention ({code})")
        return
    if ret.get("Mode") != "COMPLIANCE":
        report.add("not_locked", key, f"Object Lock mode is {ret.get('Mode') or 'none'}, not COMPLIANCE")
    until = ret.get("RetainUntilDate")
    minimum = obj["LastModified"] + timedelta(days=retention_days) - timedelta(days=1)
    if until is None or until < minimum:
        report.add("retention_short", key, f"retained until {until}, expected at least {minimum:%Y-%m-%d}")


def verify_spool_files(paths: Iterable[Any], keys: AuditKeys) -> Report:
    """The segment and chain checks over local sealed segment files (chain and index from each header)."""
    from pathlib import Path

    report = Report()
    checked: list[tuple[SegmentSource, ParsedSegment | None]] = []
    for p in paths:
        data = Path(p).read_bytes()
        report.objects += 1
        try:
            h = parse_segment(data, keys).header
        except SegmentError as exc:
            report.add("segment_unreadable", str(p), str(exc))
            continue
        src = SegmentSource(name=str(p), chain=h.instance_id, index=h.segment_index, data=data)
        checked.append((src, check_segment(src, keys, report)))
    check_chains(checked, report)
    return report
