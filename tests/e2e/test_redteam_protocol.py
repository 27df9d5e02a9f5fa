"""Red team, HTTP framing: answers a hostile upstream writes byte by byte (the demo model's ``raw_b64`` script:
HTTP/1.0 with no length, 1xx heads before the answer, 204/304 with a body, chunked trailers, conflicting or broken
framing, a reason phrase holding PHI) and requests in shapes clients rarely use (HEAD, HTTP/1.0), through real
Envoy and the guard. The client is a raw socket: every byte it receives counts, every 1xx head, every trailer,
whatever follows the framing. No planted value may reach it; where Envoy refuses a shape, the client gets a
refusal. Control: the same exchange straight with the demo model carries every planted value."""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from redteam.build_cases import LAST, MRN, PHONE, SSN, TEXT, chat_json, chat_sse, pieces
from redteam.oracle import leaks, planted_head, planted_headers, views

from devstack.info import StackInfo

pytestmark = pytest.mark.e2e

PHI = [SSN, LAST, PHONE, MRN]
JSON_BODY = chat_json(TEXT).encode()
SSE_BODY = "".join(chat_sse(pieces(TEXT, 3))).encode()
HOSTILE_HEADERS = f"x-patient: {LAST} {SSN}\r\nlink: </charts/{MRN}>; rel=preload\r\n"


def _chunked(body: bytes, size: int, trailers: str = "") -> bytes:
    out = b"".join(b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size]) for i in range(0, len(body), size))
    return out + b"0\r\n" + trailers.encode() + b"\r\n"


@dataclass(frozen=True)
class RawCase:
    id: str
    attack: str
    raw: list[bytes]  # what the upstream writes (then it closes the connection)
    method: str = "POST"
    version: str = "HTTP/1.1"
    # the final statuses the client may see (a refusal where Envoy refuses; 0: closed with no answer at all)
    statuses: tuple[int, ...] = (200,)


def _head(status: str, ctype: str, extra: str = "") -> bytes:
    return f"{status}\r\ncontent-type: {ctype}\r\n{extra}".encode()


CASES = [
    RawCase("http10_json_until_close", "HTTP/1.0 JSON answer, no length, ended by closing the connection",
            [_head("HTTP/1.0 200 OK", "application/json") + b"\r\n", JSON_BODY[:40], JSON_BODY[40:]]),
    RawCase("http10_sse_until_close", "HTTP/1.0 event stream, no chunking, 3-character deltas",
            [_head("HTTP/1.0 200 OK", "text/event-stream") + b"\r\n", *[SSE_BODY[i : i + 64]
                                                                      for i in range(0, len(SSE_BODY), 64)]]),
    RawCase("http11_close_delimited", "HTTP/1.1 answer with neither length nor chunking (connection: close)",
            [_head("HTTP/1.1 200 OK", "text/event-stream", "connection: close\r\n") + b"\r\n", SSE_BODY]),
    RawCase("status_204_with_body", "204 with PHI headers and a JSON body",
            [_head("HTTP/1.1 204 No Content", "application/json", HOSTILE_HEADERS +
                   f"content-length: {len(JSON_BODY)}\r\n") + b"\r\n" + JSON_BODY], statuses=(204, 502)),
    RawCase("status_304_with_body", "304 with PHI in etag and a body",
            [_head("HTTP/1.1 304 Not Modified", "application/json", HOSTILE_HEADERS + f'etag: "{SSN}"\r\n'
                   f"content-length: {len(JSON_BODY)}\r\n") + b"\r\n" + JSON_BODY], statuses=(304, 502)),
    RawCase("status_103_early_hints", "103 Early Hints whose headers hold PHI, then the answer",
            [b"HTTP/1.1 103 Early Hints\r\n" + HOSTILE_HEADERS.encode() + b"\r\n",
             _head("HTTP/1.1 200 OK", "application/json", f"content-length: {len(JSON_BODY)}\r\n") + b"\r\n" +
             JSON_BODY]),
    RawCase("status_100_unsolicited", "an unsolicited 100 Continue with PHI headers, then the answer",
            [b"HTTP/1.1 100 Continue\r\n" + HOSTILE_HEADERS.encode() + b"\r\n",
             _head("HTTP/1.1 200 OK", "application/json", f"content-length: {len(JSON_BODY)}\r\n") + b"\r\n" +
             JSON_BODY]),
    RawCase("status_102_twice", "two 102 Processing heads with PHI, then a streamed answer",
            [b"HTTP/1.1 102 Processing\r\nx-patient: " + SSN.encode() + b"\r\n\r\n",
             b"HTTP/1.1 102 Processing\r\nx-patient: " + LAST.encode() + b"\r\n\r\n",
             _head("HTTP/1.1 200 OK", "text/event-stream", "transfer-encoding: chunked\r\n") + b"\r\n" +
             _chunked(SSE_BODY, 50)]),
    RawCase("chunked_trailers", "chunked answer with PHI in trailers",
            [_head("HTTP/1.1 200 OK", "text/event-stream", "transfer-encoding: chunked\r\ntrailer: x-patient\r\n")
             + b"\r\n" + _chunked(SSE_BODY, 40, f"x-patient: {LAST} {SSN}\r\nx-mrn: {MRN}\r\n")]),
    RawCase("chunk_extensions", "chunk extensions holding PHI",
            [_head("HTTP/1.1 200 OK", "application/json", "transfer-encoding: chunked\r\n") + b"\r\n" +
             b"%x;patient=%s\r\n%s\r\n0\r\n\r\n" % (len(JSON_BODY), f"{LAST}-{SSN}".encode(), JSON_BODY)]),
    RawCase("reason_phrase_phi", "the status line's reason phrase holds PHI",
            [f"HTTP/1.1 200 {LAST} {SSN}\r\ncontent-type: application/json\r\ncontent-length: "
             f"{len(JSON_BODY)}\r\n\r\n".encode() + JSON_BODY]),
    RawCase("cl_te_conflict", "content-length and transfer-encoding together (a smuggling shape)",
            [_head("HTTP/1.1 200 OK", "application/json", f"content-length: {len(JSON_BODY)}\r\n"
                   "transfer-encoding: chunked\r\n") + b"\r\n" + _chunked(JSON_BODY, 64)], statuses=(502, 503)),
    RawCase("obs_fold_header", "a folded header continuing onto PHI",
            [_head("HTTP/1.1 200 OK", "application/json", f"x-note: ok\r\n {LAST} {SSN}\r\n"
                   f"content-length: {len(JSON_BODY)}\r\n") + b"\r\n" + JSON_BODY], statuses=(200, 502, 503)),
    RawCase("content_length_short", "content-length shorter than the body: PHI after the framing",
            [_head("HTTP/1.1 200 OK", "application/json", "content-length: 2\r\n") + b"\r\n{}" + JSON_BODY],
            statuses=(200, 502)),
    RawCase("two_answers_pipelined", "a second whole answer after the first on the same connection",
            [_head("HTTP/1.1 200 OK", "application/json", "content-length: 2\r\n") + b"\r\n{}" +
             _head("HTTP/1.1 200 OK", "application/json", f"content-length: {len(JSON_BODY)}\r\n") + b"\r\n" +
             JSON_BODY], statuses=(200, 502)),
    RawCase("head_request", "HEAD: the upstream sends headers and a body anyway",
            [_head("HTTP/1.1 200 OK", "application/json", HOSTILE_HEADERS + f"content-length: {len(JSON_BODY)}\r\n")
             + b"\r\n" + JSON_BODY], method="HEAD", statuses=(200, 400, 403, 404, 405, 502)),
    RawCase("http10_client", "an HTTP/1.0 client", [_head("HTTP/1.0 200 OK", "application/json") + b"\r\n" +
                                                   JSON_BODY], version="HTTP/1.0", statuses=(0, 200, 400, 426)),
]


