"""The compile cache of hyperscan databases (sidecar/redaction/detectors/hs_cache.py): a hit answers as a fresh
compile, a damaged or foreign file is compiled again (fail closed), a changed input misses, and the inputs the
engine compiles are the same in every process (else every start would miss)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import hyperscan
import pytest

from sidecar.redaction.detectors import hs_cache
from sidecar.redaction.detectors.regex_gate import RegexGate
from sidecar.redaction.detectors.wordgate import WordGate

ROOT = Path(__file__).resolve().parents[2]
WORDS = ["okonkwo", "abernathy", "wexler", "tamsin"]
PATTERNS = [r"\b[A-Z]\.\s?[A-Z][a-z]", r"(?i)\bdr\.?[ \t]{1,3}[a-z]"]
TEXTS = [
    "seen by Okonkwo today",
    "OKONKWO-WEXLER at bedside",
    "no name here at all",
    "J. Smith called",
    "dr house paged",
    "abernathys",
    "Tamsin3 signed",
]
# the third is an atomic group: hyperscan refuses it, the gate never skips it
GATE_PATTERNS = [re.compile(r"\d{3}-\d{2}-\d{4}"), re.compile(r"(?i)mrn[:#]?\s*\d+"), re.compile(r"(?>x\w+)@\w+")]
GATE_TEXTS = ["ssn 123-45-6789", "MRN: 12345", "mail xa@b", "nothing", "mrn 7"]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Path]:
    with hs_cache.configured(tmp_path):
        yield hs_cache.cache_dir()


class _NoCompile:
    """Stands for ``hyperscan.Database`` where a test proves nothing is compiled (a cache hit)."""

    def __init__(self, *_a: object, **_k: object) -> None:
        raise AssertionError("compiled although the cache holds this database")


def _word_answers(gate: WordGate) -> list[bool]:
    return [gate.hit(t) for t in TEXTS]


def _fresh_word_answers() -> list[bool]:
    with hs_cache.configured(None, enabled=False):
        return _word_answers(WordGate(WORDS, PATTERNS, letters_only=True))


def test_a_hit_answers_as_a_fresh_compile(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _fresh_word_answers()
    assert expected == [True, True, False, True, True, False, True]
    assert _word_answers(WordGate(WORDS, PATTERNS, letters_only=True)) == expected  # the miss writes the files
    assert len(list(cache.glob("*.hsdb"))) == 3  # the words, the patterns, the patterns' RegexGate
    monkeypatch.setattr(hs_cache.hyperscan, "Database", _NoCompile)
    assert _word_answers(WordGate(WORDS, PATTERNS, letters_only=True)) == expected


def test_regex_gate_hit_keeps_the_ungated_patterns(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with hs_cache.configured(None, enabled=False):
        fresh = RegexGate(GATE_PATTERNS)
    with hs_cache.configured(cache.parent):
        RegexGate(GATE_PATTERNS)
        monkeypatch.setattr(hs_cache.hyperscan, "Database", _NoCompile)
        loaded = RegexGate(GATE_PATTERNS)
    assert loaded.gated == fresh.gated == {0, 1} and loaded._always == fresh._always == {2}  # the atomic group: ungated
    assert loaded.joint_exprs() == fresh.joint_exprs()
    assert [loaded.possible(t) for t in GATE_TEXTS] == [fresh.possible(t) for t in GATE_TEXTS]


def _scan(db: object, data: bytes) -> list[int]:
    hits: list[int] = []
    db.scan(data, match_event_handler=lambda i, *_: hits.append(i), scratch=hyperscan.Scratch(db))  # type: ignore[attr-defined]
    return hits


def _one_file(cache: Path) -> Path:
    files = list(cache.glob("*.hsdb"))
    assert len(files) == 1
    return files[0]


def _flip_last_byte(blob: bytes) -> bytes:
    return blob[:-1] + bytes([blob[-1] ^ 0x55])


def _foreign_database(blob: bytes) -> bytes:
    """``blob`` with its database swapped for another valid one (different words), its stored digest kept."""
    other = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    other.compile(expressions=[b" zzzz "], flags=0, literal=True)
    start = len(hs_cache._MAGIC) + hs_cache._HEADER.size + hs_cache._HEADER.unpack_from(blob, len(hs_cache._MAGIC))[1]
    return blob[:start] + hyperscan.dumpb(other)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:10],  # truncated inside the header
        _flip_last_byte,  # a bit flipped in the database
        lambda b: b"garbage",
        _foreign_database,  # another database under this key
    ],
    ids=["truncated", "header-cut", "flipped", "garbage", "foreign"],
)
def test_a_damaged_file_is_compiled_again(cache: Path, damage: object) -> None:
    words = [b" okonkwo "]
    hs_cache.database(words, literal=True)
    path = _one_file(cache)
    good = path.read_bytes()
    assert callable(damage)
    path.write_bytes(damage(good))
    db = hs_cache.database(words, literal=True)
    hits = _scan(db, b" x okonkwo y ")
    assert hits == [0]
    assert path.read_bytes() == good  # replaced by a sound file


def test_control_without_the_digest_check_a_foreign_database_is_used(cache: Path) -> None:
    """The digest is what catches a foreign database: without it the swapped file is loaded and answers wrong."""
    words = [b" okonkwo "]
    hs_cache.database(words, literal=True)
    path = _one_file(cache)
    path.write_bytes(_foreign_database(path.read_bytes()))
    with hs_cache.configured(cache.parent, verify=False):
        db = hs_cache.database(words, literal=True)
    hits = _scan(db, b" x okonkwo y ")
    assert hits == []  # the foreign database: what the verified load above refuses


def test_a_changed_input_misses(cache: Path) -> None:
    WordGate(WORDS)
    before = {p.name for p in cache.glob("*.hsdb")}
    gate = WordGate([*WORDS, "brannigan"])
    after = {p.name for p in cache.glob("*.hsdb")}
    assert len(after - before) == 1 and gate.hit("called BRANNIGAN")
    RegexGate(GATE_PATTERNS[:2])
    n = len(list(cache.glob("*.hsdb")))
    RegexGate(GATE_PATTERNS)  # one more pattern
    assert len(list(cache.glob("*.hsdb"))) == n + 1
    keys = {hs_cache.cache_key("database", 0, True, [b" a "], None, f) for f in (0, hyperscan.HS_FLAG_CASELESS)}
    assert len(keys) == 2  # flags are part of the key


def test_a_directory_others_can_write_is_not_used(tmp_path: Path) -> None:
    with hs_cache.configured(tmp_path):
        d = hs_cache.cache_dir()
        d.mkdir()
        d.chmod(0o777)
        assert WordGate(WORDS).hit("Wexler")
        assert list(d.iterdir()) == []
        d.chmod(0o700)
        WordGate(WORDS)
        assert {p.suffix for p in d.iterdir()} == {".hsdb"}  # no temporary file left behind


def test_least_recently_used_files_are_pruned(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond ``MAX_BYTES`` the least recently used files go (a hit counts as a use); the new one stays."""
    def make(word: str) -> Path:
        hs_cache.database([f" {word} ".encode()], literal=True)
        return max(cache.glob("*.hsdb"), key=lambda p: p.stat().st_mtime_ns)

    first, second = make("alpha"), make("bravo")
    size = first.stat().st_size
    os.utime(first, (1, 1))
    os.utime(second, (2, 2))
    hs_cache.database([b" alpha "], literal=True)  # a hit: alpha is now the most recently used
    assert first.stat().st_mtime > 2
    monkeypatch.setattr(hs_cache, "MAX_BYTES", 2 * size + size // 2)
    third = make("charlie")
    assert {p.name for p in cache.glob("*.hsdb")} == {first.name, third.name}  # bravo, least recently used, went


def test_disabled_cache_writes_nothing(tmp_path: Path) -> None:
    with hs_cache.configured(tmp_path, enabled=False):
        assert WordGate(WORDS).hit("Tamsin")
    assert list(tmp_path.iterdir()) == []


_INPUTS = """
import hashlib
from sidecar.redaction.detectors import locations, names, patterns
h = hashlib.sha256()
h.update(repr(sorted(names._vocab().items())).encode())
h.update(repr([p.pattern for p in locations._SCANNED]).encode())
h.update(repr(patterns.TRIGGERS).encode())
print(h.hexdigest())
"""


def test_compiled_inputs_do_not_depend_on_the_hash_seed() -> None:
    """Word tables and alternations built from sets: the same in every process (same cache keys). Control: the
    former code (ties of ``sorted(key=len)`` and typo words judged against each other in set order) differed."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _INPUTS],
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")
    ]
    out = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(out[0]) == 64 and out[0] == out[1]
