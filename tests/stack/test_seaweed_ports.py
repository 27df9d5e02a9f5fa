"""SeaweedFS start-up survives a port taken between choosing it and binding it (seen under load: its S3 gRPC
port went to another process and the whole server exited): the start is retried on fresh ports. Control: a start
that may not retry fails on the taken port, so the oracle can fail."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack import seaweed
from devstack.ports import free_port


@pytest.fixture
def taken() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))  # bound, not listening: nobody can accept on it, nobody else can bind it
        yield int(s.getsockname()[1])


def _first_grpc_port_taken(monkeypatch: pytest.MonkeyPatch, port: int, times: int) -> None:
    calls = {"n": 0}

    def pick() -> int:
        calls["n"] += 1
        # the 5th pick of a start is the S3 gRPC port; poison it in the first ``times`` starts
        return port if calls["n"] % 8 == 5 and calls["n"] <= 8 * times else free_port()

    monkeypatch.setattr(seaweed, "free_port", pick)


def test_a_taken_port_is_retried_on_fresh_ports(tmp_path: Path, taken: int, monkeypatch: pytest.MonkeyPatch) -> None:
    _first_grpc_port_taken(monkeypatch, taken, times=1)
    server = seaweed.start_seaweed(tmp_path / "s3", timeout=60)
    try:
        assert server.ports["s3_grpc"] != taken
        server.client().list_buckets()
    finally:
        server.stop()


def test_control_without_retries_the_taken_port_fails(tmp_path: Path, taken: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _first_grpc_port_taken(monkeypatch, taken, times=3)
    with pytest.raises(seaweed._PortTaken):  # noqa: SLF001 - the start's own failure class
        seaweed.start_seaweed(tmp_path / "s3", timeout=60)
