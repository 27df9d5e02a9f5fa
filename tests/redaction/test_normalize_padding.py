"""The one normalised view reads padding (whitespace runs, table borders, character references, percent-escapes)
with one exact offset map; it grows incrementally with a stream's buffer, and a padded stream cut anywhere
redacts exactly what whole-body redaction does. Each property has a control that shows its oracle can fail."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sidecar.redaction.analyzer as analyzer_module
from sidecar.redaction.analyzer import Analyzer
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.normalize import View, extend, normalize, open_tail
from sidecar.redaction.redactor import TextRedactor
from sidecar.redaction.spans import Span
from sidecar.redaction.stream import TextStream
from tests.redaction.conftest import KEY

PIECES = ["a", "B", "7", " ", "  ", "\n", "\t", "|", "&#52;", "&#x35;", "&", "#", "5", ";", "%", "3", "4",
          "&amp;", "&lt;", "&commat;", "\u200b", "\u00a0", "\u2013", "\uff11", "e\u0301", "\u0301", "\u0430", "x"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=24)


def _same_view(a: View, b: View) -> bool:
    n = len(b.text)
    return a.text == b.text and all(a.span(i, j) == b.span(i, j) for i in range(n + 1) for j in range(i, n + 1))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_extend_equals_normalize(parts: list[str]) -> None:
    """Growing a text piece by piece and extending the view each time gives the view built from scratch."""
    text, view = "", normalize("")
    for p in parts:
        text += p
        view = extend(view, text)
        assert _same_view(view, normalize(text)), text


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from([" ", " " * 6, "\n", "|", ";", "2;", "x;", "4", "9", "Smith", "&#52;"]))
def test_view_before_the_open_tail_is_a_prefix_of_every_continuation(parts: list[str], more: str) -> None:
    text = "".join(parts)
    head = normalize(text[: open_tail(text)])
    full = normalize(text + more)
    assert full.text.startswith(head.text), (text, more)
    n = len(head.text)
    assert all(full.span(i, i + 1) == head.span(i, i + 1) for i in range(n))


def test_control_without_the_open_tail_the_view_is_not_a_prefix() -> None:
    """A whitespace run, a reference or a percent-escape cut at the end reads differently once it goes on."""
    for text, more in [("ab   ", " cd"), ("ab    ", "\ncd"), ("x &#5", "2;"), ("x %3", "4"), ("x &com", "mat;")]:
        assert not normalize(text + more).text.startswith(normalize(text).text), text
        assert normalize(text + more).text.startswith(normalize(text[: open_tail(text)]).text), text


def test_span_covers_the_padding_inside_an_identifier(engine: RedactionEngine) -> None:
    """A finding read across padding redacts the whole original run, the padding included."""
    for text, value in [
        ("lives at 4821 Wisteria" + " " * 40 + "Lane, Springfield, IL 62704 ok", "4821 Wisteria"),
        ("SSN 123" + " " * 9 + "45-6789 on file", "123"),
        ("| SSN | 478 | 21 | 5096 |", "478"),
        ("call &#x36;&#x31;&#x37;-555-0199 now", "&#x36;"),
    ]:
        spans = engine.detect(text, "safe_harbor")
        hit = [s for s in spans if text.index(value) >= s.start and text.index(value) < s.end]
        assert hit, text
        s = hit[0]
        covered = text[s.start : s.end]
        assert covered.strip(" |") == covered or text.startswith("|"), covered
        if "  " in text:
            assert " " * 9 in covered, covered  # the whole run, not the first three spaces of it


def test_cue_read_across_padding_finds_the_name(engine: RedactionEngine) -> None:
    """The one view reads a label and its value across an aligned column (``Name:    Martim A Pereira``): the
    two-view reading (padding findings only where they covered a read character) missed these names."""
    for text in ["Name:    Martim A Pereira\nAddress: 17693 Kiraly u. 15.", "Name:     Anda Tomic\nAge: 41"]:
        name = text.split(":", 1)[1].split("\n")[0].strip()
        out = engine.redact_text(text, "safe_harbor").text
        assert name.split()[-1] not in out, out
    # control: the same label a run of three spaces from a word that is no name leaves the text as written
    assert engine.redact_text("Name:    pending", "safe_harbor").text == "Name:    pending"


PADDED = [
    "lives at 4821 Wisteria" + " " * 12 + "Lane, Springfield, IL 62704 ok. Then more.",
    "Seen by John" + " " * 8 + "Smith today.\n\n\n\nNext line",
    "| SSN | 478 | 21 | 5096 |\n|---|---|---|---|\nend",
    "call &#x36;&#x31;&#x37;-&#53;55-01&#57;9 or 617%2D555%2D0142 now &lt;b&gt;",
    "MRN:      88812345\tDOB:     03/14/1962     done",
]


def _stream(engine: RedactionEngine, cuts: list[int], text: str) -> str:
    raw = text.encode()
    p = engine.open_body("safe_harbor", "text/plain")
    bounds = [0, *cuts, len(raw)]
    return (b"".join(p.feed(raw[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)) + p.finish()).decode()


def _bad_cuts(engine: RedactionEngine, text: str) -> list[int]:
    whole = _stream(engine, [], text)
    bad = [i for i in range(1, len(text)) if _stream(engine, [i], text) != whole]
    if _stream(engine, list(range(1, len(text))), text) != whole:
        bad.append(-1)  # 1-character events
    return bad


@pytest.mark.parametrize("text", PADDED)
def test_padded_stream_cut_anywhere_equals_whole_body(engine: RedactionEngine, text: str) -> None:
    assert text.isascii()  # byte cuts are character cuts
    whole = _stream(engine, [], text)
    assert whole != text  # something was redacted: the comparison bites
    assert _bad_cuts(engine, text) == []


def test_control_greedy_release_fails_the_cut_anywhere_oracle(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: a release rule that lets everything go at once leaks padded findings cut in two."""
    monkeypatch.setattr(Analyzer, "open_at", lambda self, text, types, start=0: len(text))
    assert _bad_cuts(engine, PADDED[0])


