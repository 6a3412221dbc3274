"""IssueCertificate through the HTTP API next to the same transaction submitted directly,
and the latency from commit to the live feed's Server-Sent Event, on one `provena up`.

`provena up --no-seed` runs as a real process on a temporary data directory (SQLite, or
`--postgres`): the devnet, the contracts beside it and the API with its event listener, as
a user gets them. Then, in this process, one after the other on that same ledger:

- direct: `--n` IssueCertificate transactions through `provena.fabric`, `--in-flight` at a
  time, each timed from proposal to the commit status (the devnet identity of a certifier);
- http: `--n` `POST /api/v1/certificates` from `--clients` concurrent keep-alive clients
  (aiohttp's), each with `Prefer: wait=30`, timed until the 200 answer that says committed
  (the API signs with the wallet's identity of the same certifier).

Meanwhile one SSE client (`GET /api/v1/events`, the certifier's token) timestamps every
frame. Commit → SSE latency is, per transaction, the frame's arrival minus the moment this
process learned of the commit, both on this process's monotonic clock: for direct, when
the commit status returned (the client's first sight of the commit); for http, when the
committed answer arrived (the API has then seen the commit itself, so its feed may be
ahead: values can be below zero). The frame is `certificate.issued` (the listener's
projection of the chaincode event) for both loads, and also `transaction.committed` (the
write path's status row) for http. Every transaction touches its own certificate.

One JSON line per result: {"bench": "api_writes", "path": "direct"|"http", "ok", "failed",
"seconds", "tps", "p50_ms", "p99_ms", ...}; the http line adds "ratio_to_direct" (goal
>= 0.7); then {"bench": "sse_latency", "load", "kind", "events", "missing", "p50_ms",
"p99_ms"} per load and kind (goal p99 < 250 ms).

    uv run python -m bench.api_writes [--n 2000] [--clients 32] [--in-flight 32]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import httpx

from bench.common import (
    WAIT,
    access_token,
    certificate,
    devnet_profile,
    free_port,
    prepare,
    provena_up,
    temporary_database,
    wait_ready,
)
from provena.devnet.config import DevnetConfig
from provena.fabric import Contract
from provena.fabric.bench import BenchResult
from provena.fabric.profile import Profile

CERTIFIER = ("CertifierMSP", "david.okafor")
GOVERNOR = "ines.moreau"
Arrivals = dict[tuple[str, str], float]  # (kind, tx id) -> when its SSE frame arrived


async def listen(http: httpx.AsyncClient, token: str, arrivals: Arrivals) -> None:
    """Timestamp each frame of the live feed as it arrives, until cancelled."""
    headers = {"Authorization": f"Bearer {token}"}
    async with http.stream("GET", "/api/v1/events", headers=headers, timeout=None) as response:
        response.raise_for_status()
        kind = ""
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                arrivals[(kind, json.loads(line.removeprefix("data: "))["tx_id"])] = (
                    time.perf_counter()
                )


async def run_workers(count: int, concurrency: int, work: Any) -> BenchResult:
    """`await work(i)` for i < count, `concurrency` at a time; work returns its latency in ms,
    or None when it failed."""
    indices = iter(range(count))
    latencies: list[float] = []
    failed = 0

    async def worker() -> None:
        nonlocal failed
        for i in indices:
            latency = await work(i)
            if latency is None:
                failed += 1
            else:
                latencies.append(latency)

    started = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for _ in range(min(concurrency, count)):
            group.create_task(worker())
    return BenchResult(len(latencies), failed, time.perf_counter() - started, tuple(latencies))


async def direct(
    contract: Contract, count: int, in_flight: int, committed: dict[str, float]
) -> BenchResult:
    """IssueCertificate through `provena.fabric`: endorse, submit, wait for the commit status."""
    run = uuid.uuid4().hex[:8]

    async def issue(i: int) -> float | None:
        started = time.perf_counter()
        body = json.dumps(certificate(f"D-{run}-{i}"))
        submitted = await contract.submit_async("IssueCertificate", args=[body])
        status = await submitted.get_status()
        if not status.successful:
            return None
        committed[submitted.transaction_id] = now = time.perf_counter()
        return (now - started) * 1000

    return await run_workers(count, in_flight, issue)


async def through_http(
    url: str, token: str, count: int, clients: int, committed: dict[str, float]
) -> BenchResult:
    """POST /api/v1/certificates with `Prefer: wait=30`: done when the answer says committed.

    The load comes from aiohttp's client, which costs this process a fraction of what httpx
    does per request: on a small machine the load generator shares the cores it measures."""
    run = uuid.uuid4().hex[:8]
    headers = {"Authorization": f"Bearer {token}"} | WAIT
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(url, connector=connector, headers=headers) as http:

        async def issue(i: int) -> float | None:
            started = time.perf_counter()
            body = certificate(f"H-{run}-{i}")
            async with http.post("/api/v1/certificates", json=body) as answer:
                text = await answer.text()
            now = time.perf_counter()
            result = json.loads(text) if answer.status == 200 else {}
            if result.get("status") != "committed":
                print(f"http write {i}: {answer.status} {text[:300]}", file=sys.stderr)
                return None
            committed[result["tx_id"]] = now
            return (now - started) * 1000

        return await run_workers(count, clients, issue)


async def delivered(
    arrivals: Arrivals, kinds: tuple[str, ...], committed: dict[str, float]
) -> None:
    """Wait (up to 30 s) until every committed transaction's frames of `kinds` arrived."""
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        if all((kind, tx) in arrivals for kind in kinds for tx in committed):
            return
        await asyncio.sleep(0.1)


