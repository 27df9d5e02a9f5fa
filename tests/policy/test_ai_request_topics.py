"""The topic flags of ``sidecar.ai_request``: the split, loop form gives what reading ``_TOPIC_WORDS`` directly
gives (substrings, and ``=word`` on word boundaries with an optional 1/2 suffix)."""

from __future__ import annotations

import random

from sidecar import ai_request as A


def _reference(text: str) -> list[str]:
    found = []
    for name, words in A._TOPIC_WORDS.items():
        if any(A._has_word(text, w[1:]) if w[0] == "=" else w in text for w in words):
            found.append(name)
    return sorted(found)


_WORDS = [w.lstrip("=") for ws in A._TOPIC_WORDS.values() for w in ws] + [
    "sudden", "hive", "aids2", "brca1", "dna3", "genomic", "hiv-1", "the", "patient", "pseudo",
]


def test_topics_match_the_word_table() -> None:
    rng = random.Random(20)
    seen: set[str] = set()
    for _ in range(5000):
        text = " ".join(rng.choice(_WORDS) + rng.choice(["", "", "s", "1", "2", "-", "x"])
                        for _ in range(rng.randint(0, 6))).lower()
        got = A._topics(text)
        assert got == _reference(text), text
        seen.update(got)
    assert seen == set(A._TOPIC_WORDS)  # every topic was hit at least once


def test_topics_word_boundaries_and_control() -> None:
    assert A._topics("history of hiv, on antiretroviral therapy") == ["hiv"]
    assert A._topics("sudden onset") == []  # "sud" only as a word
    assert A._topics("dx: sud") == ["substance_use"]
    assert A._topics("brca1 carrier") == ["genetic"]
    assert A._topics("brca3 carrier") == []
    # control: the reference is not trivially empty, and differs from a wrong answer
    assert _reference("viral load") == ["hiv"] != A._topics("viral")
