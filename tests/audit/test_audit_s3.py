"""Shipping to real SeaweedFS with Object Lock; verify, export, tampering, outage, locked-bucket refusals."""

from __future__ import annotations

import asyncio
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest

from devstack.ports import free_port
from devstack.seaweed import SeaweedServer, s3_client
from sidecar.audit.export import export_events
from sidecar.audit.keys import AuditKeys, load_keys
from sidecar.audit.log import AuditLog
from sidecar.audit.segment import _SEQ, RECORD, encrypt_record, frame, header_digest, parse_segment
from sidecar.audit.settings import AuditSettings
from sidecar.audit.verify import verify_bucket

from .helpers import PHI, _record_many


def _settings(seaweed: SeaweedServer, bucket: str, prefix: str, **kw: Any) -> AuditSettings:
    base = dict(
        s3_endpoint=seaweed.endpoint,
        bucket=bucket,
        prefix=prefix,
        segment_max_events=20,
        segment_max_seconds=0.5,
        group_commit_ms=1,
        ship_interval_seconds=0.1,
        ship_max_backoff_seconds=0.5,
    )
    base.update(kw)
    return AuditSettings(**base)


def _fill(
    seaweed: SeaweedServer, bucket: str, prefix: str, state_dir: Path, n: int = 60, **kw: Any
) -> AuditSettings:
    settings = _settings(seaweed, bucket, prefix, **kw)

    async def main() -> None:
        log = AuditLog(settings, state_dir, s3_client_factory=seaweed.client)
        await log.start()
        for i in range(0, n, 10):
            await _record_many(log, 10, i)
        await log.aclose()
        assert log.backlog_segments == 0, log.stats()

    asyncio.run(main())
    return settings


def _keys(settings: AuditSettings, state_dir: Path) -> AuditKeys:
    return load_keys(settings, state_dir, create=False)


def test_ship_locked_verify_export(
    seaweed: SeaweedServer, locked_bucket: str, prefix: str, state_dir: Path
) -> None:
    settings = _fill(seaweed, locked_bucket, prefix, state_dir, n=60)
    client = seaweed.client()
    keys = _keys(settings, state_dir)
    report = verify_bucket(
        client, locked_bucket, settings.prefix, keys, retention_days=settings.retention_days
    )
    assert report.ok, report.render()
    assert report.events == 60
    objs = client.list_objects_v2(Bucket=locked_bucket, Prefix=prefix)["Contents"]
    assert objs and not list((state_dir / settings.spool_dir).glob("*.seg"))  # shipped, then deleted locally
    ret = client.get_object_retention(Bucket=locked_bucket, Key=objs[0]["Key"])["Retention"]
    assert ret["Mode"] == "COMPLIANCE"
    # no plaintext PHI in the bucket
    for o in objs:
        data = client.get_object(Bucket=locked_bucket, Key=o["Key"])["Body"].read()
        for phi in PHI:
            assert phi.encode() not in data
    # export: decrypted, filtered by subject and time
    out = io.StringIO()
    res = export_events(client, locked_bucket, settings.prefix, keys, out, subject="dr-house")
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert res.events == 60 and not res.problems
    assert {x["request_id"] for x in lines} == {f"req-{i}" for i in range(60)}
    assert PHI[0] in lines[0]["request"]["body"] and lines[0]["identity"]["sub"] == "dr-house"
    assert lines[0]["response"]["redactions"] == {"SSN": 1, "EMAIL": 1}
    assert len(lines[0]["hash"]) == 64 and lines[1]["prev_hash"] == lines[0]["hash"]
    out = io.StringIO()
    assert export_events(client, locked_bucket, settings.prefix, keys, out, subject="nobody").events == 0


def test_locked_bucket_refuses_delete_and_overwrite(
    seaweed: SeaweedServer, locked_bucket: str, prefix: str, state_dir: Path
) -> None:
    settings = _fill(seaweed, locked_bucket, prefix, state_dir, n=10)
    client = seaweed.client()
    key = client.list_objects_v2(Bucket=locked_bucket, Prefix=prefix)["Contents"][0]["Key"]
    version = client.list_object_versions(Bucket=locked_bucket, Prefix=key)["Versions"][0]["VersionId"]
    with pytest.raises(client.exceptions.ClientError) as err:
        client.delete_object(Bucket=locked_bucket, Key=key, VersionId=version)
    assert err.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(client.exceptions.ClientError) as err:
        client.put_object(Bucket=locked_bucket, Key=key, Body=b"forged", IfNoneMatch="*")
    assert err.value.response["Error"]["Code"] == "PreconditionFailed"
    # An unconditional put only adds a version; the original stays, and verify reports the attempt.
    client.put_object(Bucket=locked_bucket, Key=key, Body=b"forged")
    report = verify_bucket(
        client,
        locked_bucket,
        settings.prefix,
        _keys(settings, state_dir),
        retention_days=settings.retention_days,
    )
    codes = {f.code for f in report.findings}
    assert codes == {"object_overwritten"}, report.render()
    assert report.events == 10


