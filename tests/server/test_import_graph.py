"""The run-time import graph does not depend on dev code: with ``devstack``, ``bench`` and ``tests``
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
        if name.split(".")[0] in ("devstack", "bench", "tests"):
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
    out = _run("import devstack.runner")
    assert out.returncode != 0 and "devstack" in out.stderr


def test_no_dev_or_demo_module_inside_the_runtime_package() -> None:
    runtime = ROOT / "sidecar"
    dev = [p.relative_to(ROOT).as_posix() for p in runtime.rglob("*.py")
           if p.stem.startswith(("demo", "bench", "dev_")) or "stack" in p.relative_to(runtime).parts]
    assert dev == []
    top_level_dev_imports = [p.relative_to(ROOT).as_posix() for p in runtime.rglob("*.py")
                             if any(line.startswith(("from devstack", "import devstack", "from bench", "import bench"))
                                    for line in p.read_text(encoding="utf-8").splitlines())]
    assert top_level_dev_imports == []  # lazy imports inside CLI helpers only, guarded by ModuleNotFoundError
