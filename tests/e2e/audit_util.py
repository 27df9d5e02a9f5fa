"""Reading the audit trail in end-to-end tests: ``phi-guard audit export --subject`` until events appear."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devstack.info import StackInfo

ROOT = Path(__file__).resolve().parents[2]


def export(stack: StackInfo, *options: str) -> list[dict[str, Any]]:
    """``phi-guard audit export OPTIONS`` (chain verified, decrypted) as a list of events."""
    assert stack.guard_config is not None
    out = subprocess.run(
        [sys.executable, "-m", "sidecar.cli", "--config", str(stack.guard_config), "audit", "export", *options],
        capture_output=True, text=True, timeout=90, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def export_subject(stack: StackInfo, sub: str) -> list[dict[str, Any]]:
    return export(stack, "--subject", sub)


def wait_events(
    stack: StackInfo, sub: str, done: Callable[[list[dict[str, Any]]], bool], timeout: float = 60
) -> list[dict[str, Any]]:
    """The subject's events once ``done(events)`` holds (segments are sealed and shipped within seconds)."""
    deadline = time.monotonic() + timeout
    events: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        events = export_subject(stack, sub)
        if done(events):
            return events
        time.sleep(2)
    raise AssertionError(f"audit events for {sub} incomplete after {timeout:.0f}s: {len(events)} found")
