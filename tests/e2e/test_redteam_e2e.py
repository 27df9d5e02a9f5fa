"""The red-team table's representative subset (cases marked ``e2e`` in tests/redteam/cases.yaml, every family)
through the real path: Envoy, the guard, and the demo model scripted as a hostile upstream, each chunk written
and flushed on its own. No planted PHI may reach the client, in the body (joined across events) or the headers;
or the body is withheld (502, or the stream reset). Control: the same answers read straight from the demo
model carry every planted value by the same oracle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from redteam.oracle import Case, leaks, load_cases, planted_headers, views

pytestmark = pytest.mark.e2e

CASES = [c for c in load_cases(str(Path(__file__).parent.parent / "redteam" / "cases.yaml")) if c.e2e]


def _params() -> list[object]:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [])
            for c in CASES]


def ask(stack: Any, case: Case) -> tuple[int, list[tuple[str, str]], bytes]:
    """One streamed researcher request answered by ``case``; a reset stream returns status -1 and what arrived
    before it."""
    stack.demo_script(case.answer)
    headers = {**stack.auth_headers("r.franklin", ["researcher"]), "x-phi-guard-purpose": "research"}
    body = {"model": "echo", "messages": [{"role": "user", "content": "hello"}], "stream": True}
    got, status, hdrs = b"", 0, []
    with stack.http() as client:
        try:
            with client.stream("POST", "/v1/chat/completions", json=body, headers=headers) as resp:
                status, hdrs = resp.status_code, list(resp.headers.multi_items())
                for chunk in resp.iter_raw():
                    got += chunk
        except httpx.HTTPError:
            status = -1  # reset (also after the headers: a body refused at its end)
    return status, hdrs, got


def test_subset_covers_every_family() -> None:
    assert {c.family for c in CASES} == {"structure", "sse", "provider", "charset", "headers", "evasion", "stream"}
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", _params())
def test_redteam_case_through_envoy(stack: Any, case: Case) -> None:
    status, headers, got = ask(stack, case)
    ct = next((v for k, v in headers if k.lower() == "content-type"), "")
    found = leaks(case.phi, views(got, ct, planted_headers(headers, (k for k, _ in case.headers))))
    assert not found, f"{case.id} ({case.attack}): leaked {found}, status {status}"
    withheld = status in (502, -1)
    if case.expect == "redacted":
        assert status == case.status and not withheld, (case.id, status, got[:300])
    elif case.expect == "withheld":
        assert withheld, (case.id, status)
    assert status in (case.status, 502, -1), status


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES if c.expect != "withheld"])
def test_control_raw_upstream_answer_leaks(stack: Any, case: Case) -> None:
    """Control: the demo model's own answer (not through Envoy) carries every planted value by the oracle."""
    stack.demo_script(case.answer)
    r = httpx.post(f"{stack.upstream_url}/v1/chat/completions", json={"model": "echo", "messages": []},
                   headers={"authorization": f"Bearer {stack.upstream_credential()}"}, timeout=30)
    ct = r.headers.get("content-type", "")
    charset = ct.split("charset=")[1].strip('"; ') if "charset=" in ct else "utf-8"
    text = r.content.decode(charset, "replace").encode("utf-8")  # httpx has undone any content-encoding
    assert leaks(case.phi, views(text, ct, list(r.headers.multi_items()))) == case.phi, case.id
