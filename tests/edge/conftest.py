from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings


@pytest.fixture(scope="session")
def engine() -> RedactionEngine:
    return RedactionEngine(RedactionSettings(), b"edge-test-key-0123456789abcdef01")
