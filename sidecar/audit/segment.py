"""The segment file: the unit of the spool and of the bucket.

Layout: ``MAGIC``, then frames (u32 big-endian length of what follows, a type byte, the payload): one
``SegmentHeader`` (type H); event records (type R: u64 big-endian sequence, 12-byte nonce, AES-256-GCM
ciphertext of a serialized ``AuditEvent``, with the header digest and the sequence as associated data);
one ``SegmentTrailer`` (type T) whose HMAC covers every
byte before it (and the trailer itself with ``mac`` empty). An unsealed segment simply lacks the trailer.

:class:`SegmentWriter` is synchronous (the audit log runs it in a worker thread); :func:`parse_segment`
reads a whole segment, tolerating a torn tail, and reports what it found without judging it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sidecar._generated.phi_guard.audit.v1 import audit_pb2
from sidecar.audit.keys import AuditKeys

MAGIC = b"PGAS\x00\x01\r\n"
FORMAT_VERSION = 1
_LEN = struct.Struct(">I")
_SEQ = struct.Struct(">Q")
MAX_FRAME = 256 * 1024 * 1024


class SegmentError(Exception):
    """A segment that cannot be parsed at all (bad magic or header)."""


HEADER, RECORD, TRAILER = b"H", b"R", b"T"


def frame(kind: bytes, payload: bytes) -> bytes:
    return _LEN.pack(len(payload) + 1) + kind + payload


def header_digest(header_frame: bytes) -> bytes:
    return hashlib.sha256(MAGIC + header_frame).digest()


def encrypt_record(aead: AESGCM, digest: bytes, sequence: int, plaintext: bytes) -> bytes:
    """One record frame for event ``sequence``."""
    seq = _SEQ.pack(sequence)
    nonce = os.urandom(12)
    return frame(RECORD, seq + nonce + aead.encrypt(nonce, plaintext, digest + seq))


def decrypt_record(aead: AESGCM, digest: bytes, payload: bytes) -> tuple[int, bytes | None]:
    """(sequence as framed, plaintext or None when authentication fails)."""
    if len(payload) < 8 + 12 + 16:
        return (_SEQ.unpack_from(payload)[0] if len(payload) >= 8 else 0), None
    seq_b = payload[:8]
    try:
        return _SEQ.unpack(seq_b)[0], aead.decrypt(payload[8:20], payload[20:], digest + seq_b)
    except InvalidTag:
        return _SEQ.unpack(seq_b)[0], None


def trailer_mac(mac: hmac.HMAC, trailer: audit_pb2.SegmentTrailer) -> bytes:
    """The MAC given ``mac`` already fed every byte before the trailer frame."""
    body = audit_pb2.SegmentTrailer()
    body.CopyFrom(trailer)
    body.ClearField("mac")
    m = mac.copy()
    m.update(body.SerializeToString(deterministic=True))
    return m.digest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


class SegmentWriter:
    """Appends encrypted records to one new segment file: :meth:`append` (write + fsync), or :meth:`write` and
    :meth:`sync` apart (the audit log overlaps the fsyncs of consecutive batches)."""

    def __init__(
        self,
        path: Path,
        keys: AuditKeys,
        *,
        instance_id: str,
        segment_index: int,
        first_sequence: int,
        prev_hash: bytes,
        created_unix: float,
    ) -> None:
        dek, wrapped, kek_id = keys.provider.new_data_key()
        header = audit_pb2.SegmentHeader(
            format_version=FORMAT_VERSION,
            instance_id=instance_id,
            segment_index=segment_index,
            first_sequence=first_sequence,
            prev_hash=prev_hash,
            cipher="AES-256-GCM",
            key_provider=keys.provider.name,
            kek_id=kek_id,
            wrapped_data_key=wrapped,
            mac_algorithm="HMAC-SHA256",
            mac_key_id=keys.mac.key_id,
        )
        header.created.FromNanoseconds(int(created_unix * 1e9))
        hframe = frame(HEADER, header.SerializeToString(deterministic=True))
        self.path = path
        self.header = header
        self.first_sequence = first_sequence
        self.last_sequence = first_sequence - 1
        self.last_hash = prev_hash
        self.count = 0
        self._aead = AESGCM(dek)
        self._digest = header_digest(hframe)
        self._mac = keys.mac.new()
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        try:
            start = MAGIC + hframe
            _write_all(self._fd, start)
            os.fsync(self._fd)
            _fsync_dir(path.parent)
        except BaseException:
            os.close(self._fd)
            path.unlink(missing_ok=True)
            raise
        self._mac.update(start)
        self.size = len(start)
        self.durable_size = self.size

    @classmethod
    def resume(cls, path: Path, keys: AuditKeys, parsed: ParsedSegment) -> SegmentWriter:
        """Reopen an unsealed segment after its intact records (``parsed.records_end``), to seal it."""
        self = cls.__new__(cls)
        self.path = path
        self.header = parsed.header
        self.first_sequence = parsed.header.first_sequence
        good = parsed.valid_records()
        self.last_sequence = good[-1].sequence if good else self.first_sequence - 1
        self.last_hash = good[-1].hash if good else parsed.header.prev_hash
        self.count = len(good)
        self._aead = AESGCM(b"\x00" * 32)  # never appends: only seal() is called on a resumed writer
        self._digest = b""
        self._mac = keys.mac.new()
        self._fd = os.open(path, os.O_WRONLY)
        os.ftruncate(self._fd, parsed.records_end)
        os.fsync(self._fd)
        os.lseek(self._fd, 0, os.SEEK_END)
        with open(path, "rb") as f:
            self._mac.update(f.read(parsed.records_end))
        self.size = self.durable_size = parsed.records_end
        return self

    def append(self, records: list[tuple[int, bytes, bytes]]) -> None:
        """Write (sequence, plaintext, hash) records in order, then fsync. Raises OSError."""
        self.write(records)
        self.sync()
        self.durable_size = self.size

    def write(self, records: list[tuple[int, bytes, bytes]]) -> None:
        """Write (sequence, plaintext, hash) records in order, without fsync (``size`` grows, ``durable_size``
        does not). Calls must not overlap. Raises OSError."""
        blob = b"".join(encrypt_record(self._aead, self._digest, seq, pt) for seq, pt, _ in records)
        _write_all(self._fd, blob)
        self.size += len(blob)
        self._mac.update(blob)
        self.count += len(records)
        self.last_sequence = records[-1][0]
        self.last_hash = records[-1][2]

    def sync(self) -> None:
        """fsync: everything written before this call is durable when it returns. Safe from any thread, also
        while another sync or a write runs (the caller records what became durable). Raises OSError."""
        os.fsync(self._fd)

    def truncate_to_durable(self) -> None:
        """After a failed append: drop whatever was written since the last successful fsync."""
        os.ftruncate(self._fd, self.durable_size)
        os.fsync(self._fd)
        self.size = self.durable_size

    def seal(self, sealed_unix: float, recovered: bool = False) -> audit_pb2.SegmentTrailer:
        """Append the MAC'd trailer, fsync and close. The caller renames the file."""
        trailer = audit_pb2.SegmentTrailer(
            last_sequence=self.last_sequence,
            event_count=self.count,
            last_hash=self.last_hash,
            recovered=recovered,
        )
        trailer.sealed.FromNanoseconds(int(sealed_unix * 1e9))
        trailer.mac = trailer_mac(self._mac, trailer)
        tframe = frame(TRAILER, trailer.SerializeToString(deterministic=True))
        _write_all(self._fd, tframe)
        os.fsync(self._fd)
        self.size += len(tframe)
        self.close()
        return trailer

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


