"""Round 11 of the red team (docs/redteam.md), by class: escapes after a digit that would hide digits
(``478%21%5096``), SSN and phone groups joined by spaced punctuation or arrows, SSN / phone / card groups written as
list items (``[478, 21, 5096]``), an underscore gluing a word to a number (``SSN_478215096``), a ZIP code spelled
after its cue, digit words between slashes, and CJK numerals. Each class has cases it must catch, near misses it must
leave alone, and a control (the cases themselves failed before this round; stream output equals whole-text output
at every cut)."""

from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.normalize import normalize

from .redteam_checks import assert_caught, assert_stream_equals_whole, redact


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


CAUGHT = {
    # escapes after a digit whose code is two decimal digits and that read as neither a digit nor a separator
    "percent_between_groups": ("SSN 478%21%5096", "478%21%5096"),
    "qp_like_between_groups": ("SSN 478=21=5096", "478=21=5096"),
    "backslash_between_groups": ("SSN 478\\21\\5096", "478\\21\\5096"),
    "phone_equals": ("call 415=555=0123", "415=555=0123"),
    "phone_percent": ("call 415%555%0123", "415%555%0123"),
    # spaced punctuation and arrows
    "spaced_equals": ("SSN 478 = 21 = 5096", "478 = 21 = 5096"),
    "spaced_percent": ("SSN 478 % 21 % 5096", "478 % 21 % 5096"),
    "spaced_backslash": ("SSN 478 \\ 21 \\ 5096", "478 \\ 21 \\ 5096"),
    "arrows": ("SSN 478→21→5096", "478→21→5096"),
    "plus_spaced_no_cue": ("x = 478 + 21 + 5096", "478 + 21 + 5096"),
    # list items
    "bracketed_list": ("SSN parts: [478, 21, 5096]", "478, 21, 5096"),
    "python_tuple": ("ssn = ('478', '21', '5096')", "'478', '21', '5096'"),
    "quoted_list": ('ssn = ["478", "21", "5096"]', '"478", "21", "5096"'),
    "plain_comma_list": ("parts 478, 21, 5096", "478, 21, 5096"),
    "semicolon_list": ("478; 21; 5096", "478; 21; 5096"),
    "spaced_brackets": ("SSN array [ 478 , 21 , 5096 ]", "478 , 21 , 5096"),
    "phone_list": ("call [415, 555, 0123]", "415, 555, 0123"),
    "card_list": ("card [4111, 1111, 1111, 1111]", "4111, 1111, 1111, 1111"),
    "cued_longer_list": ("SSN: 478, 21, 5096, 7", "478, 21, 5096"),
    # an underscore gluing a word to a number
    "snake_case_name": ("const SSN_478215096 = 1", "478215096"),
    "json_key_glue": ('{"patient_478215096": 1}', "478215096"),
    "mrn_glue": ("mrn_4782150", "4782150"),
    # a ZIP code written a digit or a group at a time after its cue
    "zip_dashed": ("zip 6-2-7-0-4", "6-2-7-0-4"),
    "zip_spaced": ("ZIP: 6 2 7 0 4", "6 2 7 0 4"),
    "zip_list": ("ZIP [627, 04]", "627, 04"),
    "zip_words": ("zip code six two seven zero four", "six two seven zero four"),
    # digit words between slashes, CJK numerals
    "words_slashes": ("SSN four seven eight / two one / five zero nine six", "five zero nine six"),
    "words_slash_glued": ("SSN four/seven/eight/two/one/five/zero/nine/six", "zero/nine/six"),
    "cjk_numerals": ("SSN 四七八-二一-五〇九六", "五〇九六"),
}

NEAR_MISSES = [
    "BP 120 / 80 / 1500 today",  # a spaced triple with a round amount, no cue
    "scores 120, 45, 2100, 5",  # a longer list of values
    "GCS 3, 10, 15; RR 18, 20, 22",
    "values 478, 21, 5096, 7",  # the head of a longer list without a cue
    "ratio 3 = 4 = 5",
    "a 2%20mg dose at 10%20 rate",
    "var_1 = x_2 + y_3",
    "unzip 3 files; zip code 3 bags",
    "第一次 一个人",
    "four seven eight",
    "query a%20b and q=1%2C2 encoded",
]


@pytest.mark.parametrize("name", sorted(CAUGHT))
def test_round11_caught(engine: RedactionEngine, name: str) -> None:
    assert_caught(engine, *CAUGHT[name])


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_round11_near_misses_untouched(engine: RedactionEngine, text: str) -> None:
    assert redact(engine, text) == text


@pytest.mark.parametrize("name", sorted(CAUGHT))
def test_round11_stream_equals_whole_at_every_cut(engine: RedactionEngine, name: str) -> None:
    assert_stream_equals_whole(engine, CAUGHT[name][0] + " then more words")


