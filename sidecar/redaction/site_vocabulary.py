"""Site vocabularies: an operator's own lists of local names (staff directory, facilities and their
abbreviations, wards/units, local streets), loaded from a directory and matched in any case.

Layout of ``redaction.site_vocabulary_dir`` (the Helm chart mounts a ConfigMap at
``/etc/phi-guard/site-vocabulary``): one UTF-8 file per kind, one entry a line, ``#`` starts a comment::

    staff.txt        people: "Jane Doe", "Okonkwo" (every word of an entry is also a name on its own)
    facilities.txt   hospitals, clinics, their abbreviations: "St. Elsewhere", "SEMC"
    units.txt        wards and units: "Ellison 8", "Blake 12", "Farr 2 West"
    streets.txt      local streets and places: "Wisteria Lane", "Old Mill Road"

Missing files are empty lists. The directory is polled (file mtimes and sizes, at most every
``poll_seconds``) when detectors ask for the current lists: a changed file is reloaded; a file that cannot
be read or decoded keeps the last good lists and is logged by kind and reason only (never its content).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

KINDS = ("staff", "facilities", "units", "streets")
MAX_ENTRY_CHARS = 80
MAX_ENTRIES = 200_000
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def words_of(entry: str) -> tuple[str, ...]:
    """The lower-cased words of an entry, as detectors tokenise text (``St. Mary's`` -> ``st``, ``mary's``)."""
    return tuple(w.lower().replace("’", "'") for w in _WORD.findall(unicodedata.normalize("NFKC", entry)))


@dataclass(frozen=True)
class SiteLists:
    """One consistent snapshot. ``phrases[kind]``: entries as word tuples; ``version`` changes on reload."""

    phrases: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    version: int = 0

    def of(self, kind: str) -> frozenset[tuple[str, ...]]:
        return self.phrases.get(kind, frozenset())

    def staff_words(self) -> frozenset[str]:
        return frozenset(w for p in self.of("staff") for w in p if len(w) >= 2)

    @property
    def empty(self) -> bool:
        return not any(self.phrases.values())


EMPTY = SiteLists()


class SiteVocabularyError(ValueError):
    """A vocabulary file that cannot be used (the message names the kind and reason, never content)."""


def parse(kind: str, data: bytes) -> frozenset[tuple[str, ...]]:
    """Entries of one file. Raises SiteVocabularyError (not UTF-8, too many entries, an entry too long)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SiteVocabularyError(f"site vocabulary {kind}: not UTF-8") from None
    out: set[tuple[str, ...]] = set()
    for n, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if len(entry) > MAX_ENTRY_CHARS:
            raise SiteVocabularyError(f"site vocabulary {kind}: line {n} longer than {MAX_ENTRY_CHARS} characters")
        words = words_of(entry)
        if words:
            out.add(words)
        if len(out) > MAX_ENTRIES:
            raise SiteVocabularyError(f"site vocabulary {kind}: more than {MAX_ENTRIES} entries")
    return frozenset(out)


class SiteVocabulary:
    """The lists of one directory, reloaded when a file changes. Thread-safe; ``current()`` is cheap."""

    def __init__(self, directory: str | None, poll_seconds: float = 2.0) -> None:
        self._dir = Path(directory) if directory else None
        self._poll = poll_seconds
        self._lock = threading.Lock()
        self._lists = EMPTY
        self._stamps: dict[str, tuple[int, int] | None] = {}
        self._next = 0.0
        self.errors = 0  # reloads refused (kept the last good lists)
        if self._dir is not None:
            self._reload(strict=True)

    @property
    def directory(self) -> Path | None:
        return self._dir

    def current(self) -> SiteLists:
        if self._dir is None:
            return EMPTY
        now = time.monotonic()
        if now >= self._next and self._lock.acquire(blocking=False):
            try:
                self._next = now + self._poll
                if self._changed():
                    self._reload(strict=False)
            finally:
                self._lock.release()
        return self._lists

    def _stamp(self, kind: str) -> tuple[int, int] | None:
        assert self._dir is not None
        try:
            st = (self._dir / f"{kind}.txt").stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _changed(self) -> bool:
        return any(self._stamp(k) != self._stamps.get(k) for k in KINDS)

    def _reload(self, strict: bool) -> None:
        """Read every file. ``strict`` (start-up) raises on a bad file; later, a bad file keeps the old lists."""
        assert self._dir is not None
        stamps = {k: self._stamp(k) for k in KINDS}
        phrases: dict[str, frozenset[tuple[str, ...]]] = {}
        try:
            for kind in KINDS:
                if stamps[kind] is None:
                    phrases[kind] = frozenset()
                    continue
                try:
                    data = (self._dir / f"{kind}.txt").read_bytes()
                except OSError as exc:
                    raise SiteVocabularyError(f"site vocabulary {kind}: cannot read ({type(exc).__name__})") from None
                phrases[kind] = parse(kind, data)
        except SiteVocabularyError as exc:
            self._stamps = stamps  # do not retry the same broken file on every poll
            self.errors += 1
            if strict:
                raise
            log.warning("site vocabulary not reloaded, keeping the last good lists: %s", exc)
            return
        self._stamps = stamps
        self._lists = SiteLists(phrases, self._lists.version + 1)
        log.info("site vocabulary loaded: %s", ", ".join(f"{k}={len(v)}" for k, v in phrases.items()))