def sse_latency(
    load: str, kind: str, arrivals: Arrivals, committed: dict[str, float]
) -> dict[str, Any]:
    seen = [arrivals[(kind, tx)] - at for tx, at in committed.items() if (kind, tx) in arrivals]
    stats = BenchResult(len(seen), 0, 0.0, tuple(s * 1000 for s in seen)).as_dict()
    return {
        "bench": "sse_latency",
        "load": load,
        "kind": kind,
        "events": len(seen),
        "missing": len(committed) - len(seen),
        "p50_ms": stats["p50_ms"],
        "p99_ms": stats["p99_ms"],
        "goal_p99_ms": 250,
    }


@contextlib.asynccontextmanager
async def feed(http: httpx.AsyncClient, token: str) -> AsyncIterator[Arrivals]:
    """The arrivals of the live feed's frames, recorded while the block runs."""
    arrivals: Arrivals = {}
    listening = asyncio.create_task(listen(http, token, arrivals))
    try:
        await asyncio.sleep(0.5)  # connected and subscribed before any write
        yield arrivals
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening


async def measure(
    url: str, tokens: dict[str, str], profile: Profile, args: argparse.Namespace
) -> list[dict[str, Any]]:
    limits = httpx.Limits(max_connections=args.clients + 4, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        await prepare(http, tokens[GOVERNOR])
        certifier = tokens[CERTIFIER[1]]
        async with profile.connect() as gateway:
            network = gateway.get_network(profile.channel)
            contract = network.get_contract("provena", "Certificates")
            warm = args.clients
            await direct(contract, warm, warm, {})  # connections, the chaincode's first calls
            await through_http(url, certifier, warm, warm, {})  # and the wallet's enrollment
            async with feed(http, certifier) as arrivals:
                direct_commits: dict[str, float] = {}
                direct_result = await direct(contract, args.n, args.in_flight, direct_commits)
                http_commits: dict[str, float] = {}
                http_result = await through_http(url, certifier, args.n, args.clients, http_commits)
                await delivered(arrivals, ("certificate.issued",), direct_commits)
                kinds = ("certificate.issued", "transaction.committed")
                await delivered(arrivals, kinds, http_commits)
    direct_line = direct_result.as_dict()
    http_line = http_result.as_dict()
    ratio = round(float(http_line["tps"]) / float(direct_line["tps"]), 2)
    return [
        {"bench": "api_writes", "path": "direct", "in_flight": args.in_flight} | direct_line,
        {"bench": "api_writes", "path": "http", "clients": args.clients}
        | http_line
        | {"ratio_to_direct": ratio, "goal_ratio": 0.7},
        sse_latency("direct", "certificate.issued", arrivals, direct_commits),
        *(sse_latency("http", kind, arrivals, http_commits) for kind in kinds),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000, help="transactions per path")
    parser.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients")
    parser.add_argument("--in-flight", type=int, default=32, help="direct submissions at once")
    parser.add_argument("--postgres", metavar="URL", default=None, help="a PostgreSQL server")
    parser.add_argument(
        "--profile", metavar="FILE", type=Path, help="run the API under cProfile, stats to FILE"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "provena"
        port = free_port()
        with temporary_database(args.postgres, Path(tmp)) as database:
            env = {"PROVENA_DATABASE_URL": database}  # the devnet takes any free ports
            with provena_up(data_dir, port, "--no-seed", env=env, profile=args.profile) as process:
                url = f"http://127.0.0.1:{port}"
                wait_ready(url, process)
                tokens = {
                    name: access_token(url, data_dir, name) for name in (GOVERNOR, CERTIFIER[1])
                }
                endpoint = DevnetConfig.load(data_dir / "devnet").endpoint  # as it runs
                profile = devnet_profile(data_dir, endpoint, *CERTIFIER)
                lines = asyncio.run(measure(url, tokens, profile, args))
    database_name = "postgresql" if args.postgres else "sqlite"
    for line in lines:
        print(json.dumps(line | {"database": database_name}), flush=True)


if __name__ == "__main__":
    main()
