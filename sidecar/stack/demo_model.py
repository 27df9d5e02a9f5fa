"""A demo OpenAI-compatible model server (NOT part of the guard): the upstream of the local stack and tests.

- ``POST /v1/chat/completions``: model ``echo`` answers with the last user message verbatim; model
  ``clinical-notes`` answers with a synthetic note full of PHI (:mod:`sidecar.stack.demo_data`). With
  ``"stream": true`` the answer is SSE ``chat.completion.chunk`` events of N characters each (request
  header ``x-demo-chunk-chars``, default 4; ``x-demo-chunk-delay-ms`` waits between events), ending with
  ``data: [DONE]``.
- Compression: request header ``x-demo-compress: gzip|br`` compresses the answer when the request's
  ``accept-encoding`` allows it; ``x-demo-compress: force-gzip|force-br`` compresses regardless (a
  misbehaving upstream).
- With ``--api-key-file``, ``/v1/*`` requires ``Authorization: Bearer <that key>`` (401 otherwise), which
  proves the guard brokers the credential.
- ``POST /_demo/script``: queue scripted (hostile) answers for the next ``/v1/*`` requests
  (:mod:`sidecar.stack.demo_script`).
- ``GET /v1/models``; ``GET /_demo/stats`` (requests received, also those refused); ``GET /_demo/last``
  (the last ``/v1`` request's method, path, headers and body); ``POST /_demo/reset``.

Run: ``python -m sidecar.stack.demo_model --port P [--api-key-file F]``.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import time
import uuid
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from aiohttp import web

from sidecar.stack.demo_data import CLINICAL_NOTE
from sidecar.stack.demo_script import ScriptQueue

MODELS = ("echo", "clinical-notes")
DEFAULT_CHUNK_CHARS = 4
MAX_CHUNK_CHARS = 65536


def _error(status: int, message: str, code: str, type_: str = "invalid_request_error") -> web.Response:
    return web.json_response({"error": {"message": message, "type": type_, "code": code}}, status=status)


def _last_user_text(messages: Any) -> str | None:
    if not isinstance(messages, list):
        return None
    for msg in reversed(messages):
        if isinstance(msg, dict) and msg.get("role") == "user":
            content = msg.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return "".join(
                    p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"
                )
            return None
    return None


def _accepts(accept_encoding: str, coding: str) -> bool:
    """Whether an ``Accept-Encoding`` value allows ``coding`` (q=0 refuses it)."""
    for part in accept_encoding.split(","):
        name, *params = (x.strip() for x in part.split(";"))
        if name.lower() not in (coding, "*"):
            continue
        q = 1.0
        for p in params:
            k, _, v = p.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        if q > 0:
            return True
    return False


class _Encoder:
    """Incremental gzip/br encoder whose output after each ``feed`` is decodable so far (a flushed stream)."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        if coding == "gzip":
            self._z = zlib.compressobj(wbits=31)
        else:
            import brotli

            self._b = brotli.Compressor()

    def feed(self, data: bytes) -> bytes:
        if self.coding == "gzip":
            return self._z.compress(data) + self._z.flush(zlib.Z_SYNC_FLUSH)
        return self._b.process(data) + self._b.flush()

    def finish(self) -> bytes:
        return self._z.flush(zlib.Z_FINISH) if self.coding == "gzip" else self._b.finish()


