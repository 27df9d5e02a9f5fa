"""A demo model server (NOT part of the guard): the upstream of the local stack and tests.

- Every supported API (:mod:`devstack.demo_providers`): ``POST /v1/chat/completions``,
  ``/v1/responses``, ``/v1/messages`` (Anthropic), ``/v1[beta|alpha]/models/{model}:generateContent`` and
  ``:streamGenerateContent`` (Gemini), ``/api/chat`` (Ollama). Model ``echo`` answers with the last user
  message verbatim; model ``clinical-notes`` answers with a synthetic note full of PHI
  (:mod:`devstack.demo_data`). When the request declares tools and the user spoke last, the answer is
  a call of the first tool with arguments ``{"query": <that text>}``; when the last message is a tool
  result, the answer is that result's text. Streamed answers (the API's own flag; Ollama streams unless
  ``"stream": false``) come in pieces of N characters (request header ``x-demo-chunk-chars``, default 4;
  ``x-demo-chunk-delay-ms`` waits between events).
- Compression: request header ``x-demo-compress: gzip|br`` compresses the answer when the request's
  ``accept-encoding`` allows it; ``x-demo-compress: force-gzip|force-br`` compresses regardless (a
  misbehaving upstream).
- With ``--api-key-file``, ``/v1/*`` requires ``Authorization: Bearer <that key>`` (401 otherwise), which
  proves the guard brokers the credential.
- ``POST /_demo/script``: queue scripted (hostile) answers for the next ``/v1/*`` requests
  (:mod:`devstack.demo_script`).
- ``GET /v1/models``; ``GET /_demo/stats`` (requests received, also those refused); ``GET /_demo/last``
  (the last request's method, path, headers, body and raw body ``body_b64``; any path but ``/_demo/*`` is
  recorded, known or not); ``POST /_demo/reset``.

Run: ``python -m devstack.demo_model --port P [--api-key-file F]``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hmac
import json
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiohttp import web

from devstack import demo_providers as providers
from devstack.demo_data import CLINICAL_NOTE
from devstack.demo_script import ScriptQueue

MODELS = ("echo", "clinical-notes")
DEFAULT_CHUNK_CHARS = 4
MAX_CHUNK_CHARS = 65536


def _error(status: int, message: str, code: str, type_: str = "invalid_request_error") -> web.Response:
    return web.json_response({"error": {"message": message, "type": type_, "code": code}}, status=status)


def _read(api: str, req: dict[str, Any], path_model: str | None, path_stream: bool) -> providers.Turn:
    if api == "gemini":
        return providers.read_gemini(req, path_model or "", path_stream)
    return _READ[api](req)


_READ = {
    "openai.chat": providers.read_openai_chat,
    "openai.responses": providers.read_openai_responses,
    "anthropic.messages": providers.read_anthropic,
    "ollama.chat": providers.read_ollama,
}
_RENDER = {
    "openai.chat": providers.render_openai_chat,
    "openai.responses": providers.render_openai_responses,
    "anthropic.messages": providers.render_anthropic,
    "gemini": providers.render_gemini,
    "ollama.chat": providers.render_ollama,
}
_STREAM = {
    "openai.chat": providers.stream_openai_chat,
    "openai.responses": providers.stream_openai_responses,
    "anthropic.messages": providers.stream_anthropic,
    "gemini": providers.stream_gemini,
    "ollama.chat": providers.stream_ollama,
}
# Paths of the model APIs (recorded, credential-checked, scriptable); everything else is /_demo/*.
API_PREFIXES = ("/v1/", "/v1beta/", "/v1alpha/", "/api/")


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
            "body_b64": base64.b64encode(body).decode("ascii"),  # the raw bytes, for oracles that decode them
            "time": time.time(),
        }
        return body

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith("/_demo/"):
            return await handler(request)
        request["body"] = await self._record(request)  # every path the guard let through, known or not
        if not request.path.startswith(API_PREFIXES):
            return await handler(request)
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
        return await self._serve(request, "openai.chat")

    async def responses(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "openai.responses")

    async def messages(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "anthropic.messages")

    async def ollama_chat(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "ollama.chat")

    async def gemini(self, request: web.Request) -> web.StreamResponse:
        model, _, method = request.match_info["call"].partition(":")
        if method not in ("generateContent", "streamGenerateContent"):
            return _error(404, f"unknown method {method!r}", "not_found")
        return await self._serve(request, "gemini", model, method == "streamGenerateContent")

    async def _serve(
        self, request: web.Request, api: str, path_model: str | None = None, path_stream: bool = False
    ) -> web.StreamResponse:
        try:
            req = json.loads(request["body"] or b"null")
        except ValueError:
            return _error(400, "Request body is not valid JSON.", "bad_json")
        if not isinstance(req, dict):
            return _error(400, "Request body must be a JSON object.", "bad_request")
        model = path_model if api == "gemini" else req.get("model")
        if model not in MODELS:
            return _error(404, f"The model {model!r} does not exist.", "model_not_found")
        try:
            turn = _read(api, req, path_model, path_stream)
        except providers.BadRequest as exc:
            return _error(400, str(exc), "bad_messages")
        if turn.model == "echo" or turn.from_tool:
            if turn.text is None:
                return _error(400, "messages must contain a user message with text content.", "bad_messages")
            text = turn.text
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
        self.stats[f"model:{turn.model}"] += 1
        self.stats[f"api:{api}"] += 1
        ans = providers.answer(turn, text)
        if turn.stream:
            ctype = "application/x-ndjson" if api == "ollama.chat" else "text/event-stream"
            frames = _STREAM[api](turn, ans, chunk_chars)
            return await self._stream(request, ctype, frames, delay, coding)
        payload = json.dumps(_RENDER[api](turn, ans)).encode()
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
        ctype: str,
        frames: Iterator[bytes],
        delay: float,
        coding: str | None,
    ) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": ctype, "Cache-Control": "no-cache"})
        if coding:
            resp.headers["Content-Encoding"] = coding
        enc = _Encoder(coding) if coding else None
        await resp.prepare(request)
        for data in frames:
            await resp.write(enc.feed(data) if enc else data)
            if delay:
                await asyncio.sleep(delay)
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
        app.router.add_post("/v1/responses", self.responses)
        app.router.add_post("/v1/messages", self.messages)
        for version in ("v1", "v1beta", "v1alpha"):  # google-genai picks the version
            app.router.add_post(f"/{version}/models/{{call}}", self.gemini)
        app.router.add_post("/api/chat", self.ollama_chat)
        app.router.add_get("/v1/models", self.models)
        app.router.add_get("/_demo/stats", self.get_stats)
        app.router.add_get("/_demo/last", self.get_last)
        app.router.add_post("/_demo/reset", self.reset)
        app.router.add_post("/_demo/script", self.script.post)
        app.router.add_delete("/_demo/script", self.script.clear)
        return app


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m devstack.demo_model", description=__doc__)
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
