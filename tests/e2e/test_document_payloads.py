"""Documents one step from text (gzip, zip/DOCX, PDF, an image's text chunk) as base64 payloads, through Envoy
and the guard, both ways: a researcher's request (its prompts reach the model minimised) and a hostile model's
answer. The oracle opens every base64 value and data: URL it finds with its own code (the standard library and
pypdf, not the guard's) and looks for the planted digits. Controls: the same requests sent straight to the model,
and the same answers read with the guard bypassed, leak by that oracle. An image in a minimised prompt is refused
(its pixels are not read: 400 ``unreadable_media``, audited); an unreadable PDF in an answer is withheld and the
guard serves on."""

from __future__ import annotations

import base64
import binascii
import contextlib
import gzip
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from devstack.info import StackInfo
from tests.redteam.documents import make_docx, make_pdf, png_with

pytestmark = pytest.mark.e2e

SSN, PHONE = "478-21-5096", "512-437-7788"
NOTE = f"Patient Lorenzo Whitcombe, SSN {SSN}, phone {PHONE}."
DOCS: dict[str, Callable[[], bytes]] = {
    "gzip": lambda: gzip.compress(NOTE.encode()),
    "docx": lambda: make_docx([NOTE[:12], NOTE[12:30], NOTE[30:]]),
    "pdf": lambda: make_pdf(NOTE),
    "png-text-chunk": lambda: png_with("tEXt", NOTE),
}
_B64 = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


def _opened(raw: bytes, depth: int = 0) -> Iterator[str]:
    """Every text a client could read from ``raw`` (the oracle's own reader)."""
    yield raw.decode("latin-1")
    if depth > 2:
        return
    with contextlib.suppress(OSError, EOFError):
        yield from _opened(gzip.decompress(raw), depth + 1)
    with contextlib.suppress(zipfile.BadZipFile), zipfile.ZipFile(io.BytesIO(raw)) as z:
        for name in z.namelist():
            text = re.sub(r"<[^>]+>", "", z.read(name).decode("utf-8", "replace"))
            yield text
    if raw.startswith(b"%PDF"):
        from pypdf import PdfReader

        with contextlib.suppress(Exception):
            yield "".join(p.extract_text() for p in PdfReader(io.BytesIO(raw)).pages)


def leaked(body: str) -> list[str]:
    texts = [body]
    for m in _B64.finditer(body.replace("\\/", "/")):
        with contextlib.suppress(binascii.Error, ValueError):
            texts += list(_opened(base64.b64decode(m.group() + "=" * (-len(m.group()) % 4))))
    flat = re.sub(r"\D", "", " ".join(texts))
    return [v for v in (SSN, PHONE) if re.sub(r"\D", "", v) in flat]


def requests_for(doc: bytes) -> list[tuple[str, dict[str, Any]]]:
    data = base64.b64encode(doc).decode()
    return [
        ("/v1beta/models/echo:generateContent",
         {"contents": [{"role": "user", "parts": [{"text": "summarise"},
                                                  {"inlineData": {"mimeType": "application/pdf", "data": data}}]}]}),
        ("/v1/messages", {"model": "echo", "max_tokens": 16, "messages": [{"role": "user", "content": [
            {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": data}}]}]}),
        ("/v1/chat/completions", {"model": "echo", "messages": [{"role": "user", "content": [
            {"type": "file", "file": {"filename": "chart", "file_data": f"data:application/pdf;base64,{data}"}}]}]}),
    ]


def researcher(stack: StackInfo) -> dict[str, str]:
    return {"authorization": f"Bearer {stack.token('r.franklin', ['researcher'])}", "x-phi-guard-purpose": "research"}


@pytest.mark.parametrize("kind", [k for k in DOCS if not k.startswith("png")])
def test_documents_in_requests_reach_the_model_without_phi(stack: StackInfo, kind: str) -> None:
    for path, body in requests_for(DOCS[kind]()):
        with stack.http(timeout=60) as client:
            resp = client.post(path, json=body, headers=researcher(stack))
        assert resp.status_code == 200, (path, resp.status_code, resp.text[:200])
        seen = stack.demo_last()
        assert seen is not None
        received = base64.b64decode(seen["body_b64"]).decode("utf-8", "replace")
        assert not leaked(received), (kind, path)
        # control: the same request straight to the model carries the PHI by the same oracle
        with httpx.Client(timeout=60) as client:
            client.post(stack.upstream_url + path, json=body,
                        headers={"authorization": f"Bearer {stack.upstream_credential()}"})
        bypass = stack.demo_last()
        assert bypass is not None
        assert leaked(base64.b64decode(bypass["body_b64"]).decode("utf-8", "replace")) == [SSN, PHONE]


def test_images_in_a_minimised_prompt_are_refused_and_audited(stack: StackInfo) -> None:
    from tests.e2e.audit_util import wait_events

    sub = "r.media"
    headers = {"authorization": f"Bearer {stack.token(sub, ['researcher'])}", "x-phi-guard-purpose": "research"}
    before = stack.demo_stats()["requests"]
    for path, body in requests_for(DOCS["png-text-chunk"]())[:2]:
        with stack.http(timeout=60) as client:
            resp = client.post(path, json=body, headers=headers)
        assert resp.status_code == 400 and resp.json()["error"] == "unreadable_media", resp.text[:200]
        assert SSN not in resp.text
    assert stack.demo_stats()["requests"] == before  # nothing reached the model
    events = wait_events(stack, sub, lambda evs: len([e for e in evs if int(e.get("status", 0)) == 400]) >= 2,
                         timeout=90)
    assert len([e for e in events if int(e.get("status", 0)) == 400]) >= 2


def _answer(doc: bytes) -> dict[str, Any]:
    body = {"candidates": [{"index": 0, "content": {"role": "model", "parts": [
        {"text": "Here is the chart."}, {"inlineData": {"mimeType": "application/pdf",
                                                         "data": base64.b64encode(doc).decode()}}]}}]}
    return {"headers": [["content-type", "application/json"]], "chunks": [json.dumps(body)]}


def _ask(stack: StackInfo, answer: dict[str, Any], guarded: bool = True) -> httpx.Response:
    stack.demo_script(answer)
    path = "/v1beta/models/echo:generateContent"
    body = {"contents": [{"role": "user", "parts": [{"text": "chart please"}]}]}
    with httpx.Client(timeout=60) as client:
        if guarded:
            return client.post(stack.envoy_url + path, json=body, headers=researcher(stack))
        return client.post(stack.upstream_url + path, json=body,
                           headers={"authorization": f"Bearer {stack.upstream_credential()}"})


@pytest.mark.parametrize("kind", list(DOCS))
def test_documents_in_answers_reach_the_client_without_phi(stack: StackInfo, kind: str) -> None:
    resp = _ask(stack, _answer(DOCS[kind]()))
    assert resp.status_code == 200 and "Here is the chart." in resp.text
    assert not leaked(resp.text)
    assert leaked(_ask(stack, _answer(DOCS[kind]()), guarded=False).text) == [SSN, PHONE]  # control


def test_unreadable_pdf_in_an_answer_is_withheld_and_the_guard_serves_on(stack: StackInfo) -> None:
    broken = b"%PDF-1.7\n" + bytes(range(256)) * 8
    resp = _ask(stack, _answer(broken))
    assert resp.status_code >= 500 and base64.b64encode(broken).decode()[:40] not in resp.text
    resp = _ask(stack, _answer(make_pdf("Rest and drink fluids.")))
    assert resp.status_code == 200 and base64.b64encode(make_pdf("Rest and drink fluids.")).decode() in resp.text
