"""Site vocabularies: an operator's staff, facilities, units and streets, loaded from a directory, matched in any
case, hot-reloaded; a broken file keeps the last good lists and is logged without its content."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings
from sidecar.redaction.site_vocabulary import SiteVocabulary, SiteVocabularyError, parse

from .conftest import KEY


def write(path: Path, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    path.write_bytes(data)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a visible mtime change


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    write(tmp_path / "staff.txt", "# staff directory\nQuillon Verbeek\nZaphod\n")
    write(tmp_path / "facilities.txt", "St. Elsewhere\nSEMC  # abbreviation\n")
    write(tmp_path / "units.txt", "Farr 2 West\n")
    write(tmp_path / "streets.txt", "Wisteria Lane\n")
    return tmp_path


@pytest.fixture
def engine(site_dir: Path) -> RedactionEngine:
    return RedactionEngine(RedactionSettings(site_vocabulary_dir=str(site_dir), site_vocabulary_poll_seconds=0.05), KEY)


def types(engine: RedactionEngine, text: str) -> dict[str, str]:
    return {text[s.start : s.end]: s.type for s in engine.detect(text, "safe_harbor")}


@pytest.mark.parametrize(
    ("text", "value", "type_"),
    [
        ("covering: QUILLON VERBEEK aware", "QUILLON VERBEEK", "NAME"),
        ("note from zaphod re: labs", "zaphod", "NAME"),
        ("transferred from semc overnight", "semc", "LOCATION"),
        ("seen at ST. ELSEWHERE last year", "ST. ELSEWHERE", "LOCATION"),
        ("moved to farr 2 west today", "farr 2 west", "LOCATION"),
        ("walks daily on wisteria lane", "wisteria lane", "ADDRESS"),
    ],
)
def test_site_lists_match_in_any_case(engine: RedactionEngine, text: str, value: str, type_: str) -> None:
    got = types(engine, text)
    assert any(value in k and t == type_ for k, t in got.items()), got


def test_control_without_the_directory_the_local_names_pass() -> None:
    """Control: the same texts pass untouched without the site lists (the lists are what catches them)."""
    eng = RedactionEngine(RedactionSettings(), KEY)
    assert types(eng, "note from zaphod re: labs") == {}
    assert types(eng, "walks daily on wisteria lane") == {}


def test_hot_reload_and_broken_file_keeps_last_good(
    engine: RedactionEngine, site_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert types(engine, "note from zorvelle re: labs") == {}
    write(site_dir / "staff.txt", "Zorvelle\n")
    time.sleep(0.1)
    deadline = time.monotonic() + 5
    while "zorvelle" not in types(engine, "note from zorvelle re: labs") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert types(engine, "note from zorvelle re: labs") == {"zorvelle": "NAME"}
    # a file that is not UTF-8: refused, logged by kind and reason only, the last good lists stay
    caplog.set_level(logging.WARNING, logger="sidecar.redaction.site_vocabulary")
    write(site_dir / "staff.txt", b"Secretname \xff\xfe\n")
    time.sleep(0.1)
    for _ in range(5):
        types(engine, "x")
        time.sleep(0.06)
    assert types(engine, "note from zorvelle re: labs") == {"zorvelle": "NAME"}
    assert "not UTF-8" in caplog.text and "Secretname" not in caplog.text


def test_broken_file_at_start_up_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "units.txt", "x" * 200 + "\n")
    with pytest.raises(SiteVocabularyError, match="units: line 1 longer than"):
        SiteVocabulary(str(tmp_path))


def test_parse_format() -> None:
    got = parse("staff", "# comment\n\nJane  Doe  # trailing comment\nO’Brien\n".encode())
    assert got == frozenset({("jane", "doe"), ("o'brien",)})


def test_missing_directory_files_are_empty(tmp_path: Path) -> None:
    vocab = SiteVocabulary(str(tmp_path))
    assert vocab.current().empty
