"""Whitespace padding inside a finding (read by the normalised view, sidecar/redaction/normalize.py): a run
of whitespace longer than any detector's gap is read as one character, in whole texts and in streams, and the
span covers the run."""

from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.normalize import MIN_RUN, has_padding, normalize


def test_collapsed_map_covers_runs() -> None:
    text = "ab" + " " * 20 + "cd" + "\n" * 17 + "ef"
    col = normalize(text)
    assert col.text == "ab cd\nef"
    assert [text[slice(*col.span(a, b))] for a, b in ((0, 2), (2, 3), (3, 5), (6, 8))] == [
        "ab", " " * 20, "cd", "ef"]
    assert col.span(0, len(col.text)) == (0, len(text))
    assert col.span(5, 5) == (len("ab" + " " * 20 + "cd"),) * 2
    assert not has_padding("a" + " " * (MIN_RUN - 1) + "b") and has_padding("a" + " " * MIN_RUN + "b")


def _stream(engine: RedactionEngine, text: str, step: int, ct: str = "text/plain") -> str:
    raw = text.encode()
    p = engine.open_body("safe_harbor", ct)
    return (b"".join(p.feed(raw[i : i + step]) for i in range(0, len(raw), step)) + p.finish()).decode()


@pytest.mark.parametrize("gap", [MIN_RUN, 10, 40, 600])
@pytest.mark.parametrize("step", [1, 3, 100_000])
def test_padded_address_is_redacted_whole_text_and_stream(engine: RedactionEngine, gap: int, step: int) -> None:
    text = "lives at 4821 Wisteria" + " " * gap + "Lane, Springfield, IL 62704 ok. Then more text."
    out = _stream(engine, text, step)
    assert "Wisteria" not in out and "4821" not in out, out
    assert out.endswith("Then more text.")


def test_control_without_padding_collapse_the_address_leaks(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: with padding never detected, the same padded address passes (the oracle can fail)."""
    import sidecar.redaction.normalize as normalize_module

    monkeypatch.setattr(normalize_module, "has_padding", lambda text: False)
    out = _stream(engine, "lives at 4821 Wisteria" + " " * 40 + "Lane, Springfield, IL 62704 ok.", 100_000)
    assert "Wisteria" in out


def test_prose_with_indentation_is_unchanged(engine: RedactionEngine) -> None:
    """Code indentation and aligned columns (runs of whitespace) in PHI-free text pass as written."""
    text = "def f(x):\n        if x:\n                return 1\n\n\n\n\nTotal:        12 items\n"
    assert _stream(engine, text, 5) == text


@pytest.mark.parametrize("step", [1, 4, 100_000])
def test_table_cells_and_character_references_are_read_as_shown(engine: RedactionEngine, step: int) -> None:
    """An SSN across Markdown table cells and a phone written as character references in a chat answer are
    redacted, whole or streamed; markup references (``&lt;``) and plain tables stay as written (control)."""
    table = "| SSN | 478 | 21 | 5096 |\n|---|---|---|---|\n"
    out = _stream(engine, table, step)
    assert "478" not in out and "5096" not in out and out.startswith("| SSN |"), out
    refs = "call &#x35;&#x31;&#x32;-&#52;&#51;&#55;-&#55;&#55;&#56;&#56; now &lt;b&gt;"
    out = _stream(engine, refs, step)
    assert "&#" not in out and out.endswith(" now &lt;b&gt;"), out
    plain = "| dose | 5 | mg |\n|---|---|---|\nuse &lt;b&gt; &amp; &#60;i&#62;\n"
    assert _stream(engine, plain, step) == plain


def test_control_collapsed_reads_pipes_and_references() -> None:
    col = normalize("a | b &#52;&lt;")
    assert col.text == "a b 4&lt;"
    assert col.span(1, 2) == (1, 4) and col.span(4, 5) == (6, 11)
