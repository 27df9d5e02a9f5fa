"""A spool that cannot be written (disk full, read-only file system) fails closed, then recovers.

Uses a real small tmpfs (needs root to mount; skipped otherwise), unmounted at the end.
"""

from __future__ import annotations

import asyncio
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sidecar.audit.keys import load_keys
from sidecar.audit.log import AuditLog, AuditUnavailable
from sidecar.audit.settings import AuditSettings
from sidecar.audit.verify import verify_spool_files

from .helpers import _event


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill_up(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


async def _wait_writable(log: AuditLog, timeout: float = 10) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not log.writable and loop.time() < end:
        await asyncio.sleep(0.05)
    assert log.writable, log.stats()


def test_disk_full_fails_closed_then_recovers(tiny_fs: Path, state_dir: Path) -> None:
    spool = tiny_fs / "spool"
    settings = AuditSettings(spool_dir=str(spool), segment_max_events=1000, group_commit_ms=1)

    async def main() -> tuple[int, int]:
        log = AuditLog(settings, state_dir)
        await log.start()
        ok = 0
        for i in range(20):
            await log.record(_event(i))
            ok += 1
        _fill_up(tiny_fs / "filler")
        refused = 0
        for i in range(20, 60):
            try:
                await log.record(_event(i))
                ok += 1
            except AuditUnavailable as exc:
                refused += 1
                assert "spool" in str(exc)
        assert refused > 0 and not log.writable
        assert log.stats()["write_failures"] >= 1
        (tiny_fs / "filler").unlink()
        await _wait_writable(log)
        for i in range(60, 80):
            await log.record(_event(i))
            ok += 1
        await log.aclose()
        return ok, refused

    ok, refused = asyncio.run(main())
    keys = load_keys(settings, state_dir, create=False)
    report = verify_spool_files(sorted(spool.glob("*.seg")), keys)
    assert report.ok, report.render()
    assert report.events == ok  # every acknowledged event, no refused one, no gap in the chain


def test_read_only_spool_refuses_then_recovers(tiny_fs: Path, state_dir: Path) -> None:
    spool = tiny_fs / "spool"
    spool.mkdir()
    settings = AuditSettings(spool_dir=str(spool), group_commit_ms=1)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)

    async def main() -> None:
        log = AuditLog(settings, state_dir)
        await log.start()
        assert not log.writable and "not writable" in log.unavailable_reason
        with pytest.raises(AuditUnavailable):
            await log.record(_event(0))
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_fs)], check=True)
        await _wait_writable(log)
        for i in range(5):
            await log.record(_event(i))
        await log.aclose()

    asyncio.run(main())
    report = verify_spool_files(sorted(spool.glob("*.seg")), load_keys(settings, state_dir, create=False))
    assert report.ok and report.events == 5, report.render()
