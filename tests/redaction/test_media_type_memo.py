"""``media_type`` remembers the parse of each content-type value it has seen: the same answer as parsing it again,
for every value, whatever came before it."""

from __future__ import annotations

import functools
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from sidecar.redaction.bodies import charset as cs

_TYPES = st.sampled_from(["application/json", "Application/JSON", "text/event-stream", "text/plain",
                          "application/x-ndjson", "text/html", "application/problem+json", "", " text/plain "])
_CHARSETS = st.sampled_from(["utf-8", "UTF-8", "latin-1", "iso-8859-1", "utf-16", "rot13", "\"utf-8\"", "'x'",
                             "us-ascii''utf-8", "", "bogus"])
_PARAM = st.one_of(
    st.builds(lambda c: f"charset={c}", _CHARSETS),
    st.builds(lambda c: f"CHARSET = {c}", _CHARSETS),
    st.builds(lambda c: f"charset*=utf-8''{c}", _CHARSETS),  # RFC 2231
    st.sampled_from(["boundary=x", "q=0.5", "format=flowed", "charset", ""]),
)
_CONTENT_TYPE = st.builds(lambda t, ps, sep: t + "".join(sep + p for p in ps), _TYPES,
                          st.lists(_PARAM, max_size=3), st.sampled_from([";", "; ", " ;"]))
_LONG = st.builds(lambda ct, pad: f"{ct}; x-pad={'a' * pad}", _CONTENT_TYPE,
                  st.integers(min_value=cs.MEMO_MAX_CHARS, max_value=cs.MEMO_MAX_CHARS + 40))


def _agrees(memo: Callable[[str], tuple[str, str | None]], values: list[str]) -> bool:
    """Every value, asked in this order (repeats hit the memo), gets the uncached parse."""
    return all(memo(v) == cs._parse_media_type(v) for v in values + values[::-1])  # noqa: SLF001


@given(st.lists(st.one_of(_CONTENT_TYPE, _LONG), min_size=1, max_size=8))
def test_the_memo_gives_the_parse_of_each_value(values: list[str]) -> None:
    assert _agrees(cs.media_type, values)


def test_known_values() -> None:
    assert cs.media_type("Application/JSON; charset=UTF-8") == ("application/json", "UTF-8")
    assert cs.media_type("text/plain; charset*=utf-8''latin-1") == ("text/plain", "latin-1")
    assert cs.media_type("text/event-stream") == ("text/event-stream", None)
    long_value = "text/plain; charset=latin-1; x=" + "a" * cs.MEMO_MAX_CHARS
    assert cs.media_type(long_value) == ("text/plain", "latin-1")


def test_control_a_memo_keyed_on_the_media_type_alone_is_caught() -> None:
    """Control: a memo that forgets the parameters answers a later charset with an earlier one."""
    table: dict[str, tuple[str, str | None]] = {}

    def by_type(value: str) -> tuple[str, str | None]:
        return table.setdefault(value.split(";", 1)[0].strip().lower(), cs._parse_media_type(value))  # noqa: SLF001

    assert not _agrees(by_type, ["text/plain; charset=utf-8", "text/plain; charset=latin-1"])
    assert _agrees(functools.lru_cache(maxsize=2)(cs._parse_media_type),  # noqa: SLF001
                   ["text/plain; charset=utf-8", "text/plain; charset=latin-1", "text/plain"])