# --- a raw HTTP/1.x client and a reader of what it received -------------------------------------------------------


def _exchange(url: str, case: RawCase, headers: dict[str, str]) -> bytes:
    """Every byte the client receives for one request (the connection is closed after it)."""
    u = urlsplit(url)
    body = b"" if case.method == "HEAD" else json.dumps(
        {"model": "echo", "messages": [{"role": "user", "content": "hello"}]}).encode()
    head = [f"{case.method} /v1/chat/completions {case.version}", f"host: {u.hostname}:{u.port}",
            "connection: close", "content-type: application/json", f"content-length: {len(body)}",
            *[f"{k}: {v}" for k, v in headers.items()]]
    with socket.create_connection((u.hostname or "127.0.0.1", u.port or 80), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        got = b""
        try:
            while chunk := sock.recv(65536):
                got += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return got


@dataclass
class Received:
    statuses: list[int]
    headers: list[tuple[str, str]]  # of every head, trailers included
    body: bytes  # the final answer's body, framing removed
    content_type: str
    raw: bytes


def _read(raw: bytes, head_request: bool) -> Received:
    statuses: list[int] = []
    headers: list[tuple[str, str]] = []
    rest, body, ctype = raw, b"", ""
    while rest:
        end = rest.find(b"\r\n\r\n")
        if end < 0:
            break
        lines = rest[:end].decode("latin-1").split("\r\n")
        rest = rest[end + 4 :]
        m = re.match(r"HTTP/\d\.\d (\d{3})", lines[0])
        status = int(m.group(1)) if m else 0
        statuses.append(status)
        hs = [(k.strip().lower(), v.strip()) for k, _, v in (ln.partition(":") for ln in lines[1:])]
        headers += hs
        if 100 <= status < 200:
            continue
        ctype = next((v for k, v in hs if k == "content-type"), "")
        if head_request or status in (204, 304):
            break
        if any(k == "transfer-encoding" and "chunked" in v.lower() for k, v in hs):
            while rest:
                line, _, rest = rest.partition(b"\r\n")
                size = int(line.split(b";")[0] or b"0", 16)
                if size == 0:
                    for t in rest.decode("latin-1").split("\r\n"):  # trailers
                        if ":" in t:
                            k, _, v = t.partition(":")
                            headers.append((k.strip().lower(), v.strip()))
                    break
                body += rest[:size]
                rest = rest[size + 2 :]
        else:
            length = next((int(v) for k, v in hs if k == "content-length" and v.isdigit()), None)
            body = rest if length is None else rest[:length]
        break
    return Received(statuses, headers, body, ctype, raw)


def _sent(case: RawCase) -> set[str]:
    """The header names the hostile upstream writes itself."""
    return {ln.partition(b":")[0].strip().decode("latin-1") for c in case.raw for ln in c.split(b"\n") if b":" in ln}


def _leaked(got: Received, case: RawCase) -> list[str]:
    sent = _sent(case)
    texts = views(got.body, got.content_type, planted_headers(got.headers, sent))
    texts += views(planted_head(got.raw, sent), "")
    return leaks(PHI, texts)


@pytest.fixture
def clean(stack: StackInfo) -> Any:
    yield stack
    httpx.delete(f"{stack.upstream_url}/_demo/script", timeout=5)


def _script(stack: StackInfo, case: RawCase) -> None:
    stack.demo_script({"raw_b64": [base64.b64encode(c).decode() for c in case.raw], "delay_ms": 5})


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_raw_upstream_answer_through_envoy(clean: StackInfo, case: RawCase) -> None:
    stack = clean
    _script(stack, case)
    headers = {**stack.auth_headers("r.franklin", ["researcher"]), "x-phi-guard-purpose": "research"}
    assert stack.envoy_url is not None
    got = _read(_exchange(stack.envoy_url, case, headers), case.method == "HEAD")
    assert not _leaked(got, case), f"{case.id} ({case.attack}): leaked {_leaked(got, case)}; {got.raw[:400]!r}"
    final = [s for s in got.statuses if not 100 <= s < 200] or [0]
    assert final[-1] in case.statuses, (case.id, got.statuses, got.raw[:300])


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES if c.method != "HEAD"])
def test_control_the_raw_answer_straight_from_the_upstream_leaks(clean: StackInfo, case: RawCase) -> None:
    stack = clean
    _script(stack, case)
    raw = _exchange(stack.upstream_url, case, {"authorization": f"Bearer {stack.upstream_credential()}"})
    assert _leaked(_read(raw, False), case) == PHI, case.id


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES if c.id in (
    "chunked_trailers", "status_103_early_hints", "http10_sse_until_close", "reason_phrase_phi")])
