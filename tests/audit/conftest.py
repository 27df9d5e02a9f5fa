"""Fixtures for the audit tests: keys, settings, and buckets on the session's real SeaweedFS (``seaweed`` in
tests/conftest.py)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from devstack.seaweed import SeaweedServer, ensure_locked_bucket
from sidecar.audit.keys import AuditKeys, load_keys
from sidecar.audit.settings import AuditSettings


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    d = tmp_path / "state"
    d.mkdir()
    return d


@pytest.fixture
def settings() -> AuditSettings:
    return AuditSettings(segment_max_events=50, segment_max_seconds=60, group_commit_ms=2)


@pytest.fixture
def keys(settings: AuditSettings, state_dir: Path) -> AuditKeys:
    return load_keys(settings, state_dir)


# SeaweedFS gives every bucket its own volumes (and the test server has few): tests share two buckets
# and each writes under its own prefix.
@pytest.fixture(scope="session")
def locked_bucket(seaweed: SeaweedServer) -> str:
    name = f"audit-{uuid.uuid4().hex[:10]}"
    ensure_locked_bucket(seaweed.client(), name, 1)
    return name


@pytest.fixture(scope="session")
def plain_bucket(seaweed: SeaweedServer) -> str:
    name = f"plain-{uuid.uuid4().hex[:10]}"
    seaweed.client().create_bucket(Bucket=name)
    return name


@pytest.fixture
def prefix() -> str:
    return f"t-{uuid.uuid4().hex[:10]}/"
