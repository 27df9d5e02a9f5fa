"""A trivial guard: the same two gRPC services with no logic, to price the gRPC hops alone.

``Check`` allows everything and swaps ``authorization`` for the demo model's key (the model requires it);
``Process`` answers every message with an empty reply of the matching kind (content-length removed in the
response-headers reply, as the real guard does). The bench runs it behind a third Envoy rendered from the
stack's bootstrap, so "trivial" and "real" differ only in the guard's logic.

Run: ``python -m bench.e2e_trivial --port P --credential-file F`` (serves until SIGTERM).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
from envoy.config.core.v3 import base_pb2
from envoy.service.auth.v3 import external_auth_pb2 as authz
from envoy.service.auth.v3 import external_auth_pb2_grpc as authz_grpc
from envoy.service.ext_proc.v3 import external_processor_pb2 as ep
from envoy.service.ext_proc.v3 import external_processor_pb2_grpc as ep_grpc
from google.rpc import status_pb2


class TrivialAuthz(authz_grpc.AuthorizationServicer):
    def __init__(self, credential: str) -> None:
        header = base_pb2.HeaderValueOption(
            header=base_pb2.HeaderValue(key="authorization", value=f"Bearer {credential}"),
            append_action=base_pb2.HeaderValueOption.OVERWRITE_IF_EXISTS_OR_ADD,
        )
        self._ok = authz.CheckResponse(
            status=status_pb2.Status(code=0),
            ok_response=authz.OkHttpResponse(headers=[header], headers_to_remove=["accept-encoding"]),
        )

    async def Check(self, request: authz.CheckRequest, context: grpc.aio.ServicerContext) -> authz.CheckResponse:  # noqa: N802
        return self._ok


_HEADERS_REPLY = ep.ProcessingResponse(
    response_headers=ep.HeadersResponse(
        response=ep.CommonResponse(header_mutation=ep.HeaderMutation(remove_headers=["content-length"]))
    )
)
_REPLIES = {
    "request_headers": ep.ProcessingResponse(request_headers=ep.HeadersResponse()),
    "request_body": ep.ProcessingResponse(request_body=ep.BodyResponse()),
    "response_headers": _HEADERS_REPLY,
    "response_body": ep.ProcessingResponse(response_body=ep.BodyResponse()),
    "request_trailers": ep.ProcessingResponse(request_trailers=ep.TrailersResponse()),
    "response_trailers": ep.ProcessingResponse(response_trailers=ep.TrailersResponse()),
}


class TrivialProcessor(ep_grpc.ExternalProcessorServicer):
    async def Process(  # noqa: N802
        self, request_iterator: AsyncIterator[ep.ProcessingRequest], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[ep.ProcessingResponse]:
        async for req in request_iterator:
            yield _REPLIES[req.WhichOneof("request")]


async def serve(port: int, credential: str) -> None:
    server = grpc.aio.server()
    authz_grpc.add_AuthorizationServicer_to_server(TrivialAuthz(credential), server)
    ep_grpc.add_ExternalProcessorServicer_to_server(TrivialProcessor(), server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--credential-file", type=Path, required=True)
    a = ap.parse_args()
    asyncio.run(serve(a.port, a.credential_file.read_text().strip()))


if __name__ == "__main__":
    main()
