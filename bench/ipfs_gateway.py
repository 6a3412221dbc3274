"""Trustless gateway figures: MB/s serving a 100 MiB file, raw-block latency under 64
concurrent clients, and the server's memory growth while serving a 1 GiB file.

Imports the files (unixfs-v1-2025) into a filesystem blockstore, starts a uvicorn server
with the gateway router in a child process (so its RSS is its own), and measures from
here with httpx. Prints one JSON line per figure.

    uv run python -m bench.ipfs_gateway [--clients 64] [--requests 4000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import httpx
import uvicorn
from fastapi import FastAPI

from bench.common import free_port
from bench.ipfs_import import stream
from provena.ipfs import CID, UNIXFS_V1_2025, FilesystemBlockstore, add_stream, gateway_router
from provena.ipfs.exporter import child_cids, load_block

MIB = 1024 * 1024
RAW = "application/vnd.ipld.raw"


def serve(root: Path, port: int) -> None:
    app = FastAPI()
    app.include_router(gateway_router(FilesystemBlockstore(root)))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def emit(**fields: object) -> None:
    print(json.dumps({"bench": "ipfs_gateway"} | fields), flush=True)


async def download(http: httpx.AsyncClient, url: str) -> int:
    total = 0
    async with http.stream("GET", url) as response:
        response.raise_for_status()
        async for piece in response.aiter_raw():
            total += len(piece)
    return total


async def measure(root: Path, base: str, server_pid: int, clients: int, requests: int) -> None:
    store = FilesystemBlockstore(root)
    small = await add_stream(stream(100 * MIB), profile=UNIXFS_V1_2025, blockstore=store)
    large = await add_stream(stream(1024 * MIB), profile=UNIXFS_V1_2025, blockstore=store)
    leaves: list[CID] = child_cids(small.cid, await load_block(store, small.cid))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        for _ in range(300):
            try:
                await http.head(f"/ipfs/{small.cid}")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.05)
        rates = []
        for _ in range(3):
            started = time.perf_counter()
            size = await download(http, f"/ipfs/{small.cid}")
            rates.append(size / (time.perf_counter() - started) / 1e6)
        emit(figure="file_mb_s", bytes=size, runs=[round(r, 1) for r in rates],
             mb_s=round(sorted(rates)[1], 1))  # fmt: skip

        latency = await raw_block_latency(base, leaves, clients, requests)
        emit(figure="raw_block_latency", clients=clients, requests=requests,
             block_bytes=UNIXFS_V1_2025.chunk_size, **latency)  # fmt: skip

        before = status_kib(server_pid, "VmRSS")
        started = time.perf_counter()
        size = await download(http, f"/ipfs/{large.cid}")
        seconds = time.perf_counter() - started
        peak = status_kib(server_pid, "VmHWM")
        emit(figure="serve_1gib", bytes=size, mb_s=round(size / seconds / 1e6, 1),
             rss_before_mib=round(before / 1024, 1),
             peak_growth_mib=round(max(0, peak - before) / 1024, 1))  # fmt: skip


async def raw_block_latency(
    base: str, leaves: list[CID], clients: int, requests: int
) -> dict[str, float | int]:
    """Latency of raw-block requests from `clients` concurrent keep-alive connections.

    aiohttp drives this load: httpx's pool serialises 64 busy connections and would
    measure itself rather than the gateway.
    """
    latencies: list[float] = []
    errors = 0
    queue = [random.choice(leaves) for _ in range(requests)]
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(base, connector=connector) as session:

        async def worker() -> None:
            nonlocal errors
            while queue:
                cid = queue.pop()
                started = time.perf_counter()
                async with session.get(f"/ipfs/{cid}", headers={"Accept": RAW}) as response:
                    await response.read()
                    errors += response.status != 200
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "errors": errors,
        "rps": round(requests / seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--serve", nargs=2, metavar=("ROOT", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), int(args.serve[1]))
        return
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        command = [sys.executable, "-m", "bench.ipfs_gateway", "--serve", folder, str(port)]
        server = subprocess.Popen(command)
        try:
            base = f"http://127.0.0.1:{port}"
            asyncio.run(measure(Path(folder), base, server.pid, args.clients, args.requests))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
