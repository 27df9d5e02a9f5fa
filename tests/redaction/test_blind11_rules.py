"""Rule classes found on the eleventh blind corpus (bench/blind11_corpus.py: PhysioNet-style ICU nursing notes;
issue 16): each class is found in the cases it must catch, its near misses are left alone, a control per class
shows the test fails without the rule, and the shapes hold for every stream cut."""

from __future__ import annotations

import re

import pytest

from sidecar.redaction.detectors import dates
from sidecar.redaction.detectors.dates import DateDetector
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_blind9_rules import _covered_in_any_case, _texts
from tests.redaction.test_blind10_rules import _det
from tests.redaction.test_nursing_rules import variants
from tests.redaction.test_stream_divergences import assert_stream_equals_whole

_NEVER = re.compile(r"\x00\x01never")

# ---- dates: "the Nth" after an event word or before a number or preposition (``_THE_ORDINAL``); a dash or dot
# month-day in parentheses after a word (``_PAREN_DATE``), after a verb in the past, a word of timing, a device
# placed, a test before its value, or (dotted) an event word (``_VERB_DATE``)
DATE_CASES = [
    ("45 yo M adm the 19th from OSH w/ GI bleed.", "19th"),
    ("PEG placed the 1st by GI, TF to start tomorrow.", "1st"),
    ("heparin gtt, PTT the 8th 64, recheck at 2200.", "8th"),
    ("sputum cx (8-22) + GNR, on cefepime.", "8-22"),
    ("groin soft s/p cath(6.19), no hematoma.", "6.19"),
    ("trach changed 11-13 by ENT, #8 portex.", "11-13"),
    ("hep B given 9.28, hearing screen passed 3.5.", "9.28"),
    ("CODE CALLED 4.9 1930 FOR PEA.", "4.9"),
    ("EEG ordered for 7-21, neuro following.", "7-21"),
    ("cxr done 3.23 wife at bedside.", "3.23"),
    ("last bm 8.20 per pt, colace/senna.", "8.20"),
    ("plan for ppm 12-5, EP aware.", "12-5"),
    ("RESP CARE: ABG 12-26 7.31/55/72 on PSV.", "12-26"),
    ("line changed over wire on2-6, tip sent.", "2-6"),
]
DATE_NEAR_MISSES = [
    "transferred to the 4th floor, the 2nd dose given, the 2nd unit hung.",
    "rib fx: the 2nd and 3rd ribs.",
    "Cr 1.4 (1.1), hct 28.2 (30.1), RR 18 (12-22).",
    "levo increased 2.5 mcg, weaned 2-3 L, titrated 1.5 to 2.",
    "K 3.6 repleted, temp 98.6, INR 1.3 on coumadin, on 2.5L nc.",
    "given 2.5 of mso4; suctioned 2-3x; INR 2-3 goal.",
]


@pytest.mark.parametrize(("text", "value"), DATE_CASES)
def test_ordinals_dashes_and_dots_in_date_positions(engine: RedactionEngine, text: str, value: str) -> None:
    _covered_in_any_case(engine, text, value)


@pytest.mark.parametrize("text", DATE_NEAR_MISSES)
def test_counts_decimals_doses_and_ranges_stay(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert _texts(_det(engine, DateDetector).detect(t), t) == [], t


def test_control_without_the_new_date_rules_they_leak(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("_THE_ORDINAL", "_PAREN_DATE", "_VERB_DATE"):
        monkeypatch.setattr(dates, name, _NEVER)
    monkeypatch.setattr(dates, "_GLUED_EVENT_DATE", _NEVER)
    det = _det(engine, DateDetector)
    for text, value in DATE_CASES:
        assert value not in _texts(det.detect(text), text), text


@pytest.mark.parametrize("text", [t for t, _ in DATE_CASES])
def test_new_date_shapes_stream_as_whole(engine: RedactionEngine, text: str) -> None:
    assert_stream_equals_whole(engine, text)
