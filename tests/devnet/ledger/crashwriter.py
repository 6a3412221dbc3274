"""Commits blocks to a ledger store in a loop until killed (run as a subprocess by
test_crash.py). Block n has n % 7 + 1 transactions; each writes `count` = n and one key of
its own, and deletes the key written three blocks earlier, so state, history, index and
chain all move in every SQL transaction."""

from __future__ import annotations

import sys
from pathlib import Path

from fabric_protos.peer import transaction_pb2

from provena.devnet.ledger.blocks import new_block
from provena.devnet.ledger.store import LedgerStore, TxRecord, Write


def block_writes(number: int) -> list[list[Write]]:
    """The writes of each transaction of block `number`, as the checker expects them."""
    txs = []
    for tx in range(number % 7 + 1):
        writes = [Write("cc", "count", str(number).encode()), Write("cc", f"k{number}.{tx}", b"v")]
        if number > 3:
            writes.append(Write("cc", f"k{number - 3}.0", None))
        txs.append(writes)
    return txs


def main(path: str) -> None:
    store = LedgerStore.open(Path(path))
    print("ready", flush=True)
    while True:
        number = store.height
        txs = block_writes(number)
        records = [
            TxRecord(f"tx{number}.{i}", transaction_pb2.VALID, writes=w) for i, w in enumerate(txs)
        ]
        data = [r.tx_id.encode() * 200 for r in records]  # some bulk in every block
        store.commit(new_block(number, store.last_hash, data), records)


if __name__ == "__main__":
    main(sys.argv[1])
