"""structlog configured once, by the server wiring or the CLI: JSON lines on stderr.

Log events carry ids, codes, counts and timings only. Never pass bodies, prompt text, tokens or claim
values (other than the subject) to a logger: :func:`drop_sensitive` removes well-known offenders anyway.
"""

from __future__ import annotations

import datetime
import json
import logging
import sys
import time
from collections.abc import MutableMapping
from typing import Any

import structlog

SENSITIVE_KEYS = frozenset(
    {"body", "text", "prompt", "content", "token", "authorization", "claims", "headers", "input", "messages"}
)


def drop_sensitive(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Processor: remove keys that could carry PHI or secrets, whatever a caller passed."""
    for key in SENSITIVE_KEYS & event_dict.keys():
        event_dict[key] = "[dropped]"
    return event_dict


class UtcTimeStamper:
    """Processor: ``timestamp`` as ``TimeStamper(fmt="iso", utc=True)`` writes it (``2026-12-07T03:07:57.123456Z``,
    no fraction when the microsecond is 0: ``datetime.isoformat``), the date and time of day formatted once per
    second instead of through a ``datetime`` on every line."""

    __slots__ = ("_second",)

    def __init__(self) -> None:
        self._second: tuple[int, str] = (-1, "")

    def __call__(self, _: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        event_dict["timestamp"] = self.stamp(time.time_ns())
        return event_dict

    def stamp(self, ns: int) -> str:
        """The stamp of ``ns`` nanoseconds since the epoch (floored to microseconds, as ``datetime.now``)."""
        seconds, micros = divmod(ns // 1000, 1_000_000)
        cached, prefix = self._second  # one tuple: threads that log see a consistent pair
        if cached != seconds:
            prefix = datetime.datetime.fromtimestamp(seconds, datetime.UTC).isoformat()[:19]
            self._second = (seconds, prefix)
        return f"{prefix}.{micros:06d}Z" if micros else f"{prefix}Z"


def _fallback(obj: Any) -> Any:
    """What JSON cannot hold, as structlog's ``JSONRenderer`` writes it: ``__structlog__()``, else ``repr``."""
    try:
        return obj.__structlog__()
    except AttributeError:
        return repr(obj)


# One encoder for every line: ``json.dumps(..., default=...)`` builds a new one per call. Same output.
_ENCODE = json.JSONEncoder(default=_fallback).encode


def _dumps(obj: Any, **_: Any) -> str:
    return _ENCODE(obj)


def configure_logging(level: str = "info", json_logs: bool = True) -> None:
    lvl = getattr(logging, level.upper(), logging.INFO)
    renderer: Any = (structlog.processors.JSONRenderer(serializer=_dumps) if json_logs
                     else structlog.dev.ConsoleRenderer())
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            UtcTimeStamper(),
            drop_sensitive,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(lvl),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