def test_escape_after_digit_is_read_only_as_digit_or_separator() -> None:
    """Control of the normaliser rule: an escape after a digit that would read as a letter or other punctuation
    stays as written (it joins digits); one that reads as a digit or a separator, or stands after a letter, is
    still read."""
    assert normalize("478%21%5096").text == "478%21%5096"
    assert normalize("478=21=5096").text == "478=21=5096"
    assert normalize("478%2D21%2D5096").text == "478-21-5096"
    assert normalize("47%38-21").text == "478-21"
    assert normalize("478%2021").text == "478 21"
    assert normalize("a%21b").text == "a!b"


def test_underscore_glue_reads_as_a_gap_only_between_a_letter_and_a_digit() -> None:
    assert normalize("SSN_478215096").text == "SSN 478215096"
    assert normalize("478215096_smith").text == "478215096 smith"
    assert normalize("snake_case_name").text == "snake_case_name"
    assert normalize("x _4").text == "x 4"  # the Markdown marker before a digit still reads as nothing


def test_cjk_numerals_read_as_digits_in_the_view_only(engine: RedactionEngine) -> None:
    assert normalize("四七八").text == "478"
    assert redact(engine, "第一次") == "第一次"  # the original text is untouched where nothing is found


# --- text after an Anthropic message_stop or a Responses part's .done ------------------------------------------------

def _events(*objs: dict[str, object]) -> list[str]:
    import json

    return [f"event: {o['type']}\ndata: {json.dumps(o)}\n\n" for o in objs]


def _body(engine: RedactionEngine, chunks: list[str]) -> str:
    p = engine.open_body("safe_harbor", "text/event-stream")
    return (b"".join(p.feed(c.encode()) for c in chunks) + p.finish()).decode()


def _anth_delta(text: str, index: int = 0) -> dict[str, object]:
    return {"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": text}}


_ANTH_HEAD = ({"type": "message_start", "message": {"id": "m"}},
              {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
_ANTH_END = ({"type": "content_block_stop", "index": 0}, {"type": "message_delta", "delta": {"stop_reason": "x"}},
             {"type": "message_stop"})


def _resp_delta(text: str, t: str = "response.output_text.delta") -> dict[str, object]:
    return {"type": t, "item_id": "i", "output_index": 0, "content_index": 0, "delta": text}


_RESP_DONE = {"type": "response.output_text.done", "item_id": "i", "output_index": 0, "content_index": 0, "text": "x"}

AFTER_END = {
    "anthropic_new_block_after_message_stop": [*_ANTH_HEAD, _anth_delta("SSN 478-21"), *_ANTH_END, {
        "type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
        _anth_delta("-5096", 1)],
    "anthropic_delta_other_index_after_message_stop": [*_ANTH_HEAD, _anth_delta("SSN 478-21"), *_ANTH_END,
                                                       _anth_delta("-5096", 5)],
    "responses_delta_after_done": [_resp_delta("SSN 478-21"), _RESP_DONE, _resp_delta("-5096")],
    "responses_delta_after_completed": [_resp_delta("SSN 478-"), _RESP_DONE,
                                        {"type": "response.completed", "response": {}}, _resp_delta("21-5096")],
    "responses_args_after_done": [
        _resp_delta('{"s": "478-21', "response.function_call_arguments.delta"),
        {"type": "response.function_call_arguments.done", "item_id": "i", "output_index": 0, "content_index": 0,
         "arguments": "{}"}, _resp_delta('-5096"}', "response.function_call_arguments.delta")],
}


@pytest.mark.parametrize("name", sorted(AFTER_END))
def test_text_after_a_close_marker_is_read_with_what_came_before(engine: RedactionEngine, name: str) -> None:
    events = _events(*AFTER_END[name])
    for chunks in (events, ["".join(events)]):
        out = _body(engine, chunks)
        assert "5096" not in out and "47821" not in digits(out), out


def test_control_honest_streams_keep_their_order(engine: RedactionEngine) -> None:
    """A held tail at a close marker goes out before the marker, in the order the upstream sent (the hold only
    delays); the same body without the text after the marker is unchanged apart from the redaction."""
    import json

    anth = _events(*_ANTH_HEAD, _anth_delta("room 4155"), *_ANTH_END)
    out = _body(engine, anth)
    types = [json.loads(ln[6:])["type"] for ln in out.split("\n") if ln.startswith("data: ")]
    assert types == ["message_start", "content_block_start", "content_block_delta", "content_block_delta",
                     "content_block_stop", "message_delta", "message_stop"]
    assert "room 4155" in out
    resp = _events(_resp_delta("room 4155"), _RESP_DONE, {"type": "response.completed", "response": {}})
    out = _body(engine, resp)
    types = [json.loads(ln[6:])["type"] for ln in out.split("\n") if ln.startswith("data: ")]
    assert types[-2:] == ["response.output_text.done", "response.completed"] and "room 4155" in out


def test_spelled_zip_takes_a_closing_bracket_only_with_its_opening_one(engine: RedactionEngine) -> None:
    assert redact(engine, "Miami (ZIP: 33101)?").endswith("(ZIP: [ZIP])?")
    assert redact(engine, "zip (6 2 7 0 4) ok") == "zip [ZIP] ok"
