"""``audit verify|export`` next to a local stack use its configuration and its S3 credentials (as ``token``
does); elsewhere nothing is filled in: the S3 client has no fallback credentials."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import yaml

from devstack.state import write_state
from sidecar.cli import build_parser, use_local_stack


@pytest.fixture
def local_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    sd = tmp_path / ".phi-guard"
    sd.mkdir()
    cfg = sd / "guard.yaml"
    cfg.write_text(yaml.safe_dump({"state_dir": str(sd)}))
    write_state(sd, {"guard_config": str(cfg), "s3_access_key": "dev-key", "s3_secret_key": "dev-secret"})
    monkeypatch.setenv("PHI_GUARD_STATE_DIR", str(sd))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    return cfg


def test_audit_commands_pick_up_the_running_stack(local_stack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    args = build_parser().parse_args(["audit", "export"])
    use_local_stack(args)
    assert args.config == str(local_stack)
    assert os.environ["AWS_ACCESS_KEY_ID"] == "dev-key" and os.environ["AWS_SECRET_ACCESS_KEY"] == "dev-secret"


def test_explicit_config_of_a_stack_gets_its_credentials_over_the_environments(
        local_stack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "operator")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "operator-secret")
    args = build_parser().parse_args(["--config", str(local_stack), "audit", "verify"])
    use_local_stack(args)
    # the local stack's SeaweedFS knows only its own keys: AWS_* meant for elsewhere must not break the command
    assert os.environ["AWS_ACCESS_KEY_ID"] == "dev-key"


def test_control_other_commands_and_other_dirs_are_left_alone(local_stack: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    args = argparse.Namespace(config=None, guard_state=False)
    use_local_stack(args)
    assert args.config is None and "AWS_ACCESS_KEY_ID" not in os.environ
    monkeypatch.setenv("PHI_GUARD_STATE_DIR", str(tmp_path / "nothing-here"))
    args = build_parser().parse_args(["audit", "export"])
    use_local_stack(args)
    assert args.config is None and "AWS_ACCESS_KEY_ID" not in os.environ


def test_s3_client_has_no_fallback_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from sidecar.audit.shipper import default_s3_client

    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = default_s3_client("http://127.0.0.1:9", "us-east-1")
    assert client._request_signer._credentials is None  # noqa: SLF001 - loopback no longer means dev keys
