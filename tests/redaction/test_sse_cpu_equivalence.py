"""Issue 20/17: the cuts of the streamed answer's CPU (remembered open points, the event path) change no byte.

A differential test: about two thousand generated event streams (the corpora's notes and adversarial shapes of
the red-team and stream-leak suites, cut at 1/3/4/7/16 characters and at random points, in the shapes of six
providers, several events to a network chunk) go through the body processors twice: as shipped, and with
``Analyzer.open_shortcuts`` off (the reference: every open point computed afresh, as before the cut). The bytes
must be equal. The control shows the oracle fails: a memo that answers a stale open point (one that ignores the
text it is asked about) gives different bytes on the same streams.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from bench import blind3_corpus, blind4_corpus, clinical_corpus, nursing_corpus, redaction_corpus
from sidecar.redaction.analyzer import Analyzer
from sidecar.redaction.engine import RedactionEngine

PROFILE = "safe_harbor"
CUTS = (1, 3, 4, 7, 16, 0)  # 0: random cut points
# what the stream-leak and red-team suites try: runs longer than any window, candidates split anywhere
ADVERSARIAL = [
    "4821 Wisteria" + " " * 120 + "Lane, Springfield, IL 62704 then more text.",
    "John" + " " * 120 + "Smith was seen today.",
    "SSN 123-45-6789 and phone (617) 555-0199, email jane.doe@example.org, MRN 00482913.",
    "digits " + "7" * 300 + " end",
    "word" + "x" * 400 + " and Dr. Eamon Fitzgerald from Ashcroft 2 took report.",
    "Pt seen at Lakeside Regional Medical Center on 03/14/2024 by Dr. Okafor.",
    "transferred to st elsewhere hospital; Nursing and Rehab at Maple Grove, follow-up 2/3.",
    "j o h n  s m i t h, 1 2 3 - 4 5 - 6 7 8 9\n\nDOB: March 3, 1961\r\nAddr: 12 Elm St Apt 4, Boston MA 02118",
    "née Müller, Zoë Ångström at 5 Rue de l'Église; tel +44 20 7946 0958\t\tok",
    "contact: j.doe [at] example [dot] org or visit https://portal.example.org/patient/483920?id=77",
]


def _texts() -> list[str]:
    notes: list[str] = []
    for mod, n in ((clinical_corpus, 14), (nursing_corpus, 10), (blind3_corpus, 10), (blind4_corpus, 10)):
        notes += [str(r["text"]) for r in mod.corpus(n)]
    notes += [str(r["text"]) for r in redaction_corpus.corpus(30, seed=9, phi_rate=0.5)]
    return notes


def _windows(rng: random.Random) -> Iterator[str]:
    """Pieces of the notes (40-260 characters from a random start) and the adversarial texts whole."""
    yield from ADVERSARIAL
    notes = _texts()
    while True:
        t = rng.choice(notes)
        a = rng.randrange(max(1, len(t) - 40))
        yield t[a : a + rng.randint(40, 260)]


def _pieces(text: str, cut: int, rng: random.Random) -> list[str]:
    if cut:
        return [text[i : i + cut] for i in range(0, len(text), cut)]
    out, i = [], 0
    while i < len(text):
        j = i + rng.randint(1, 24)
        out.append(text[i:j])
        i = j
    return out


def _events(shape: str, pieces: list[str]) -> tuple[str, list[str]]:
    """(content type, serialised events) of one provider shape carrying ``pieces`` as its text."""
    if shape == "chat":
        ev = [json.dumps({"id": "c1", "object": "chat.completion.chunk", "model": "m",
                          "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]})
              for p in pieces]
        return "text/event-stream", [f"data: {e}\n\n" for e in ev] + ["data: [DONE]\n\n"]
    if shape == "anthropic":
        ev = ['event: content_block_start\ndata: {"type":"content_block_start","index":0,'
              '"content_block":{"type":"text","text":""}}\n\n']
        deltas = [{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}}
                  for p in pieces]
        ev += [f"event: content_block_delta\ndata: {json.dumps(d)}\n\n" for d in deltas]
        ev += ['event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
               'event: message_stop\ndata: {"type":"message_stop"}\n\n']
        return "text/event-stream", ev
    if shape == "responses":
        rdeltas = [{"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 0,
                    "content_index": 0, "delta": p} for p in pieces]
        ev = [f"event: response.output_text.delta\ndata: {json.dumps(d)}\n\n" for d in rdeltas]
        ev.append('event: response.completed\ndata: {"type":"response.completed"}\n\n')
        return "text/event-stream", ev
    if shape == "gemini":
        ev = [f"data: {json.dumps({'candidates': [{'index': 0, 'content': {'parts': [{'text': p}]}}]})}\n\n"
              for p in pieces]
        return "text/event-stream", ev
    if shape == "ollama":
        ev = [json.dumps({"model": "m", "message": {"role": "assistant", "content": p}, "done": False}) + "\n"
              for p in pieces]
        return "application/x-ndjson", [*ev, '{"model":"m","done":true}\n']
    # plain SSE text payloads (one line each: a data line cannot hold a newline)
    return "text/event-stream", [f"data: {p.replace(chr(10), ' ').replace(chr(13), ' ')}\n\n" for p in pieces]


SHAPES = ("chat", "anthropic", "responses", "gemini", "ollama", "ssetext")


def generated(n: int, seed: int = 20) -> Iterator[tuple[str, list[bytes]]]:
    """``n`` streams: (content type, network chunks), several events to a chunk (1-8, as Envoy passes them)."""
    rng = random.Random(seed)
    texts = _windows(rng)
    for k in range(n):
        text = next(texts)
        cut = CUTS[k % len(CUTS)]
        ctype, events = _events(SHAPES[(k // len(CUTS)) % len(SHAPES)], _pieces(text, cut, rng))
        chunks, i = [], 0
        while i < len(events):
            j = i + rng.choice((1, 1, 2, 3, 8))
            chunks.append("".join(events[i:j]).encode())
            i = j
        yield ctype, chunks


def run(engine: RedactionEngine, ctype: str, chunks: list[bytes]) -> bytes:
    p = engine.open_body(PROFILE, ctype)
    out = [p.feed(c) for c in chunks]
    out.append(p.finish())
    return b"".join(out)


N_STREAMS = 1800


@pytest.fixture(scope="module")
def streams() -> list[tuple[str, list[bytes]]]:
    return list(generated(N_STREAMS))


def _outputs(engine: RedactionEngine, streams: list[tuple[str, list[bytes]]]) -> list[bytes]:
    return [run(engine, ctype, chunks) for ctype, chunks in streams]


def test_memoized_open_points_give_the_bytes_of_the_reference(
    engine: RedactionEngine, streams: list[tuple[str, list[bytes]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = {True: 0, False: 0}  # detector open points asked, shortcuts on / off
    real = Analyzer._open_of

    def counted(self: Analyzer, det: Any, view: Any, vstart: int, types: frozenset[str]) -> int:
        asked[self.open_shortcuts] += 1
        return real(self, det, view, vstart, types)

    monkeypatch.setattr(Analyzer, "_open_of", counted)
    fast = _outputs(engine, streams)
    monkeypatch.setattr(Analyzer, "open_shortcuts", False)
    slow = _outputs(engine, streams)
    differ = [i for i, (a, b) in enumerate(zip(fast, slow, strict=True)) if a != b]
    assert not differ, f"{len(differ)} of {len(streams)} streams differ, first {differ[:5]}"
    # the shortcuts were taken (the comparison is not between two copies of the slow path)
    assert asked[True] < 0.8 * asked[False], asked
    # the streams are varied: many redact something, many are held and released in several pieces
    assert sum(b"[" in o for o in slow) > len(streams) // 3


def test_control_a_memo_keyed_too_loosely_changes_the_bytes(
    engine: RedactionEngine, streams: list[tuple[str, list[bytes]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A memo of the word-reading open points keyed by the text's length instead of the text answers stale open
    points: the same oracle sees different bytes."""
    sample = streams[:400]
    monkeypatch.setattr(Analyzer, "open_shortcuts", False)
    reference = _outputs(engine, sample)
    real = Analyzer._open_of
    memo: dict[tuple[str, int], int] = {}

    def loose(self: Analyzer, det: Any, view: Any, vstart: int, types: frozenset[str]) -> int:
        if not getattr(det, "open_reads_words", False):
            return real(self, det, view, vstart, types)
        key = (det.name, len(view.text))
        if key not in memo:
            memo[key] = real(self, det, view, vstart, types)
        return memo[key]

    monkeypatch.setattr(Analyzer, "_open_of", loose)
    wrong = _outputs(engine, sample)
    assert sum(a != b for a, b in zip(reference, wrong, strict=True)) > 0