def _frames(data: bytes) -> tuple[bytes, list[bytes]]:
    """(magic, frames incl. their length prefix)."""
    from sidecar.audit.segment import MAGIC

    pos, out = len(MAGIC), []
    while pos < len(data):
        n = int.from_bytes(data[pos : pos + 4], "big")
        out.append(data[pos : pos + 4 + n])
        pos += 4 + n
    return data[: len(MAGIC)], out


def _copy_to(client: Any, src: str, dst: str, prefix: str) -> list[str]:
    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket=src, Prefix=prefix)["Contents"])
    for k in keys:
        body = client.get_object(Bucket=src, Key=k)
        client.put_object(Bucket=dst, Key=k, Body=body["Body"].read(), Metadata=body["Metadata"])
    return keys


def _rewrite(client: Any, bucket: str, key: str, data: bytes) -> None:
    import hashlib

    client.put_object(
        Bucket=bucket, Key=key, Body=data, Metadata={"sha256": hashlib.sha256(data).hexdigest()}
    )


@pytest.fixture
def shipped(
    seaweed: SeaweedServer, locked_bucket: str, prefix: str, state_dir: Path
) -> tuple[AuditSettings, AuditKeys]:
    settings = _fill(seaweed, locked_bucket, prefix, state_dir, n=40, segment_max_events=10)
    return settings, _keys(settings, state_dir)


def _findings(client: Any, bucket: str, settings: AuditSettings, keys: AuditKeys) -> list[Any]:
    r = verify_bucket(
        client, bucket, settings.prefix, keys, retention_days=settings.retention_days, check_lock=False
    )
    return r.findings


def test_tampered_copies_are_named(
    seaweed: SeaweedServer, locked_bucket: str, plain_bucket: str, shipped: tuple[AuditSettings, AuditKeys]
) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from sidecar._generated.phi_guard.audit.v1 import audit_pb2

    settings, keys = shipped
    client = seaweed.client()
    objects = _copy_to(client, locked_bucket, plain_bucket, settings.prefix)
    assert len(objects) >= 3
    assert _findings(client, plain_bucket, settings, keys) == []
    # The unlocked copy fails the lock checks
    r = verify_bucket(client, plain_bucket, settings.prefix, keys, retention_days=settings.retention_days)
    assert {f.code for f in r.findings} == {"not_locked"}

    key = objects[1]
    original = client.get_object(Bucket=plain_bucket, Key=key)["Body"].read()
    seg = parse_segment(original, keys)
    magic, frames = _frames(original)
    header, recs, trailer = frames[0], frames[1:-1], frames[-1]
    victim = seg.records[3]
    assert victim.event is not None
    seq, eid = victim.sequence, victim.event.event_id

    # 1. changed: an insider with the data key re-encrypts an altered event
    ev = audit_pb2.AuditEvent()
    ev.CopyFrom(victim.event)
    ev.identity.sub = "someone-else"
    aead = AESGCM(keys.provider.unwrap(seg.header.wrapped_data_key, seg.header.kek_id))
    forged = encrypt_record(aead, header_digest(header), seq, ev.SerializeToString())
    _rewrite(client, plain_bucket, key, magic + header + b"".join(recs[:3] + [forged] + recs[4:]) + trailer)
    found = _findings(client, plain_bucket, settings, keys)
    assert any(f.code == "event_altered" and f.sequence == seq and f.event_id == eid for f in found), found
    assert "mac_mismatch" in {f.code for f in found}

    # 2. changed without the key: one flipped ciphertext byte
    flipped = bytearray(recs[3])
    flipped[-5] ^= 1
    _rewrite(
        client, plain_bucket, key, magic + header + b"".join(recs[:3] + [bytes(flipped)] + recs[4:]) + trailer
    )
    found = _findings(client, plain_bucket, settings, keys)
    assert any(f.code == "record_altered" and f.sequence == seq for f in found), found

    # 3. removed
    _rewrite(client, plain_bucket, key, magic + header + b"".join(recs[:3] + recs[4:]) + trailer)
    found = _findings(client, plain_bucket, settings, keys)
    assert any(f.code == "event_missing" and f.sequence == seq for f in found), found

    # 4. reordered
    _rewrite(
        client,
        plain_bucket,
        key,
        magic + header + b"".join(recs[:3] + [recs[4], recs[3]] + recs[5:]) + trailer,
    )
    found = _findings(client, plain_bucket, settings, keys)
    assert any(f.code == "event_reordered" and f.sequence == seq and f.event_id == eid for f in found), found
    assert "mac_mismatch" in {f.code for f in found}

    # 5. a whole segment removed from the middle of the chain
    _rewrite(client, plain_bucket, key, original)
    assert _findings(client, plain_bucket, settings, keys) == []
    client.delete_object(Bucket=plain_bucket, Key=key)
    found = _findings(client, plain_bucket, settings, keys)
    assert [f.code for f in found] == ["segment_missing"], found
    assert int(_SEQ.size) == 8 and RECORD == b"R" and frame  # the helpers this test relies on exist


