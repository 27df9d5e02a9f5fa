"""Compiled hyperscan databases kept on disk, so a start-up loads them instead of compiling them again.

Compiling the detectors' databases is most of the redaction engine's build (docs/startup.md). ``database``
compiles like ``hyperscan.Database.compile`` and keeps the serialised result in a cache directory, under a key
that is a digest of exactly what was compiled (expressions, ids, flags, literal or not, mode, hyperscan's
version, the platform): any change to a pattern or a word list is a new key, a miss, a compile.

Fail closed: a cache file is used only when its magic, its length and the SHA-256 of (key, metadata, database
bytes) stored in it agree, and hyperscan deserialises it; anything else (corrupt, truncated, another key's file,
another platform's database) is compiled afresh and the file replaced. Files are written to a temporary name and
renamed (concurrent writers: xdist workers, pods sharing a volume). The cache lives in a directory of its own,
``phi-guard-hs-<uid>`` (mode 0700) inside the configured one; a directory owned by someone else or writable by
others is not used (everything compiles, nothing is written). Its files hold the compiled word lists (the
site's staff words among them): keep the directory as private as the configuration.

Nothing here logs a pattern or a word: only the reason a cache file was not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import platform
import stat
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

try:
    import hyperscan
except ImportError:  # pragma: no cover - hyperscan is a dependency; callers check it before compiling
    hyperscan = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

_MAGIC = b"PGHS1\n"
_HEADER = struct.Struct(">32sI")  # digest, metadata length
_FORMAT = "phi-guard-hs-cache-1"
MAX_BYTES = 256 * 1024 * 1024  # the least recently used files go beyond this (site vocabularies change, code too)
_STALE_TMP_SECONDS = 3600  # a temporary file this old is a writer that died

Built = tuple[Any, list[int]]  # (database or None, the kept ids ``build_cached`` callers define)


class _Config:
    """Where the cache lives (``configure``); ``verify`` off only in the tests' control."""

    directory: Path | None = None
    enabled: bool = True
    verify: bool = True


_CONFIG = _Config()


