"""Scripted answers for the demo model: a hostile upstream for tests (NOT part of the guard).

``POST /_demo/script`` queues answers; each later ``/v1/*`` request (any path, after the credential check) is
answered with the next one instead of the model's own:

    {"status": 200, "headers": [["content-type", "text/event-stream"], ["x-patient", "..."]],
     "chunks": ["data: ...\\n\\n", ...]      # text chunks, or
     "chunks_b64": ["...", ...],             # raw bytes (any charset, compressed, broken UTF-8)
     "delay_ms": 5}                          # pause between chunks

Each chunk is written and flushed on its own, so the guard sees the upstream's own framing.

``{"raw_b64": ["...", ...], "delay_ms": 5}`` writes those bytes to the connection as they are, the status line
and headers included (HTTP/1.0 answers, 1xx/204/304 with a body, chunked trailers, broken framing), then closes
it: an upstream that does not speak HTTP the way aiohttp would.
``DELETE /_demo/script`` empties the queue.
"""

from __future__ import annotations

import asyncio
import base64
from collections import deque
from typing import Any

from aiohttp import web


class ScriptQueue:
    def __init__(self) -> None:
        self._queue: deque[dict[str, Any]] = deque()

    def __bool__(self) -> bool:
        return bool(self._queue)

    async def post(self, request: web.Request) -> web.Response:
        doc = await request.json()
        items = doc if isinstance(doc, list) else [doc]
        for item in items:
            if not isinstance(item, dict):
                return web.json_response({"error": "script must be an object or a list of objects"}, status=400)
            self._queue.append(item)
        return web.json_response({"queued": len(self._queue)})

    async def clear(self, _: web.Request) -> web.Response:
        self._queue.clear()
        return web.json_response({"queued": 0})

    async def answer(self, request: web.Request) -> web.StreamResponse:
        item = self._queue.popleft()
        if "raw_b64" in item:
            return await self._raw(request, item)
        resp = web.StreamResponse(status=int(item.get("status", 200)))
        for k, v in item.get("headers", []):
            resp.headers.add(str(k), str(v))
        chunks: list[bytes] = [c.encode("utf-8") for c in item.get("chunks", [])]
        chunks += [base64.b64decode(c) for c in item.get("chunks_b64", [])]
        delay = float(item.get("delay_ms", 0)) / 1000
        await resp.prepare(request)
        for i, chunk in enumerate(chunks):
            if i and delay:
                await asyncio.sleep(delay)
            await resp.write(chunk)
        await resp.write_eof()
        return resp

    @staticmethod
    async def _raw(request: web.Request, item: dict[str, Any]) -> web.StreamResponse:
        transport = request.transport
        assert transport is not None
        delay = float(item.get("delay_ms", 0)) / 1000
        for i, chunk in enumerate(item["raw_b64"]):
            if i and delay:
                await asyncio.sleep(delay)
            transport.write(base64.b64decode(chunk))
        await asyncio.sleep(0.05)  # let the bytes leave before the close
        transport.close()
        return web.Response()  # never sent: the connection is closed
