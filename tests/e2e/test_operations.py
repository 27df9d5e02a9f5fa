"""Operations: no PHI in logs/metrics/access log, graceful SIGTERM mid-stream, readiness follows the spool."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from devstack.info import StackInfo
from devstack.ports import free_port, wait_for_port
from devstack.processes import pid_alive, spawn, stop_pid

pytestmark = pytest.mark.e2e

# Distinctive values, so a hit in a log can only come from the request bodies below.
PHI = {
    "name": "Zebulon Quartermaine",
    "ssn": "219-09-9999",
    "mrn": "MRN 77441122",
    "email": "zebulon.q@example.net",
    "phone": "(415) 555-0199",
}
PHI_TEXT = (f"Patient {PHI['name']}, SSN {PHI['ssn']}, {PHI['mrn']}, email {PHI['email']}, "
            f"phone {PHI['phone']}, psychotherapy notes attached.")


def _chat(content: str, stream: bool = False, model: str = "echo") -> dict:
    return {"model": model, "messages": [{"role": "user", "content": content}], "stream": stream}


def test_no_phi_in_guard_logs_access_log_or_metrics(stack: StackInfo) -> None:
    with stack.http() as c:
        url = "/v1/chat/completions"
        # allowed JSON, allowed stream (redacted), denied by policy, approval required, bad token, bad body
        c.post(url, json=_chat(PHI_TEXT.replace("psychotherapy notes attached.", "")),
               headers={**stack.auth_headers("ops.clinician", ["clinician"]), "x-phi-guard-purpose": "treatment"})
        c.post(url, json=_chat(PHI_TEXT.replace("psychotherapy notes attached.", ""), stream=True),
               headers={**stack.auth_headers("ops.researcher", ["researcher"]), "x-phi-guard-purpose": "research",
                        "x-demo-chunk-chars": "3"})
        c.post(url, json=_chat(PHI_TEXT), headers={**stack.auth_headers("ops.billing", ["billing"]),
                                                   "x-phi-guard-purpose": "treatment"})
        c.post(url, json=_chat(PHI_TEXT), headers={**stack.auth_headers("ops.nurse2", ["clinician"]),
                                                   "x-phi-guard-purpose": "treatment"})
        c.post(url, json=_chat(PHI_TEXT), headers={"authorization": f"Bearer {PHI['ssn']}.{PHI['name']}.x"})
        c.post(url, content=f'{{"model": "echo", "messages": "{PHI_TEXT}"',
               headers={**stack.auth_headers("ops.clinician", ["clinician"]), "content-type": "application/json",
                        "x-phi-guard-purpose": "treatment"})
        c.get(f"/v1/models?patient={PHI['ssn']}", headers=stack.auth_headers("ops.clinician", ["clinician"]))
    metrics = httpx.get(f"{stack.admin_url}/metrics", timeout=5).text
    assert "phi_guard_decisions" in metrics
    time.sleep(1.5)  # Envoy flushes its access log every second
    logs = {name: Path(path).read_text(errors="replace") for name, path in stack.logs.items() if Path(path).exists()}
    assert any("decision" in text for text in logs.values()), "the guard's log was not found"
    for source, text in {**logs, "metrics": metrics}.items():
        for kind, value in PHI.items():
            assert value not in text, f"{kind} found in {source}"


@pytest.fixture(scope="module")
def own_stack(stack_factory) -> StackInfo:
    """A stack of its own: this module stops its guard."""
    return stack_factory()


class SlowStream:
    """A streamed answer read in a thread, 100 ms between events, so a test can act mid-stream."""

    def __init__(self, st: StackInfo, sub: str, role: str, purpose: str, text: str, chunk_chars: int) -> None:
        self.received: list[str] = []
        self.errors: list[BaseException] = []
        self.done = threading.Event()
        headers = {**st.auth_headers(sub, [role]), "x-phi-guard-purpose": purpose,
                   "x-demo-chunk-chars": str(chunk_chars), "x-demo-chunk-delay-ms": "100"}
        self._args = (st.envoy_url, _chat(text, stream=True), headers)
        threading.Thread(target=self._run, daemon=True).start()
        deadline = time.monotonic() + 10
        while not any(line.startswith("data: {") for line in self.received) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.received, "the stream never started"

    def _run(self) -> None:
        url, body, headers = self._args
        try:
            with httpx.Client(base_url=url, timeout=30) as c, c.stream(
                "POST", "/v1/chat/completions", json=body, headers=headers
            ) as resp:
                for line in resp.iter_lines():
                    self.received.append(line)
        except httpx.HTTPError as exc:  # a reset stream is one possible ending
            self.errors.append(exc)
        self.done.set()

    def content(self) -> str:
        return "".join(json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
                       for line in self.received if line.startswith("data: {"))


def test_sigterm_mid_stream_finishes_the_stream_and_spools_its_event(own_stack: StackInfo) -> None:
    st = own_stack
    guard_pid = st.pids["guard"]
    sub = f"sigterm-{os.getpid()}"
    stream = SlowStream(st, sub, "researcher", "research", "Follow-up for patient Ada Lovelace next week. " * 4, 8)
    os.kill(guard_pid, signal.SIGTERM)
    assert stream.done.wait(25), "the stream did not finish within the shutdown deadline"
    assert not stream.errors and "data: [DONE]" in stream.received
    streamed = stream.content()
    assert "Lovelace" not in streamed and "Follow-up for patient" in streamed
    deadline = time.monotonic() + 25
    while pid_alive(guard_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pid_alive(guard_pid), "the guard did not exit after SIGTERM"
    assert st.guard_config is not None
    out = subprocess.run(
        [sys.executable, "-m", "sidecar.cli", "--config", str(st.guard_config), "audit", "export", "--subject", sub],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[2],
    )
    events = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert out.returncode == 0, out.stderr[-2000:]
    completed = [e for e in events if e.get("outcome") == "completed"]
    assert len(completed) == 1, [e.get("outcome") for e in events]


def test_guard_killed_mid_stream_ends_the_stream_without_leaking_the_rest(own_stack: StackInfo) -> None:
    st = own_stack
    if not pid_alive(st.pids.get("guard", 0)):
        st.relaunch("guard")
    first = "Summary for the follow-up visit, written for the care team. " * 2
    tail_phi = "Contact the patient Bartholomew Featherstonehaugh at 617-555-0173."
    stream = SlowStream(st, "kill9", "clinician", "treatment", first + tail_phi, 6)
    os.kill(st.pids["guard"], signal.SIGKILL)
    assert stream.done.wait(20), "the stream did not end after the guard died"
    body = "\n".join(stream.received)
    assert "data: [DONE]" not in body
    assert "Featherstonehaugh" not in body and "555-0173" not in body
    assert len(stream.content()) < len(first), "the rest of the answer arrived although the guard was dead"
    st.relaunch("guard")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "spool-fs"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)], capture_output=True
    ).returncode != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _ready(url: str) -> tuple[int, dict]:
    r = httpx.get(url, timeout=3)
    return r.status_code, r.json()


def _wait_ready(url: str, want: int, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    code, body = 0, {}
    while time.monotonic() < deadline:
        try:
            code, body = _ready(url)
        except httpx.HTTPError:
            code = 0
        if code == want:
            return body
        time.sleep(0.2)
    raise AssertionError(f"readiness stayed {code} ({body}), wanted {want}")


def _remount_read_only(mnt: Path, timeout: float = 15) -> None:
    """Linux refuses while a file there is open for writing: retry until the idle segment has been sealed."""
    deadline = time.monotonic() + timeout
    while True:
        r = subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True, text=True)
        if r.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"could not remount read-only: {r.stderr.strip()}")
        time.sleep(0.2)


def test_readiness_flips_when_the_spool_turns_read_only_and_back(tmp_path: Path, tmpfs: Path) -> None:
    grpc_port, admin_port = free_port(), free_port()
    cfg = tmp_path / "guard.yaml"
    cfg.write_text(yaml.safe_dump({
        "state_dir": str(tmp_path / "state"),
        "server": {"grpc_port": grpc_port, "admin_port": admin_port},
        "policy": {"directory": str(Path(__file__).resolve().parents[2] / "opa")},
        "audit": {"spool_dir": str(tmpfs / "spool"), "key_file": str(tmp_path / "keys" / "kek"),
                  "mac_key_file": str(tmp_path / "keys" / "mac"), "segment_max_seconds": 0.5},
    }))
    proc = spawn([sys.executable, "-m", "sidecar.cli", "--config", str(cfg), "serve"], tmp_path / "guard.log")
    url = f"http://127.0.0.1:{admin_port}/readyz"
    try:
        wait_for_port("127.0.0.1", admin_port, 60)
        _wait_ready(url, 200)
        _remount_read_only(tmpfs)
        body = _wait_ready(url, 503)
        assert body["checks"]["audit_spool_writable"] is False
        subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=True)
        body = _wait_ready(url, 200)
        assert body["checks"]["audit_spool_writable"] is True
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=False)
        stop_pid(proc.pid)
