"""Streaming latency through Envoy and the guard, next to the same stream without them (issue 17's targets).

    python -m bench.stream_latency [--quick] [--out bench-results/stream_latency.json]
    python -m bench.stream_latency --holds [PROFILE]   # in process: what is held, for how many events, and why

Starts the local stack and a bare Envoy (bench/e2e.py) unless given a running one (``measure(stack, bare_url)``,
which ``python -m bench`` calls on its e2e stack). The demo model's ``echo`` answers identifier-free clinical
prose (``bench.e2e.CLEAN_TEXT``) as OpenAI chat SSE, one ``delta.content`` of 4 characters per event, through
three targets: the model itself, a bare Envoy, and Envoy + phi-guard. Two pacings:

- **demo pacing** (an event every 5 ms): time to first token (first non-empty ``delta.content``), sequential
  requests, each closed after its first token;
- **realistic pacing** (an event every 25 ms, about a real model's 40 tokens/s): whole answers; time to first
  token and the gaps between consecutive events that carry text, as the client receives them (a held word
  makes one longer gap; a burst of several events in one read counts as gaps of 0), and between any events;
- **word tokens** at the same pacing: the same prose scripted as a real tokenizer cuts it, one word with its
  leading space per event (``stack.demo_script``), so no event ends inside a word.

A stream releases a word once a blank ends it, unless a detector the profile wants can still use it (the
bench's clinician gets ``clinical``: no e-mail, name, place or date types, so only identifier patterns hold;
with EMAIL a word and its space may still start ``jane at example dot com``, with DATE ``the 3rd of May``).
A word being written is held (it may still grow into an identifier): with 4-character events cut inside
words, an event that ends inside a word carries only what came before it; with word tokens (no blank after
the word yet), every event carries the previous word. ``--holds`` shows, in process, what is held and why.

Every whole answer is checked to arrive unchanged (prose has nothing to redact), so a guard that holds text
back until the end, or drops it, shows as an error instead of a fast number. Targets (issue 17): guard time to
first token <= bare + 5 ms at demo pacing; guard p99 gap <= bare + 10 ms at realistic pacing.
"""

from __future__ import annotations

import argparse
import json
import re
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
from devstack.info import StackInfo  # noqa: E402

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


def word_script(text: str, delay_ms: int) -> dict[str, Any]:
    """A demo-model script: ``text`` as chat SSE, one word (with its leading space) per event."""

    def event(delta: dict[str, Any], finish: str | None = None) -> str:
        doc = {
            "id": "chatcmpl-bench",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "echo",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(doc)}\n\n"

    chunks = [event({"role": "assistant", "content": ""})]
    tokens = re.findall(r"\s*\S+", text)
    tokens[-1] += text[len(text.rstrip()) :]
    chunks += [event({"content": tok}) for tok in tokens]
    chunks += [event({}, "stop"), "data: [DONE]\n\n"]
    return {"status": 200, "headers": [["content-type", "text/event-stream"]], "chunks": chunks, "delay_ms": delay_ms}


def stream_once(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    text: str,
    delay_ms: int,
    first_only: bool,
    every: list[float] | None = None,
) -> tuple[float | None, list[float], str]:
    """One streamed answer: (ms to the first text, arrival ms of every event that carries text, joined text).
    ``first_only``: close the stream at the first text; ``every``: gets the arrival ms of every event."""
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
                if every is not None and ev.startswith(b"data:"):
                    every.append(now)
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
    """Time to the first event (the path: authorization, request, response headers) and to the first token
    at demo pacing, ``n`` sequential requests (after 3 for warm-up)."""
    firsts: list[float] = []
    events: list[float] = []
    for i in range(n + 3):
        every: list[float] = []
        first, _, _ = stream_once(client, url, headers, CLEAN_TEXT, DEMO_DELAY_MS, True, every)
        if first is None:
            raise RuntimeError(f"no text from {url}")
        if i >= 3:
            firsts.append(first)
            events.append(every[0])
    return {
        "n": n,
        "first_event_p50_ms": _r(_pct(events, 50)),
        "first_token_p50_ms": _r(_pct(firsts, 50)),
        "first_token_p99_ms": _r(_pct(firsts, 99)),
    }


