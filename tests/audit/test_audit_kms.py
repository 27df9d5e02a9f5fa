"""The KMS data-key provider through boto3 against a KMS-API server (moto_server, a real HTTP process)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack.ports import free_port, wait_for_port
from devstack.processes import spawn, stop_pid
from sidecar.audit.keys import AuditKeyError, load_keys
from sidecar.audit.log import AuditLog, AuditUnavailable
from sidecar.audit.segment import parse_segment
from sidecar.audit.settings import AuditSettings
from sidecar.audit.verify import verify_spool_files

from .helpers import _event


def _moto_server() -> str:
    found = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
    if not Path(found).exists():
        pytest.skip("moto_server not installed (pip install 'moto[server]')")
    return found


@pytest.fixture
def kms(tmp_path: Path) -> Iterator[dict[str, Any]]:
    port = free_port()
    proc = spawn([_moto_server(), "-H", "127.0.0.1", "-p", str(port)], tmp_path / "moto.log")
    try:
        wait_for_port("127.0.0.1", port, 30)
        yield {"endpoint": f"http://127.0.0.1:{port}", "pid": proc.pid}
    finally:
        stop_pid(proc.pid, timeout=5)


def _client(endpoint: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "kms",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=5),
    )


def test_kms_wrapped_segments_verify_and_fail_closed(kms: dict[str, Any], state_dir: Path) -> None:
    key_id = _client(kms["endpoint"]).create_key(Description="phi-guard audit")["KeyMetadata"]["KeyId"]
    settings = AuditSettings(
        key_provider="kms",
        kms_key_id=key_id,
        kms_endpoint=kms["endpoint"],
        segment_max_events=5,
        group_commit_ms=1,
    )
    keys = load_keys(settings, state_dir, kms_client_factory=lambda: _client(kms["endpoint"]))
    assert not (
        state_dir / "keys" / "audit-kek.key"
    ).exists()  # no local KEK with KMS; the MAC key stays local

    async def main() -> None:
        log = AuditLog(settings, state_dir, keys=keys)
        await log.start()
        for i in range(12):
            await log.record(_event(i))
        await log.aclose()

    asyncio.run(main())
    files = sorted((state_dir / settings.spool_dir).glob("*.seg"))
    report = verify_spool_files(files, keys)
    assert report.ok and report.events == 12, report.render()
    header = parse_segment(files[0].read_bytes(), keys).header
    assert header.key_provider == "kms" and key_id in header.kek_id

    # KMS unreachable: a new segment cannot get a data key, so events are refused (fail closed)
    stop_pid(kms["pid"], timeout=5)
    fresh = load_keys(settings, state_dir, kms_client_factory=lambda: _client(kms["endpoint"]))

    async def down() -> None:
        log = AuditLog(settings, state_dir, keys=fresh)
        await log.start()
        with pytest.raises(AuditUnavailable, match="KMS"):
            await log.record(_event(99))
        await asyncio.sleep(1.2)  # the recovery probe asks KMS too: no flapping back to writable
        assert not log.writable
        await log.aclose()

    asyncio.run(down())
    with pytest.raises(AuditKeyError, match="KMS"):
        fresh.provider.unwrap(header.wrapped_data_key, header.kek_id)


def test_kms_without_key_id_is_a_clear_error(state_dir: Path) -> None:
    with pytest.raises(AuditKeyError, match="kms_key_id"):
        load_keys(AuditSettings(key_provider="kms"), state_dir)
