"""A sustained mixed workload through HTTP, and what it costs the server over time.

`provena up --no-seed` runs as a real process (SQLite, or `--postgres`): the API, the devnet
and the contracts, as a user gets them. `--clients` workers then, for `--seconds`, pick
operations by a seeded draw: issue a certificate (the certification body), create a
shipment of a certified lot (the producer), hand it to the carrier (propose, then accept),
record a checkpoint with sensor readings (the carrier), verify a certificate (signed out),
upload a document. Writes wait for their commit (`Prefer: wait=30`). `--sse` auditors
follow the live feed all along. Every 5 s the API's process tree is sampled: resident
memory and open file descriptors of the API, the devnet and the contracts, and the
database's size.

One JSON line per operation {"bench": "load", "op", "count", "errors", "error_rate",
"rps", "p50_ms", "p99_ms"}, one per process {"bench": "load", "process", "rss_mib_warm",
"rss_mib_end", "fds_warm", "fds_end"} (warm: after the first fifth of the run), and one
{"bench": "load", "op": "all", "writes", "db_bytes_per_write", "sse_events"}.
    uv run python -m bench.load [--seconds 600] [--clients 8] [--sse 4] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import make_url

from bench.common import (
    WAIT,
    access_token,
    certificate,
    free_port,
    percentile,
    prepare,
    provena_up,
    temporary_database,
    wait_ready,
)

PEOPLE = {
    "governor": "ines.moreau",
    "certifier": "david.okafor",
    "producer": "tomas.herrera",
    "carrier": "sam.carter",
    "auditor": "lars.nilsson",
}
#: How often each operation is drawn.
MIX = {"issue": 3, "ship": 2, "hand_over": 2, "checkpoint": 3, "verify": 6, "upload": 2}
SAMPLE_SECONDS = 5.0


@dataclass
class Run:
    """What the workers share: tokens, records made so far, timings, the feed's count."""

    tokens: dict[str, str]
    draw: random.Random
    certificates: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # shipments held by the producer
    held: list[str] = field(default_factory=list)  # shipments the carrier holds
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    writes: int = 0
    sse_events: int = 0

    def auth(self, who: str, **headers: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} | headers


def _committed(answer: httpx.Response) -> bool:
    return answer.status_code == 200 and answer.json().get("status") == "committed"


async def issue(http: httpx.AsyncClient, run: Run) -> bool:
    cert_id = f"L-{uuid.uuid4().hex[:12]}"
    answer = await http.post(
        "/api/v1/certificates", json=certificate(cert_id), headers=run.auth("certifier", **WAIT)
    )
    if _committed(answer):
        run.certificates.append(cert_id)
    return _committed(answer)


async def ship(http: httpx.AsyncClient, run: Run) -> bool:
    if not run.certificates:
        return await issue(http, run)
    cert_id = run.draw.choice(run.certificates)
    shipment_id = f"S-{uuid.uuid4().hex[:12]}"
    body = {
        "id": shipment_id,
        "items": [
            {
                "sku": "TOM-1",
                "description": "Tomatoes",
                "quantity": "120",
                "unit": "kg",
                "lot": f"LOT-{cert_id}",
                "certificate_ids": [cert_id],
            }
        ],
        "origin": "Green Valley packhouse",
        "destination": {"msp_id": "RetailerMSP", "location": "Harbor Street store"},
    }
    answer = await http.post("/api/v1/shipments", json=body, headers=run.auth("producer", **WAIT))
    if _committed(answer):
        run.created.append(shipment_id)
    return _committed(answer)


async def hand_over(http: httpx.AsyncClient, run: Run) -> bool:
    if not run.created:
        return await ship(http, run)
    shipment_id = run.created.pop()
    base = f"/api/v1/shipments/{shipment_id}/transfer"
    offered = await http.post(
        base, json={"to_msp": "CarrierMSP"}, headers=run.auth("producer", **WAIT)
    )
    if not _committed(offered):
        return False
    accepted = await http.post(f"{base}/accept", headers=run.auth("carrier", **WAIT))
    if _committed(accepted):
        run.held.append(shipment_id)
    return _committed(accepted)


async def checkpoint(http: httpx.AsyncClient, run: Run) -> bool:
    if not run.held:
        return await hand_over(http, run)
    celsius = run.draw.uniform(2, 8)
    body = {
        "event_time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "event_time_zone_offset": "+00:00",
        "biz_step": "transporting",
        "disposition": "in_transit",
        "read_point": "urn:epc:id:sgln:0614141.07346.1234",
        "sensor_readings": [{"type": "Temperature", "value": f"{celsius:.1f}", "uom": "CEL"}],
    }
    # One checkpoint at a time per shipment: two at once on one record conflict on the
    # ledger (MVCC), as they would for any two clients.
    shipment_id = run.held.pop(run.draw.randrange(len(run.held)))
    try:
        path = f"/api/v1/shipments/{shipment_id}/checkpoints"
        answer = await http.post(path, json=body, headers=run.auth("carrier", **WAIT))
    finally:
        run.held.append(shipment_id)
    return _committed(answer)


async def verify(http: httpx.AsyncClient, run: Run) -> bool:
    if not run.certificates:
        return await issue(http, run)
    answer = await http.get(f"/api/v1/verify/certificates/{run.draw.choice(run.certificates)}")
    return answer.status_code == 200


async def upload(http: httpx.AsyncClient, run: Run) -> bool:
    body = os.urandom(16 * 1024)
    answer = await http.post(
        "/api/v1/documents",
        content=body,
        params={"name": f"reading-{uuid.uuid4().hex[:8]}.bin"},
        headers=run.auth("certifier", **{"Content-Type": "application/octet-stream"}),
    )
    return answer.status_code in (200, 201)


