"""The peer a team would deploy instead of phi-guard: LiteLLM's proxy (``litellm[proxy]`` from PyPI) in front of
the same demo model, with its built-in, in-process PII guardrail (``litellm_content_filter``: prebuilt regex
patterns, MASK on the request and on the answer, streams included). No Presidio, no network at run time.

LiteLLM lives in its own virtualenv (``.tools/litellm-venv``, created on first use from PyPI, pinned): its pins
clash with ours, like checkov's. ``litellm_proxy(model_url, api_key, workdir) -> (url, pid, master_key)`` starts
it on a free port and stops it by PID. ``python -m bench.litellm_peer --smoke`` starts the demo model and the
proxy, checks a PHI answer comes back masked, and stops both.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from devstack.ports import free_port, wait_for_port
from devstack.processes import spawn, stop_pid

ROOT = Path(__file__).resolve().parents[1]
VERSION = "1.108.7"
VENV = Path(os.environ.get("PHI_GUARD_LITELLM_VENV", ROOT / ".tools" / "litellm-venv"))
MODELS = ("clinical-notes", "echo")
# LiteLLM's prebuilt patterns for what it can recognise of PHI (it has no names, dates, MRNs or addresses).
PII_PATTERNS = ("us_ssn", "us_ssn_no_dash", "email", "us_phone", "credit_card", "ipv4", "url")
MASTER_KEY = "sk-phi-guard-bench"
# No network at run time: the bundled model-cost map, no telemetry, no DB, no schema updates.
OFFLINE_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "LITELLM_TELEMETRY": "False",
    "DISABLE_SCHEMA_UPDATE": "True",
    "LITELLM_LOG": "ERROR",
    "NO_DOCS": "True",
    "LITELLM_MODE": "PRODUCTION",
}


def litellm_binary() -> Path:
    return VENV / "bin" / "litellm"


def ensure_installed(python: str = sys.executable) -> Path:
    """The proxy's entry point, installing ``litellm[proxy]==VERSION`` into :data:`VENV` when missing."""
    exe = litellm_binary()
    pip_show = [str(VENV / "bin" / "python"), "-m", "pip", "show", "litellm"]
    if exe.exists():
        out = subprocess.run(pip_show, capture_output=True, text=True, check=False).stdout
        if f"Version: {VERSION}" in out:
            return exe
    subprocess.run([python, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, f"litellm[proxy]=={VERSION}"], check=True)
    return exe


def config(model_url: str, api_key: str) -> dict:
    """The proxy config: the demo models behind ``model_url`` (OpenAI-compatible) and the PII guardrail on."""
    return {
        "model_list": [
            {
                "model_name": m,
                "litellm_params": {"model": f"openai/{m}", "api_base": f"{model_url}/v1", "api_key": api_key},
            }
            for m in MODELS
        ],
        "guardrails": [
            {
                "guardrail_name": "phi-mask",
                "litellm_params": {
                    "guardrail": "litellm_content_filter",
                    "mode": ["pre_call", "post_call"],
                    "default_on": True,
                    "patterns": [
                        {"pattern_type": "prebuilt", "pattern_name": p, "action": "MASK"} for p in PII_PATTERNS
                    ],
                },
            }
        ],
        # as its production guide advises: no verbose logging, no spend logs (there is no DB here anyway)
        "litellm_settings": {"telemetry": False, "drop_params": True, "set_verbose": False, "request_timeout": 600},
        "general_settings": {"master_key": MASTER_KEY, "disable_spend_logs": True},
    }


@contextmanager
def litellm_proxy(model_url: str, api_key: str, workdir: Path, timeout: float = 120) -> Iterator[tuple[str, int]]:
    """LiteLLM's proxy (one worker) in front of ``model_url``; yields (base URL, PID); stopped by PID."""
    exe = ensure_installed()
    cfg = workdir / "litellm.yaml"
    cfg.write_text(yaml.safe_dump(config(model_url, api_key), sort_keys=False))
    port = free_port()
    # through the venv's interpreter: the script's shebang is stale once .tools is reached by another path
    argv = [str(VENV / "bin" / "python"), str(exe), "--config", str(cfg), "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--num_workers", "1"]
    proc = spawn(argv, workdir / "litellm.log", cwd=workdir, env={**os.environ, **OFFLINE_ENV})
    try:
        wait_for_port("127.0.0.1", port, timeout=timeout)
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        stop_pid(proc.pid, timeout=10)


def _smoke() -> int:
    import httpx

    from devstack import launchers

    with tempfile.TemporaryDirectory(prefix="litellm-peer-") as tmp:
        work = Path(tmp)
        key = work / "key"
        key.write_text("sk-upstream-demo")
        port = free_port()
        model = launchers.launch_demo_model(port, key, work / "demo.log")
        try:
            with litellm_proxy(f"http://127.0.0.1:{port}", "sk-upstream-demo", work) as (url, _pid):
                h = {"authorization": f"Bearer {MASTER_KEY}"}
                body = {"model": "clinical-notes", "messages": [{"role": "user", "content": "Summarize."}]}
                r = httpx.post(f"{url}/v1/chat/completions", json=body, headers=h, timeout=60)
                print(r.status_code, r.text[:600])
                s = httpx.post(f"{url}/v1/chat/completions", json={**body, "stream": True}, headers=h, timeout=60)
                print(s.status_code, s.text[:600])
                print((work / "litellm.log").read_text()[-2000:])
        finally:
            stop_pid(model.pid, timeout=10)
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--install", action="store_true", help="create the LiteLLM venv and exit")
    a = ap.parse_args()
    if a.install:
        print(ensure_installed())
        sys.exit(0)
    sys.exit(_smoke() if a.smoke else 0)
