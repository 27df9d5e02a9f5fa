"""Round 13 of the red team (docs/redteam.md), by class: text written in a code a reader decodes by hand (Morse,
hex/octal/decimal character codes, spoken numbers with tens and scales, Roman numerals above IX joined by
separators, one digit per sentence), elements between digit groups, escape runs after a digit, words broken by
markup, a line-wrap hyphen or string concatenation, and Latin letters NFKC keeps as symbols (small capitals,
regional indicators). Each class has cases it must catch, near misses it must leave alone, and a control (the
cases passed unredacted before this round; stream output equals whole-text output at every cut)."""

from __future__ import annotations

import pytest

from sidecar.redaction.analyzer import Analyzer
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.normalize import normalize

from .redteam_checks import assert_caught, assert_stream_equals_whole, redact

CAUGHT = {
    # codes decoded by hand
    "morse_ssn": ("SSN ....- --... ---.. -....- ..--- .---- -....- ..... ----- ----. -....", "..--- .----"),
    "morse_slashes": ("mrn ---.. / ...-- / ----. / ..--- / ----- / ....- / .---- / --...", "----- / ....-"),
    "morse_name": ("patient: --- -.- --- -. -.- .-- ---", "-. -.- .--"),
    "hex_bytes_ssn": ("SSN bytes: 34 37 38 2d 32 31 2d 35 30 39 36", "2d 35 30"),
    "hex_0x_name": ("name: 0x4D, 0x61, 0x72, 0x69, 0x61, 0x20, 0x4F, 0x6B, 0x6F, 0x6E, 0x6B, 0x77, 0x6F", "0x6B, 0x6F"),
    "octal_ssn": ("SSN octal: 064 067 070 055 062 061 055 065 060 071 066", "065 060 071"),
    "decimal_name": ("chars 77,97,114,105,97,32,79,107,111,110,107,119,111", "107,111,110"),
    "spoken_tens": ("SSN four seventy-eight, twenty-one, fifty ninety-six", "seventy-eight"),
    "spoken_scales": ("SSN four hundred seventy-eight, twenty-one, five thousand ninety-six", "five thousand"),
    "spoken_phone": ("call four fifteen, five fifty-five, zero one twenty-three", "fifty-five"),
    "spoken_mrn": ("MRN eighty-three ninety-two oh four seventeen", "ninety-two"),
    "roman_ssn": ("SSN CDLXXVIII-XXI-MMMMMXCVI", "MMMMMXCVI"),
    "roman_dob": ("DOB III/XIV/MCMLXII", "MCMLXII"),
    "roman_dob_single_letters_and_one_long": ("DOB I/X/MCMLXII", "MCMLXII"),
    # elements, escapes, markup, wraps and concatenation
    "xml_groups": ("<ssn><p>478</p><p>21</p><p>5096</p></ssn>", "5096"),
    "inline_elements_per_group": ("<ssn><a>478</a><b>21</b><c>5096</c></ssn>", "5096"),
    "xml_digit_elements": ("<mrn><d>8</d><d>3</d><d>9</d><d>2</d><d>0</d><d>4</d><d>1</d><d>7</d></mrn>", "<d>4</d>"),
    "percent_address": ("address %34%38%32%31%20%57%69%73%74%65%72%69%61%20%4C%61%6E%65", "%57%69%73"),
    "emphasis_in_name": ("Patient **Oko**nkwo", "nkwo"),
    "inline_tags_in_name": ("Patient <b>Ok</b><i>on</i><b>kwo</b>", "kwo"),
    "wrapped_street": ("lives at 4821 Wis-\nteria Lane", "teria"),
    "concatenated_name": ('name = "Oko" + "nkwo"', "nkwo"),
    # letters NFKC keeps as symbols
    "small_capitals": ("Patient ᴍᴀʀɪᴀ ᴏᴋᴏɴᴋᴡᴏ", "ᴏᴋᴏɴᴋᴡᴏ"),
    "regional_indicators": ("Patient 🇴🇰🇴🇳🇰🇼🇴", "🇴🇰🇴🇳"),
}

