"""A letter in nursing shorthand written with a slash (``C/O``, ``S/P``, ``W/``, ``D/C'D``, ``A/O``), a count
(``X2``) or glued to a number (``GCS 9T.``) is no initial: a name before it keeps its own span and the shorthand,
and the words after it, stay readable. Recall controls: real initials still join a name."""

from __future__ import annotations

import pytest

from sidecar.redaction.engine import RedactionEngine

_KEPT = [
    ("MS. JONES C/O N/V.", "JONES", ["C/O N/V."]),
    ("MR. JONES C/O CP.", "JONES", ["C/O CP."]),
    ("DR SMITH D/C'D LASIX.", "SMITH", ["D/C'D LASIX."]),
    ("PT SEEN BY DR JONES S/P FALL.", "JONES", ["S/P FALL."]),
    ("MRS. KOWALSKI W/ SON AT BEDSIDE.", "KOWALSKI", ["W/ SON AT BEDSIDE."]),
    ("MS. JONES A/O X3.", "JONES", ["A/O X3."]),
    ("SPOKE W/ DR. AHMED R/T INCREASED WOB.", "AHMED", ["R/T INCREASED WOB."]),
    ("Ms. Jones c/o n/v overnight.", "Jones", ["c/o n/v overnight."]),
    ("PAGED HO MCGILLICUDDY X2.", "MCGILLICUDDY", [" X2."]),
    ("CALLED DR. OKAFOR X3 NO ANSWER.", "OKAFOR", [" X3 NO ANSWER."]),
]
_GLUED = ["Glasgow Coma Scale 9T. Hunt and Hess grade 3.", "GCS 10T. Hunt and Hess grade 2.",
          "on 2L. Hunt and Hess grade 4."]


def _kept(out: str, parts: list[str]) -> bool:
    return all(p in out for p in parts)


@pytest.mark.parametrize(("text", "name", "kept"), _KEPT, ids=[t for t, _, _ in _KEPT])
def test_slash_shorthand_after_a_name_stays_and_the_name_goes(engine: RedactionEngine, text: str, name: str,
                                                              kept: list[str]) -> None:
    out = engine.redact_text(text, "safe_harbor").text
    assert name not in out
    assert _kept(out, kept), out


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Seen by Dr. Smith J. this am.", ["Smith", "J."]),
        ("SEEN BY DR SMITH J THIS AM.", ["SMITH J "]),
        ("J. Okafor RN gave report.", ["J. Okafor"]),
        ("Drs Wexler/Abernathy aware.", ["Wexler", "Abernathy"]),
    ],
)
def test_control_real_initials_and_slash_lists_are_still_names(engine: RedactionEngine, text: str,
                                                              gone: list[str]) -> None:
    out = engine.redact_text(text, "safe_harbor").text
    assert not any(g in out for g in gone), out


@pytest.mark.parametrize("text", _GLUED)
def test_a_letter_glued_to_a_number_is_no_initial(engine: RedactionEngine, text: str) -> None:
    assert engine.redact_text(text, "safe_harbor").text == text


def test_control_the_oracle_fails_on_the_old_output() -> None:
    # what the detector returned before slash shorthand stopped being an initial
    assert not _kept("[NAME]/[NAME]/[NAME]", ["C/O N/V."])
