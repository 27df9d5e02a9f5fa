"""The policy's IR plan (OPA's plan format, as ``opa build -t plan`` writes it), built from the Rego at load.

rego-cpp (regopy, the embedded engine's library) compiles the modules and data for the served entrypoints and
writes the bundle's ``plan.json``: the same compilation the embedded engine runs, written out instead of
evaluated. No Go toolchain or ``opa`` binary is needed (neither ships in a package here).

The plan is written in a child Python: rego-cpp's bundle writer aborts the process when grpc's native library
is loaded (the guard's case), and a crash of the child is a refusal of the policy, never of the guard. The child
gets the exact modules and data on stdin, so the plan is of the source in hand. The guard itself never loads
regopy for this engine.

``python -m sidecar.policy.ir_plan`` reads ``{"modules": {...}, "data": {...}, "entrypoints": [...]}`` on stdin
and prints ``{"plan": ...}`` or ``{"error": ..., "file": ..., "line": ...}``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from sidecar.policy.bundle import PolicySource
from sidecar.policy.errors import PolicyLoadError

PLAN_TIMEOUT_SECONDS = 60.0


def build_plan(source: PolicySource, entrypoints: list[str]) -> dict[str, Any]:
    """The IR plan of ``source`` with one plan per entrypoint. Raises :class:`PolicyLoadError` (file and line)
    when the Rego does not compile or the child fails."""
    request = json.dumps({"modules": source.modules, "data": source.data, "entrypoints": entrypoints})
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "sidecar.policy.ir_plan"],
            input=request.encode("utf-8"),
            capture_output=True,
            timeout=PLAN_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PolicyLoadError(f"the IR plan was not built within {PLAN_TIMEOUT_SECONDS:.0f}s") from None
    lines = [ln for ln in proc.stdout.decode("utf-8", "replace").splitlines() if ln.startswith("{")]
    if not lines:
        raise PolicyLoadError(f"the IR plan builder crashed (exit {proc.returncode})")
    doc = json.loads(lines[-1])
    if "plan" not in doc:
        raise PolicyLoadError(str(doc.get("error", "plan not built")), doc.get("file"), doc.get("line"))
    plan: dict[str, Any] = doc["plan"]
    return plan


def _plan_in_process(modules: dict[str, str], data: Any, entrypoints: list[str]) -> dict[str, Any]:
    from sidecar.policy.embedded import compile_bundle

    source = PolicySource(root=Path("."), modules=modules, tests={}, data=data, version="")
    interp, bundle = compile_bundle(source, entrypoints)
    with tempfile.TemporaryDirectory(prefix="phi-guard-plan-") as tmp:
        out = Path(tmp) / "bundle"
        interp.save_bundle(str(out), bundle)
        plan: dict[str, Any] = json.loads((out / "plan.json").read_text("utf-8"))
    return plan


def main() -> int:
    req = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        out: dict[str, Any] = {"plan": _plan_in_process(req["modules"], req["data"], req["entrypoints"])}
    except PolicyLoadError as exc:
        out = {"error": exc.message, "file": exc.file, "line": exc.line}
    except (OSError, ValueError) as exc:
        out = {"error": f"the IR plan could not be written: {type(exc).__name__}"}
    sys.stdout.write(json.dumps(out) + "\n")
    return 0 if "plan" in out else 1


if __name__ == "__main__":
    sys.exit(main())
