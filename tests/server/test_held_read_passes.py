"""While a JSON answer's replies are held (Envoy sends body chunks early), each body message is read on its own
task so Envoy's message timer can be extended during a pause. The read wakes Process itself: Process resumes the
loop pass after the message arrives, not after the task's done callbacks and a waiter (``asyncio.wait``), which
cost one more pass of a busy loop per held message. Counted with a neighbour task that makes one step per pass
(no threads: the count is exact)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from google.rpc import code_pb2

from sidecar import protocol as P
from sidecar.server import ext_proc_service as eps
from tests.server.fakes import authz_service, chat_body, check_request, ext_proc_service, processing_requests


class _Context:
    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        return ((P.EARLY_BODY_METADATA, "2500,60000"),)


def _passes_until_reply() -> int:
    """Loop passes from the body message's arrival to Process's reply to it."""

    async def main() -> int:
        authz, _ = authz_service()
        resp = await authz.Check(check_request(chat_body()), None)
        assert resp.status.code == code_pb2.OK
        svc, _ = ext_proc_service()
        msgs = processing_requests(resp.dynamic_metadata, [b'{"a": "x"}'], "application/json")
        arrived = asyncio.get_running_loop().create_future()
        passes = 0
        running = True

        async def neighbour() -> None:
            nonlocal passes
            while running:
                passes += 1
                await asyncio.sleep(0)

        async def gen() -> AsyncIterator[Any]:
            yield msgs[0]  # response headers: held
            await arrived  # the body message arrives when the test says so
            yield msgs[1]

        replies: list[Any] = []
        at_arrival = 0

        async def consume() -> None:
            async for r in svc.Process(gen(), _Context()):
                replies.append((passes - at_arrival, r))

        worker = asyncio.get_running_loop().create_task(neighbour())
        consumer = asyncio.get_running_loop().create_task(consume())
        for _ in range(20):  # Process is waiting for the body by now
            await asyncio.sleep(0)
        assert not replies
        at_arrival = passes
        arrived.set_result(None)
        await consumer
        running = False
        await worker
        assert [r.WhichOneof("response") for _, r in replies] == ["response_headers", "response_body"]
        return int(replies[0][0])

    return asyncio.run(main())


async def _asyncio_wait_read(requests: AsyncIterator[Any], early: Any, st: Any) -> Any:
    """The former read: the task's done callbacks wake ``asyncio.wait``'s waiter, which wakes Process."""

    async def read() -> Any:
        try:
            return await requests.__anext__()
        except StopAsyncIteration:
            return None

    if st.next_read is None:
        st.next_read = asyncio.ensure_future(read())
    done, _ = await asyncio.wait((st.next_read,), timeout=early.pause_s)
    if not done:
        return None
    task, st.next_read = st.next_read, None
    req = task.result()
    if req is None:
        raise StopAsyncIteration
    return req


def test_process_resumes_the_pass_after_the_held_read_ends() -> None:
    assert _passes_until_reply() <= 2  # the read task resumed, then Process (the former read: 3)


def test_control_the_asyncio_wait_read_costs_more_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _passes_until_reply()
    monkeypatch.setattr(eps.ExternalProcessorService, "_next_extending", staticmethod(_asyncio_wait_read))
    assert _passes_until_reply() > ours
