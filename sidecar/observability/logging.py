"""structlog configured once, by the server wiring or the CLI: JSON lines on stderr.

Log events carry ids, codes, counts and timings only. Never pass bodies, prompt text, tokens or claim
values (other than the subject) to a logger: :func:`drop_sensitive` removes well-known offenders anyway.
"""

from __future__ import annotations

import logging
import sys
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


def configure_logging(level: str = "info", json_logs: bool = True) -> None:
    lvl = getattr(logging, level.upper(), logging.INFO)
    renderer: Any = structlog.processors.JSONRenderer() if json_logs else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
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