def default_directory() -> Path:
    """``$XDG_CACHE_HOME/phi-guard`` or ``~/.cache/phi-guard``; the temp directory when there is no home."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not base:
        home = Path.home() if "HOME" in os.environ else None
        base = str(home / ".cache") if home is not None else tempfile.gettempdir()
    return Path(base) / "phi-guard"


def configure(directory: str | Path | None = None, enabled: bool = True) -> None:
    """Use ``directory`` (None: ``default_directory()``) for the cache from now on; ``enabled`` False: always
    compile, never read or write a file."""
    _CONFIG.directory = Path(directory) if directory is not None else None
    _CONFIG.enabled = enabled


def cache_dir() -> Path:
    """The private directory the cache files go in (not created here)."""
    base = _CONFIG.directory if _CONFIG.directory is not None else default_directory()
    return base / f"phi-guard-hs-{os.getuid()}"


def _usable_dir() -> Path | None:
    """``cache_dir()``, created 0700 when missing; None when it is not ours alone (or cannot be made)."""
    d = cache_dir()
    try:
        d.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            d.mkdir(mode=0o700)
        st = d.lstat()
    except OSError as exc:
        _warn_once(d, f"hyperscan cache unavailable ({type(exc).__name__}): compiling")
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
        _warn_once(d, "hyperscan cache directory not private to this user: compiling")
        return None
    return d


_WARNED: set[Path] = set()


def _warn_once(d: Path, message: str) -> None:
    """Log why ``d`` is not used, once a process (each start asks for it once per database)."""
    if d not in _WARNED:
        _WARNED.add(d)
        log.warning(message)


def _update(h: Any, part: object) -> None:
    """Feed ``part`` to ``h`` unambiguously (type tag and length before each value)."""
    if isinstance(part, bytes):
        h.update(b"b%d:" % len(part) + part)
    elif isinstance(part, str):
        _update(h, part.encode("utf-8"))
    elif isinstance(part, bool | int):
        h.update(b"i%d;" % int(part))
    elif isinstance(part, list | tuple):
        h.update(b"l%d[" % len(part))
        for p in part:
            _update(h, p)
    elif part is None:
        h.update(b"n")
    else:
        raise TypeError(f"cannot key a {type(part).__name__}")


def cache_key(*parts: object) -> str:
    """The key of a build from ``parts`` (with the format, hyperscan's version and the platform)."""
    h = hashlib.sha256()
    _update(h, [_FORMAT, getattr(hyperscan, "__version__", ""), sys.platform, platform.machine(), list(parts)])
    return h.hexdigest()


def _digest(key: str, meta: bytes, data: bytes) -> bytes:
    h = hashlib.sha256()
    _update(h, [key, meta, data])
    return h.digest()


def _encode(key: str, built: Built) -> bytes:
    db, kept = built
    meta = json.dumps(kept).encode()
    data = hyperscan.dumpb(db) if db is not None else b""
    return _MAGIC + _HEADER.pack(_digest(key, meta, data), len(meta)) + meta + data


def _decode(key: str, blob: bytes, mode: int) -> Built:
    """The build stored in ``blob``; ValueError when it is not a whole, unaltered file of this key."""
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + _HEADER.size:
        raise ValueError("not a cache file")
    digest, n_meta = _HEADER.unpack_from(blob, len(_MAGIC))
    start = len(_MAGIC) + _HEADER.size
    if len(blob) < start + n_meta:
        raise ValueError("truncated")
    meta, data = blob[start : start + n_meta], blob[start + n_meta :]
    if _CONFIG.verify and digest != _digest(key, meta, data):
        raise ValueError("digest mismatch")
    kept = json.loads(meta)
    if not isinstance(kept, list) or not all(isinstance(i, int) for i in kept):
        raise ValueError("bad metadata")
    try:
        db = hyperscan.loadb(data, mode) if data else None
    except hyperscan.error as exc:  # type: ignore[attr-defined]
        raise ValueError(f"hyperscan refused it ({type(exc).__name__})") from None
    return db, kept


def _write(d: Path, key: str, blob: bytes) -> None:
    """Write ``blob`` as ``key``'s file: a temporary file in the same directory, then an atomic rename."""
    fd, tmp = tempfile.mkstemp(dir=d, prefix=f".{key[:16]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, d / f"{key}.hsdb")
    except OSError as exc:
        log.warning("hyperscan cache not written (%s)", type(exc).__name__)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return
    _prune(d, keep=f"{key}.hsdb")


def _prune(d: Path, keep: str) -> None:
    """Remove the least recently used cache files beyond ``MAX_BYTES`` (never ``keep``) and stale temporary
    files. A file removed while another process opens it is a miss there: it compiles."""
    now = time.time()
    files: list[tuple[float, int, Path]] = []
    for p in d.iterdir():
        with contextlib.suppress(OSError):
            st = p.stat()
            if p.suffix == ".tmp" and now - st.st_mtime > _STALE_TMP_SECONDS:
                p.unlink()
            elif p.suffix == ".hsdb" and p.name != keep:
                files.append((st.st_mtime, st.st_size, p))
    total = sum(size for _, size, _ in files)
    with contextlib.suppress(OSError):
        total += (d / keep).stat().st_size
    for _, size, p in sorted(files):
        if total <= MAX_BYTES:
            break
        with contextlib.suppress(OSError):
            p.unlink()
            total -= size


def build_cached(key: str, build: Callable[[], Built], mode: int | None = None) -> Built:
    """``build()`` (a database and a list of ids that describe it), or what a former ``build()`` under ``key``
    stored. ``key`` must come from ``cache_key`` over everything ``build`` depends on."""
    mode = hyperscan.HS_MODE_BLOCK if mode is None else mode
    d = _usable_dir() if _CONFIG.enabled else None
    if d is None:
        return build()
    path = d / f"{key}.hsdb"
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        blob = None
    except OSError as exc:
        log.warning("hyperscan cache file unreadable (%s): compiling", type(exc).__name__)
        blob = None
    if blob is not None:
        try:
            built = _decode(key, blob, mode)
        except ValueError as exc:
            log.warning("hyperscan cache file rejected (%s): compiling it again", exc)
        else:
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: the last to be pruned
            return built
    built = build()
    _write(d, key, _encode(key, built))
    return built


def database(
    expressions: Sequence[bytes],
    flags: int | Sequence[int] = 0,
    ids: Sequence[int] | None = None,
    literal: bool = False,
    mode: int | None = None,
) -> Any:
    """A block-mode (or ``mode``) database of ``expressions``, as ``hyperscan.Database(mode).compile(...)``
    builds it (its errors raised the same way), from the cache when it holds this very compile."""
    mode = hyperscan.HS_MODE_BLOCK if mode is None else mode
    flag_part = flags if isinstance(flags, int) else list(flags)
    key = cache_key("database", mode, literal, list(expressions), None if ids is None else list(ids), flag_part)

    def build() -> Built:
        db = hyperscan.Database(mode=mode)
        kwargs: dict[str, Any] = {"expressions": list(expressions), "flags": flags}
        if ids is not None:
            kwargs["ids"] = list(ids)
        if literal:
            kwargs["literal"] = True
        db.compile(**kwargs)
        return db, []

    return build_cached(key, build, mode)[0]


@contextlib.contextmanager
def configured(directory: str | Path | None, enabled: bool = True, verify: bool = True) -> Iterator[None]:
    """``configure`` for the duration of a ``with`` block (tests), the former settings restored after."""
    saved = (_CONFIG.directory, _CONFIG.enabled, _CONFIG.verify)
    configure(directory, enabled)
    _CONFIG.verify = verify
    try:
        yield
    finally:
        _CONFIG.directory, _CONFIG.enabled, _CONFIG.verify = saved
