"""bench/e2e_latency.py's pure parts: configuration overrides and the side-by-side report."""

from __future__ import annotations

import argparse

import pytest

from bench.e2e_latency import _merge, parse_override, report


def test_overrides_nest_and_merge() -> None:
    doc = _merge(parse_override("audit.group_commit_ms=2"), parse_override("audit.max_inflight_fsyncs=1"))
    assert doc == {"audit": {"group_commit_ms": 2, "max_inflight_fsyncs": 1}}


def test_control_an_override_without_a_value_is_refused() -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_override("audit.group_commit_ms")


def test_report_subtracts_bare() -> None:
    res = {
        "medians": {"bare/seq p50": 2.0, "trivial/seq p50": 5.0, "guard/seq p50": 9.5},
        "guard_stages": {"audit": {"mean_ms": 3.1, "calls": 10}},
    }
    line = next(ln for ln in report(res).splitlines() if ln.startswith("seq p50"))
    assert line.split()[-2:] == ["3.00", "7.50"]
    assert "audit 3.1 (10)" in report(res)
