"""`phi-guard policy test|eval`: per-test report, exit status, a deliberately broken rule shows up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sidecar.policy.testing import run_policy_tests
from tests.policy.conftest import SHIPPED


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sidecar.cli", "policy", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_shipped_policy_passes_with_per_test_report() -> None:
    proc = _cli("test", str(SHIPPED))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert any("test_break_glass_needs_reason: PASS" in ln for ln in lines)
    assert any("test_requester_never_approves_own: PASS" in ln for ln in lines)
    assert lines[-1].endswith("passed, 0 failed")


def test_every_deny_reason_and_risk_factor_has_a_test() -> None:
    """Coverage of the shipped rules: each reason code the policy can return appears in a Rego test."""
    import re

    rego = "\n".join(p.read_text() for p in SHIPPED.rglob("*.rego") if not p.name.endswith("_test.rego"))
    tests = "\n".join(p.read_text() for p in SHIPPED.rglob("*_test.rego"))
    codes = set(re.findall(r'"code": "([a-z_]+)"', rego)) - {"approval_required"}
    assert len(codes) >= 20
    missing = {c for c in codes if f'"{c}"' not in tests}
    assert not missing, missing
    factors = json.loads((SHIPPED / "phi_guard" / "config" / "data.json").read_text())["risk"]["points"]
    assert not {f for f in factors if f not in tests and f'"{f}"' not in tests}


def test_broken_rule_fails_visibly(policy_dir: Path) -> None:
    f = policy_dir / "phi_guard" / "authz" / "authz.rego"
    text = f.read_text()
    # Break the minimum-necessary rule: the comparison no longer fires.
    broken = text.replace("input.ai.patient_count > max_patients_limit", "input.ai.patient_count > 100000")
    assert broken != text
    f.write_text(broken)
    proc = _cli("test", str(policy_dir))
    assert proc.returncode == 1
    assert "test_minimum_necessary_patients: FAIL" in proc.stdout
    assert proc.stdout.splitlines()[-1].endswith("1 failed")
    report = run_policy_tests(policy_dir)
    assert [r.case.name for r in report.failed] == ["test_minimum_necessary_patients"]
    assert report.failed[0].case.file.endswith("authz_test.rego") and report.failed[0].case.line > 1


def test_compile_error_exits_1_with_file_and_line(policy_dir: Path) -> None:
    f = policy_dir / "phi_guard" / "approvals" / "approvals.rego"
    f.write_text(f.read_text() + "\nx := y\n")
    proc = _cli("test", str(policy_dir))
    assert proc.returncode == 1
    assert f"ERROR: {f}:" in proc.stdout and "unsafe" in proc.stdout


def test_no_tests_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "p.rego").write_text("package p\n\nx := 1\n")
    proc = _cli("test", str(tmp_path))
    assert proc.returncode == 1 and "no tests found" in proc.stdout


def test_eval(tmp_path: Path) -> None:
    inp = tmp_path / "in.json"
    inp.write_text(
        json.dumps({"identity": {"roles": ["nurse"], "auth_method": "jwt"}, "purpose": "treatment"})
    )
    proc = _cli("eval", str(SHIPPED), "--input", str(inp))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["defined"] and out["result"]["allow"] is False
    inp.write_text("{broken")
    bad = _cli("eval", str(SHIPPED), "--input", str(inp))
    assert bad.returncode == 2 and "cannot read input" in bad.stderr


def test_shipped_rules_fully_covered_by_rego_tests() -> None:
    report = run_policy_tests(SHIPPED, coverage=True)
    assert report.ok
    assert report.coverage and all(cov for cov, _ in report.coverage.values())
    assert report.uncovered() == {}


def test_untested_rule_shows_as_not_covered(policy_dir: Path) -> None:
    f = policy_dir / "phi_guard" / "authz" / "risk.rego"
    text = f.read_text()
    rule = '\nrisk_factors contains {"code": "full_moon", "points": 5} if {\n\tinput.moon == "full"\n}\n'
    f.write_text(text + rule)
    report = run_policy_tests(policy_dir, coverage=True)
    assert report.ok  # tests still pass...
    assert text.count("\n") + 3 in report.uncovered()[str(f)]  # ...but the new rule's body never ran
    proc = _cli("test", str(policy_dir), "-q", "--coverage")
    assert proc.returncode == 0 and f"coverage {f}:" in proc.stdout and "not covered: lines" in proc.stdout
