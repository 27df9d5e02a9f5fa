"""Chain, MAC, encryption, group commit and recovery of the local spool (no S3)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from sidecar.audit.events import approval_event, policy_reload_event
from sidecar.audit.keys import AuditKeys, LocalKeyProvider, MacKey, load_keys
from sidecar.audit.log import AuditLog, AuditUnavailable
from sidecar.audit.segment import SegmentError, parse_segment
from sidecar.audit.settings import AuditSettings
from sidecar.audit.spool import Spool, SpoolInUse
from sidecar.audit.verify import verify_spool_files

from .helpers import PHI, _event, _record_many


def _sealed(state_dir: Path, settings: AuditSettings) -> list[Path]:
    return sorted((state_dir / settings.spool_dir).glob("*.seg"))


def test_chain_encrypt_seal_verify(settings: AuditSettings, state_dir: Path) -> None:
    async def main() -> AuditLog:
        log = AuditLog(settings, state_dir)
        await log.start()
        ids = await _record_many(log, 120)
        await log.record(
            approval_event(kind="approved", approval={"id": "ap-1", "state": "approved", "approver": "x"})
        )
        await log.record(policy_reload_event(ok=True, version="v2", source="bundle"))
        assert len(set(ids)) == 120
        assert log.stats()["last_sequence"] == 122
        await log.aclose()
        return log

    log = asyncio.run(main())
    keys = load_keys(settings, state_dir, create=False)
    files = _sealed(state_dir, settings)
    assert len(files) >= 2  # sealed when a batch reaches segment_max_events, and at close
    report = verify_spool_files(files, keys)
    assert report.ok, report.render()
    assert report.events == 122
    # keys are 0600 and not in the spool
    for f in (state_dir / "keys").iterdir():
        assert f.stat().st_mode & 0o777 == 0o600
    assert log.stats()["batches"] < 122  # concurrent records shared fsyncs
    # No plaintext PHI anywhere in the spool
    for f in (state_dir / settings.spool_dir).iterdir():
        data = f.read_bytes()
        for phi in PHI:
            assert phi.encode() not in data, f"{phi!r} in {f.name}"
    # The events decrypt with the right fields
    seg = parse_segment(files[0].read_bytes(), keys)
    ev = seg.records[0].event
    assert ev is not None and ev.identity.sub == "dr-house" and ev.sequence == 1 and ev.prev_hash == b""
    assert PHI[0].encode() in ev.request.body and PHI[2].encode() in ev.response.body
    assert ev.decision.policy_version == "v1" and ev.response.redactions["SSN"] == 1


def test_wrong_keys_are_findings(settings: AuditSettings, state_dir: Path, tmp_path: Path) -> None:
    async def main() -> None:
        log = AuditLog(settings, state_dir)
        await log.start()
        await _record_many(log, 5)
        await log.aclose()

    asyncio.run(main())
    files = _sealed(state_dir, settings)
    good = load_keys(settings, state_dir, create=False)
    other_mac = AuditKeys(good.provider, MacKey(os.urandom(32)))
    r = verify_spool_files(files, other_mac)
    assert {f.code for f in r.findings} >= {"mac_mismatch", "key_error"}
    other_kek = AuditKeys(LocalKeyProvider(os.urandom(32)), good.mac)
    r = verify_spool_files(files, other_kek)
    assert "key_error" in {f.code for f in r.findings}


def test_group_commit_shares_fsync(state_dir: Path) -> None:
    settings = AuditSettings(segment_max_events=10_000, group_commit_ms=5)

    async def main() -> dict:
        log = AuditLog(settings, state_dir)
        await log.start()
        await _record_many(log, 300)
        stats = log.stats()
        await log.aclose()
        return stats

    stats = asyncio.run(main())
    assert stats["events_recorded"] == 300
    assert stats["batches"] <= 10, stats


def test_restart_continues_chain_and_recovers_torn_tail(settings: AuditSettings, state_dir: Path) -> None:
    spool_dir = state_dir / settings.spool_dir

    async def run(n: int, start: int, close: bool) -> None:
        log = AuditLog(settings, state_dir)
        await log.start()
        await _record_many(log, n, start)
        if close:
            await log.aclose()
        else:  # simulate a crash: the open segment stays unsealed; tasks are simply abandoned
            for t in log._tasks:  # noqa: SLF001
                t.cancel()
            log._spool.close()  # noqa: SLF001 - the kernel would release the lock of a dead process

    asyncio.run(run(30, 0, close=False))
    open_files = list(spool_dir.glob("*.open"))
    assert len(open_files) == 1
    with open(open_files[0], "ab") as f:  # a record torn mid-write
        f.write(b"\x00\x00\x01\x00R\x00\x00\x00")
    asyncio.run(run(30, 30, close=True))
    keys = load_keys(settings, state_dir, create=False)
    files = _sealed(state_dir, settings)
    report = verify_spool_files(files, keys)
    assert report.ok, report.render()
    assert report.events == 60
    first = parse_segment(files[0].read_bytes(), keys)
    assert first.trailer is not None and first.trailer.recovered


def test_spool_bound_refuses_then_reports(state_dir: Path) -> None:
    settings = AuditSettings(max_spool_bytes=20_000, group_commit_ms=0)

    async def main() -> None:
        log = AuditLog(settings, state_dir)
        await log.start()
        with pytest.raises(AuditUnavailable, match="spool full"):
            for i in range(200):
                await log.record(_event(i))
        assert not log.writable and not log.stats()["backlog_ok"]
        assert log.spool_bytes >= 15_000
        await log.aclose()

    asyncio.run(main())


def test_malformed_segments_raise_clear_errors(keys: AuditKeys, tmp_path: Path) -> None:
    with pytest.raises(SegmentError, match="bad magic"):
        parse_segment(b"not a segment", keys)
    with pytest.raises(SegmentError):
        parse_segment(b"PGAS\x00\x01\r\n\x00\x00\x00\x09Hxx", keys)
    # A spool directory holding a header-torn segment recovers by dropping it
    spool = tmp_path / "spool"
    spool.mkdir()
    (spool / "000000000001.open").write_bytes(b"PGAS\x00\x01\r\n\x00\x00")
    state = Spool(spool, keys).open()
    assert state.last_sequence == 0 and not list(spool.glob("0*"))


def test_second_writer_on_same_spool_is_refused(settings: AuditSettings, state_dir: Path) -> None:
    async def main() -> None:
        first = AuditLog(settings, state_dir)
        await first.start()
        with pytest.raises(SpoolInUse):
            await AuditLog(settings, state_dir).start()
        await first.aclose()

    asyncio.run(main())


def test_record_before_start_is_refused(settings: AuditSettings, state_dir: Path) -> None:
    async def main() -> None:
        log = AuditLog(settings, state_dir)
        with pytest.raises(AuditUnavailable):
            await log.record(_event(0))

    asyncio.run(main())
