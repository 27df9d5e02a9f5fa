"""``phi-guard demo``: bring the stack up, walk through a scripted scenario a person can follow, take it down.

Each step says what should happen, does it the way a user would (openai SDK, httpx), and prints what it saw;
a step that does not behave as stated makes the demo exit non-zero. More steps come from other stages:
any module in :data:`STEP_MODULES` that exists and defines ``steps() -> list[Step]`` adds its steps, in order.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.info import StackInfo

# Stages contribute steps here (imported when present): approvals/break-glass, then audit verification.
STEP_MODULES = ("devstack.demo_steps", "devstack.approvals_steps", "devstack.audit_steps")


class StepFailed(AssertionError):
    """A step did not behave as stated; the message says what was seen instead."""


@dataclass
class DemoContext:
    """What a step gets: the running stack, and a scratch dict for passing values between steps."""

    stack: StackInfo
    notes: dict[str, Any] = field(default_factory=dict)

    def openai(self, token: str) -> Any:
        from openai import OpenAI

        if self.stack.envoy_url is None:
            raise StepFailed("the stack runs without Envoy")
        return OpenAI(base_url=f"{self.stack.envoy_url}/v1", api_key=token, max_retries=0, timeout=30)


@dataclass(frozen=True)
class Step:
    title: str
    expect: str
    run: Callable[[DemoContext], str]  # returns what was seen (one line); raises StepFailed otherwise


def check(condition: bool, seen: str) -> None:
    """Fail the current step with ``seen`` unless ``condition`` holds."""
    if not condition:
        raise StepFailed(seen)


def collect_steps(modules: Iterable[str] = STEP_MODULES) -> list[Step]:
    import importlib

    steps: list[Step] = []
    for name in modules:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        steps.extend(mod.steps())
    return steps


def run_steps(ctx: DemoContext, steps: list[Step], out: Any = sys.stdout) -> int:
    """Run every step (a failure does not stop the later ones); returns the number that failed."""
    failed = 0
    for i, step in enumerate(steps, 1):
        print(f"\n[{i}/{len(steps)}] {step.title}", file=out)
        print(f"      expect: {step.expect}", file=out)
        t0 = time.monotonic()
        try:
            seen = step.run(ctx)
            verdict = "PASS"
        except StepFailed as exc:
            seen, verdict = str(exc), "FAIL"
        except Exception as exc:  # noqa: BLE001 - a crashing step is a failed step, reported in one line
            seen, verdict = f"{type(exc).__name__}: {exc}", "FAIL"
            traceback.print_exc(limit=3, file=sys.stderr)
        failed += verdict == "FAIL"
        print(f"      saw:    {seen}", file=out)
        print(f"      {verdict} ({(time.monotonic() - t0) * 1000:.0f} ms)", file=out, flush=True)
    print(f"\n{len(steps) - failed}/{len(steps)} steps behaved as stated", file=out, flush=True)
    return failed


def run_demo(state_dir: Path, keep_up: bool = False, out: Any = sys.stdout) -> int:
    """Use the stack running in ``state_dir`` or start one (and stop it afterwards unless ``keep_up``)."""
    from devstack.launchers import LaunchError
    from devstack.runner import StackError, StackOptions, running, start_stack, stop_stack

    started = False
    doc = running(state_dir)
    if doc is not None and doc.get("status") == "running":
        print(f"using the stack already running in {state_dir}", file=out)
    else:
        print(
            "starting the local stack (Envoy, guard, SeaweedFS, dev issuer, demo model)...",
            file=out,
            flush=True,
        )
        try:
            doc, lock = start_stack(StackOptions(state_dir=state_dir))
        except (StackError, LaunchError, OSError) as exc:
            print(f"phi-guard demo: the stack did not start: {exc}", file=sys.stderr)
            return 1
        lock.release()
        started = True
    try:
        ctx = DemoContext(StackInfo.from_doc(doc))
        failed = run_steps(ctx, collect_steps(), out)
    finally:
        if started and not keep_up:
            stop_stack(state_dir)
            print("stack stopped", file=out)
    return 1 if failed else 0
