"""Gate for a candidate policy, run in a child process: rego-cpp can abort the whole process on some inputs,
and a bad policy must never take the guard down. The child loads the directory, compiles the served
entrypoints with the engine that will serve them (compiled, embedded or golib), evaluates each once, and (optionally)
runs the Rego tests in OPA.

``python -m sidecar.policy.validate DIR --entrypoint pkg/rule ... [--tests] [--engine golib]`` prints one JSON
line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sidecar.policy.errors import PolicyLoadError


@dataclass(frozen=True)
class Validation:
    ok: bool
    version: str = ""
    error: str | None = None
    file: str | None = None
    line: int | None = None
    tests_passed: int = 0
    tests_failed: int = 0
    failed_tests: tuple[str, ...] = ()

    def as_error(self) -> PolicyLoadError:
        return PolicyLoadError(self.error or "policy refused", self.file, self.line)


def _served(source: Any, entrypoints: list[str], engine: str, fallback: str) -> Any:
    """The engine that will serve ``source`` (engine=compiled: its fallback when the compiler refuses it)."""
    if engine == "compiled":
        from sidecar.policy.compiled import CompiledEngine, UnsupportedPolicy

        try:
            return CompiledEngine(source, entrypoints)
        except UnsupportedPolicy:
            engine = fallback
    if engine == "golib":
        from sidecar.policy.golib import GolibEngine

        return GolibEngine(source, entrypoints)
    from sidecar.policy.embedded import EmbeddedEngine

    return EmbeddedEngine(source, entrypoints)


def _check(
    directory: str, entrypoints: list[str], tests: bool, engine: str = "embedded", fallback: str = "embedded"
) -> Validation:
    from sidecar.policy.bundle import load_source
    from sidecar.policy.errors import PolicyEvalError
    from sidecar.policy.testing import run_source

    try:
        source = load_source(directory)
        served = _served(source, entrypoints, engine, fallback)
        for ep in entrypoints:
            served.evaluate(ep, {})
    except PolicyLoadError as exc:
        return Validation(False, error=exc.message, file=exc.file, line=exc.line)
    except PolicyEvalError as exc:
        return Validation(False, version=source.version, error=f"entrypoint does not evaluate: {exc}")
    if not tests:
        return Validation(True, version=source.version)
    report = run_source(source)
    if report.error is not None:
        e = report.error
        return Validation(False, version=source.version, error=e.message, file=e.file, line=e.line)
    failed = tuple(f"{r.case.path} ({r.case.file}:{r.case.line})" for r in report.failed)
    if failed or report.passed == 0:
        first = report.failed[0].case if report.failed else None
        return Validation(
            False,
            version=source.version,
            error=f"{len(failed)} Rego test(s) failed: {', '.join(failed[:5])}"
            if failed
            else "no Rego tests",
            file=first.file if first else None,
            line=first.line if first else None,
            tests_passed=report.passed,
            tests_failed=len(failed),
            failed_tests=failed,
        )
    return Validation(True, version=source.version, tests_passed=report.passed)


def validate_in_subprocess(
    directory: str | Path,
    entrypoints: list[str],
    tests: bool,
    timeout: float = 60.0,
    engine: str = "embedded",
    fallback: str = "embedded",
) -> Validation:
    """Run the gate in a child Python; a crash or timeout of the child is a refusal, never an exception."""
    cmd = [sys.executable, "-m", "sidecar.policy.validate", str(directory), "--json", "--engine", engine,
           "--fallback", fallback]
    for ep in entrypoints:
        cmd += ["--entrypoint", ep]
    if tests:
        cmd.append("--tests")
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Validation(False, error=f"policy validation timed out after {timeout:.0f}s")
    lines = [ln for ln in proc.stdout.decode("utf-8", "replace").splitlines() if ln.startswith("{")]
    if not lines:
        return Validation(
            False,
            error=f"policy validation crashed (exit {proc.returncode}): the engine "
            "could not compile or evaluate this policy",
        )
    doc = json.loads(lines[-1])
    doc["failed_tests"] = tuple(doc.get("failed_tests", ()))
    return Validation(**doc)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sidecar.policy.validate")
    ap.add_argument("directory")
    ap.add_argument("--entrypoint", action="append", default=[])
    ap.add_argument("--tests", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--engine", choices=("compiled", "embedded", "golib"), default="embedded")
    ap.add_argument("--fallback", choices=("embedded", "golib"), default="embedded")
    args = ap.parse_args(argv)
    v = _check(args.directory, args.entrypoint, args.tests, args.engine, args.fallback)
    out = dict(v.__dict__)
    out["failed_tests"] = list(v.failed_tests)
    print(json.dumps(out), flush=True)
    return 0 if v.ok else 1


if __name__ == "__main__":
    sys.exit(main())
