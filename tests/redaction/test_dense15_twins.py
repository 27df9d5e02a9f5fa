"""ASCII twins (seventh speed round, issue 16): a twin finds exactly what its regex finds wherever it is used.

- ``regex_gate.Twinned`` (a module regex defined as ``twinned(re.compile(...))``) scans with its ``re.ASCII``
  twin only strings that are ``ascii_safe``: every instance the detector modules made finds the same matches
  with the switch on and off, on generated notes in three cases and on texts holding characters the twin reads
  differently (a new rule regex made so is covered without declaring anything).
- ``regex_gate.ascii_twin`` of every module regex of the detectors (the rules pick twins of many of them per
  text) equals the regex on those notes, and refuses (returns the regex) a pattern naming a character Unicode
  case folding matches to an ASCII letter.
Controls: the twins themselves differ from their regexes on text with a 0x1C separator or a Kelvin sign, and a
twin of a pattern naming ``ſ`` would differ on ASCII text: the checks can fail.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

from sidecar.redaction.detectors import regex_gate
from sidecar.redaction.detectors.regex_gate import Twinned, ascii_safe, ascii_twin, twin_exact, twinned

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clinical_corpus import corpus as clinical_notes  # noqa: E402
from bench.redaction_corpus import corpus  # noqa: E402

_MODULES = ("patterns", "dates", "locations", "names", "encoded_runs", "number_words", "digit_runs", "lookalike")


def _texts() -> list[str]:
    texts = [r["text"] for r in corpus(60, seed=15, phi_rate=0.6)]
    texts += [r["text"] for r in clinical_notes(40, seed=15)]
    return texts + [t.upper() for t in texts[:30]] + [t.lower() for t in texts[:30]]


_TEXTS = _texts()
# texts a twin reads differently: separators Unicode ``\s`` matches, the Kelvin sign, the long s, a dotted I
_UNSAFE = [t.replace(" ", "\x1c", 3) for t in _TEXTS[:20]] + [
    "seen by Rev. \u212aim on 3/4, Dr\x1cLee called; pt st\u017fble \u0130n rm 4",
    "CLERGY: FR. \u212aELLY\x1fvisited; contacts:\x1c\u017fam",
]


def _module_regexes() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for name in _MODULES:
        mod = importlib.import_module(f"sidecar.redaction.detectors.{name}")
        out += [(f"{name}.{k}", v.regex if isinstance(v, Twinned) else v) for k, v in vars(mod).items()
                if isinstance(v, re.Pattern | Twinned)]
    return out


def _found(rx: re.Pattern[str] | Twinned, text: str) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(m.start(), m.end(), m.groups()) for m in rx.finditer(text)]


def test_every_twinned_regex_finds_what_its_regex_finds() -> None:
    for name in _MODULES:
        importlib.import_module(f"sidecar.redaction.detectors.{name}")
    made = [t for t in Twinned.made if t.regex.pattern != "(?i)k\\s"]
    assert len(made) >= 15  # the detector modules' twinned regexes
    matched = 0
    for tw in made:
        for text in _TEXTS + _UNSAFE:
            want = _found(tw.regex, text)
            assert _found(tw, text) == want, (tw.pattern[:60], text[:80])
            mid = len(text) // 2
            got, exp = tw.search(text, mid), tw.regex.search(text, mid)
            assert (got and got.span()) == (exp and exp.span())
            matched += len(want)
    assert matched > 200  # not vacuous


def test_twinned_picks_the_regex_unless_ascii_safe() -> None:
    tw = twinned(re.compile(r"(?i)k\s"))
    assert tw.pick("k m") is tw.twin
    assert tw.pick("k\x1cm") is tw.regex and tw.pick("\u212a m") is tw.regex
    # control: the twin alone differs there (0x1C is Unicode \s; the Kelvin sign folds to k)
    assert tw.twin.search("k\x1cm") is None and tw.regex.search("k\x1cm") is not None
    assert tw.twin.search("\u212a m") is None and tw.regex.search("\u212a m") is not None
    assert tw.search("k\x1cm") is not None and tw.search("\u212a m") is not None
    Twinned.enabled = False
    try:
        assert tw.pick("k m") is tw.regex
    finally:
        Twinned.enabled = True


@pytest.mark.parametrize("chunk", range(4))
def test_ascii_twin_of_every_module_regex_is_exact_on_safe_text(chunk: int) -> None:
    regexes = _module_regexes()[chunk::4]
    texts = [t for t in _TEXTS if ascii_safe(t)]
    assert len(texts) > 100
    for name, rx in regexes:
        twin = ascii_twin(rx)
        for text in texts:
            assert _found(twin, text) == _found(rx, text), (name, text[:80])


def test_twin_exact_refuses_characters_folding_to_ascii() -> None:
    for pattern in ("\u017f", "[\u0130]", "\u212a", "x\u0131", "[\\u00c0-\\u024f]", "[\u00c0-\u024f]"):
        rx = re.compile(pattern, re.IGNORECASE)
        assert not twin_exact(pattern)
        assert ascii_twin(rx) is rx
    assert twin_exact(r"(?i:dr|rev)\.?[ \t]+[\w'" + "\u2019" + "-]+") and twin_exact(r"\\x")
    # control: the twin a pattern naming the long s would get finds less on ASCII text
    rx = re.compile("\u017f", re.IGNORECASE)
    assert rx.search("s") is not None and re.compile(rx.pattern, re.IGNORECASE | re.ASCII).search("s") is None


def test_safe_answer_is_remembered_per_string_object() -> None:
    a = "x " * 50
    b = "x " * 49 + "\x1c "
    assert regex_gate._safe_cached(a) and not regex_gate._safe_cached(b) and regex_gate._safe_cached(a)
