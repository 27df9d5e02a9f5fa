"""The guard's JSON log lines are the ones structlog's stock processors render: the per-second timestamp cache and
the encoder built once change the cost of a line, not its text."""

from __future__ import annotations

import datetime
import io
import json
import logging
import re
import sys
from typing import Any
from unittest import mock

import structlog
from hypothesis import given
from hypothesis import strategies as st

from sidecar.observability import logging as guard_logging

# From 2001 to 2100, in nanoseconds; whole seconds and whole microseconds are drawn often (no fraction printed).
_NS = st.one_of(
    st.integers(min_value=978_307_200 * 10**9, max_value=4_102_444_800 * 10**9),
    st.integers(min_value=978_307_200, max_value=4_102_444_800).map(lambda s: s * 10**9),
    st.integers(min_value=978_307_200 * 10**6, max_value=4_102_444_800 * 10**6).map(lambda us: us * 1000 + 999),
)


def _stock_stamp(ns: int) -> str:
    """``TimeStamper(fmt="iso", utc=True)``'s text for the instant ``datetime.now`` reads as ``ns``."""
    seconds, micros = divmod(ns // 1000, 1_000_000)
    moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC).replace(microsecond=micros)
    return moment.isoformat().replace("+00:00", "Z")


def _rounding_stamp(ns: int) -> str:
    """Control: the same text with the microseconds rounded instead of floored."""
    moment = datetime.datetime.fromtimestamp(round(ns / 1000) / 1e6, datetime.UTC)
    return moment.isoformat().replace("+00:00", "Z")


@given(st.lists(_NS, min_size=1, max_size=6))
def test_the_stamp_is_datetime_isoformat_in_utc(instants: list[int]) -> None:
    stamper = guard_logging.UtcTimeStamper()
    for ns in instants + [ns + 1 for ns in instants] + instants:  # the cached second is reused and replaced
        assert stamper.stamp(ns) == _stock_stamp(ns)


def test_the_stamp_control_fails_on_rounding() -> None:
    stamper = guard_logging.UtcTimeStamper()
    ns = 1_796_612_902_730_935_999  # .730935999 s: floored .730935, rounded .730936
    assert stamper.stamp(ns) == "2026-12-07T03:08:22.730935Z"
    assert _rounding_stamp(ns) != stamper.stamp(ns)
    assert stamper.stamp(1_796_612_902 * 10**9) == "2026-12-07T03:08:22Z"


def test_the_processor_stamps_the_current_time() -> None:
    before = datetime.datetime.now(datetime.UTC)
    out = guard_logging.UtcTimeStamper()(None, "info", {})
    after = datetime.datetime.now(datetime.UTC)
    stamped = datetime.datetime.fromisoformat(out["timestamp"].replace("Z", "+00:00"))
    assert before <= stamped <= after


class _Custom:
    def __structlog__(self) -> str:
        return "custom-form"


class _Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


_STAMP = re.compile(r'"timestamp": ?"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?Z)"')


def _lines(configure: Any) -> list[str]:
    """The lines one logger writes for a fixed set of calls, each timestamp (checked for its form) replaced by
    ``T`` in place."""
    out = io.StringIO()
    with mock.patch("sys.stderr", out):
        configure()
        log = structlog.get_logger("phi_guard")
        log.info("decision", request_id="r-1", sub="s", result="allow", status=200, redactions={"NAME": 2},
                 bytes_out=812, complete=True, proc_ms=0.412, risk=1.5, reasons=["a", "b"], text="dropped")
        log.warning("odd", value=_Custom(), other=_Opaque(), unicode="é ✓", none=None)
        log.debug("filtered at info")
    lines = out.getvalue().splitlines()
    assert all(len(_STAMP.findall(line)) == 1 for line in lines)
    return [_STAMP.sub('"timestamp": "T"', line) for line in lines]


def _stock() -> None:
    """The configuration before the fast path: structlog's own TimeStamper and JSONRenderer."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            guard_logging.drop_sensitive,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def test_lines_are_the_stock_renderers_lines() -> None:
    try:
        ours = _lines(lambda: guard_logging.configure_logging("info"))
        stock = _lines(_stock)
    finally:
        structlog.reset_defaults()
    assert len(ours) == 2
    assert ours == stock
    first = json.loads(ours[0])
    assert first["text"] == "[dropped]" and first["redactions"] == {"NAME": 2}
    assert json.loads(ours[1])["value"] == "custom-form" and json.loads(ours[1])["other"] == "<opaque>"


def test_lines_control_a_different_encoder_is_seen() -> None:
    """Control: an encoder with other separators renders other lines, and the comparison above sees it."""
    compact = json.JSONEncoder(default=guard_logging._fallback, separators=(",", ":")).encode  # noqa: SLF001
    try:
        with mock.patch.object(guard_logging, "_ENCODE", compact):
            ours = _lines(lambda: guard_logging.configure_logging("info"))
        stock = _lines(_stock)
    finally:
        structlog.reset_defaults()
    assert ours != stock
