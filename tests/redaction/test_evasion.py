"""Every evasion shape of issue 16 is redacted (unit level through the engine, a handful through Envoy with the
demo model's echo), and the shapes that look like identifiers but are clinical values are left alone."""

from __future__ import annotations

import json

import pytest

from sidecar.redaction.engine import RedactionEngine

# (text, the secret part that must not survive, expected type)
EVASIONS = [
    ("call \uff16\uff11\uff17-\uff15\uff15\uff15-\uff10\uff11\uff19\uff19 now", "\uff10\uff11\uff19\uff19", "PHONE"),
    ("call \u0666\u0661\u0667-\u0665\u0665\u0665-\u0660\u0661\u0669\u0669 now", "\u0660\u0661\u0669\u0669", "PHONE"),
    ("SSN 123\u200b-45\u200b-6789 on file", "6789", "SSN"),
    ("phone 617\u200d555\u200d0199 x", "0199", "PHONE"),
    ("SSN 123\u201145\u20116789 on file", "6789", "SSN"),
    ("call 617\u2013555\u20130199 now", "0199", "PHONE"),
    ("call 512.43.7788 now", "7788", "PHONE"),
    ("mail jane.doe\uff20example.org now", "jane.doe", "EMAIL"),
    ("seen by Dr. \u0410nna Smith today", "nna Smith", "NAME"),
    ("born 15/III/1962 in", "1962", "DATE"),
    ("born March the 15th, 1962 in", "15th", "DATE"),
    ("a ninety-two year old woman", "ninety-two", "AGE"),
    ("aged one hundred and one, frail", "hundred", "AGE"),
    ("her SSN is one two three four five six seven eight nine", "seven eight", "SSN"),
    ("SSN 1 2 3 4 5 6 7 8 9 on file", "5 6 7", "SSN"),
    ("pager 4-1234 if needed", "4-1234", "PHONE"),
    ("pgr #12345 if needed", "12345", "PHONE"),
    ("call 617 555 0199 now", "555 0199", "PHONE"),
    ("seen 3/14 by cardiology", "3/14", "DATE"),
    ("f/u 12/3 in clinic", "12/3", "DATE"),
    ("TOXICITY-3/4/22 noted", "3/4/22", "DATE"),
    ("dates 12/10/12/11 in chart", "12/10/12/11", "DATE"),
    ("seen on march 3rd and JUNE 4", "march 3rd", "DATE"),
    ("ADMITTED ON JUNE 4 FOR", "JUNE 4", "DATE"),
    ("seen 03/20/22 by", "03/20/22", "DATE"),
    ("SSN: 1 2 3 - 4 5 - 6 7 8 9 on file", "6 7 8 9", "SSN"),
    ("SSN: 123 - 45 - 6789 on file", "6789", "SSN"),
    ("ssn 123/45/6789 on file", "6789", "SSN"),
    ("phone 617/555/0199 or", "0199", "PHONE"),
    ("phone 617_555_0199 or", "0199", "PHONE"),
    ("MRN 0 0 4 8 2 9 1 3 noted", "2 9 1 3", "MRN"),
    ("email: jane dot doe at example dot com", "doe", "EMAIL"),
    ("email jane.doe [at] example [dot] com", "jane.doe", "EMAIL"),
    ("DOB: 14 March 62.", "62", "DATE"),
    ("date of birth: fourteenth of march nineteen sixty two", "sixty", "DATE"),
    ("admitted March fourteenth", "fourteenth", "DATE"),
    ("BORN THE EIGHTH OF MARCH, NINETEEN SIXTY TWO", "EIGHTH", "DATE"),
    ("SSN 1\u03362\u03363\u0336-4\u03365\u0336-6\u03367\u03368\u03369\u0336 on file", "9\u0336", "SSN"),
    ("SSN \u2460\u2461\u2462-\u2463\u2464-\u2465\u2466\u2467\u2468 on file", "\u2468", "SSN"),
    ("born 3\u204414\u20441962 in", "1962", "DATE"),
    ("SSN \u202e123-45-6789\u202c on file", "6789", "SSN"),
    ("abx 2/13-2/15 then", "2/15", "DATE"),
]

