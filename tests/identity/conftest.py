"""Fixtures for identity tests: a real JWKS server, an event loop thread, resolvers built on them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from identity_idp import IdpServer, Key, LoopThread, new_key

from sidecar.identity.resolver import IdentityResolver
from sidecar.identity.settings import IdentitySettings


@pytest.fixture(scope="session")
def keys() -> dict[str, Key]:
    """One key per algorithm family, generated once (RSA generation is the slow part)."""
    return {alg: new_key(alg) for alg in ("RS256", "PS256", "ES256", "EdDSA")}


@pytest.fixture(scope="module")
def loop() -> Iterator[LoopThread]:
    lt = LoopThread()
    yield lt
    lt.close()


@pytest.fixture
def idp(keys: dict[str, Key]) -> Iterator[IdpServer]:
    server = IdpServer(list(keys.values()))
    yield server
    server.close()


@pytest.fixture
def make_resolver(loop: LoopThread) -> Iterator[Callable[..., IdentityResolver]]:
    """Build and start resolvers from plain dict settings; closed at teardown."""
    made: list[IdentityResolver] = []

    def make(settings: dict[str, Any], start: bool = True, **kwargs: Any) -> IdentityResolver:
        async def build() -> IdentityResolver:
            r = IdentityResolver(IdentitySettings.model_validate(settings), **kwargs)
            if start:
                await r.start()
            return r

        r = loop.run(build())
        made.append(r)
        return r

    yield make
    for r in made:
        loop.run(r.aclose())