def test_s3_outage_spool_grows_then_drains(
    seaweed: SeaweedServer, locked_bucket: str, prefix: str, state_dir: Path
) -> None:
    """S3 unreachable (a dead port) while events keep flowing: nothing refused, backlog grows, then drains."""
    dead = f"http://127.0.0.1:{free_port()}"
    endpoint = {"url": dead}
    settings = _settings(seaweed, locked_bucket, prefix, segment_max_seconds=0.3)
    outage_s = 4.0

    async def main() -> tuple[int, int, int]:
        log = AuditLog(settings, state_dir, s3_client_factory=lambda: s3_client(endpoint["url"]))
        await log.start()
        n = 0
        t0 = time.monotonic()
        while time.monotonic() - t0 < outage_s:
            await _record_many(log, 20, n)
            n += 20
            await asyncio.sleep(0.05)
        during = log.stats()
        assert during["backlog_segments"] >= 3 and during["ship_failures"] >= 1, during
        assert during["shipping_lag_seconds"] > 1.0 and during["writable"]
        endpoint["url"] = seaweed.endpoint
        t1 = time.monotonic()
        while time.monotonic() - t1 < outage_s:  # load continues while it drains
            await _record_many(log, 20, n)
            n += 20
            await asyncio.sleep(0.05)
        deadline = time.monotonic() + 30
        while log.backlog_segments and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        after = log.stats()
        await log.aclose()
        return n, during["spool_bytes"], after["backlog_segments"]

    n, spool_during, backlog_after = asyncio.run(main())
    assert spool_during > 0 and backlog_after == 0
    report = verify_bucket(
        seaweed.client(),
        locked_bucket,
        settings.prefix,
        _keys(settings, state_dir),
        retention_days=settings.retention_days,
    )
    assert report.ok, report.render()
    assert report.events == n


def test_restart_after_upload_before_delete_ships_once(
    seaweed: SeaweedServer, locked_bucket: str, prefix: str, state_dir: Path
) -> None:
    """A crash between the confirmed upload and the local delete: the restart finds the same object
    (If-None-Match refuses a second copy), recognises it by digest, and only then deletes the local file.
    Different bytes under the same key are a conflict: never overwritten, the local segment kept."""
    import hashlib

    from sidecar.audit.shipper import object_key, ship_segment

    settings = _settings(seaweed, locked_bucket, prefix)
    spool = state_dir / settings.spool_dir

    async def write_only() -> None:  # no shipping: leave sealed segments in the spool
        log = AuditLog(settings.model_copy(update={"s3_endpoint": None}), state_dir)
        await log.start()
        await _record_many(log, 10)
        await log.aclose()

    asyncio.run(write_only())
    segs = sorted(spool.glob("*.seg"))
    assert len(segs) == 1
    chain = (spool / "chain-id").read_text().strip()
    key = object_key(settings.prefix, chain, 1)
    client = seaweed.client()
    assert ship_segment(client, locked_bucket, key, segs[0].read_bytes(), 1) == "uploaded"

    async def ship() -> dict[str, Any]:
        log = AuditLog(settings, state_dir, s3_client_factory=seaweed.client)
        await log.start()
        await log.aclose()
        return log.stats()

    stats = asyncio.run(ship())
    assert stats["backlog_segments"] == 0 and not list(spool.glob("*.seg"))
    versions = client.list_object_versions(Bucket=locked_bucket, Prefix=key).get("Versions", [])
    assert len(versions) == 1
    # conflict: another segment 2 already sits in the bucket under our key
    other_key = object_key(settings.prefix, chain, 2)
    client.put_object(
        Bucket=locked_bucket, Key=other_key, Body=b"x", Metadata={"sha256": hashlib.sha256(b"x").hexdigest()}
    )
    asyncio.run(write_only())
    stats = asyncio.run(ship())
    assert stats["backlog_segments"] == 1 and stats["last_ship_error"] == "conflict"
    assert len(list(spool.glob("*.seg"))) == 1
