"""Commit throughput of the devnet's ledger store alone (no validation, no signatures):
the floor under every other devnet figure.

Each transaction writes two keys of its own and a shared counter, like a contract call that
updates a record and an index. One JSON line per block size.

    uv run python bench/devnet_ledger.py [--transactions 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from fabric_protos.peer import transaction_pb2

from provena.devnet.ledger.blocks import new_block
from provena.devnet.ledger.store import LedgerStore, TxRecord, Write


def _run(path: Path, block_size: int, transactions: int) -> dict[str, object]:
    store = LedgerStore.open(path)
    value = os.urandom(300)
    latencies = []
    started = time.perf_counter()
    try:
        for number in range(transactions // block_size):
            records = [
                TxRecord(
                    f"{number}.{i}",
                    transaction_pb2.VALID,
                    writes=[
                        Write("cc", f"record{number}.{i}", value),
                        Write("cc", f"\x00index\x00{number}.{i}\x00", b"\x00"),
                        Write("cc", "counter", str(number).encode()),
                    ],
                )
                for i in range(block_size)
            ]
            envelopes = [value * 10 for _ in records]  # ~3 KB per envelope, as endorsed txs are
            block = new_block(store.height, store.last_hash, envelopes)
            t0 = time.perf_counter()
            store.commit(block, records)
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
    finally:
        store.close()
    latencies.sort()
    return {
        "bench": "devnet_ledger_commit",
        "block_size": block_size,
        "blocks": len(latencies),
        "tx_per_s": round(len(latencies) * block_size / elapsed),
        "blocks_per_s": round(len(latencies) / elapsed, 1),
        "commit_ms_p50": round(latencies[len(latencies) // 2] * 1000, 3),
        "commit_ms_p99": round(latencies[int(len(latencies) * 0.99)] * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for block_size in (1, 10, 100):
            path = Path(tmp) / f"bench{block_size}.sqlite"
            print(json.dumps(_run(path, block_size, args.transactions)), flush=True)


if __name__ == "__main__":
    main()
