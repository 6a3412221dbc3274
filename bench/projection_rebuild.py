"""Projection rebuild speed and peak memory: 100,000 events through the projections' apply.

The events are generated here as `provena.fabric.ChaincodeEvent`s with the payloads the
contracts emit (a shipment created, then custody transfers proposed and accepted, and
checkpoints), and fed to `provena.projections.replay` in one transaction on a SQLite
file: submitting 100,000 transactions to a devnet would measure the ledger instead.
Prints one JSON line: events/s (goal >= 3,000) and peak RSS.

    uv run python bench/projection_rebuild.py [--events 100000]
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


def events(count: int) -> list[ChaincodeEvent]:
    """Shipments of three events each: created, transfer proposed, transfer accepted."""
    generated = []
    for i in range(count):
        n, step, tx = i // 3, i % 3, f"{i:064x}"
        if step == 0:
            name, body = (
                "ShipmentCreated",
                {"shipment": _shipment(n, "ProducerMSP", "CREATED", 0, tx)},
            )
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
        payload = json.dumps(body).encode()
        generated.append(ChaincodeEvent(i // 10, tx, "provena", name, payload))
    return generated


async def main(count: int) -> None:
    generated = events(count)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'provena.db'}"
        await upgrade(url)
        async with Database.from_url(url) as database, database.session() as session:
            await DatabaseCheckpointer("projections").advance(session, generated[-1])

            async def stream() -> AsyncIterator[ChaincodeEvent]:
                for event in generated:
                    yield event

            started = time.perf_counter()
            applied = await replay(session, stream())
            await session.commit()
            elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "bench": "projection_rebuild",
                "backend": "sqlite",
                "events": applied,
                "seconds": round(elapsed, 3),
                "events_per_second": round(applied / elapsed),
                "goal_events_per_second": 3000,
                "peak_rss_mib": round(peak_kib / 1024, 1),
                "at": datetime.now(UTC).isoformat(),
            }
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().events))