def paced_runs(
    client: httpx.Client, url: str, headers: dict[str, str], answers: int, stack: StackInfo | None = None
) -> dict[str, Any]:
    """Whole answers at realistic pacing: time to first token and the gaps between text-carrying events (and
    between any events). With ``stack``, each answer is scripted as word tokens (see ``word_script``)."""
    text = CLEAN_TEXT[:ANSWER_CHARS]
    firsts: list[float] = []
    gaps: list[float] = []
    any_gaps: list[float] = []
    events = 0
    for _ in range(answers):
        if stack is not None:
            stack.demo_script(word_script(text, REAL_DELAY_MS))
        every: list[float] = []
        first, arrivals, got = stream_once(client, url, headers, text, REAL_DELAY_MS, False, every)
        if got != text:
            raise RuntimeError(f"answer changed on the way from {url}: {len(got)} of {len(text)} characters")
        assert first is not None
        firsts.append(first)
        gaps += [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
        any_gaps += [b - a for a, b in zip(every, every[1:], strict=False)]
        events += len(arrivals)
    return {
        "answers": answers,
        "text_events": events,
        "first_token_p50_ms": _r(_pct(firsts, 50)),
        "gap_p50_ms": _r(_pct(gaps, 50)),
        "gap_p99_ms": _r(_pct(gaps, 99)),
        "gap_max_ms": _r(max(gaps) if gaps else None),
        "event_gap_p50_ms": _r(_pct(any_gaps, 50)),
        "event_gap_p99_ms": _r(_pct(any_gaps, 99)),
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
        "words": {},
    }
    tg = targets(stack, bare_url)
    with httpx.Client(timeout=60) as client:
        for name, (url, headers) in tg.items():
            out["ttft"][name] = ttft_runs(client, url, headers, n_ttft)
            out["paced"][name] = paced_runs(client, url, headers, answers)
            out["words"][name] = paced_runs(client, url, headers, answers, stack)
    out["held"] = held_words()  # in process, this revision's release rule on the same prose (issue 17's third target)
    out["derived"] = derived(out)
    return out


def derived(res: dict[str, Any]) -> dict[str, Any]:
    """The guard's figures against bare Envoy's, and whether the issue's targets are met (the gap target is
    judged per kind of gap: text events with 4-character events, text events with word tokens, any event)."""
    t, p, w = res.get("ttft", {}), res.get("paced", {}), res.get("words", {})

    def extra(d: dict[str, Any], key: str) -> float | None:
        try:
            return round(d["guard"][key] - d["bare"][key], 1)
        except (KeyError, TypeError):
            return None

    out: dict[str, Any] = {
        "first_event_added_ms": extra(t, "first_event_p50_ms"),
        "ttft_added_ms": extra(t, "first_token_p50_ms"),
        "paced_ttft_added_ms": extra(p, "first_token_p50_ms"),
        "gap_p99_added_ms": extra(p, "gap_p99_ms"),
        "event_gap_p99_added_ms": extra(p, "event_gap_p99_ms"),
        "words_ttft_added_ms": extra(w, "first_token_p50_ms"),
        "words_gap_p99_added_ms": extra(w, "gap_p99_ms"),
    }
    held = res.get("held") or {}
    medians = [held[k]["held_chars_p50"] for k in (f"{EVENT_CHARS}-char events", "word tokens") if k in held]
    if medians:
        out["held_chars_p50"] = max(medians)
        out["word_chars"] = held["word_chars"]
        out["held_target_met"] = out["held_chars_p50"] <= held["word_chars"]
    targets = {
        "ttft_target_met": ("ttft_added_ms", TTFT_TARGET_MS),
        "gap_target_met": ("gap_p99_added_ms", GAP_TARGET_MS),
        "event_gap_target_met": ("event_gap_p99_added_ms", GAP_TARGET_MS),
        "words_gap_target_met": ("words_gap_p99_added_ms", GAP_TARGET_MS),
    }
    for flag, (key, limit) in targets.items():
        if out[key] is not None:
            out[flag] = out[key] <= limit
    return out


def table(res: dict[str, Any]) -> str:
    """The figures side by side (Markdown)."""
    lines = [
        f"| streaming | first event p50; first token p50 / p99, {EVENT_CHARS}-char events every {DEMO_DELAY_MS} ms "
        f"| every {REAL_DELAY_MS} ms: first token p50 | text gap p50 / p99 / max | any-event gap p50 / p99 "
        f"| word tokens every {REAL_DELAY_MS} ms: first token p50 | text gap p50 / p99 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in ("model", "bare", "guard"):
        t, p, w = (res.get(k, {}).get(name) for k in ("ttft", "paced", "words"))
        if not t or not p or not w:
            continue
        lines.append(
            f"| {name} | {t['first_event_p50_ms']}; {t['first_token_p50_ms']} / {t['first_token_p99_ms']} ms "
            f"| {p['first_token_p50_ms']} ms "
            f"| {p['gap_p50_ms']} / {p['gap_p99_ms']} / {p['gap_max_ms']} ms "
            f"| {p['event_gap_p50_ms']} / {p['event_gap_p99_ms']} ms "
            f"| {w['first_token_p50_ms']} ms | {w['gap_p50_ms']} / {w['gap_p99_ms']} ms |"
        )
    d = res.get("derived") or {}

    def verdict(flag: str) -> str:
        return {True: "met", False: "NOT met"}.get(d.get(flag), "n/a")  # type: ignore[arg-type]

    if d:
        lines += [
            "",
            f"Guard minus bare Envoy: first event {d['first_event_added_ms']:+} ms; "
            f"first token {d['ttft_added_ms']:+} ms at demo pacing (target <= "
            f"{TTFT_TARGET_MS:g}: {verdict('ttft_target_met')}), {d['paced_ttft_added_ms']:+} ms every "
            f"{REAL_DELAY_MS} ms, {d['words_ttft_added_ms']:+} ms with word tokens. p99 gap (target <= "
            f"{GAP_TARGET_MS:g}): text events of {EVENT_CHARS} characters {d['gap_p99_added_ms']:+} ms "
            f"({verdict('gap_target_met')}), any event {d['event_gap_p99_added_ms']:+} ms "
            f"({verdict('event_gap_target_met')}), word tokens {d['words_gap_p99_added_ms']:+} ms "
            f"({verdict('words_gap_target_met')}).",
        ]
        if "held_chars_p50" in d:
            lines.append(
                f"Held on the same prose in process (profile {res['held']['profile']}): median "
                f"{d['held_chars_p50']:g} characters after an event (the larger of 4-character events and word "
                f"tokens; target <= one word, {d['word_chars']:g} characters: {verdict('held_target_met')})."
            )
    return "\n".join(lines)


def held_words(profile: str = "clinical", text: str = CLEAN_TEXT[:ANSWER_CHARS]) -> dict[str, Any]:
    """In process, no stack: the guard's release rule on the bench's prose at both cuts (4-character events,
    word tokens). Per cut: events that carry text, characters held after each event (median, max), how many
    events each word waits after its last character arrived (0: released with it, 1: with the next event),
    and, per detector, the events in which its open point holds the first held character (what to tighten).
    ``profile``: ``clinical`` is what the bench's clinician gets (opa/phi_guard/config/data.json)."""
    from sidecar.redaction.engine import RedactionEngine
    from sidecar.redaction.settings import RedactionSettings

    eng = RedactionEngine(RedactionSettings(), b"bench-stream-latency-key-0123456")
    r = eng.redactor(profile)
    tokens = re.findall(r"\s*\S+", text)
    cuts = {
        f"{EVENT_CHARS}-char events": [text[i : i + EVENT_CHARS] for i in range(0, len(text), EVENT_CHARS)],
        "word tokens": tokens,
    }
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    out: dict[str, Any] = {"profile": profile, "word_chars": round(sum(b - a for a, b in words) / len(words), 1)}
    for name, pieces in cuts.items():
        s = eng.text_stream(r)
        got, released, text_events = "", 0, 0
        held: list[int] = []
        ends: list[int] = []  # characters arrived after each event
        rel: list[int] = []  # characters released after each event
        holders: dict[str, int] = {}
        for p in pieces:
            got += p
            o = s.push(p)
            released += len(o)
            text_events += bool(o)
            ends.append(len(got))
            rel.append(released)
            held.append(len(got) - released)
            if released < len(got):
                for det, at in eng.analyzer.open_points(got, r.profile.types).items():
                    if at <= released:
                        holders[det] = holders.get(det, 0) + 1
        waits: dict[str, int] = {}
        for _, b in words:
            arrived = next(i for i, e in enumerate(ends) if e >= b)
            out_at = next((i for i, x in enumerate(rel) if x >= b), len(pieces))
            key = str(min(out_at - arrived, 3)) if out_at < len(pieces) else "end"
            waits[key] = waits.get(key, 0) + 1
        out[name] = {
            "events": len(pieces),
            "text_events": text_events,
            "held_chars_p50": _pct([float(h) for h in held], 50),
            "held_chars_max": max(held),
            "word_waits_events": dict(sorted(waits.items())),
            "held_by_detector_events": dict(sorted(holders.items(), key=lambda kv: -kv[1])),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="also write the results as JSON here")
    ap.add_argument("--holds", nargs="?", const="clinical", metavar="PROFILE",
                    help="only the in-process analysis of what is held and why (no stack), default profile clinical")
    args = ap.parse_args(argv)
    if args.holds:
        print(json.dumps(held_words(args.holds), indent=1))
        return 0
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