NEAR_MISSES = [
    "Seen by the MD, DC home. CC: chest pain. Chapter XII, verse IV. In MCMXCIX we had twenty-one patients.",
    "I waited twenty one minutes, then forty five more, then sixty.",
    "BP 120 80 HR 72 RR 18, labs 135 4.2 98 24 12 0.9 110",
    "1. ambulate\n2. diet\n3. rest\n4. fluids\n5. labs\n6. consult\n7. follow up\n8. discharge",
    "--- ---\n|---|---|\n... done ...",
    "MAC 00:1a:2b:3c:4d:5e and color 0x1F 0x2E 0x3D",
    "x*y and **Note:** a~b, a well-\nknown fact",
    'print("a" + "b"); s = \'x\' . \'y\'',
    "%E2%9C%93 done, 100%25 sure, 50%20 off",
    "<td>BP</td><td>120</td> and <p>ok</p>",
    "🇺🇸 flag and the Ⓜ sign",
    "SKIN: L IJ SITE C/D/I. R RADIAL ALINE DAMP; DSG D/C/I, C-D-I, M/D/C/L",  # single letters: abbreviations
    "CN V/VII/XII intact, CN IX/X/XII, factor V/VIII/XIII, stage II/III/IV",  # clinical enumerations up to XIII
]


@pytest.mark.parametrize(("text", "planted"), [pytest.param(*CAUGHT[n], id=n) for n in sorted(CAUGHT)]
                         + [pytest.param(t, None, id=f"near_miss_{i}") for i, t in enumerate(NEAR_MISSES)])
def test_round13_cases_caught_and_near_misses_untouched(engine: RedactionEngine, text: str, planted: str | None
                                                        ) -> None:
    """A case loses its planted form to a tag; a near miss (``planted`` None) comes back unchanged."""
    if planted is None:
        assert redact(engine, text) == text
    else:
        assert_caught(engine, text, planted)


@pytest.mark.parametrize("name", ["morse_ssn", "hex_bytes_ssn", "spoken_tens", "roman_dob",
                                  "xml_groups", "inline_elements_per_group", "percent_address", "emphasis_in_name",
                                  "wrapped_street", "concatenated_name", "small_capitals"])
def test_round13_stream_equals_whole_at_every_cut(engine: RedactionEngine, name: str) -> None:
    assert_stream_equals_whole(engine, CAUGHT[name][0] + " then more words")


def test_round13_views_read_as_a_reader_does() -> None:
    """The normalised view reads each new piece as the text a reader sees (the control: the text as written)."""
    for text, view in [("<p>478</p><p>21</p>", "<p>478 21</p>"), ("<a>478</a><b>21</b>", "<a>478 21</b>"),
                       ("<i>4</i><b>7</b>", "<i>47</b>"), ("%34%38%32%31%20%57", "4821 W"),
                       ("478%21%5096", "478%21%5096"), ("**Oko**nkwo", "**Okonkwo"), ("Wis-\nteria", "Wisteria"),
                       ("'Oko'.'nkwo'", "'Okonkwo'"), ("ᴍᴀʀɪᴀ 🇴🇰", "MARIA OK")]:
        assert normalize(text).text == view, text


# A trigger's \b next to a non-ASCII symbol: the prefilter's scan must hold where re's \b holds (it read every
# non-ASCII character as the letter x, so the region was never scanned and the finding was lost).
BESIDE_SYMBOL = ["Seen PT IS 93\u2022 today.", "\u2192PT IS 93", "Seen echo 4-13\u00d7 today.",
                 "Seen echo 4-13\u00a7 today.", "Seen \u00a7PT IS 93 today."]


@pytest.mark.parametrize("text", BESIDE_SYMBOL)
def test_prefilter_finds_what_the_detectors_find_beside_a_symbol(engine: RedactionEngine, text: str) -> None:
    """The prefiltered analysis equals a whole-text scan by every detector, and it finds something."""
    types = frozenset({"AGE", "DATE"})
    prefiltered = engine.analyzer.analyze(text, types)
    whole = Analyzer(engine.analyzer._detectors, None, padding=True).analyze(text, types)
    assert prefiltered == whole
    assert whole


def test_prefilter_beside_a_symbol_stream_equals_whole(engine: RedactionEngine) -> None:
    assert_stream_equals_whole(engine, "Seen echo 4-13\u2022 and PT IS 93\u2192 then more words")
