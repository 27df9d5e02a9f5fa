"""Streaming latency through Envoy and the guard, next to the same stream without them (issue 17's targets).

    python -m bench.stream_latency [--quick] [--out bench-results/stream_latency.json]

Starts the local stack and a bare Envoy (bench/e2e.py) unless given a running one (``measure(stack, bare_url)``,
which ``python -m bench`` calls on its e2e stack). The demo model's ``echo`` answers identifier-free clinical
prose (``bench.e2e.CLEAN_TEXT``) as OpenAI chat SSE, one ``delta.content`` of 4 characters per event, through
three targets: the model itself, a bare Envoy, and Envoy + phi-guard. Two pacings:

- **demo pacing** (an event every 5 ms): time to first token (first non-empty ``delta.content``), sequential
  requests, each closed after its first token;
- **realistic pacing** (an event every 25 ms, about a real model's 40 tokens/s): whole answers; time to first
  token and the gaps between consecutive events that carry text, as the client receives them (a held word
  makes one longer gap; a burst of several events in one read counts as gaps of 0).

Every whole answer is checked to arrive unchanged (prose has nothing to redact), so a guard that holds text
back until the end, or drops it, shows as an error instead of a fast number. Targets (issue 17): guard time to
first token <= bare + 5 ms at demo pacing; guard p99 gap <= bare + 10 ms at realistic pacing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.e2e import CLEAN_TEXT, PURPOSE, _pct, bare_envoy, running_stack  # noqa: E402
from sidecar.stack.info import StackInfo  # noqa: E402

EVENT_CHARS = 4
DEMO_DELAY_MS = 5
REAL_DELAY_MS = 25
ANSWER_CHARS = 400
TTFT_TARGET_MS = 5.0  # guard time to first token <= bare + this
GAP_TARGET_MS = 10.0  # guard p99 gap <= bare + this


def targets(stack: StackInfo, bare_url: str) -> dict[str, tuple[str, dict[str, str]]]:
    """name -> (chat completions URL, headers): the model itself, a bare Envoy, Envoy + phi-guard."""
    key = {"authorization": f"Bearer {stack.upstream_credential()}"}
    token = stack.token("bench.clinician", ["clinician"], ttl=3600)
    return {
        "model": (f"{stack.upstream_url}/v1/chat/completions", key),
        "bare": (f"{bare_url}/v1/chat/completions", key),
        "guard": (f"{stack.envoy_url}/v1/chat/completions", {"authorization": f"Bearer {token}", **PURPOSE}),
    }


def body(text: str) -> dict[str, Any]:
    return {"model": "echo", "stream": True, "messages": [{"role": "user", "content": text}]}


def stream_once(
    client: httpx.Client, url: str, headers: dict[str, str], text: str, delay_ms: int, first_only: bool
) -> tuple[float | None, list[float], str]:
    """One streamed answer: (ms to the first text, arrival ms of every event that carries text, joined text).
    ``first_only``: close the stream at the first text."""
    h = {**headers, "x-demo-chunk-chars": str(EVENT_CHARS), "x-demo-chunk-delay-ms": str(delay_ms)}
    arrivals: list[float] = []
    joined: list[str] = []
    buf = b""
    t0 = time.perf_counter()
    with client.stream("POST", url, json=body(text), headers=h) as r:
        if r.status_code != 200:
            r.read()
            raise RuntimeError(f"HTTP {r.status_code} from {url}")
        for chunk in r.iter_bytes():
            now = (time.perf_counter() - t0) * 1000
            buf += chunk.replace(b"\r\n", b"\n")
            *events, buf = buf.split(b"\n\n")
            for ev in events:
                content = _content(ev)
                if content:
                    arrivals.append(now)
                    joined.append(content)
            if first_only and arrivals:
                break
    return (arrivals[0] if arrivals else None), arrivals, "".join(joined)


def _content(event: bytes) -> str:
    """The ``delta.content`` text of one SSE event ("" for anything else)."""
    for line in event.split(b"\n"):
        if line.startswith(b"data:"):
            data = line[5:].strip()
            if data.startswith(b"{"):
                doc = json.loads(data)
                return "".join((c.get("delta") or {}).get("content") or "" for c in doc.get("choices") or [])
    return ""


def ttft_runs(client: httpx.Client, url: str, headers: dict[str, str], n: int) -> dict[str, Any]:
    """Time to first token at demo pacing, ``n`` sequential requests (after 3 for warm-up)."""
    firsts: list[float] = []
    for i in range(n + 3):
        first, _, _ = stream_once(client, url, headers, CLEAN_TEXT, DEMO_DELAY_MS, first_only=True)
        if first is None:
            raise RuntimeError(f"no text from {url}")
        if i >= 3:
            firsts.append(first)
    return {"n": n, "first_token_p50_ms": _r(_pct(firsts, 50)), "first_token_p99_ms": _r(_pct(firsts, 99))}


def paced_runs(client: httpx.Client, url: str, headers: dict[str, str], answers: int) -> dict[str, Any]:
    """Whole answers at realistic pacing: time to first token and the gaps between text-carrying events."""
    text = CLEAN_TEXT[:ANSWER_CHARS]
    firsts: list[float] = []
    gaps: list[float] = []
    events = 0
    for _ in range(answers):
        first, arrivals, got = stream_once(client, url, headers, text, REAL_DELAY_MS, first_only=False)
        if got != text:
            raise RuntimeError(f"answer changed on the way from {url}: {len(got)} of {len(text)} characters")
        assert first is not None
        firsts.append(first)
        gaps += [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
        events += len(arrivals)
    return {
        "answers": answers,
        "text_events": events,
        "first_token_p50_ms": _r(_pct(firsts, 50)),
        "gap_p50_ms": _r(_pct(gaps, 50)),
        "gap_p99_ms": _r(_pct(gaps, 99)),
        "gap_max_ms": _r(max(gaps) if gaps else None),
    }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def measure(stack: StackInfo, bare_url: str, quick: bool = False) -> dict[str, Any]:
    """Both pacings for every target, interleaved per target so machine load hits them alike."""
    n_ttft, answers = (10, 3) if quick else (30, 6)
    out: dict[str, Any] = {
        "parameters": {
            "answer": f"demo model `echo`, identifier-free clinical prose, {EVENT_CHARS} characters per SSE event",
            "demo_pacing": f"an event every {DEMO_DELAY_MS} ms, {n_ttft} requests closed at the first token",
            "realistic_pacing": f"an event every {REAL_DELAY_MS} ms, {answers} answers of {ANSWER_CHARS} characters",
            "gap": "time between consecutive events that carry text, as the client reads them",
        },
        "ttft": {},
        "paced": {},
    }
    tg = targets(stack, bare_url)
    with httpx.Client(timeout=60) as client:
        for name, (url, headers) in tg.items():
            out["ttft"][name] = ttft_runs(client, url, headers, n_ttft)
            out["paced"][name] = paced_runs(client, url, headers, answers)
    out["derived"] = derived(out)
    return out


def derived(res: dict[str, Any]) -> dict[str, Any]:
    """The guard's figures against bare Envoy's, and whether the issue's targets are met."""
    t, p = res.get("ttft", {}), res.get("paced", {})
    try:
        ttft_extra = t["guard"]["first_token_p50_ms"] - t["bare"]["first_token_p50_ms"]
        gap_extra = p["guard"]["gap_p99_ms"] - p["bare"]["gap_p99_ms"]
        paced_ttft_extra = p["guard"]["first_token_p50_ms"] - p["bare"]["first_token_p50_ms"]
    except (KeyError, TypeError):
        return {}
    return {
        "ttft_added_ms": round(ttft_extra, 1),
        "paced_ttft_added_ms": round(paced_ttft_extra, 1),
        "gap_p99_added_ms": round(gap_extra, 1),
        "ttft_target_met": ttft_extra <= TTFT_TARGET_MS,
        "gap_target_met": gap_extra <= GAP_TARGET_MS,
    }