@dataclass
class Record:
    position: int  # 0-based index among the segment's records
    sequence: int  # as framed
    plaintext: bytes | None  # None: authentication failed (altered, or wrong key)
    event: audit_pb2.AuditEvent | None = None
    hash: bytes = b""


@dataclass
class ParsedSegment:
    header: audit_pb2.SegmentHeader
    records: list[Record] = field(default_factory=list)
    trailer: audit_pb2.SegmentTrailer | None = None
    mac_ok: bool | None = None  # None: no trailer
    valid_length: int = 0  # bytes up to the last intact record (or the trailer)
    records_end: int = 0  # bytes up to the last intact record (never the trailer)
    torn_tail: bool = False  # bytes after the last intact frame (a crash mid-write)
    trailing_garbage: bool = False  # bytes after the trailer
    key_error: str = ""

    def valid_records(self) -> list[Record]:
        """The intact prefix of records (what recovery keeps)."""
        out = []
        for r in self.records:
            if r.plaintext is None:
                break
            out.append(r)
        return out


def parse_segment(data: bytes, keys: AuditKeys) -> ParsedSegment:
    """Read a segment; never raises for damaged records (they are reported), only for an unusable start."""
    if not data.startswith(MAGIC):
        raise SegmentError("not a phi-guard audit segment (bad magic)")
    pos = len(MAGIC)
    if len(data) < pos + 5:
        raise SegmentError("segment ends before its header")
    (n,) = _LEN.unpack_from(data, pos)
    if n < 1 or n > MAX_FRAME or pos + 4 + n > len(data) or data[pos + 4 : pos + 5] != HEADER:
        raise SegmentError("segment header is missing or truncated")
    hframe = data[pos : pos + 4 + n]
    header = audit_pb2.SegmentHeader()
    try:
        header.ParseFromString(hframe[5:])
    except Exception:  # noqa: BLE001 - DecodeError
        raise SegmentError("segment header does not parse") from None
    if header.format_version != FORMAT_VERSION:
        raise SegmentError(f"unsupported segment format {header.format_version}")
    pos += 4 + n
    out = ParsedSegment(header=header, valid_length=pos, records_end=pos)
    mac = keys.mac.new()
    mac.update(data[:pos])
    if header.mac_key_id != keys.mac.key_id:
        out.key_error = f"segment MAC key {header.mac_key_id} is not the configured {keys.mac.key_id}"
    aead: AESGCM | None = None
    try:
        aead = AESGCM(keys.provider.unwrap(header.wrapped_data_key, header.kek_id))
    except Exception as exc:  # noqa: BLE001 - AuditKeyError and provider failures
        out.key_error = str(exc)
    digest = header_digest(hframe)
    intact = True
    while pos < len(data):
        if pos + 5 > len(data):
            out.torn_tail = True
            break
        (n,) = _LEN.unpack_from(data, pos)
        end = pos + 4 + n
        kind = data[pos + 4 : pos + 5]
        if n < 1 or n > MAX_FRAME or end > len(data) or kind not in (RECORD, TRAILER):
            out.torn_tail = True
            break
        payload = data[pos + 5 : end]
        if kind == TRAILER:
            trailer = audit_pb2.SegmentTrailer()
            try:
                trailer.ParseFromString(payload)
            except Exception:  # noqa: BLE001
                out.torn_tail = True
                break
            out.trailer = trailer
            out.mac_ok = hmac.compare_digest(trailer_mac(mac, trailer), trailer.mac)
            out.valid_length = end
            out.trailing_garbage = end != len(data)
            break
        if aead is not None:
            seq, pt = decrypt_record(aead, digest, payload)
        else:
            seq, pt = (_SEQ.unpack_from(payload)[0] if len(payload) >= 8 else 0), None
        rec = Record(position=len(out.records), sequence=seq, plaintext=pt)
        if pt is not None:
            rec.hash = hashlib.sha256(pt).digest()
            ev = audit_pb2.AuditEvent()
            try:
                ev.ParseFromString(pt)
                rec.event = ev
            except Exception:  # noqa: BLE001
                rec.event = None
        else:
            intact = False
        out.records.append(rec)
        mac.update(data[pos:end])
        if intact:
            out.valid_length = out.records_end = end
        pos = end
    return out
