"""Shared fixtures: the local stack, started by the same code as ``phi-guard up``, and a bare SeaweedFS.

- ``stack`` (session): every part running (SeaweedFS, dev OIDC issuer, demo model, the guard, Envoy) in a temp
  state dir. Returns :class:`devstack.info.StackInfo`: the stack.json fields (``envoy_url``,
  ``envoy_tls_url``, ``grpc_address``, ``admin_url``, ``s3_endpoint``, ``audit_bucket``, ``issuer``,
  ``upstream_url``, ``ca_cert``, ``pids``...) plus helpers
  ``token(sub, roles, ttl=, audience=, extra_claims=)``, ``auth_headers(sub, roles)``,
  ``client_cert(name, untrusted=, expired=)``, ``demo_stats()``, ``demo_last()``, ``demo_reset()``,
  ``rotate_keys()``, ``http(tls=, cert=)``, ``s3_client()``, ``upstream_credential()``.
  Stopped (by PID) at the end of the session.
- ``stack_factory`` (session): ``stack_factory(guard_overrides={...})`` starts another full stack whose guard
  config has ``guard_overrides`` merged in (for tests that need other settings); all are stopped at the end.
- ``seaweed`` (session): a ``SeaweedServer`` for tests that need only S3 (``.endpoint``, ``.client()``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import settings

from devstack.info import StackInfo
from devstack.runner import StackOptions, start_stack, stop_stack
from devstack.seaweed import SeaweedServer, start_seaweed

# CI runs every property test on the same examples (a failure there is reproducible, never a flake); local runs
# stay random so that they keep exploring
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackInfo]:
    state_dir = tmp_path_factory.mktemp("stack")
    doc, lock = start_stack(StackOptions(state_dir=state_dir))
    lock.release()
    try:
        yield StackInfo.from_doc(doc)
    finally:
        stop_stack(state_dir)


@pytest.fixture(scope="session")
def stack_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., StackInfo]]:
    started = []

    def make(guard_overrides: dict[str, Any] | None = None, **options: Any) -> StackInfo:
        state_dir = tmp_path_factory.mktemp("stack")
        opts = StackOptions(state_dir=state_dir, guard_overrides=guard_overrides or {}, **options)
        started.append(state_dir)
        doc, lock = start_stack(opts)
        lock.release()
        return StackInfo.from_doc(doc)

    try:
        yield make
    finally:
        for state_dir in reversed(started):
            stop_stack(state_dir)


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedServer]:
    server = start_seaweed(tmp_path_factory.mktemp("seaweed"))
    try:
        yield server
    finally:
        server.stop()
