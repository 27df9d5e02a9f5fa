"""Rego unit tests in OPA's convention: every rule named ``test_*`` in any module is a test that passes when
it is true; ``todo_*`` rules are skipped. Run by OPA itself (:mod:`sidecar.policy.reference`)."""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sidecar.policy.bundle import PolicySource, load_source
from sidecar.policy.errors import PolicyEvalError, PolicyLoadError
from sidecar.policy.reference import UNDEFINED, ReferenceOpa

_PACKAGE = re.compile(r"^package\s+([A-Za-z_][\w.]*)", re.M)
_RULE = re.compile(r"^(test_\w+|todo_\w+)\b", re.M)


@dataclass(frozen=True)
class TestCase:
    __test__ = False  # not a pytest class

    package: str
    name: str
    file: str
    line: int

    @property
    def path(self) -> str:
        return f"data.{self.package}.{self.name}"


@dataclass(frozen=True)
class TestResult:
    __test__ = False  # not a pytest class

    case: TestCase
    outcome: str  # pass | fail | error | skip
    seconds: float
    message: str = ""


@dataclass
class TestReport:
    __test__ = False  # not a pytest class

    results: list[TestResult] = field(default_factory=list)
    error: PolicyLoadError | None = None  # the policy did not load or compile: no test ran
    version: str = ""
    # Served module -> (covered lines, lines no test evaluated), as `opa test --coverage` reports.
    coverage: dict[str, tuple[set[int], set[int]]] = field(default_factory=dict)

    def uncovered(self) -> dict[str, list[int]]:
        return {f: sorted(nc) for f, (_, nc) in self.coverage.items() if nc}

    @property
    def passed(self) -> int:
        return sum(r.outcome == "pass" for r in self.results)

    @property
    def failed(self) -> list[TestResult]:
        return [r for r in self.results if r.outcome in ("fail", "error")]

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed and self.passed > 0

    def summary(self) -> str:
        if self.error is not None:
            return f"ERROR: {self.error}"
        skipped = sum(r.outcome == "skip" for r in self.results)
        line = f"{self.passed} passed, {len(self.failed)} failed"
        return line + (f", {skipped} skipped" if skipped else "")

    def format(self, verbose: bool = True) -> str:
        """The per-test report, OPA-style, ending with a ``N passed, N failed`` line."""
        lines = []
        if self.error is None:
            for r in self.results:
                if verbose or r.outcome != "pass":
                    status = {"pass": "PASS", "fail": "FAIL", "error": "ERROR", "skip": "SKIPPED"}[r.outcome]
                    extra = f" ({r.message})" if r.message else ""
                    lines.append(
                        f"{r.case.file}:{r.case.line}: {r.case.path}: {status} "
                        f"({r.seconds * 1000:.1f}ms){extra}"
                    )
            if not self.results:
                lines.append("no tests found")
            lines.append("-" * 60)
        if self.coverage:
            for file, (cov, nc) in sorted(self.coverage.items()):
                pct = 100.0 * len(cov) / max(1, len(cov) + len(nc))
                missing = f"  not covered: lines {', '.join(map(str, sorted(nc)))}" if nc else ""
                lines.append(f"coverage {file}: {pct:.1f}%{missing}")
        lines.append(self.summary())
        return "\n".join(lines)


def discover(source: PolicySource) -> list[TestCase]:
    """Every ``test_*``/``todo_*`` rule head at the start of a line, in file order (duplicates once)."""
    cases: list[TestCase] = []
    seen: set[tuple[str, str]] = set()
    for file, text in {**source.modules, **source.tests}.items():
        pkg = _PACKAGE.search(text)
        if not pkg:
            continue
        for m in _RULE.finditer(text):
            key = (pkg.group(1), m.group(1))
            if key in seen:
                continue
            seen.add(key)
            cases.append(TestCase(pkg.group(1), m.group(1), file, text.count("\n", 0, m.start()) + 1))
    return cases


def _add_coverage(report: TestReport, source: PolicySource, cov: dict[str, Any]) -> None:
    for file, ranges in (cov.get("files") or {}).items():
        if file not in source.modules:
            continue  # test modules are not measured
        covered, missing = report.coverage.setdefault(file, (set(), set()))
        for key, into in (("covered", covered), ("not_covered", missing)):
            for r in ranges.get(key) or []:
                into.update(range(r["start"]["row"], r["end"]["row"] + 1))
        missing -= covered
    for covered, missing in report.coverage.values():
        missing -= covered


def run_source(source: PolicySource, coverage: bool = False) -> TestReport:
    report = TestReport(version=source.version)
    try:
        opa = ReferenceOpa(source, include_tests=True)
    except PolicyLoadError as exc:
        report.error = exc
        return report
    try:
        cases = discover(source)
        package_docs: dict[str, Any] = {}
        for pkg in dict.fromkeys(c.package for c in cases):
            t0 = time.perf_counter()
            # One evaluation per package; a runtime error anywhere falls back to one per test.
            with contextlib.suppress(PolicyEvalError):
                package_docs[pkg] = (
                    opa.evaluate(pkg, coverage=coverage),
                    (time.perf_counter() - t0) / max(1, len(cases)),
                )
                if coverage:
                    _add_coverage(report, source, opa.last_coverage)
        for case in cases:
            if case.name.startswith("todo_"):
                report.results.append(TestResult(case, "skip", 0.0))
                continue
            t0 = time.perf_counter()
            if case.package in package_docs:
                doc, dt = package_docs[case.package]
                value = doc.get(case.name, UNDEFINED) if isinstance(doc, dict) else UNDEFINED
            else:
                try:
                    value = opa.evaluate(f"{case.package}.{case.name}")
                except PolicyEvalError as exc:
                    report.results.append(TestResult(case, "error", time.perf_counter() - t0, str(exc)[:300]))
                    continue
                dt = time.perf_counter() - t0
            outcome = "pass" if value is True else "fail"
            message = (
                "" if outcome == "pass" else ("undefined" if value is UNDEFINED else f"= {value!r}"[:80])
            )
            report.results.append(TestResult(case, outcome, dt, message))
    finally:
        opa.close()
    return report


def run_policy_tests(directory: str | Path, coverage: bool = False) -> TestReport:
    """Load ``directory`` and run its Rego tests. Never raises for a bad policy: see ``report.error``."""
    try:
        source = load_source(directory)
    except PolicyLoadError as exc:
        return TestReport(error=exc)
    return run_source(source, coverage=coverage)
