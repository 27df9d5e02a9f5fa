"""Each fail-closed setting of the rendered bootstrap, proven with real Envoy, a real upstream returning PHI
and a deliberately broken real gRPC guard: no PHI leaves, and the client gets a clear status or a cut
stream in time."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from conftest import RunningEnvoy
from envoy_fakes import MODE_HEADER, PHI, FakeGuard, UpstreamServer, dead_port

from sidecar.envoy_config.params import UpstreamTarget

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def upstream() -> Iterator[UpstreamServer]:
    srv = UpstreamServer().start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def guard() -> Iterator[FakeGuard]:
    g = FakeGuard().start()
    yield g
    g.stop()


@pytest.fixture(scope="module")
def envoy(
    start_envoy: Callable[..., RunningEnvoy], upstream: UpstreamServer, guard: FakeGuard
) -> RunningEnvoy:
    return start_envoy(
        guard_grpc_port=guard.port, upstream=UpstreamTarget("model", "127.0.0.1", upstream.port)
    )


@pytest.fixture(scope="module")
def envoy_guard_down(start_envoy: Callable[..., RunningEnvoy], upstream: UpstreamServer) -> RunningEnvoy:
    return start_envoy(
        guard_grpc_port=dead_port(), upstream=UpstreamTarget("model", "127.0.0.1", upstream.port)
    )


def _get(env: RunningEnvoy, path: str, mode: str = "pass", **kw: object) -> httpx.Response:
    headers = {MODE_HEADER: mode, **kw.pop("headers", {})}  # type: ignore[dict-item]
    return httpx.get(env.url + path, headers=headers, timeout=20, **kw)  # type: ignore[arg-type]


def _stream(env: RunningEnvoy, path: str, mode: str) -> tuple[int, bytes, str | None, float]:
    """(status, bytes received, error class if the stream was cut, seconds)."""
    t0 = time.monotonic()
    got = b""
    err = None
    try:
        with httpx.stream("GET", env.url + path, headers={MODE_HEADER: mode}, timeout=20) as r:
            status = r.status_code
            try:
                for part in r.iter_raw():
                    got += part
            except httpx.HTTPError as exc:
                err = type(exc).__name__
    except httpx.HTTPError as exc:  # cut before headers
        return 0, got, type(exc).__name__, time.monotonic() - t0
    return status, got, err, time.monotonic() - t0


def test_working_guard_redacts_json_and_sse(envoy: RunningEnvoy) -> None:
    """Baseline: the bootstrap routes through both filters (so the failure tests below can fail)."""
    r = _get(envoy, "/v1/chat/completions")
    assert r.status_code == 200
    assert PHI not in r.text and "[SSN]" in r.text
    status, body, err, _ = _stream(envoy, "/v1/sse", "pass")
    assert (status, err) == (200, None)
    assert PHI.encode() not in body and b"[SSN]" in body and b"[DONE]" in body


def test_guard_down_gives_503_and_never_reaches_the_model(
    envoy_guard_down: RunningEnvoy, upstream: UpstreamServer
) -> None:
    before = len(upstream.seen)
    r = _get(envoy_guard_down, "/v1/chat/completions")
    assert r.status_code == 503
    assert PHI not in r.text
    assert len(upstream.seen) == before


def test_health_route_bypasses_the_guard_but_path_tricks_do_not(envoy_guard_down: RunningEnvoy) -> None:
    assert _get(envoy_guard_down, "/healthz").status_code == 200
    for tricky in ("/healthz/../v1/chat/completions", "/healthz/%2e%2e/v1/chat", "/healthzz", "/HEALTHZ"):
        r = _get(envoy_guard_down, tricky)
        assert r.status_code in (503, 307, 301, 400), (tricky, r.status_code)
        assert PHI not in r.text


def test_guard_api_route_keeps_identity_check(envoy_guard_down: RunningEnvoy) -> None:
    assert _get(envoy_guard_down, "/phi-guard/v1/approvals").status_code == 503


def test_authz_slow_is_cut_at_the_timeout(envoy: RunningEnvoy, upstream: UpstreamServer) -> None:
    before = len(upstream.seen)
    t0 = time.monotonic()
    r = _get(envoy, "/v1/chat/completions", mode="authz-slow")
    elapsed = time.monotonic() - t0
    assert r.status_code == 503
    assert elapsed < envoy.params.authz_timeout_ms / 1000 + 3  # slack for a loaded 2-core machine
    assert len(upstream.seen) == before


def test_authz_error_is_503_not_a_policy_403(envoy: RunningEnvoy) -> None:
    r = _get(envoy, "/v1/chat/completions", mode="authz-error")
    assert r.status_code == 503


def test_processor_error_withholds_the_body(envoy: RunningEnvoy) -> None:
    r = _get(envoy, "/v1/chat/completions", mode="proc-error")
    assert r.status_code >= 500
    assert PHI not in r.text


def test_processor_stuck_on_headers_is_cut_by_message_timeout(envoy: RunningEnvoy) -> None:
    t0 = time.monotonic()
    r = _get(envoy, "/v1/chat/completions", mode="proc-stuck-headers")
    elapsed = time.monotonic() - t0
    assert r.status_code >= 500
    assert PHI not in r.text
    assert elapsed < envoy.params.ext_proc_message_timeout_ms / 1000 + 3


@pytest.mark.parametrize("mode", ["proc-stuck-midstream", "proc-abort-midstream"])
def test_processor_failing_mid_stream_cuts_the_stream_without_phi(envoy: RunningEnvoy, mode: str) -> None:
    status, body, err, elapsed = _stream(envoy, "/v1/sse", mode)
    assert PHI.encode() not in body
    assert b"[DONE]" not in body  # the stream did not complete as if nothing happened
    assert err is not None or status >= 500, (status, err)
    bound = envoy.params.stream_idle_timeout_s + envoy.params.ext_proc_message_timeout_ms / 1000 + 3
    assert elapsed < bound, elapsed


def test_large_streamed_response_is_not_broken_by_body_limits(envoy: RunningEnvoy) -> None:
    size = 4 * envoy.params.max_request_bytes
    status, body, err, _ = _stream_with_size(envoy, size)
    assert (status, err) == (200, None)
    assert len(body) == size


def _stream_with_size(env: RunningEnvoy, size: int) -> tuple[int, bytes, str | None, float]:
    t0 = time.monotonic()
    got = b""
    err = None
    with httpx.stream("GET", env.url + "/v1/big", headers={"x-size": str(size)}, timeout=30) as r:
        try:
            for part in r.iter_raw():
                got += part
        except httpx.HTTPError as exc:
            err = type(exc).__name__
        return r.status_code, got, err, time.monotonic() - t0


def test_request_body_over_limit_is_413_and_never_checked(envoy: RunningEnvoy, guard: FakeGuard) -> None:
    before = len(guard.authz.checks)
    big = b"x" * (envoy.params.max_request_bytes + 1)
    r = httpx.post(envoy.url + "/v1/chat/completions", content=big, timeout=20)
    assert r.status_code == 413
    assert len(guard.authz.checks) == before


def test_whole_request_body_reaches_the_guard(envoy: RunningEnvoy, guard: FakeGuard) -> None:
    body = b'{"messages": [{"role": "user", "content": "' + b"y" * 200_000 + b'"}]}'
    r = httpx.post(
        envoy.url + "/v1/chat/completions", content=body, headers={MODE_HEADER: "pass"}, timeout=20
    )
    assert r.status_code == 200
    check = guard.authz.checks[-1].attributes.request.http
    assert check.raw_body == body
    assert check.headers.get("x-envoy-auth-partial-body", "false") == "false"


def test_accept_encoding_never_reaches_the_model(envoy: RunningEnvoy, upstream: UpstreamServer) -> None:
    r = _get(envoy, "/v1/chat/completions", headers={"accept-encoding": "gzip, br"})
    assert r.status_code == 200
    assert "accept-encoding" not in upstream.seen[-1]["headers"]
    assert upstream.seen[-1]["headers"].get("x-phi-guard-decision-id") == "dec-0001"


def test_access_log_has_audit_ids_but_no_query_string(envoy: RunningEnvoy) -> None:
    r = _get(envoy, f"/v1/chat/completions?patient_ssn={PHI}")
    assert r.status_code == 200
    rid = r.headers["x-request-id"]
    deadline = time.monotonic() + 10  # flushed every second (envoy_args)
    line = ""
    while time.monotonic() < deadline:
        line = next((ln for ln in envoy.access_log().splitlines() if rid in ln), "")
        if line:
            break
        time.sleep(0.1)
    assert line, "no access log line for the request"
    assert "dec-0001" in line
    assert PHI not in envoy.access_log()
    assert "patient_ssn" not in line


# --- negative controls: the same tests against an unsafe setting must see PHI leak, or the tests prove
# nothing.


def _ext_proc_fail_open(doc: dict) -> None:
    hcm = doc["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
    next(f for f in hcm["http_filters"] if f["name"] == "envoy.filters.http.ext_proc")["typed_config"][
        "failure_mode_allow"
    ] = True


def _ext_authz_fail_open(doc: dict) -> None:
    hcm = doc["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
    next(f for f in hcm["http_filters"] if f["name"] == "envoy.filters.http.ext_authz")["typed_config"][
        "failure_mode_allow"
    ] = True


def test_control_ext_proc_fail_open_leaks_phi_when_the_processor_is_stuck(
    start_envoy: Callable[..., RunningEnvoy], upstream: UpstreamServer, guard: FakeGuard
) -> None:
    env = start_envoy(
        mutate=_ext_proc_fail_open,
        guard_grpc_port=guard.port,
        upstream=UpstreamTarget("model", "127.0.0.1", upstream.port),
    )
    r = _get(env, "/v1/chat/completions", mode="proc-stuck-headers")
    assert r.status_code == 200 and PHI in r.text


def test_control_ext_authz_fail_open_reaches_the_model_when_the_guard_is_down(
    start_envoy: Callable[..., RunningEnvoy], upstream: UpstreamServer
) -> None:
    env = start_envoy(
        mutate=_ext_authz_fail_open,
        guard_grpc_port=dead_port(),
        upstream=UpstreamTarget("model", "127.0.0.1", upstream.port),
    )
    before = len(upstream.seen)
    _get(env, "/v1/chat/completions")
    assert len(upstream.seen) == before + 1


def test_callers_cannot_forge_guard_headers(
    envoy: RunningEnvoy, guard: FakeGuard, upstream: UpstreamServer
) -> None:
    forged = {
        "x-phi-guard-identity": "forged",
        "x-phi-guard-decision-id": "forged",
        "x-phi-guard-request-id": "f",
    }
    r = _get(envoy, "/v1/chat/completions", headers=forged)
    assert r.status_code == 200
    seen_by_guard = guard.authz.checks[-1].attributes.request.http.headers
    assert not set(forged) & set(seen_by_guard)
    upstream_headers = upstream.seen[-1]["headers"]
    assert upstream_headers.get("x-phi-guard-decision-id") == "dec-0001"
    assert "x-phi-guard-identity" not in upstream_headers
