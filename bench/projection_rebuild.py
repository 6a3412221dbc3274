"""Projection rebuild speed and peak memory: 100,000 events through the projections' apply.

The events are generated here as `provena.fabric.ChaincodeEvent`s with the payloads the
contracts emit (a shipment created, then custody transfers proposed and accepted, and
checkpoints), made one at a time as a ledger streams them, and fed to
`provena.projections.replay` in one transaction, on a SQLite file or on a database created
(and dropped) on a PostgreSQL server: submitting 100,000 transactions to a devnet would
measure the ledger instead. Prints one JSON line: events/s (goal >= 3,000), and the peak
RSS before the replay and after it (the replay holds one batch of events' rows, so the
difference stays the same whatever the number of events).

    uv run python -m bench.projection_rebuild [--events 100000]
    uv run python -m bench.projection_rebuild --postgres postgresql://postgres@127.0.0.1/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

from bench.common import temporary_database
from provena.db import Database, upgrade
from provena.events import DatabaseCheckpointer
from provena.fabric import ChaincodeEvent
from provena.projections.rebuild import replay


def _shipment(n: int, custodian: str, status: str, transfers: int, tx: str) -> dict[str, object]:
    now = "2026-05-01T10:00:00Z"
    return {
        "id": f"SHIP-{n}",
        "items": [{"sku": "TOM-1", "description": "Tomatoes", "quantity": "12.5", "unit": "KGM"}],
        "origin": "Farm",
        "destination": {"msp_id": "RetailerMSP", "location": "Harbor St"},
        "documents": [],
        "owner_msp": "ProducerMSP",
        "custodian_msp": custodian,
        "status": status,
        "custody": [{"msp_id": "ProducerMSP", "since": now, "tx_id": tx}],
        "transfer_count": transfers,
        "created_at": now,
        "created_by": "x509::producer",
        "updated_at": now,
        "tx_id": tx,
    }


def event(i: int) -> ChaincodeEvent:
    """The `i`th event: shipments of three events each (created, transfer proposed, accepted)."""
    n, step, tx = i // 3, i % 3, f"{i:064x}"
    if step == 0:
        name = "ShipmentCreated"
        body: dict[str, object] = {"shipment": _shipment(n, "ProducerMSP", "CREATED", 0, tx)}
    else:
        status = "PROPOSED" if step == 1 else "ACCEPTED"
        transfer = {
            "seq": 0,
            "from_msp": "ProducerMSP",
            "to_msp": "CarrierMSP",
            "status": status,
            "proposed_at": "2026-05-01T10:00:00Z",
            "resolved_at": None if step == 1 else "2026-05-01T11:00:00Z",
        }
        shipment = _shipment(
            n,
            "ProducerMSP" if step == 1 else "CarrierMSP",
            "TRANSFER_PROPOSED" if step == 1 else "IN_TRANSIT",
            1,
            tx,
        )
        name = "TransferProposed" if step == 1 else "TransferAccepted"
        body = {"shipment": shipment, "transfer": transfer}
    return ChaincodeEvent(i // 10, tx, "provena", name, json.dumps(body).encode())


async def stream(count: int) -> AsyncIterator[ChaincodeEvent]:
    """The events made one at a time, as a ledger streams them: none is held."""
    for i in range(count):
        yield event(i)


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(count: int, database_url: str | None) -> None:
    with (
        tempfile.TemporaryDirectory() as directory,
        temporary_database(database_url, Path(directory)) as url,
    ):
        await upgrade(url)
        async with Database.from_url(url) as database, database.session() as session:
            await DatabaseCheckpointer("projections").advance(session, event(count - 1))
            before = rss_mib()
            started = time.perf_counter()
            applied = await replay(session, stream(count))
            await session.commit()
            elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "bench": "projection_rebuild",
                "backend": url.split(":")[0].split("+")[0],
                "events": applied,
                "seconds": round(elapsed, 3),
                "events_per_second": round(applied / elapsed),
                "goal_events_per_second": 3000,
                "peak_rss_mib_before": round(before, 1),
                "peak_rss_mib": round(rss_mib(), 1),
                "at": datetime.now(UTC).isoformat(),
            }
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=None,
        help="a PostgreSQL server's maintenance database, e.g. postgresql://postgres@127.0.0.1/postgres;"
        " the bench creates and drops its own database there (default: a SQLite file)",
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.postgres))