# clinical values shaped like identifiers: nothing may be found
CLINICAL = [
    "Vent settings 12/10/40% overnight.",
    "BP 120/80, HR 120-150 during the run, RR 12-16.",
    "Give 1/2 tab of metoprolol and 2/3 of the dose tomorrow.",
    "Strength 5/5 throughout, motor 4/5 in the left UE.",
    "Multiple clots 12345 noted on the case report of the lot.",
    "Range 1000-1500 mL, ratio 1:2.",
    "GCS 3/15, pupils 4/3 sluggish, reflexes 2+/4 throughout.",
    "Vitals 98.6 120 80 16 99% on RA, I/O 1200/800, CVP 8-12.",
    "Plt 245000, wbc 12000, given 100000 units.",
    "We may march on at the clinic at noon with 14 patients, dot the plan at 3 dot 5 mg.",
]


@pytest.mark.parametrize(("text", "secret", "type_"), EVASIONS)
def test_evasion_is_redacted(engine: RedactionEngine, text: str, secret: str, type_: str) -> None:
    res = engine.redact_text(text, "safe_harbor")
    assert secret not in res.text, res.text
    assert type_ in {t for _, _, t in res.spans}, res.spans


@pytest.mark.parametrize("text", CLINICAL)
def test_clinical_values_are_left_alone(engine: RedactionEngine, text: str) -> None:
    assert engine.detect(text, "safe_harbor") == [], [text[s.start : s.end] for s in engine.detect(text, "safe_harbor")]


def test_control_the_oracle_sees_a_leak(engine: RedactionEngine) -> None:
    """Without the normalised view the detectors miss these: the tests above would catch a regression."""
    from sidecar.redaction import analyzer as mod

    real = mod.normalize
    mod.normalize = lambda text: real.__wrapped__(text) if hasattr(real, "__wrapped__") else _identity(text)
    try:
        res = engine.redact_text("SSN 123\u200b-45\u200b-6789 on file", "safe_harbor")
        assert "6789" in res.text
    finally:
        mod.normalize = real


def _identity(text: str) -> object:
    from sidecar.redaction.normalize import View

    return View(text, text, None)


E2E = [
    ("SSN 123\u200b-45\u200b-6789", "6789"),
    ("call \uff16\uff11\uff17-\uff15\uff15\uff15-\uff10\uff11\uff19\uff19", "\uff10\uff11\uff19\uff19"),
    ("write to jane.doe\uff20example.org", "jane.doe"),
    ("aged ninety-two, pager 4-1234, seen 3/14", "4-1234"),
    ("born 15/III/1962", "1962"),
    ("SSN: 1 2 3 - 4 5 - 6 7 8 9", "6 7 8 9"),
    ("mail jane dot doe at example dot com", "doe"),
    ("SSN 1\u03362\u03363\u0336-45-6789 and Dr. \u0410nna", "6789"),
    # shapes of real notes: a day glued to a month, a two-line address, a sign-off, a name after DR.
    ("NPN 7A-7P 18-OCT\nPAGED DR. OBERMEIER RE: LOW UOP", "18-OCT"),
    ("NPN 7A-7P 18-OCT\nPAGED DR. OBERMEIER RE: LOW UOP", "OBERMEIER"),
    ("home to 0487 Hopkins Ports Suite 719\nLake Jamesside, MN 17210.", "Jamesside"),
    ("pt resting.\nnovella wickings rn\n", "wickings"),
]


@pytest.mark.parametrize(("text", "secret"), E2E)
@pytest.mark.parametrize("stream", [False, True])
def test_evasions_through_envoy(stack: object, text: str, secret: str, stream: bool) -> None:
    """The echo model answers with the user's message: what comes back through Envoy is redacted."""
    headers = {**stack.auth_headers("dr.evasion", ["researcher"]), "x-phi-guard-purpose": "research"}  # type: ignore[attr-defined]
    body = {"model": "echo", "stream": stream, "messages": [{"role": "user", "content": text}]}
    with stack.http() as client:  # type: ignore[attr-defined]
        r = client.post("/v1/chat/completions", json=body, headers=headers, timeout=60)
    assert r.status_code == 200, r.text
    if stream:
        content = "".join(
            (json.loads(line[6:])["choices"] or [{}])[0].get("delta", {}).get("content") or ""
            for line in r.text.splitlines()
            if line.startswith("data: {")
        )
    else:
        content = r.json()["choices"][0]["message"]["content"]
    assert content and secret not in content, content
    assert "[" in content  # a tag replaced the identifier
