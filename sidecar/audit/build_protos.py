"""Compile ``proto/`` into ``sidecar/_generated/`` (``python -m sidecar.audit.build_protos``).

Idempotent: does nothing when every generated file is newer than its ``.proto``; creates the
``__init__.py`` files so the output imports as ``sidecar._generated.phi_guard.audit.v1.audit_pb2``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROTO_DIR = ROOT / "proto"
OUT_DIR = ROOT / "sidecar" / "_generated"


def _outputs(proto: Path) -> list[Path]:
    rel = proto.relative_to(PROTO_DIR).with_suffix("")
    return [OUT_DIR / rel.parent / f"{rel.name}_pb2.py", OUT_DIR / rel.parent / f"{rel.name}_pb2.pyi"]


def _ensure_packages(protos: list[Path]) -> None:
    dirs = {OUT_DIR}
    for proto in protos:
        d = OUT_DIR / proto.relative_to(PROTO_DIR).parent
        while d != OUT_DIR:
            dirs.add(d)
            d = d.parent
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
        init = d / "__init__.py"
        if not init.exists():
            init.write_text("")


def build(force: bool = False) -> list[Path]:
    """Compile stale protos; return the .proto files compiled. Raises RuntimeError if protoc fails."""
    from grpc_tools import protoc

    protos = sorted(PROTO_DIR.rglob("*.proto"))
    _ensure_packages(protos)
    stale = [
        p
        for p in protos
        if force or any(not o.exists() or o.stat().st_mtime < p.stat().st_mtime for o in _outputs(p))
    ]
    if not stale:
        return []
    include = str(Path(protoc.__file__).parent / "_proto")  # google/protobuf/*.proto
    args = ["protoc", f"-I{PROTO_DIR}", f"-I{include}", f"--python_out={OUT_DIR}", f"--pyi_out={OUT_DIR}"]
    code = protoc.main(args + [str(p) for p in stale])
    if code != 0:
        raise RuntimeError(f"protoc failed with exit status {code}")
    return stale


def main() -> int:
    try:
        built = build(force="--force" in sys.argv[1:])
    except RuntimeError as exc:
        print(f"build_protos: {exc}", file=sys.stderr)
        return 1
    print(f"build_protos: {len(built)} compiled into {OUT_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
