"""Public certificate verification: requests per second and latency at 64 concurrent clients.

`provena up --no-seed` runs as a real process on a temporary data directory, with the public
rate limit lifted (every client here is one loopback address). The registry is bootstrapped
and `--certificates` issued through the API; then `--clients` keep-alive connections ask
`GET /api/v1/verify/certificates/{id}` (signed out) for `--seconds`, through `wrk`
(Debian package `wrk`), each request timed to its answer; anything but 200 is a failure.
The first answer reads the proof's block; later ones are served from the proof cache, so
this measures the steady path: the projection's SQL and the answer.

One JSON line: {"bench": "verify_throughput", "clients", "requests", "failed", "seconds",
"rps", "p50_ms", "p99_ms", "goal_rps": 1000}.

    uv run python -m bench.verify_throughput [--clients 64] [--seconds 10] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import httpx

from bench.api_writes import GOVERNOR
from bench.common import (
    WAIT,
    access_token,
    certificate,
    free_port,
    prepare,
    provena_up,
    temporary_database,
    wait_ready,
)

CERTIFIER = "david.okafor"


async def issue(url: str, data_dir: Path, count: int) -> list[str]:
    """Bootstrap, accredit and issue `count` certificates; their ids once verification
    answers for each."""
    governor = access_token(url, data_dir, GOVERNOR)
    certifier = access_token(url, data_dir, CERTIFIER)
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        await prepare(http, governor)

        async def one() -> str:
            cert_id = f"C-{uuid.uuid4().hex[:10]}"
            answer = await http.post(
                "/api/v1/certificates",
                json=certificate(cert_id),
                headers={"Authorization": f"Bearer {certifier}"} | WAIT,
            )
            if answer.status_code != 200:
                raise RuntimeError(f"issue: {answer.status_code} {answer.text}")
            verified = await http.get(f"/api/v1/verify/certificates/{cert_id}")
            if verified.status_code != 200:  # a waited write is projected when it answers
                raise RuntimeError(f"verify: {verified.status_code} {verified.text}")
            return cert_id

        return list(await asyncio.gather(*(one() for _ in range(count))))


WRK_REPORT = """
paths = {PATHS}
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = function(summary, latency, requests)
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "failed": %d, "seconds": %.3f, "p50_ms": %.2f, "p99_ms": %.2f}\\n',
    summary.requests - summary.errors.status, failed, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def load(url: str, cert_ids: list[str], clients: int, seconds: float) -> dict[str, object]:
    """`wrk` asks for the verification: a C load generator, so the client's own cost
    (a Python client saturates a core long before the API) does not cap the figure."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("this bench needs wrk (Debian: apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        paths = ", ".join(f'"/api/v1/verify/certificates/{id}"' for id in cert_ids)
        script.write(WRK_REPORT.replace("PATHS", paths))
        script.flush()
        output = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{clients}",
                f"-d{round(seconds)}s",
                "-s",
                script.name,
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    return {
        "bench": "verify_throughput",
        "clients": clients,
        "certificates": len(cert_ids),
        "requests": report["requests"],
        "failed": report["failed"],
        "seconds": round(report["seconds"], 2),
        "rps": round(report["requests"] / report["seconds"], 1),
        "p50_ms": report["p50_ms"],
        "p99_ms": report["p99_ms"],
        "goal_rps": 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--certificates", type=int, default=1, help="asked in random order")
    parser.add_argument("--postgres", help="a PostgreSQL maintenance database URL")
    parser.add_argument(
        "--profile", metavar="FILE", type=Path, help="run the API under cProfile, stats to FILE"
    )
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
            with provena_up(data_dir, port, "--no-seed", env=env, profile=args.profile) as process:
                wait_ready(url, process)
                cert_ids = asyncio.run(issue(url, data_dir, args.certificates))
                result = load(url, cert_ids, args.clients, args.seconds)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
