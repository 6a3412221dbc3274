"""`GET /api/v1/me` throughput and latency with concurrent clients and a valid token.

Starts `provena up` (SQLite by default, or `--database-url`), signs a demo user in with
the development issuer's key, then loads it with `--clients` concurrent keep-alive
connections. The load comes from `wrk` (Debian package `wrk`) when it is installed, so
the client costs little CPU next to the server; otherwise from an httpx client in this
process. Prints one JSON line: {"bench", "client", "database", "clients", "requests",
"errors", "seconds", "rps", "p50_ms", "p99_ms"}.

    uv run python -m bench.me_throughput [--clients 50] [--requests 5000] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import access_token, free_port, provena_up, wait_ready


async def run(url: str, token: str, clients: int, requests: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    remaining = requests
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, limits=limits, headers=headers) as client:
        for _ in range(clients):  # warm the connections and the key cache
            await client.get("/api/v1/me")

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                response = await client.get("/api/v1/me")
                latencies.append(time.perf_counter() - started)
                errors += response.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(seconds, 3),
        "rps": round(len(latencies) / seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
    }


def run_wrk(url: str, token: str, clients: int, seconds: int) -> dict[str, float]:
    """Load with wrk; its --latency report gives the percentiles."""
    out = subprocess.run(
        [
            "wrk",
            "--latency",
            f"-t{min(2, clients)}",
            f"-c{clients}",
            f"-d{seconds}s",
            "-H",
            f"Authorization: Bearer {token}",
            f"{url}/api/v1/me",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def duration_ms(text: str) -> float:
        value = float(re.sub(r"[a-z]+$", "", text))
        unit = re.sub(r"^[0-9.]+", "", text)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]

    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    return {
        "requests": requests,
        "errors": errors,
        "seconds": seconds,
        "rps": round(requests / seconds, 1),
        "p50_ms": round(duration_ms(percentiles["50"]), 2),
        "p99_ms": round(duration_ms(percentiles["99"]), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=10, help="duration of a wrk run")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--client", choices=["auto", "wrk", "httpx"], default="auto")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {"PROVENA_DATABASE_URL": args.database_url} if args.database_url else {}
        with provena_up(data_dir, port, env=env) as process:
            wait_ready(url, process)
            token = access_token(url, data_dir, "david.okafor")
            client = args.client
            if client == "auto":
                client = "wrk" if shutil.which("wrk") else "httpx"
            if client == "wrk":
                asyncio.run(run(url, token, args.clients, args.clients))  # warm up
                result = run_wrk(url, token, args.clients, args.seconds)
            else:
                result = asyncio.run(run(url, token, args.clients, args.requests))
    database = (args.database_url or "sqlite").split(":")[0]
    head = {"bench": "api_me", "client": client, "database": database, "clients": args.clients}
    print(json.dumps(head | result))


if __name__ == "__main__":
    main()