class _Fours:
    """An exact detector: four ``4`` (one space apart at most) are an ID; such a run at the end may still grow
    into one."""

    name = "fours"
    reach = 8
    types = ("ID",)

    def detect(self, text: str) -> list[Span]:
        return [Span(m.start(), m.end(), "ID", 0.9) for m in re.finditer("4(?: ?4){3,}", text)]

    def open_at(self, text: str, start: int = 0) -> int:
        m = re.search("4(?: ?4)* ?\\Z", text)
        return max(start, m.start() if m else len(text))


@pytest.mark.parametrize("text", ["x 444%34 y", "x 444&#52; y", "x 44\u200b4%34 y", "x 4" + " " * 5 + "444 y"])
def test_open_tail_is_held_until_a_continuation_decides_it(engine: RedactionEngine, text: str) -> None:
    """With an exact detector, a stream cut anywhere in a percent-escape, a reference or a whitespace run
    releases what whole-text redaction gives; the view's open tail is what makes it so. Control: releasing up
    to the end of the text (no open tail) leaks the start of the ID at some cut."""
    red = TextRedactor(Analyzer([_Fours()], padding=True), engine.profile("safe_harbor"), KEY)
    assert "ID" in red.profile.types

    def stream(cuts: list[int]) -> str:
        s = TextStream(red, reach=8, max_held=512, context=8)
        bounds = [0, *cuts, len(text)]
        return "".join(s.push(text[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)) + s.finish()

    whole = stream([])
    assert "444" not in whole, whole
    assert [i for i in range(1, len(text)) if stream([i]) != whole] == []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(analyzer_module, "open_tail", len)
        assert [i for i in range(1, len(text)) if stream([i]) != whole] != []


def _counting_views(monkeypatch: pytest.MonkeyPatch, rebuild: bool) -> list[int]:
    """Count the original characters each view construction in the analyzer reads (a full build reads the whole
    text; an extension its prefix's open tail and the new characters). ``rebuild``: the control, a view built
    from scratch on every call."""
    read = [0]
    real_normalize, real_extend = analyzer_module.normalize, analyzer_module.extend

    def counted_normalize(text: str, padding: bool = True) -> View:
        read[0] += len(text)
        return real_normalize(text, padding)

    def counted_extend(view: View, text: str, padding: bool = True) -> View:
        if rebuild:
            return counted_normalize(text, padding)
        read[0] += len(text) - open_tail(view.original)
        return real_extend(view, text, padding)

    monkeypatch.setattr(analyzer_module, "normalize", counted_normalize)
    monkeypatch.setattr(analyzer_module, "extend", counted_extend)
    return read


def _padded_prose(n: int) -> str:
    words = "the patient was seen today and reports improved sleep since the last visit with no new complaints"
    out, i, w = [], 0, words.split()
    while sum(map(len, out)) < n:
        out.append(w[i % len(w)] + " " * (4 + i % 5) + ("|" if i % 7 == 0 else ""))
        i += 1
    return "".join(out)[:n]


def _run_padded_stream(engine: RedactionEngine, n: int) -> str:
    """``n`` characters of whitespace-padded prose in 1-character events through a stream whose analyzer has
    the engine's pattern detector (the view and the release machinery; detector cost is not measured here)."""
    an = Analyzer([d for d in engine.analyzer._detectors if d.name == "patterns"], padding=True)
    red = TextRedactor(an, engine.profile("safe_harbor"), KEY)
    s = TextStream(red, reach=an.max_reach, max_held=512, context=an.reach)
    text = _padded_prose(n)
    out = "".join(s.push(c) for c in text) + s.finish()
    assert out == text
    return text


@pytest.mark.parametrize("rebuild", [False, True])
def test_long_padded_stream_reads_each_character_a_bounded_number_of_times(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch, rebuild: bool
) -> None:
    """100 KB of whitespace-padded prose in 1-character events: the views read a bounded number of characters
    per event (``open_at``: the open tail and the new character; once per release, the release scan and the next
    view the context window: about 14 in all here), far less than rebuilding the view of the held text on every
    event (the control, about 53: it fails the bound)."""
    read = _counting_views(monkeypatch, rebuild)
    n = 20_000 if rebuild else 100_000
    _run_padded_stream(engine, n)
    per_char = read[0] / n
    if rebuild:
        assert per_char > 40, per_char
    else:
        assert per_char < 25, per_char
