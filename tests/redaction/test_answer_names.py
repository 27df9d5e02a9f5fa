"""Names in model answers (issue 16, session 13): the people listed after a heading that names a group of them
(``Oncoming team: Xu, Crandall and Phạm``). Cases caught in every case, near misses left alone, a control with the
rule off, and every stream cut equal to the whole text."""

from __future__ import annotations

import pytest

from sidecar.redaction.detectors import names
from sidecar.redaction.engine import RedactionEngine
from tests.redaction.test_nursing_rules import covered, found, variants
from tests.redaction.test_stream_divergences import assert_stream_equals_whole

TEAM_NAMES = [
    ("Oncoming team: Xu, Crandall and Kowalczyk.", ("Xu", "Crandall", "Kowalczyk")),
    ("The care team members were Rivers, Zhou and Nakamura. Afterwards", ("Rivers", "Zhou", "Nakamura")),
    ("Attendees at the family meeting: Konstantinou, Baptiste and Zhou.", ("Konstantinou", "Zhou")),
    ("The study coordinators are Quarles, Will G. Okonkwo and Beasley.", ("Quarles", "Okonkwo", "Beasley")),
    ("Participants: Stroud, Thorsen and Villanueva.", ("Stroud", "Thorsen", "Villanueva")),
]
# a heading of a group of people before words that name no one
TEAM_FREE = [
    "Care team: PT, OT and SW.",
    "Oncoming team: ICU and nephrology.",
    "The team members were notified of the plan.",
    "care team: day shift, then nights",
    "Members of the team: Oncology, Palliative care and Pharmacy.",
    "Team: will follow up in the morning.",
]


@pytest.mark.parametrize(("text", "values"), TEAM_NAMES)
def test_people_after_a_group_heading_are_redacted(engine: RedactionEngine, text: str, values: tuple[str, ...]) -> None:
    for t in variants(text):
        for v in values:
            v = v.upper() if t.isupper() else v.lower() if t.islower() else v
            assert covered(engine, t, v), (t, v, found(engine, t))


@pytest.mark.parametrize("text", TEAM_FREE)
def test_groups_of_services_and_words_are_left_alone(engine: RedactionEngine, text: str) -> None:
    for t in variants(text):
        assert found(engine, t) == [], t


def test_control_without_the_rule_the_first_items_are_missed(
    engine: RedactionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: with ``_team_lists`` off, a listed name before any other cue is left (the test above can fail)."""
    monkeypatch.setattr(names._Scan, "_team_lists", lambda self, named, cued: None)
    missed = [(t, v) for t, vs in TEAM_NAMES for v in vs if not covered(engine, t, v)]
    assert len(missed) >= 5, missed


@pytest.mark.parametrize(
    "text",
    [
        "Oncoming team: Xu, Crandall and Kowalczyk. Care team: PT, OT and SW.",
        "ONCOMING TEAM: QUARLES, BRANDÃO AND VILLASEÑOR.\ncare team: day shift",
        "the care team members were björn j. bell, zhou and szymańska. afterwards",
    ],
)
def test_streams_equal_whole_around_team_lists(engine: RedactionEngine, text: str) -> None:
    assert_stream_equals_whole(engine, text)
