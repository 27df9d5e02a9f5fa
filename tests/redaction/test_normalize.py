"""The normalised view: what it folds, and the offset map back to the original characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sidecar.redaction.normalize import normalize


def test_ascii_is_its_own_view_without_a_copy() -> None:
    text = "Call 617-555-0199 today."
    v = normalize(text)
    assert v.identity and v.text is text and v.span(5, 17) == (5, 17)


def test_folds() -> None:
    cases = {
        "１２３＠ｅｘ.com": "123@ex.com",  # NFKC: full-width digits, letters and @
        "\u0661\u0662\u0663 \u0967\u0968": "123 12",  # Arabic-Indic and Devanagari digits
        "a\u200bb\u200cc\u200dd\u2060e\ufeff\u00adf": "abcdef",  # Cf: zero-width, word joiner, BOM, soft hyphen
        "a\u3164b\u2800c\u115fd\ufe0fe": "abcde",  # other invisibles: Hangul fillers, braille blank, selectors
        "1\u20132\u20143\u20114\u22125\u20106": "1-2-3-4-5-6",  # en/em dash, non-breaking hyphen, minus, hyphen
        "a\u00a0b\u2009c\u3000d\u202fe": "a b c d e",  # NBSP, thin, ideographic, narrow NBSP
        "\u0410nna J\u043ehn \u0405m\u0456th \u039fmega": "Anna John Smith Omega",  # Cyrillic / Greek look-alikes
        "O\u2019Brien": "O'Brien",
        "1\u03362\u03363\u0336 Z\u0351a\u0353l\u0354": "123 Zal",  # marks that do not compose (strike, zalgo)
        "3\u204414\u2215\u0031\u0039\u0036\u0032": "3/14/1962",  # fraction and division slashes
        "\u2460\u2461 \U0001d7cf\u00b2": "12 12",  # circled, mathematical and superscript digits (NFKC)
    }
    for raw, want in cases.items():
        assert normalize(raw).text == want, raw


def test_span_covers_removed_characters_inside_an_identifier() -> None:
    raw = "SSN 123\u200b-45\u2011\u200d6789."
    v = normalize(raw)
    a = v.text.index("123")
    b = a + len("123-45-6789")
    s, e = v.span(a, b)
    assert raw[s:e] == "123\u200b-45\u2011\u200d6789"


def test_combining_marks_fold_with_their_base() -> None:
    raw = "Jose\u0301 Pe\u0301rez"
    v = normalize(raw)
    assert v.text == "José Pérez"
    s, e = v.span(0, 4)
    assert raw[s:e] == "Jose\u0301"


def test_folded_view_keeps_offsets() -> None:
    v = normalize("DR İSMAIL \u200bSmith")
    assert len(v.folded) == len(v.text) and v.folded.startswith("dr ")


@given(
    st.lists(
        st.sampled_from(["a", "b", "1", " ", "-", "\u200b", "\u2013", "\uff11", "\u0661", "e\u0301", "\u00a0",
                         "\u0430", "\ufb01", "\u2800"]),
        max_size=30,
    ).map("".join)
)
def test_map_is_monotone_and_exact(raw: str) -> None:
    v = normalize(raw)
    prev_end = 0
    for i in range(len(v.text)):
        s, e = v.span(i, i + 1)
        assert prev_end <= s < e <= len(raw)
        # the view character comes from exactly the original characters it maps to
        assert v.text[i] in normalize(raw[s:e]).text
        prev_end = e if normalize(raw[s:e]).text == v.text[i] else s
    # what the view drops is only invisible: the original minus the mapped slices normalises to nothing
    covered = bytearray(len(raw))
    for i in range(len(v.text)):
        s, e = v.span(i, i + 1)
        covered[s:e] = b"\x01" * (e - s)
    assert normalize("".join(c for c, k in zip(raw, covered, strict=True) if not k)).text == ""
