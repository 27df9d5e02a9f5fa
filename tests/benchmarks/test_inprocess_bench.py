"""bench/e2e_inprocess.py drives the guard's own Check and Process (real policy, audit spool, redaction) and
refuses to report a number for a request the guard refused or withheld; the report shows its rows."""

from __future__ import annotations

import asyncio
import json

import pytest

from bench import e2e_inprocess as bench
from bench.report import stage_table


def test_every_answer_shape_is_allowed_redacted_and_costed() -> None:
    rows = asyncio.run(bench.measure("embedded", 3, 4096, None))
    assert set(rows) == set(bench.SHAPES)
    for r in rows.values():
        assert r["check"] > 0 and r["process"] > 0 and r["total"] == pytest.approx(r["check"] + r["process"])
    table = "\n".join(stage_table({"stages": {"guard": {"ok": True, "command": "python -m bench.e2e_inprocess",
                                                        "parsed": {"cached": rows}}}}))
    assert "json-clean answer, decision cached" in table


def test_control_a_refused_request_is_not_costed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: a request policy denies (a model on no allowlist) stops the bench instead of timing a 403."""
    model, _, ctype, chunks = bench.SHAPES["json"]
    body = json.dumps({"model": "not-a-model", "messages": [{"role": "user", "content": "hi"}]}).encode()
    monkeypatch.setattr(bench, "SHAPES", {"json": (model, body, ctype, chunks)})
    with pytest.raises(SystemExit, match="Check refused"):
        asyncio.run(bench.measure("embedded", 1, 0, None))


def test_the_default_engine_is_the_one_the_guard_ships() -> None:
    """The uncached rows price the decision the guard makes (they priced regopy's while the guard ran the
    compiled engine); another engine only when asked."""
    from sidecar.policy.settings import PolicySettings

    assert bench.parse_args([]).engine == PolicySettings().engine
    assert bench.parse_args(["--engine", "embedded"]).engine == "embedded"


def test_check_only_times_check_for_the_shapes_asked() -> None:
    rows = asyncio.run(bench.measure("compiled", 3, 4096, None, "serialize", ["json-clean"], check_only=True))
    assert set(rows) == {"json-clean"}
    assert rows["json-clean"]["check"] > 0 and rows["json-clean"]["process"] == 0
    with pytest.raises(SystemExit):
        bench.parse_args(["--shapes", "json,nope"])


def test_process_runs_as_the_rendered_envoy_config_opens_its_stream() -> None:
    """Process gets the early-body stream metadata Envoy sends, so a JSON answer's replies are held (the served
    path, with its pending read and timer); control: without the metadata the headers are answered at once."""
    from sidecar.server.ext_proc_service import _early_body

    early = _early_body(bench._STREAM)  # type: ignore[arg-type]  # noqa: SLF001
    assert early is not None and early.pause_s > 0 and early.extend_ms > 0
    assert _early_body(None) is None
