"""The local stack's state on disk: ``<state_dir>/stack.json`` (endpoints, files, PIDs) and the start lock.

A process is recorded with its kernel start time, so ``down`` never signals a PID that was reused by an
unrelated process after ours exited.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from devstack.processes import pid_alive

STACK_FILE = "stack.json"
LOCK_FILE = "stack.lock"
STATE_DIR_ENV = "PHI_GUARD_STATE_DIR"


def default_state_dir() -> Path:
    return Path(os.environ.get(STATE_DIR_ENV, ".phi-guard"))


def proc_start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (``/proc/PID/stat`` field 22), None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may contain spaces and parentheses: split after the last ')'
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[19])


@dataclass(frozen=True)
class ProcessRecord:
    name: str
    pid: int
    start_time: int | None
    log: str

    @classmethod
    def of(cls, name: str, pid: int, log: Path) -> ProcessRecord:
        return cls(name=name, pid=pid, start_time=proc_start_time(pid), log=str(log))

    def alive(self) -> bool:
        """True while the very process we started is running (not a later process with the same PID)."""
        if not pid_alive(self.pid):
            return False
        now = proc_start_time(self.pid)
        return now is not None and (self.start_time is None or now == self.start_time)


def read_state(state_dir: Path) -> dict[str, Any] | None:
    """The stack.json document, or None when there is none. Raises ValueError when it is not valid JSON."""
    path = state_dir / STACK_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: expected a JSON object")
    return doc


def write_state(state_dir: Path, doc: dict[str, Any]) -> Path:
    """Write stack.json atomically (readers never see half a file)."""
    path = state_dir / STACK_FILE
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def records(doc: dict[str, Any]) -> list[ProcessRecord]:
    out = []
    for p in doc.get("processes", []):
        try:
            out.append(
                ProcessRecord(
                    name=str(p["name"]),
                    pid=int(p["pid"]),
                    start_time=p.get("start_time"),
                    log=str(p.get("log", "")),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return out


def records_to_json(recs: list[ProcessRecord]) -> list[dict[str, Any]]:
    return [asdict(r) for r in recs]


class StartLock:
    """An exclusive, non-blocking lock on ``<state_dir>/stack.lock`` held while a stack starts (and while a
    foreground ``up`` runs). ``acquire()`` returns False when another ``up`` holds it."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
