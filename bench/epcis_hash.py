"""EPCIS event hashing: events hashed per second, JSON-LD and XML.

A generated document of `--events` events (object, aggregation, transaction,
transformation and association events with quantities, sensor data, ILMD and user
extensions) is read and hashed in this process, once as JSON-LD and once as XML; the best
of `--repeat` runs counts. Reading the document is part of the time, as it is for
`provena epcis hash`.

One JSON line per syntax: {"bench": "epcis_hash", "format", "events", "bytes", "seconds",
"events_per_s"}.

    uv run python -m bench.epcis_hash [--events 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import time

from bench.epcis_samples import events, json_document, xml_document
from provena.epcis import event_hash, read_events


def measure(document: bytes) -> float:
    started = time.perf_counter()
    for event in read_events(document):
        event_hash(event.fields)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    event_list = events(2024, args.events)
    for name, document in (
        ("json-ld", json_document(event_list).encode()),
        ("xml", xml_document(event_list).encode()),
    ):
        seconds = min(measure(document) for _ in range(args.repeat))
        line = {
            "bench": "epcis_hash",
            "format": name,
            "events": args.events,
            "bytes": len(document),
            "seconds": round(seconds, 3),
            "events_per_s": round(args.events / seconds),
        }
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
