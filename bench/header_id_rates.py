"""How many random ids lose their header: fresh random values of each shape through the response-header filter,
under each shipped profile, 50 ids per filter call (docs/edge.md, "Ids that are opaque tokens").

``--whole`` scans every value whole (the token reading off), the way the filter did before.
"""

from __future__ import annotations

import argparse
import random
import string
import uuid
from collections.abc import Callable

import sidecar.edge.response_headers as response_headers
from sidecar.edge.response_headers import ResponseHeaderFilter, engine_scanner
from sidecar.edge.settings import DEFAULT_RESPONSE_HEADERS
from sidecar.redaction.engine import RedactionEngine
from sidecar.redaction.settings import RedactionSettings

BATCH = 50
B62 = string.ascii_letters + string.digits
_RNG = random.SystemRandom()
SHAPES: dict[str, Callable[[], str]] = {
    "uuid4().hex": lambda: uuid.uuid4().hex,
    "str(uuid4())": lambda: str(uuid.uuid4()),
    "base62, 32": lambda: "".join(_RNG.choice(B62) for _ in range(32)),
    "base64url, 32": lambda: "".join(_RNG.choice(B62 + "-_") for _ in range(32)),
    "hex, 16": lambda: f"{_RNG.getrandbits(64):016x}",
}


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.header_id_rates")
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--whole", action="store_true", help="scan values whole (no token reading)")
    args = ap.parse_args()
    if args.whole:
        response_headers.opaque_token = lambda value: None  # type: ignore[assignment]
        response_headers.glued_words = lambda text: False  # type: ignore[assignment]
    engine = RedactionEngine(RedactionSettings(), b"header-id-rates-key-0123456789ab")
    allow = {**DEFAULT_RESPONSE_HEADERS, **{f"x-bench-id-{i}": "id" for i in range(BATCH)}}
    for shape, make in SHAPES.items():
        values = [make() for _ in range(args.n)]
        row = []
        for profile in ("clinical", "standard", "safe_harbor"):
            filt = ResponseHeaderFilter(allow, engine_scanner(engine))  # type: ignore[arg-type]
            dropped = 0
            for i in range(0, len(values), BATCH):
                chunk = values[i:i + BATCH]
                dropped += filt.filter([(f"x-bench-id-{j}", v) for j, v in enumerate(chunk)], profile).dropped
            row.append(f"{profile} {dropped}")
        print(f"{shape:<15} of {args.n}: " + ", ".join(row), flush=True)


if __name__ == "__main__":
    main()
