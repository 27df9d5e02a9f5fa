"""``phi-guard envoy-config --check``: each unsafe fixture is flagged with exactly its code, the fixtures are
real configs Envoy loads, the shipped configs are clean, and bad input is a clear error (exit 2) that
echoes nothing."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import yaml
from conftest import ENVOY, ROOT, RunningEnvoy

from sidecar.cli import main as cli_main
from sidecar.envoy_config.check import check_config, check_files

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BROKEN = sorted(FIXTURES.glob("PG*.yaml"))
ENVOY_REJECTS = {"PG003-router-before-guard.yaml"}


def test_there_is_a_fixture_for_every_code() -> None:
    codes = {p.name[:5] for p in BROKEN}
    assert codes == {f"PG{n:03d}" for n in range(1, 25)} - {"PG021"}  # PG021: no listener (a unit test below)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_each_broken_fixture_is_flagged_with_its_code(path: Path) -> None:
    findings = check_config(yaml.safe_load(path.read_text()))
    assert {f.code for f in findings} == {path.name[:5]}, [f.line(path.name) for f in findings]


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_fixtures_are_configs_envoy_accepts(path: Path) -> None:
    """Envoy loads them (except where Envoy itself refuses): these are the silent bypasses."""
    out = subprocess.run(
        [str(ENVOY), "--mode", "validate", "-c", str(path), "--disable-hot-restart", "-l", "critical"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (out.returncode == 0) == (path.name not in ENVOY_REJECTS), out.stdout[-500:] + out.stderr[-500:]


def test_cli_exit_codes_and_one_line_per_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = ROOT / "envoy" / "bootstrap-local.yaml"
    assert cli_main(["envoy-config", "--check", str(clean)]) == 0
    assert capsys.readouterr().out == ""
    broken = FIXTURES / "PG003-router-before-guard.yaml"
    assert cli_main(["envoy-config", "--check", str(broken), str(clean)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(ln.startswith(f"{broken}: PG003 listener=ingress_http") for ln in lines)


def test_json_input_is_accepted(tmp_path: Path) -> None:
    doc = yaml.safe_load((FIXTURES / "PG004-ext-authz-fail-open.yaml").read_text())
    p = tmp_path / "envoy.json"
    p.write_text(json.dumps(doc))
    out, err = io.StringIO(), io.StringIO()
    assert check_files([p], out, err) == 1
    assert " PG004 " in out.getvalue()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "cannot read"),
        ("static_resources: [secret-ssn-123-45-6789\n", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_bad_input_is_exit_2_and_echoes_nothing(
    tmp_path: Path, content: str | bytes | None, fragment: str
) -> None:
    p = tmp_path / "in.yaml"
    if isinstance(content, bytes):
        p.write_bytes(content)
    elif content is not None:
        p.write_text(content)
    out, err = io.StringIO(), io.StringIO()
    assert check_files([p], out, err) == 2
    assert fragment in err.getvalue()
    assert "123-45-6789" not in err.getvalue() and out.getvalue() == ""


def test_no_listener_is_a_finding() -> None:
    assert [f.code for f in check_config({"admin": {}})] == ["PG021"]


@pytest.mark.e2e
def test_admin_config_dump_of_a_running_envoy_is_checked(
    start_envoy: Callable[..., RunningEnvoy], tmp_path: Path
) -> None:
    """What an operator of an existing Envoy (or Envoy Gateway / Istio) would feed in: /config_dump."""
    from envoy_fakes import dead_port

    def fail_open(doc: dict) -> None:
        hcm = doc["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
        hcm["http_filters"][1]["typed_config"]["failure_mode_allow"] = True

    for mutate, expected in ((None, set()), (fail_open, {"PG005"})):
        env = start_envoy(mutate=mutate, guard_grpc_port=dead_port())
        dump = httpx.get(f"http://127.0.0.1:{env.params.admin_port}/config_dump", timeout=10).json()
        assert {f.code for f in check_config(dump)} == expected