class DemoModel:
    def __init__(self, api_key_file: Path | None = None) -> None:
        self.api_key_file = api_key_file
        self.stats: Counter[str] = Counter()
        self.last: dict[str, Any] | None = None
        self.script = ScriptQueue()

    def _key_ok(self, request: web.Request) -> bool:
        if self.api_key_file is None:
            return True
        try:
            key = self.api_key_file.read_text().strip()
        except OSError:
            return False
        got = request.headers.get("authorization", "")
        return bool(key) and hmac.compare_digest(got.encode(), f"Bearer {key}".encode())

    async def _record(self, request: web.Request) -> bytes:
        body = await request.read()
        self.stats["requests"] += 1
        self.stats[f"{request.method} {request.path}"] += 1
        headers: dict[str, str] = {}
        for k, v in request.headers.items():
            k = k.lower()
            headers[k] = f"{headers[k]},{v}" if k in headers else v
        self.last = {
            "method": request.method,
            "path": request.path_qs,
            "headers": headers,
            "body": body.decode("utf-8", "replace"),
            "time": time.time(),
        }
        return body

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith("/v1/"):
            return await handler(request)
        request["body"] = await self._record(request)
        if not self._key_ok(request):
            self.stats["unauthorized"] += 1
            return _error(401, "Incorrect API key provided.", "invalid_api_key", "authentication_error")
        if self.script:
            return await self.script.answer(request)
        return await handler(request)

    async def models(self, _: web.Request) -> web.Response:
        return web.json_response(
            {
                "object": "list",
                "data": [
                    {"id": m, "object": "model", "created": 0, "owned_by": "phi-guard-demo"} for m in MODELS
                ],
            }
        )

    async def chat(self, request: web.Request) -> web.StreamResponse:
        try:
            req = json.loads(request["body"] or b"null")
        except ValueError:
            return _error(400, "Request body is not valid JSON.", "bad_json")
        if not isinstance(req, dict):
            return _error(400, "Request body must be a JSON object.", "bad_request")
        model = req.get("model")
        if model not in MODELS:
            return _error(404, f"The model {model!r} does not exist.", "model_not_found")
        if model == "echo":
            text = _last_user_text(req.get("messages"))
            if text is None:
                return _error(400, "messages must contain a user message with text content.", "bad_messages")
        else:
            text = CLINICAL_NOTE
        try:
            chunk_chars = int(request.headers.get("x-demo-chunk-chars", DEFAULT_CHUNK_CHARS))
            delay = float(request.headers.get("x-demo-chunk-delay-ms", "0")) / 1000.0
        except ValueError:
            return _error(400, "x-demo-chunk-chars / x-demo-chunk-delay-ms must be numbers.", "bad_header")
        if not 1 <= chunk_chars <= MAX_CHUNK_CHARS or not 0 <= delay <= 5:
            return _error(400, "x-demo-chunk-chars out of range.", "bad_header")
        coding = self._coding(request)
        self.stats[f"model:{model}"] += 1
        cid = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        if req.get("stream") is True:
            return await self._stream(request, cid, created, model, text, chunk_chars, delay, coding)
        words = len(text.split())
        payload = json.dumps(
            {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": model,
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": words, "total_tokens": words + 1},
            }
        ).encode()
        headers = {"Content-Type": "application/json"}
        if coding:
            enc = _Encoder(coding)
            payload = enc.feed(payload) + enc.finish()
            headers["Content-Encoding"] = coding
        return web.Response(body=payload, headers=headers)

    @staticmethod
    def _coding(request: web.Request) -> str | None:
        want = request.headers.get("x-demo-compress", "").strip().lower()
        if want in ("force-gzip", "force-br"):
            return want.removeprefix("force-")
        if want in ("gzip", "br") and _accepts(request.headers.get("accept-encoding", ""), want):
            return want
        return None

    async def _stream(
        self,
        request: web.Request,
        cid: str,
        created: int,
        model: str,
        text: str,
        chunk_chars: int,
        delay: float,
        coding: str | None,
    ) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        if coding:
            resp.headers["Content-Encoding"] = coding
        enc = _Encoder(coding) if coding else None
        await resp.prepare(request)

        def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
            chunk = {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(chunk)}\n\n".encode()

        async def send(data: bytes) -> None:
            await resp.write(enc.feed(data) if enc else data)
            if delay:
                await asyncio.sleep(delay)

        await send(event({"role": "assistant", "content": ""}))
        for i in range(0, len(text), chunk_chars):
            await send(event({"content": text[i : i + chunk_chars]}))
        await send(event({}, "stop"))
        await send(b"data: [DONE]\n\n")
        if enc:
            await resp.write(enc.finish())
        await resp.write_eof()
        return resp

    async def get_stats(self, _: web.Request) -> web.Response:
        return web.json_response(dict(self.stats) | {"requests": self.stats["requests"]})

    async def get_last(self, _: web.Request) -> web.Response:
        if self.last is None:
            return web.json_response({"error": "no request yet"}, status=404)
        return web.json_response(self.last)

    async def reset(self, _: web.Request) -> web.Response:
        self.stats.clear()
        self.last = None
        return web.json_response({"reset": True})

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self.middleware], client_max_size=16 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self.chat)
        app.router.add_get("/v1/models", self.models)
        app.router.add_get("/_demo/stats", self.get_stats)
        app.router.add_get("/_demo/last", self.get_last)
        app.router.add_post("/_demo/reset", self.reset)
        app.router.add_post("/_demo/script", self.script.post)
        app.router.add_delete("/_demo/script", self.script.clear)
        return app


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sidecar.stack.demo_model", description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--api-key-file", type=Path, default=None)
    args = ap.parse_args(argv)
    web.run_app(
        DemoModel(args.api_key_file).app(),
        host=args.host,
        port=args.port,
        print=None,
        access_log=None,
        shutdown_timeout=0.5,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
