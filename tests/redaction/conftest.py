from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings

KEY = b"test-key-0123456789abcdef0123456"


@pytest.fixture(scope="session")
def engine() -> RedactionEngine:
    return RedactionEngine(RedactionSettings(unknown_content_type="withhold"), KEY)
