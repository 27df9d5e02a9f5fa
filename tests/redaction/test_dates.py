"""Dates in the shapes real notes write them (month/day without a year, a day glued to a month, two-digit years,
pairs and ranges, lower-case and abbreviated months, Roman months, ordinals with "the"), found whole by the date
detector and through the engine; the clinical values that share their shapes are left alone."""

from __future__ import annotations

import re

import pytest

from bench.clinical_corpus import corpus
from sidecar.redaction.detectors.dates import _MONTH_ANY, DateDetector
from sidecar.redaction.engine import RedactionEngine


@pytest.fixture(scope="module")
def dates() -> DateDetector:
    return DateDetector()


def found(det: DateDetector, text: str) -> list[str]:
    return [text[s.start : s.end] for s in det.detect(text)]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("NPN 7a-7p 18-Oct\nPaged Dr J. Dash", "18-Oct"),
        ("CCU NURSING 3-JAN\nPT TRANSFERRED", "3-JAN"),
        ("admission date: 28-may  discharge date: 2-mar", "28-may"),
        ("admission date: 28-may  discharge date: 2-mar", "2-mar"),
        ("seen 3-JAN-22 by cardiology", "3-JAN-22"),
        ("f/u 28-mar-2023 in clinic", "28-mar-2023"),
        ("ccu nursing may 27\ncalled brother", "may 27"),
        ("f/u on jun 3rd with pcp", "jun 3rd"),
        ("DATE: SEPTEMBER THE 21ST, 1930", "SEPTEMBER THE 21ST, 1930"),
        ("discharge date: may the 17th, 2022", "may the 17th, 2022"),
        ("seen Sept. 10 by PT", "Sept. 10"),
        ("seen jan 3 by ortho", "jan 3"),
        ("born 15/III/1962 in", "15/III/1962"),
        ("born March the 15th, 1962 in", "March the 15th, 1962"),
        ("TOXICITY-3/4/22 noted", "3/4/22"),
        ("dates 12/10/12/11 in chart", "12/10/12/11"),
        ("abx 2/13-2/15 then", "2/13-2/15"),
        ("seen 03/20/22 by", "03/20/22"),
        ("last echo 09/2021", "09/2021"),
        ("next dressing change 8/11, f/u CXR 8/12.", "8/11"),
        ("Echo 12/3: EF 55%", "12/3"),
        ("admitted 12/24 via ED from home", "12/24"),
    ],
)
def test_finds_dates_whole(dates: DateDetector, engine: RedactionEngine, text: str, date: str) -> None:
    assert date in found(dates, text)
    spans = engine.detect(text, "safe_harbor")
    a = text.index(date)
    assert any(s.start <= a and s.end >= a + len(date) for s in spans), spans  # whole, also behind the prefilter


@pytest.mark.parametrize(
    "text",
    [
        "Vent settings 12/10/40% overnight.",
        "BP 120/80, HR 120-150, RR 12-16, pain 3/10.",
        "Give 1/2 tab and 2/3 of the dose; strength 5/5, motor 4/5.",
        "pt may 2 tabs if needed, you may 1 or 2 more, per mar 2 units given",
        "HR 7-10 may be ok",
        "ABG 7.38/42/88. PS 10/5, PEEP 5.",
        "We may march on; the 3rd dose is due.",
        "ABX D#3/7, vanco day 3/7, ratio 1/2:1, I:E 1/2: ok",
    ],
)
def test_leaves_clinical_values_alone(dates: DateDetector, text: str) -> None:
    assert found(dates, text) == []


def test_control_without_the_dash_month_rule_the_oracle_fails(dates: DateDetector) -> None:
    """Control: the day-dash-month rule is what finds ``18-Oct`` (a detector without it misses it)."""
    det = DateDetector()
    assert _MONTH_ANY in det._num.pattern
    det._num = re.compile(det._num.pattern.replace(_MONTH_ANY, "(?!)"))
    assert "18-Oct" in found(dates, "NPN 18-Oct")
    assert "18-Oct" not in found(det, "NPN 18-Oct")


def test_generated_notes_dates_found_whole(engine: RedactionEngine) -> None:
    """Every date shape the generator writes, in ALL CAPS, lower case and mixed notes: recall(full) >= 0.97."""
    n = ok = 0
    for rec in corpus(120, seed=21):
        spans = engine.detect(rec["text"], "safe_harbor")
        for g in rec["spans"]:
            if g["type"] != "DATE":
                continue
            n += 1
            ok += any(s.start <= g["start"] and s.end >= g["end"] for s in spans)
    assert n > 100 and ok / n >= 0.97, (ok, n)