OPERATIONS: dict[str, Callable[[httpx.AsyncClient, Run], Awaitable[bool]]] = {
    "issue": issue,
    "ship": ship,
    "hand_over": hand_over,
    "checkpoint": checkpoint,
    "verify": verify,
    "upload": upload,
}
WRITES = {"issue", "ship", "hand_over", "checkpoint"}


async def worker(http: httpx.AsyncClient, run: Run, until: float) -> None:
    names, weights = list(MIX), list(MIX.values())
    while time.monotonic() < until:
        name = run.draw.choices(names, weights)[0]
        started = time.perf_counter()
        try:
            ok = await OPERATIONS[name](http, run)
        except httpx.TransportError:
            ok = False
        run.times[name].append(time.perf_counter() - started)
        if not ok:
            run.errors[name] += 1
        elif name in WRITES:
            run.writes += 1


async def follow_feed(url: str, run: Run) -> None:
    timeout = httpx.Timeout(5, read=60)
    async with (
        httpx.AsyncClient(base_url=url, timeout=timeout) as http,
        http.stream("GET", "/api/v1/events", headers=run.auth("auditor")) as stream,
    ):
        async for line in stream.aiter_lines():
            if line.startswith("id:"):
                run.sse_events += 1


def _tree(pid: int) -> dict[str, int]:
    """The API and its children by role: the devnet, and the contracts below it."""
    found = {"api": pid}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in map(int, (task / "children").read_text().split()):
            command = Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace")
            if "devnet" in command:
                found["devnet"] = child
                for grandchild in _children(child):
                    if _is_contracts(grandchild):
                        found["contracts"] = grandchild
    return found


def _children(pid: int) -> list[int]:
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]


def _is_contracts(pid: int) -> bool:
    return b"provena.contracts" in Path(f"/proc/{pid}/cmdline").read_bytes()


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def _database_bytes(url: str) -> int:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        return sum(p.stat().st_size for p in path.parent.glob(f"{path.name}*"))
    conninfo = parsed.set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(conninfo) as conn:
        size = conn.execute(b"SELECT pg_database_size(current_database())").fetchone()
        return int(size[0]) if size else 0


async def sample(pid: int, database_url: str, samples: list[dict[str, Any]]) -> None:
    while True:
        tree = _tree(pid)
        samples.append(
            {
                "t": time.monotonic(),
                "db": _database_bytes(database_url),
                **{f"rss_{name}": _rss_mib(p) for name, p in tree.items()},
                **{f"fds_{name}": _fds(p) for name, p in tree.items()},
            }
        )
        await asyncio.sleep(SAMPLE_SECONDS)


def figures(run: Run, samples: list[dict[str, Any]], seconds: float) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for name in OPERATIONS:
        times = run.times.get(name, [])
        if not times:
            continue
        lines.append(
            {
                "bench": "load",
                "op": name,
                "count": len(times),
                "errors": run.errors[name],
                "error_rate": round(run.errors[name] / len(times), 4),
                "rps": round(len(times) / seconds, 1),
                "p50_ms": round(statistics.median(times) * 1000, 1),
                "p99_ms": round(percentile(times, 0.99) * 1000, 1),
            }
        )
    warm = samples[len(samples) // 5]
    end = samples[-1]
    for process in ("api", "devnet", "contracts"):
        if f"rss_{process}" in warm and f"rss_{process}" in end:
            lines.append(
                {
                    "bench": "load",
                    "process": process,
                    "rss_mib_warm": round(warm[f"rss_{process}"], 1),
                    "rss_mib_end": round(end[f"rss_{process}"], 1),
                    "fds_warm": warm[f"fds_{process}"],
                    "fds_end": end[f"fds_{process}"],
                }
            )
    grown = end["db"] - samples[0]["db"]
    lines.append(
        {
            "bench": "load",
            "op": "all",
            "seconds": round(seconds, 1),
            "writes": run.writes,
            "db_bytes_per_write": round(grown / max(run.writes, 1)),
            "sse_events": run.sse_events,
        }
    )
    return lines


async def measure(
    url: str, data_dir: Path, pid: int, database_url: str, args: argparse.Namespace
) -> list[dict[str, Any]]:
    tokens = {role: access_token(url, data_dir, user) for role, user in PEOPLE.items()}
    run = Run(tokens, random.Random(args.seed))
    samples: list[dict[str, Any]] = []
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        await prepare(http, tokens["governor"])
        background = [asyncio.create_task(follow_feed(url, run)) for _ in range(args.sse)]
        background.append(asyncio.create_task(sample(pid, database_url, samples)))
        started = time.monotonic()
        until = started + args.seconds
        await asyncio.gather(*(worker(http, run, until) for _ in range(args.clients)))
        seconds = time.monotonic() - started
        samples.append(samples[-1] | {"t": time.monotonic(), "db": _database_bytes(database_url)})
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
    return figures(run, samples, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--sse", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", help="A PostgreSQL server's maintenance database URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="provena-load-") as tmp:
        root = Path(tmp)
        data_dir = root / "data"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with temporary_database(args.postgres, root) as database_url:
            # One person uploads and one address verifies here all along: lift the limits
            # meant for one person and one client among many.
            env = {
                "PROVENA_DATABASE_URL": database_url,
                "PROVENA_UPLOAD_BURST": "100000",
                "PROVENA_VERIFY_BURST": "100000",
            }
            with provena_up(data_dir, port, "--no-seed", env=env) as process:
                wait_ready(url, process)
                lines = asyncio.run(measure(url, data_dir, process.pid, database_url, args))
    for line in lines:
        print(json.dumps(line))
    if any(line.get("errors") for line in lines):
        sys.exit(1)


if __name__ == "__main__":
    main()
