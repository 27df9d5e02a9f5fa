"""``phi-guard serve`` loads no module the guard never uses: not httpx's command-line client (click, rich,
pygments), not rich (structlog's console tracebacks), not regopy before the embedded engine is chosen. Checked in
a fresh interpreter through the real CLI entry, with ``asyncio.run`` stubbed so nothing starts; controls show
the modules are installed and would be imported otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNUSED = ("click", "rich", "pygments", "regopy")

PROBE = """
import asyncio, json, sys
def fake_run(coro):
    coro.close()
    loaded = sorted(m for m in UNUSED_HERE if sys.modules.get(m) is not None)
    import sidecar.policy.embedded  # control: the engine module does bring regopy
    print(json.dumps({"loaded": loaded, "structlog": "structlog" in sys.modules,
                      "regopy_after_engine": "regopy" in sys.modules}))
asyncio.run = fake_run
from sidecar.cli import main
sys.exit(main(["serve"]))
""".replace("UNUSED_HERE", repr(UNUSED))


def test_serve_imports_nothing_the_guard_never_uses() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-3000:]
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["loaded"] == []
    assert res["structlog"] and res["regopy_after_engine"]  # the serve path ran far enough to matter


def test_control_the_modules_are_there_and_httpx_would_load_its_cli() -> None:
    code = f"import sys, httpx, structlog; print(sorted(m for m in {UNUSED[:3]!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["['click',", "'pygments',", "'rich']"]