def table(res: dict[str, Any]) -> str:
    """The figures side by side (Markdown)."""
    lines = [
        f"| streaming ({EVENT_CHARS}-char events) | first token p50 / p99, event every {DEMO_DELAY_MS} ms "
        f"| first token p50, every {REAL_DELAY_MS} ms | gap p50 | gap p99 | gap max |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("model", "bare", "guard"):
        t, p = res.get("ttft", {}).get(name), res.get("paced", {}).get(name)
        if not t or not p:
            continue
        lines.append(
            f"| {name} | {t['first_token_p50_ms']} / {t['first_token_p99_ms']} ms | {p['first_token_p50_ms']} ms "
            f"| {p['gap_p50_ms']} ms | {p['gap_p99_ms']} ms | {p['gap_max_ms']} ms |"
        )
    d = res.get("derived") or {}
    if d:
        lines += [
            "",
            f"Guard minus bare Envoy: first token +{d['ttft_added_ms']} ms at demo pacing (target <= "
            f"{TTFT_TARGET_MS:g}: {'met' if d['ttft_target_met'] else 'NOT met'}), +{d['paced_ttft_added_ms']} ms at "
            f"realistic pacing; p99 gap +{d['gap_p99_added_ms']} ms (target <= {GAP_TARGET_MS:g}: "
            f"{'met' if d['gap_target_met'] else 'NOT met'}).",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="also write the results as JSON here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="phi-guard-stream-") as tmp:
        work = Path(tmp)
        with running_stack(work) as stack, bare_envoy(stack, work) as bare_url:
            res = measure(stack, bare_url, quick=args.quick)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(res, indent=1) + "\n")
    print(table(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
