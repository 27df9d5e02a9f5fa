"""Configuration: one typed object, validated at start-up; a bad file is one line naming the key, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sidecar.config import ConfigError, load_settings


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sidecar.cli", *args], capture_output=True, text=True, timeout=60,
                          env=env)


def test_defaults_are_valid() -> None:
    s = load_settings(environ={})
    assert s.server.grpc_port == 9001 and s.policy.engine == "compiled"


def test_env_overrides_file(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("server:\n  grpc_port: 7000\n")
    s = load_settings(cfg, environ={"PHI_GUARD__SERVER__GRPC_PORT": "7100", "PHI_GUARD__LOGGING__LEVEL": "debug"})
    assert s.server.grpc_port == 7100 and s.logging.level == "debug"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("server:\n  grpc_port: not-a-port\n", "server.grpc_port"),
        ("server:\n  grpc_prot: 9001\n", "server.grpc_prot"),
        ("audit:\n  retention_days: -1\n", "audit.retention_days"),
        ("identity:\n  issuers:\n    - issuer: https://idp.example\n      algorithms: [none]\n", "identity.issuers.0"),
        ("policy:\n  engine: magic\n", "policy.engine"),
        ("logging:\n  level: loud\n", "logging.level"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_settings(cfg, environ={})
    assert key in str(info.value) and "\n" not in str(info.value)


def test_not_yaml_and_missing_file_are_clear(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("server: [unclosed\n")
    with pytest.raises(ConfigError, match=r"line \d+: not valid YAML"):
        load_settings(bad, environ={})
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "missing.yaml", environ={})


@pytest.mark.parametrize("command", [["serve"], ["check-config"]])
def test_cli_with_broken_config_prints_one_line_and_exits_2(tmp_path: Path, command: list[str]) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("server:\n  admin_port: 99999\n")
    r = _run("--config", str(cfg), *command)
    assert r.returncode == 2
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "server.admin_port" in lines[0], r.stderr


def test_config_flag_after_the_subcommand(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("server:\n  nope: 1\n")
    r = _run("check-config", "--config", str(cfg))
    assert r.returncode == 2 and "server.nope: unknown key" in r.stderr


def test_check_config_prints_what_would_run(tmp_path: Path) -> None:
    cfg = tmp_path / "ok.yaml"
    cfg.write_text("server:\n  grpc_port: 9301\naudit:\n  s3_endpoint: http://127.0.0.1:1\n")
    r = _run("check-config", str(cfg))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["valid"] is True and doc["would_run"]["grpc"].endswith(":9301")
