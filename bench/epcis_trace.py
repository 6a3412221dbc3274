"""Trace latency over a generated history: 100,000 EPCIS events, 10 levels deep.

The history is written straight into the projection (`provena.tracking.epcis_rows.store`,
as the listener does), on a SQLite file or on a database created on a PostgreSQL server:
submitting 100,000 events to a devnet would measure the ledger instead. `--families`
lines of goods are each processed `--levels` times, levels alternating between
transformations (two inputs, one from the neighbouring family, into one output) and
aggregations (packing into an SSCC), so a trace from the last level fans out upstream
across neighbouring families. Prints one JSON line per direction with p50/p99 latency of
`provena.tracking.trace.trace` (goal: p99 < 200 ms) and the nodes and edges it found.

    uv run python -m bench.epcis_trace [--families 10000 --levels 10 --traces 200]
    uv run python -m bench.epcis_trace --postgres postgresql://postgres@127.0.0.1/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.common import percentile, temporary_database
from provena.contracts.epcis import EpcisEvent, Subject
from provena.db import Database, upgrade
from provena.documents import Viewer
from provena.epcis import event_hash
from provena.events.upsert import batched_upserts
from provena.tracking import epcis_rows
from provena.tracking.trace import Direction, trace

START = datetime(2026, 1, 1, tzinfo=UTC)


def node(family: int, level: int) -> str:
    """The identifier of a family's goods after `level` steps (lots, or SSCCs when packed)."""
    if level % 2 == 0:
        return f"https://id.gs1.org/01/09506000134352/10/F{family}L{level}"
    return f"urn:provena:shipment:F{family}L{level}"


def event(families: int, family: int, level: int) -> dict[str, Any]:
    """The event that makes `node(family, level)` from level - 1."""
    when = (START + timedelta(minutes=level * families + family)).isoformat()
    base = {"eventTime": when.replace("+00:00", "Z"), "eventTimeZoneOffset": "+00:00"}
    if level % 2 == 1:
        return base | {
            "type": "AggregationEvent",
            "action": "ADD",
            "parentID": node(family, level),
            "childQuantityList": [{"epcClass": node(family, level - 1), "quantity": 10}],
            "bizStep": "packing",
        }
    inputs = [node(family, level - 1), node((family + 1) % families, level - 1)]
    return base | {
        "type": "TransformationEvent",
        "inputQuantityList": [{"epcClass": i, "quantity": 5, "uom": "KGM"} for i in inputs],
        "outputQuantityList": [{"epcClass": node(family, level), "quantity": 8, "uom": "KGM"}],
        "bizStep": "commissioning",
    }


def history(families: int, levels: int) -> Iterator[EpcisEvent]:
    for level in range(1, levels + 1):
        for family in range(families):
            body = {"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]}
            body |= event(families, family, level)
            yield EpcisEvent(
                hash=event_hash(body),
                event=body,
                subject=Subject(kind="capture", id=f"GEN-{level}"),
                captured_by_msp="ProducerMSP",
                captured_by="generator",
                record_time=START,
                tx_id=f"{level * families + family:064x}",
            )


async def generate(database: Database, families: int, levels: int) -> float:
    started = time.perf_counter()
    batch: list[EpcisEvent] = []

    async def flush() -> None:
        async with database.session() as session:
            async with batched_upserts(session):
                for n, record in enumerate(batch):
                    await epcis_rows.store(
                        session, [record], block_number=n // 100, tx_id=record.tx_id
                    )
            await session.commit()
        batch.clear()

    for record in history(families, levels):
        batch.append(record)
        if len(batch) == 5000:
            await flush()
    await flush()
    return time.perf_counter() - started


async def measure(
    database: Database, families: int, levels: int, direction: Direction, traces: int
) -> dict[str, Any]:
    auditor = Viewer(user_id=None, msp_id="CertifierMSP", sees_all=True)
    rng = random.Random(1)
    level = {"upstream": levels, "downstream": 0, "both": levels // 2}[direction]
    if level % 2 == 1:
        level -= 1
    timings, nodes, edges = [], [], []
    for _ in range(traces):
        root = node(rng.randrange(families), level)
        async with database.session() as session:
            started = time.perf_counter()
            graph = await trace(session, auditor, [root], direction=direction)
            timings.append((time.perf_counter() - started) * 1000)
        nodes.append(len(graph.nodes))
        edges.append(len(graph.edges))
    return {
        "direction": direction,
        "from_level": level,
        "traces": traces,
        "p50_ms": round(percentile(timings, 0.5), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
        "nodes_mean": round(sum(nodes) / len(nodes), 1),
        "edges_mean": round(sum(edges) / len(edges), 1),
        "levels_walked": max(levels - level, level),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--levels", type=int, default=10)
    parser.add_argument("--traces", type=int, default=200)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: a SQLite file)")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as scratch,
        temporary_database(args.postgres, Path(scratch)) as url,
    ):
        await upgrade(url)
        async with Database.from_url(url) as database:
            seconds = await generate(database, args.families, args.levels)
            if args.postgres:  # as autovacuum would after a bulk load, at once
                async with database.engine.connect() as connection:
                    await connection.execute(text("ANALYZE"))
                    await connection.commit()
            base = {
                "bench": "epcis_trace",
                "database": "postgresql" if args.postgres else "sqlite",
                "events": args.families * args.levels,
                "generate_s": round(seconds, 1),
            }
            for direction in ("upstream", "downstream", "both"):
                result = await measure(database, args.families, args.levels, direction, args.traces)
                print(json.dumps(base | result), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
