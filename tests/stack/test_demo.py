"""``phi-guard demo``: the step runner's contract, and the scripted scenario against the real stack."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from devstack.demo import DemoContext, Step, StepFailed, check, collect_steps, run_demo, run_steps
from devstack.info import StackInfo


def _ctx(tmp_path: Path) -> DemoContext:
    info = StackInfo(
        state_dir=tmp_path,
        issuer="http://127.0.0.1:1",
        issuer_keys_dir=tmp_path,
        upstream_url="http://127.0.0.1:1",
        ca_cert=tmp_path,
        client_cert_path=tmp_path,
        client_key_path=tmp_path,
        pki_dir=tmp_path,
        audit_bucket="b",
        upstream_credential_file=tmp_path,
    )
    return DemoContext(info)


def test_runner_reports_each_step_and_counts_failures(tmp_path: Path) -> None:
    def ok(ctx: DemoContext) -> str:
        ctx.notes["seen"] = True
        return "fine"

    def wrong(ctx: DemoContext) -> str:
        check(False, "HTTP 200 where 403 was stated")
        return "unreachable"

    def crash(ctx: DemoContext) -> str:
        raise ConnectionError("refused")

    def after(ctx: DemoContext) -> str:
        check(ctx.notes.get("seen") is True, "notes not shared")
        return "still ran"

    out = io.StringIO()
    steps = [
        Step("one", "works", ok),
        Step("two", "403", wrong),
        Step("three", "no crash", crash),
        Step("four", "runs after failures", after),
    ]
    assert run_steps(_ctx(tmp_path), steps, out) == 2
    text = out.getvalue()
    assert "[1/4] one" in text and "[4/4] four" in text
    assert text.count("PASS") == 2 and text.count("FAIL") == 2
    assert "HTTP 200 where 403 was stated" in text and "ConnectionError: refused" in text
    assert "2/4 steps behaved as stated" in text


def test_core_steps_are_collected_and_missing_stage_modules_skipped() -> None:
    titles = [s.title for s in collect_steps(("devstack.demo_steps", "sidecar.nonexistent.demo_steps"))]
    assert titles[0] == "Health check" and len(titles) >= 6
    with pytest.raises(StepFailed):
        check(False, "x")


def test_demo_without_a_startable_stack_fails_cleanly(tmp_path: Path) -> None:
    (tmp_path / "stack.lock").touch()
    from devstack.state import StartLock

    held = StartLock(tmp_path)
    assert held.acquire()
    try:
        out = io.StringIO()
        assert run_demo(tmp_path, out=out) == 1
    finally:
        held.release()


@pytest.mark.e2e
def test_demo_scenario_passes_on_the_stack(stack: StackInfo) -> None:
    out = io.StringIO()
    status = run_demo(stack.state_dir, out=out)
    assert status == 0, out.getvalue()
    assert "using the stack already running" in out.getvalue()
