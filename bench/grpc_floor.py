"""What gRPC alone costs on this machine: the floor under every ledger figure.

A devnet transaction (read a key, write it, set an event) is, on the wire, three unary calls
from the client to the gateway (Endorse, Submit, CommitStatus, over TLS) and three round trips
on the chaincode stream between the devnet and the chaincode (TRANSACTION/GET_STATE,
RESPONSE/PUT_STATE, RESPONSE/COMPLETED). This bench times the same traffic with nothing behind
it: a grpc.aio echo server in its own process, a grpc.aio client in this one, messages of
about the transaction's sizes. It reports CPU per call and per stream round trip on each side,
and what that traffic alone costs per transaction:

- `floor_cpu_ms_per_tx`: client + devnet + chaincode CPU of that gRPC traffic;
- `floor_max_tx_per_s`: the rate at which it would fill every core with no work done at all;
- the same `_3_endorsers`, for a policy three peers endorse (MAJORITY of four organizations):
  each runs the chaincode on its own stream.

    uv run python -m bench.grpc_floor [--n 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc

from bench.common import free_port
from bench.ledger_network import cpu_seconds
from provena.devnet.ca import CertificateAuthority

UNARY_BYTES = 2500  # a signed proposal or envelope, roughly
STREAM_BYTES = 1000  # a chaincode message, roughly
CALLS_PER_TX = 3
ROUND_TRIPS_PER_TX = 3
IN_FLIGHT = (1, 256)


def _pair(directory: Path) -> tuple[Path, Path, Path]:
    """A TLS server certificate for localhost, its key, and its CA's certificate."""
    ca = CertificateAuthority.create("floor-ca", "Floor")
    issued = ca.issue("localhost", hosts=["localhost"], tls=True)
    paths = directory / "server.crt", directory / "server.key", directory / "ca.crt"
    contents = (issued.certificate_pem, issued.key_pem, ca.certificate_pem)
    for path, data in zip(paths, contents, strict=True):
        path.write_bytes(data)
    return paths


async def _serve(tls_port: int, plain_port: int, cert: bytes, key: bytes) -> None:
    async def echo(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        return request

    async def echo_stream(
        requests: AsyncIterator[bytes], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[bytes]:
        async for request in requests:
            yield request

    server = grpc.aio.server()
    handler = grpc.method_handlers_generic_handler(
        "floor.Echo",
        {
            "Unary": grpc.unary_unary_rpc_method_handler(echo),
            "Stream": grpc.stream_stream_rpc_method_handler(echo_stream),
        },
    )
    server.add_generic_rpc_handlers((handler,))
    credentials = grpc.ssl_server_credentials([(key, cert)])
    server.add_secure_port(f"127.0.0.1:{tls_port}", credentials)
    server.add_insecure_port(f"127.0.0.1:{plain_port}")
    await server.start()
    print("ready", flush=True)
    await server.wait_for_termination()


async def _unary(port: int, cert: bytes, n: int, in_flight: int, server: int) -> dict[str, Any]:
    credentials = grpc.ssl_channel_credentials(cert)
    options = [("grpc.ssl_target_name_override", "localhost")]
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", credentials, options) as channel:
        call = channel.unary_unary("/floor.Echo/Unary")
        payload = os.urandom(UNARY_BYTES)
        await call(payload)
        remaining = iter(range(n))

        async def worker() -> None:
            for _ in remaining:
                await call(payload)

        return await _timed(n, server, *(worker() for _ in range(in_flight)))


async def _stream(port: int, n: int, in_flight: int, server: int) -> dict[str, Any]:
    """One stream, as a peer keeps one to each chaincode, with `in_flight` messages out."""
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stream = channel.stream_stream("/floor.Echo/Stream")()
        payload = os.urandom(STREAM_BYTES)
        await stream.write(payload)
        await stream.read()

        window = asyncio.Semaphore(in_flight)  # the writer runs at most this far ahead

        async def pump() -> None:
            for _ in range(n):
                await window.acquire()
                await stream.write(payload)

        async def drain() -> None:
            for _ in range(n):
                await stream.read()
                window.release()

        result = await _timed(n, server, pump(), drain())
        await stream.done_writing()
        return result


async def _timed(n: int, server: int, *work: Any) -> dict[str, Any]:
    server_before, client_before = cpu_seconds(server), time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*work)
    seconds = time.perf_counter() - started
    return {
        "per_s": round(n / seconds),
        "client_cpu_us": round((time.process_time() - client_before) * 1e6 / n, 1),
        "server_cpu_us": round((cpu_seconds(server) - server_before) * 1e6 / n, 1),
    }


def _floor_us(unary: dict[str, Any], stream: dict[str, Any], endorsers: int) -> float:
    """The client pays the unary calls' client side, the devnet their server side and the
    stream's client side, and the chaincode the stream's server side; each endorsing peer
    runs the transaction on its own stream (MAJORITY of four: three)."""
    calls = CALLS_PER_TX * (unary["client_cpu_us"] + unary["server_cpu_us"])
    streams = ROUND_TRIPS_PER_TX * (stream["client_cpu_us"] + stream["server_cpu_us"])
    return float(calls + endorsers * streams)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="calls and round trips per level")
    parser.add_argument("--serve", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        tls, plain, cert, key = args.serve
        asyncio.run(_serve(int(tls), int(plain), Path(cert).read_bytes(), Path(key).read_bytes()))
        return
    with tempfile.TemporaryDirectory(prefix="provena-bench-") as tmp:
        cert, key, ca = _pair(Path(tmp))
        tls_port, plain_port = free_port(), free_port()
        command = [sys.executable, "-m", "bench.grpc_floor", "--serve"]
        server = subprocess.Popen(
            [*command, str(tls_port), str(plain_port), str(cert), str(key)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            if server.stdout.readline().strip() != "ready":
                raise RuntimeError("the echo server did not start")
            for in_flight in IN_FLIGHT:
                pem = ca.read_bytes()
                unary = asyncio.run(_unary(tls_port, pem, args.n, in_flight, server.pid))
                stream = asyncio.run(_stream(plain_port, args.n, in_flight, server.pid))
                line = {
                    "bench": "grpc_floor",
                    "in_flight": in_flight,
                    "grpc": grpc.__version__,
                    "unary_tls": unary,
                    "stream_round_trip": stream,
                }
                for endorsers, suffix in ((1, ""), (3, "_3_endorsers")):
                    floor_us = _floor_us(unary, stream, endorsers)
                    line[f"floor_cpu_ms_per_tx{suffix}"] = round(floor_us / 1000, 3)
                    line[f"floor_max_tx_per_s{suffix}"] = round(
                        (os.cpu_count() or 1) * 1e6 / floor_us
                    )
                print(json.dumps(line), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
