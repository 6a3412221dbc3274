"""EPCIS capture throughput: one document of 10,000 events through `POST /epcis/capture`.

`provena up --no-seed` runs as a real process (SQLite, or `--postgres`): the devnet, the
contracts and the API. The document (JSON-LD: the valid ones of the events of every type
that `bench.epcis_samples` generates) is posted by the producer; the capture job signs
`Epcis:CaptureEvents` transactions of 500 events as that person and waits for each to
commit and reach the projection. Prints one JSON line: events/s from the request until
the job says it is done (events committed to the ledger and queryable), the document's
size, the time to the 202 (validation and hashing), and the resident memory of `provena
up` and its children (devnet, contracts) before and at the peak.

    uv run python -m bench.epcis_capture [--events 10000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import access_token, free_port, provena_up, temporary_database, wait_ready
from bench.epcis_samples import events, json_document
from bench.ledger_network import rss_bytes
from provena.epcis import validate_event

PRODUCER = "tomas.herrera"


def valid_events(count: int) -> list[dict[str, Any]]:
    """`count` generated events that pass validation (the generator also makes others)."""
    chosen: list[dict[str, Any]] = []
    seed = 7
    while len(chosen) < count:
        chosen += [e for e in events(seed, count) if not validate_event(e)]
        seed += 1
    return chosen[:count]


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(child) for child in task.read_text().split()]
    return found


def rss(pid: int) -> int:
    """Resident memory of `provena up` and its children (devnet, contracts), in bytes."""
    total = 0
    for member in tree(pid):
        with contextlib.suppress(FileNotFoundError):  # it exited meanwhile
            total += rss_bytes(member)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    body = json_document(valid_events(args.events)).encode()
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch) / "data"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with temporary_database(args.postgres, Path(scratch)) as database:
            env = {"PROVENA_DATABASE_URL": database}
            with provena_up(data_dir, port, "--no-seed", env=env) as process:
                wait_ready(url, process)
                token = access_token(url, data_dir, PRODUCER)
                headers = {
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/ld+json",
                }
                with httpx.Client(base_url=url, timeout=600) as http:
                    rss_before = rss(process.pid)
                    started = time.perf_counter()
                    answer = http.post("/epcis/capture", content=body, headers=headers)
                    accepted = time.perf_counter() - started
                    answer.raise_for_status()
                    location = answer.headers["location"]
                    rss_peak = rss_before
                    while True:
                        job = http.get(location, headers=headers).json()
                        rss_peak = max(rss_peak, rss(process.pid))
                        if not job["running"]:
                            break
                        time.sleep(0.2)
                    seconds = time.perf_counter() - started
        print(
            json.dumps(
                {
                    "bench": "epcis_capture",
                    "database": "postgresql" if args.postgres else "sqlite",
                    "events": args.events,
                    "document_bytes": len(body),
                    "success": job["success"],
                    "committed": job["committed"],
                    "stored": job["stored"],
                    "duplicates": len(job["duplicates"]),
                    "errors": job["errors"][:3],
                    "accepted_s": round(accepted, 2),
                    "seconds": round(seconds, 1),
                    "events_per_s": round(job["committed"] / seconds, 1),
                    "rss_before_mib": round(rss_before / 2**20, 1),
                    "rss_peak_mib": round(rss_peak / 2**20, 1),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