def test_http2_client(clean: StackInfo, case: RawCase) -> None:
    """The same answers to an HTTP/2 client (h2c, prior knowledge): trailers and 1xx heads have their own frames
    there. curl writes every head and trailer it receives to its header dump."""
    stack = clean
    _script(stack, case)
    headers = {**stack.auth_headers("r.franklin", ["researcher"]), "x-phi-guard-purpose": "research",
               "content-type": "application/json"}
    out = _curl(f"{stack.envoy_url}/v1/chat/completions", headers, http2=True)
    assert out.startswith(b"HTTP/2 "), out[:200]
    head, _, body = out.partition(b"\r\n\r\n")
    hs = [(k.strip().lower(), v.strip()) for k, _, v in (ln.partition(":") for ln in
                                                         out.decode("latin-1").split("\r\n") if ":" in ln)]
    ctype = next((v for k, v in hs if k == "content-type"), "")
    sent = _sent(case)
    found = leaks(PHI, views(body, ctype, planted_headers(hs, sent)) + views(planted_head(out, sent), ""))
    assert not found, (case.id, found, out[:400])
    assert int(head.split(b" ")[1]) in case.statuses, head[:100]


def _curl(url: str, headers: dict[str, str], http2: bool) -> bytes:
    """curl's header dump and body on one stream: every head, the body, then the trailers."""
    curl = shutil.which("curl")
    assert curl, "curl is needed (Debian package curl)"
    args = [curl, "-sS", *(["--http2-prior-knowledge"] if http2 else []), "-D", "-", "--max-time", "60",
            *[x for k, v in headers.items() for x in ("-H", f"{k}: {v}")],
            "--data", json.dumps({"model": "echo", "messages": [{"role": "user", "content": "hello"}]}), url]
    return subprocess.run(args, capture_output=True, timeout=90, check=False).stdout


def test_control_curl_shows_the_trailers_it_receives(clean: StackInfo) -> None:
    """Control for the HTTP/2 oracle: curl's dump carries trailers (straight from the upstream, HTTP/1.1)."""
    stack = clean
    case = next(c for c in CASES if c.id == "chunked_trailers")
    _script(stack, case)
    out = _curl(f"{stack.upstream_url}/v1/chat/completions",
                {"authorization": f"Bearer {stack.upstream_credential()}", "content-type": "application/json"},
                http2=False)
    assert f"x-mrn: {MRN}".encode() in out, out[-300:]
