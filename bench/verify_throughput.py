"""Public certificate verification: requests per second and latency at 64 concurrent clients.

`provena up --no-seed` runs as a real process on a temporary data directory, with the public
rate limit lifted (every client here is one loopback address). The registry is bootstrapped
and one certificate issued through the API; then `--clients` keep-alive connections ask
`GET /api/v1/verify/certificates/{id}` (signed out) for `--seconds`, each request timed to
its 200 answer. The first answer reads the proof's block; later ones are served from the
proof cache, so this measures the steady path: the projection's SQL and the answer.

One JSON line: {"bench": "verify_throughput", "clients", "requests", "failed", "seconds",
"rps", "p50_ms", "p99_ms", "goal_rps": 1000}.

    uv run python -m bench.verify_throughput [--clients 64] [--seconds 10] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bench.api_writes import GOVERNOR, WAIT, certificate, prepare
from bench.common import access_token, free_port, provena_up, temporary_database, wait_ready

CERTIFIER = "david.okafor"


async def issue(url: str, data_dir: Path) -> str:
    """Bootstrap, accredit and issue one certificate; its id once verification answers."""
    governor = access_token(url, data_dir, GOVERNOR)
    certifier = access_token(url, data_dir, CERTIFIER)
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        await prepare(http, governor)
        cert_id = f"C-{uuid.uuid4().hex[:10]}"
        answer = await http.post(
            "/api/v1/certificates",
            json=certificate(cert_id),
            headers={"Authorization": f"Bearer {certifier}"} | WAIT,
        )
        if answer.status_code != 200:
            raise RuntimeError(f"issue: {answer.status_code} {answer.text}")
        async with asyncio.timeout(30):
            while True:  # until the listener has projected it
                verified = await http.get(f"/api/v1/verify/certificates/{cert_id}")
                if verified.status_code == 200:
                    break
                await asyncio.sleep(0.05)
    return cert_id


async def load(url: str, cert_id: str, clients: int, seconds: float) -> dict[str, object]:
    path = f"/api/v1/verify/certificates/{cert_id}"
    latencies: list[float] = []
    failed = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        deadline = time.perf_counter() + seconds

        async def client() -> None:
            nonlocal failed
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    answer = await http.get(path)
                except httpx.HTTPError:
                    failed += 1
                    continue
                if answer.status_code == 200:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    failed += 1

        started = time.perf_counter()
        async with asyncio.TaskGroup() as group:
            for _ in range(clients):
                group.create_task(client())
        elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(q: float) -> float | None:
        return (
            round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)
            if latencies
            else None
        )

    return {
        "bench": "verify_throughput",
        "clients": clients,
        "requests": len(latencies),
        "failed": failed,
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "goal_rps": 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--postgres", help="a PostgreSQL maintenance database URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="provena-bench-") as tmp:
        root = Path(tmp)
        data_dir = root / "data"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with temporary_database(args.postgres, root) as database:
            env = {
                "PROVENA_DATABASE_URL": database,
                "PROVENA_VERIFY_RATE_PER_MINUTE": "100000000",
                "PROVENA_VERIFY_BURST": "1000000",
            }
            with provena_up(data_dir, port, "--no-seed", env=env) as process:
                wait_ready(url, process)
                cert_id = asyncio.run(issue(url, data_dir))
                result = asyncio.run(load(url, cert_id, args.clients, args.seconds))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
