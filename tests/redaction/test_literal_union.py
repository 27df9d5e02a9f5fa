"""``base.literal_union`` (issue 16, speed): a word alternation written as a prefix tree finds exactly what the flat
alternation finds, in any case and with any flags, and the place rules built from such trees find what they found
with the flat lists."""

from __future__ import annotations

import random
import re

import pytest

from sidecar.redaction.detectors import locations
from sidecar.redaction.detectors.base import literal_union, longest_first
from sidecar.redaction.detectors.lexicons import STATE_ABBR, US_STATES
from sidecar.redaction.detectors.locations import USPS_SUFFIXES
from sidecar.redaction.detectors.regex_gate import Twinned

_LISTS = {
    "states": sorted(US_STATES, key=longest_first),
    "state_abbr": sorted(STATE_ABBR),
    "suffixes": sorted(locations.ADDRESS_SUFFIXES, key=longest_first),
    "usps": sorted(USPS_SUFFIXES - locations._B4_COMMON_SFX, key=longest_first),
    "prefix_items": ["st", "street", "s", "ab", "a", "ac"],
}
# characters ``re`` folds onto ASCII letters under IGNORECASE (Kelvin sign, long s, dotless i) and near misses
_NOISE = ["\u212aansas", "\u017ftreet", "\u0131daho", "Stree", "New York City", "nEW jERSEY", "zz", "St.", "ave-"]


def _texts(items: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        ws = [rng.choice(items + _NOISE)[: rng.randint(1, 16)] for _ in range(6)]
        t = rng.choice((" ", ", ", "  ")).join(ws)
        out.append(rng.choice((t, t.upper(), t.lower())))
    return out


@pytest.mark.parametrize("name", list(_LISTS))
@pytest.mark.parametrize("flags", [0, re.I, re.I | re.A], ids=["case", "any-case", "any-case-ascii"])
def test_tree_finds_what_the_flat_alternation_finds(name: str, flags: int) -> None:
    items = _LISTS[name]
    tree = literal_union(items)
    assert tree != "|".join(items)  # a tree was built: the comparison is not of one pattern with itself
    for tail in (r"\b", ""):
        flat_rx = re.compile(rf"(?:{'|'.join(items)}){tail}", flags)
        tree_rx = re.compile(rf"(?:{tree}){tail}", flags)
        hits = 0
        for t in _texts(items, 400, seed=len(name)):
            want = [m.span() for m in flat_rx.finditer(t)]
            assert [m.span() for m in tree_rx.finditer(t)] == want, t
            hits += len(want)
        assert hits > 200


def test_levels_it_cannot_keep_in_order_are_left_as_written() -> None:
    """An item that is a prefix of others between them, and case partners as first characters, stay flat."""
    assert literal_union(["ab", "a", "ac"]) == "a(?:b||c)"
    assert literal_union(["New", "new", "x"]) == "New|new|x"
    assert literal_union(["St.", "Street"]) == "St.|Street"  # not plain words: as written
    assert literal_union(["st", "street"]) == "st(?:|reet)"


def test_control_a_reordered_tree_finds_other_matches() -> None:
    """Control: the order of alternatives that share a prefix decides the match; a tree that put the longer
    item first would differ from the flat form (so the comparison above can fail)."""
    flat = re.compile("(?:st|street)")
    reordered = re.compile("(?:st(?:reet|))")
    assert [m.span() for m in flat.finditer("street")] == [(0, 2)]
    assert [m.span() for m in reordered.finditer("street")] == [(0, 6)]
    assert [m.span() for m in re.compile(f"(?:{literal_union(['st', 'street'])})").finditer("street")] == [(0, 2)]


def _flat_form(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """``rx`` with every tree of ``_LISTS`` written back as its flat alternation (None: it holds none)."""
    pattern = rx.pattern
    for items in _LISTS.values():
        pattern = pattern.replace(literal_union(items), "|".join(items))
    pattern = pattern.replace(locations._STATE_ABBR_ALT, "|".join(sorted(STATE_ABBR)))
    extra = sorted(USPS_SUFFIXES - locations._B4_COMMON_SFX - {"ky", "kys"}, key=longest_first)
    pattern = pattern.replace(literal_union(extra), "|".join(extra))
    return None if pattern == rx.pattern else re.compile(pattern, rx.flags)


# a regex defined as ``twinned(re.compile(...))`` is read as its regex (the twin is checked in test_dense15_twins)
_REGEXES = {k: v.regex if isinstance(v, Twinned) else v for k, v in vars(locations).items()}
_TREED = [(k, v) for k, v in _REGEXES.items() if isinstance(v, re.Pattern) and _flat_form(v) is not None]


def test_place_rules_use_trees() -> None:
    names = {k for k, _ in _TREED}
    assert {"_STATE_AFTER", "_STREET_ANY", "_CITY_ST_ANY", "_B4_STREET", "_B4_NEXT_SFX", "_ZIP_CUE"} <= names


@pytest.mark.parametrize(("name", "rx"), _TREED, ids=[k for k, _ in _TREED])
def test_place_rules_find_what_their_flat_forms_find(name: str, rx: re.Pattern[str]) -> None:
    flat = _flat_form(rx)
    assert flat is not None
    texts = [
        "lives at 12 Main St apt 4, Springfield, IL 62704; 40 ocean blvd, west palm beach, fl 33401",
        "in Boston, Massachusetts 02115; NEW YORK, NY 10001; from reno, nv.; 9 Elm Crossroads, Dover, DE",
        "moved to zeunerberg, id. 77 SUNSET TRAIL NW SANTA FE NEW MEXICO 87501; 3 via linda; 5 Rte 9",
        "2 mg is given; BP 120/80 HR 88 IV NS; K, CA; St. Louis, MO 63101; 1600 Pennsylvania Avenue",
    ]
    texts += [t.upper() for t in texts] + [t.lower() for t in texts]
    texts += _texts(_LISTS["states"] + _LISTS["suffixes"], 200, seed=5)
    for t in texts:
        want = [(m.span(), m.groups()) for m in flat.finditer(t)]
        assert [(m.span(), m.groups()) for m in rx.finditer(t)] == want, (name, t)
