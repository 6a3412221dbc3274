"""Multi-version concurrency control: do a transaction's reads still hold at commit time?

A read holds when the key's version is the one simulated against, counting the writes of
earlier valid transactions in the same block (those are `BlockUpdates`, not yet in the
store). A range read holds when re-running the range over store + block updates gives
exactly the keys and versions recorded: an extra key is a phantom.

    recorded range [start_key, end_key)   when the scan was drained (itr_exhausted)
                   [start_key, end_key]   when it stopped early: end_key is its last key

Ranges are checked against their raw reads: this network's simulator always records them
raw, never as Fabric's optional Merkle summary.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain

from fabric_protos.ledger.rwset.kvrwset import kv_rwset_pb2
from fabric_protos.peer import transaction_pb2

from provena.devnet.ledger.store import Height, LedgerStore, Write

__all__ = ["BlockUpdates", "check_reads", "writes_of"]

_Code = transaction_pb2.TxValidationCode


class BlockUpdates:
    """The writes of a block's valid transactions so far, by namespace and key."""

    def __init__(self) -> None:
        self._writes: dict[str, dict[str, tuple[bytes | None, Height]]] = {}

    def apply(self, writes: Sequence[Write], height: Height) -> None:
        for write in writes:
            self._writes.setdefault(write.namespace, {})[write.key] = (write.value, height)

    def contains(self, namespace: str, key: str) -> bool:
        return key in self._writes.get(namespace, {})

    def in_range(
        self, namespace: str, start: str, end: str, include_end: bool
    ) -> dict[str, tuple[bytes | None, Height]]:
        """The updated keys of a namespace within a range."""
        return {
            key: update
            for key, update in self._writes.get(namespace, {}).items()
            if key >= start and (not end or key < end or (include_end and key == end))
        }


def writes_of(namespace: str, kv: kv_rwset_pb2.KVRWSet) -> list[Write]:
    """A namespace's write set as store writes (an empty value deletes, as in Fabric)."""
    return [
        Write(namespace, w.key, None if w.is_delete or not w.value else bytes(w.value))
        for w in kv.writes
    ]


def _height(version: kv_rwset_pb2.Version) -> Height:
    return Height(version.block_num, version.tx_num)


def _read_holds(
    store: LedgerStore, updates: BlockUpdates, namespace: str, read: kv_rwset_pb2.KVRead
) -> bool:
    if updates.contains(namespace, read.key):
        return False
    committed = store.get_state(namespace, read.key)
    if committed is None:
        return not read.HasField("version")
    return read.HasField("version") and committed[1] == _height(read.version)


def _combined(
    store: LedgerStore,
    updates: BlockUpdates,
    namespace: str,
    info: kv_rwset_pb2.RangeQueryInfo,
) -> Iterator[tuple[str, Height]]:
    """Keys and versions of store + block updates over the range, in key order."""
    start, end, include_end = info.start_key, info.end_key, not info.itr_exhausted
    pending = updates.in_range(namespace, start, end, include_end)
    committed = store.range(namespace, start, end)
    if include_end:
        final = store.get_state(namespace, end)
        tail = [] if final is None else [(end, final[0], final[1])]
        committed = chain(committed, tail)
    merged: dict[str, Height | None] = {key: height for key, _, height in committed}
    merged.update(
        {key: None if value is None else height for key, (value, height) in pending.items()}
    )
    for key in sorted(merged):
        height = merged[key]
        if height is not None:
            yield key, height


def _range_holds(
    store: LedgerStore,
    updates: BlockUpdates,
    namespace: str,
    info: kv_rwset_pb2.RangeQueryInfo,
) -> bool:
    recorded = list(info.raw_reads.kv_reads)
    seen = 0
    for key, height in _combined(store, updates, namespace, info):
        if seen >= len(recorded):
            return False
        read = recorded[seen]
        if read.key != key or not read.HasField("version") or _height(read.version) != height:
            return False
        seen += 1
    return seen == len(recorded)


def check_reads(
    store: LedgerStore,
    updates: BlockUpdates,
    rwsets: Sequence[tuple[str, kv_rwset_pb2.KVRWSet]],
) -> int:
    """VALID, MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT, checked namespace by namespace."""
    for namespace, kv in rwsets:
        if not all(_read_holds(store, updates, namespace, read) for read in kv.reads):
            return int(_Code.MVCC_READ_CONFLICT)
        if not all(_range_holds(store, updates, namespace, info) for info in kv.range_queries_info):
            return int(_Code.PHANTOM_READ_CONFLICT)
    return int(_Code.VALID)
