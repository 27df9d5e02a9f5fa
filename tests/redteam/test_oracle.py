"""The oracle's reading of headers: values the path generates itself (a request id, a decision id, the HTTP date)
are not read for planted values unless the hostile side sent a header of that name. A random UUID holds a 5-digit
run of a planted SSN about once in 300 exchanges, and the clock at 03:14:19 holds one of 03/14/1962's: the e2e
red-team tests failed on those, with a body that carried nothing."""

from __future__ import annotations

from redteam.oracle import leaks, planted_head, planted_headers, views

SSN, DOB = "478-21-5096", "03/14/1962"
CLEAN = b'data: {"c": "SSN [SSN], DOB [DATE]"}\n\n'
GENERATED = [("date", "Mon, 07 Dec 2026 03:14:19 GMT"), ("x-request-id", "2d1f0a3e-4782-1509-6abc-0123456789ab"),
             ("x-phi-guard-decision-id", "00000000-2150-9600-0000-000000000000"),
             ("x-phi-guard-request-id", "847833654782159961")]  # 18 random digits: one CI run failed on such


def test_generated_headers_hold_runs_of_the_planted_values() -> None:
    """Control: read whole, the generated values alone are taken for leaks of both values."""
    assert leaks([SSN, DOB], views(CLEAN, "text/event-stream", GENERATED)) == [SSN, DOB]


def test_generated_headers_are_not_read_unless_the_upstream_sent_them() -> None:
    assert leaks([SSN], views(CLEAN, "text/event-stream", GENERATED[3:])) == [SSN]  # control: the request id alone
    assert leaks([SSN, DOB], views(CLEAN, "text/event-stream", planted_headers(GENERATED, ["content-type"]))) == []


def test_a_header_of_the_same_name_sent_by_the_upstream_is_read() -> None:
    got = planted_headers([*GENERATED, ("x-note", f"SSN {SSN}")], ["content-type", "Date", "x-note"])
    assert ("date", GENERATED[0][1]) in got and ("x-request-id", GENERATED[1][1]) not in got
    assert leaks([SSN, DOB], views(CLEAN, "text/event-stream", got)) == [SSN, DOB]


def test_planted_head_drops_generated_lines_of_every_head_only() -> None:
    raw = (b"HTTP/1.1 103 Early Hints\r\ndate: Mon, 07 Dec 2026 03:14:19 GMT\r\n\r\n"
           b"HTTP/1.1 200 OK\r\nx-request-id: 2d1f0a3e-4782-1509-6abc-0123456789ab\r\nx-note: 478-21-5096\r\n\r\n"
           b"date: 03/14/1962\r\n")
    out = planted_head(raw, ["x-note"])
    assert b"03:14:19" not in out and b"2d1f0a3e" not in out
    assert b"x-note: 478-21-5096" in out and b"date: 03/14/1962" in out  # the body is kept whole
    assert leaks([SSN, DOB], views(out, "")) == [SSN, DOB]
