"""``phi-guard envoy-config``: render the bootstrap and drop-ins from the guard's settings, or lint one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sidecar.config import ConfigError, load_settings
from sidecar.envoy_config.dropins import render_all, sidecar_params
from sidecar.envoy_config.params import EnvoyParams
from sidecar.envoy_config.render import render_bootstrap, to_yaml
from sidecar.envoy_config.settings import params_from_settings


def register(subparsers: Any) -> None:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "envoy-config",
        help="render Envoy's bootstrap and drop-ins from the guard's settings, or check an Envoy config",
        description=(
            "Without options: print the bootstrap. --out DIR: write the bootstrap, the sidecar "
            "bootstrap and the drop-ins (plain Envoy, Istio, Envoy Gateway). --check FILE: report "
            "every setting that would let traffic bypass the guard (exit 1 with one line per "
            "finding, 0 when clean, 2 when unreadable)."
        ),
    )
    p.add_argument(
        "--profile", choices=("local", "sidecar"), default="local", help="bootstrap shape to print"
    )
    p.add_argument("--out", metavar="DIR", help="write every generated file under DIR")
    p.add_argument("--check", metavar="FILE", nargs="+", help="lint Envoy bootstrap/config_dump files")
    p.set_defaults(handler=handle)


def _params(args: argparse.Namespace) -> EnvoyParams:
    return params_from_settings(load_settings(args.config))


def handle(args: argparse.Namespace) -> int:
    if args.check:
        from sidecar.envoy_config.check import check_files

        return check_files([Path(f) for f in args.check], sys.stdout, sys.stderr)
    try:
        params = _params(args)
        if args.out:
            out = Path(args.out)
            for rel, text in render_all(params).items():
                path = out / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(path)
            return 0
        if args.profile == "sidecar":
            params = sidecar_params(params)
        sys.stdout.write(to_yaml(render_bootstrap(params)))
        return 0
    except (ConfigError, ValueError, KeyError) as exc:
        print(f"envoy-config: {exc}", file=sys.stderr)
        return 2
