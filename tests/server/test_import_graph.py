"""The run-time import graph does not depend on dev code: with ``sidecar.stack``, demo steps and benchmarks
absent (as in the image, see .dockerignore), the guard's modules import and the CLI serves its run-time
commands. A control proves the blocker really hides the dev code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BLOCKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "sidecar.stack" or name.startswith("sidecar.stack.") or name.endswith((".demo_steps", ".bench")):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
"""

RUNTIME = """
import sidecar.server.app, sidecar.server.commands, sidecar.audit.log, sidecar.approvals.service
import sidecar.approvals.http_api, sidecar.envoy_config.render, sidecar.webhook.server
from sidecar.cli import build_parser
choices = build_parser()._subparsers._group_actions[0].choices
print(" ".join(sorted(choices)))
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCKER + code], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_runtime_modules_and_cli_work_without_dev_code() -> None:
    out = _run(RUNTIME)
    assert out.returncode == 0, out.stderr[-3000:]
    commands = set(out.stdout.split())
    assert {"serve", "audit", "approvals", "policy", "redact", "envoy-config", "webhook"} <= commands
    assert not commands & {"up", "down", "demo", "token"}  # the dev stack's commands are gone with it


def test_control_the_blocker_hides_the_dev_stack() -> None:
    out = _run("import sidecar.stack.runner")
    assert out.returncode != 0 and "sidecar.stack" in out.stderr
