"""The local spool directory (synchronous; the audit log calls it from worker threads).

Files: ``chain-id`` (this spool's chain name), ``chain.json`` (chain state at the last seal),
``<index>.open`` (the segment being written, at most one), ``<index>.seg`` (sealed, waiting to ship).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sidecar.audit.keys import AuditKeys
from sidecar.audit.segment import SegmentWriter, _fsync_dir, parse_segment

_NAME = re.compile(r"^(\d{12})\.(open|seg)$")
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class SpoolInUse(Exception):
    """Another process holds this spool (two writers would fork the chain)."""


@dataclass
class ChainState:
    chain_id: str
    last_sequence: int = 0
    last_hash: bytes = b""
    next_index: int = 1


def segment_name(index: int, sealed: bool) -> str:
    return f"{index:012d}.{'seg' if sealed else 'open'}"


def segment_index(path: Path) -> int:
    m = _NAME.match(path.name)
    if not m:
        raise ValueError(path.name)
    return int(m.group(1))


class Spool:
    def __init__(self, directory: Path, keys: AuditKeys, instance_name: str | None = None) -> None:
        self.dir = directory
        self.keys = keys
        self._instance_name = instance_name
        self.chain_id = ""
        self._lock_fd = -1

    # -- start-up ---------------------------------------------------------------------------------
    def open(self) -> ChainState:
        """Create the directory, seal any segment a crash left open, and return the chain state."""
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock()
        chain_id = self.chain_id = self._chain_id()
        state = self._read_state(chain_id)
        for path in self._files("open"):
            self.recover_open(path)
        sealed = self.sealed_segments()
        if sealed:
            newest = sealed[-1]
            idx = segment_index(newest)
            if idx >= state.next_index:  # sealed after the last chain.json write (a crash in between)
                parsed = parse_segment(newest.read_bytes(), self.keys)
                if parsed.trailer is not None:
                    state.last_sequence = parsed.trailer.last_sequence
                    state.last_hash = parsed.trailer.last_hash
                    state.next_index = idx + 1
                    self.write_state(state)
        return state

    def _lock(self) -> None:
        if self._lock_fd >= 0:
            return
        fd = os.open(
            self.dir / ".lock", os.O_RDONLY | os.O_CREAT, 0o600
        )  # flock needs no write access; a writer fd would block remount,ro
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SpoolInUse(f"audit spool {self.dir} is in use by another process") from None
        self._lock_fd = fd

    def close(self) -> None:
        """Release the spool lock (the kernel releases it too when the process dies)."""
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1

    def _chain_id(self) -> str:
        path = self.dir / "chain-id"
        try:
            return path.read_text().strip()
        except FileNotFoundError:
            base = _SAFE.sub("-", self._instance_name or socket.gethostname()).strip("-") or "guard"
            chain_id = f"{base[:48]}-{uuid.uuid4().hex[:8]}"
            self._atomic_write(path, chain_id.encode())
            return chain_id

    def _read_state(self, chain_id: str) -> ChainState:
        try:
            raw = json.loads((self.dir / "chain.json").read_text())
        except FileNotFoundError:
            return ChainState(chain_id=chain_id)
        return ChainState(
            chain_id=chain_id,
            last_sequence=int(raw["last_sequence"]),
            last_hash=bytes.fromhex(raw["last_hash"]),
            next_index=int(raw["next_index"]),
        )

    def write_state(self, state: ChainState) -> None:
        self._atomic_write(
            self.dir / "chain.json",
            json.dumps(
                {
                    "chain_id": state.chain_id,
                    "last_sequence": state.last_sequence,
                    "last_hash": state.last_hash.hex(),
                    "next_index": state.next_index,
                }
            ).encode(),
        )

    def _atomic_write(self, path: Path, data: bytes) -> None:
        tmp = path.with_suffix(path.suffix + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_dir(self.dir)

    def recover_open(self, path: Path, durable_size: int | None = None) -> Path | None:
        """Seal an unsealed segment after its last intact record (or ``durable_size`` bytes when known).

        Returns the sealed path, or None when it held no event (the file is removed).
        """
        data = path.read_bytes()
        if durable_size is not None:
            data = data[:durable_size]
        try:
            parsed = parse_segment(data, self.keys)
        except Exception:  # noqa: BLE001 - a header torn by a crash at creation: no event was in it
            path.unlink()
            _fsync_dir(self.dir)
            return None
        if (
            parsed.trailer is not None
            and parsed.mac_ok
            and not parsed.trailing_garbage
            and durable_size is None
        ):
            # Sealed, but the crash came before the rename.
            return self.finish_seal(path, parsed.trailer.last_sequence, parsed.trailer.last_hash)
        if not parsed.valid_records():
            path.unlink()
            _fsync_dir(self.dir)
            return None
        writer = SegmentWriter.resume(path, self.keys, parsed)
        writer.seal(time.time(), recovered=True)
        return self.finish_seal(path, writer.last_sequence, writer.last_hash)

    # -- writing ----------------------------------------------------------------------------------
    def new_writer(self, state: ChainState, first_sequence: int, prev_hash: bytes) -> SegmentWriter:
        index = max([state.next_index] + [segment_index(p) + 1 for p in self._files("seg")])
        state.next_index = index
        return SegmentWriter(
            self.dir / segment_name(index, sealed=False),
            self.keys,
            instance_id=state.chain_id,
            segment_index=index,
            first_sequence=first_sequence,
            prev_hash=prev_hash,
            created_unix=time.time(),
        )

    def finish_seal(self, path: Path, last_sequence: int, last_hash: bytes) -> Path:
        """Rename a sealed ``.open`` file to ``.seg`` and record the chain state."""
        index = segment_index(path)
        sealed = self.dir / segment_name(index, sealed=True)
        os.replace(path, sealed)
        _fsync_dir(self.dir)
        self.write_state(
            ChainState(
                chain_id=self.chain_id or self._chain_id(),
                last_sequence=last_sequence,
                last_hash=last_hash,
                next_index=index + 1,
            )
        )
        return sealed

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        _fsync_dir(self.dir)

    # -- reading ----------------------------------------------------------------------------------
    def _files(self, kind: str) -> list[Path]:
        out = []
        for p in self.dir.iterdir():
            m = _NAME.match(p.name)
            if m and m.group(2) == kind:
                out.append(p)
        return sorted(out)

    def sealed_segments(self) -> list[Path]:
        return self._files("seg")

    def size_bytes(self) -> int:
        total = 0
        for p in self.dir.iterdir():
            if _NAME.match(p.name):
                with contextlib.suppress(FileNotFoundError):
                    total += p.stat().st_size
        return total
