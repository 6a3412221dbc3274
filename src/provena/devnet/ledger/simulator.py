"""Transaction simulation: run a transaction against the committed state and record what it
read and wrote, as Fabric's TxSimulator does.

- Reads see committed state only, never the transaction's own writes (Fabric's simulator
  does not read its own writes either).
- Every read records the version it saw (`KVRead`; no version when the key is absent); a
  key read twice keeps its first version, so a commit in between still shows as a conflict.
- A range scan records a `RangeQueryInfo` with the keys actually handed out (raw reads):
  when the scan was not drained, `end_key` is the last key handed out and `itr_exhausted`
  is false, so validation re-checks exactly the range the chaincode saw.
- Writing an empty value deletes the key (Fabric marks `is_delete` when the value is empty).
- Paginated scans belong to read-only transactions: a write after one, or one after a
  write, is refused with Fabric's message.

`rwset()` sorts namespaces, reads and writes by key (range queries stay in execution order),
so the same simulation always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from fabric_protos.ledger.queryresult import kv_query_result_pb2
from fabric_protos.ledger.rwset import rwset_pb2
from fabric_protos.ledger.rwset.kvrwset import kv_rwset_pb2

from provena.devnet.ledger.errors import SimulationError
from provena.devnet.ledger.store import Height, LedgerStore

__all__ = ["RangeScan", "TxSimulator"]


def _version(height: Height | None) -> kv_rwset_pb2.Version | None:
    return (
        None if height is None else kv_rwset_pb2.Version(block_num=height.block, tx_num=height.tx)
    )


def _read(key: str, height: Height | None) -> kv_rwset_pb2.KVRead:
    read = kv_rwset_pb2.KVRead(key=key)
    if height is not None:
        read.version.CopyFrom(_version(height))
    return read


@dataclass
class _Namespace:
    reads: dict[str, kv_rwset_pb2.KVRead] = field(default_factory=dict)
    writes: dict[str, kv_rwset_pb2.KVWrite] = field(default_factory=dict)
    ranges: list[RangeScan] = field(default_factory=list)


class RangeScan:
    """A range scan over committed state, handing out results in batches.

    With `page_size`, the scan stops after that many results and `bookmark` is the key
    where the next page starts ("" when there is none)."""

    def __init__(self, store: LedgerStore, namespace: str, start: str, end: str, page_size: int):
        self._rows: Iterator[tuple[str, bytes, Height]] = store.range(namespace, start, end)
        self._end = end
        self._remaining = page_size or None
        self._info = kv_rwset_pb2.RangeQueryInfo(start_key=start, end_key=end)
        self._info.raw_reads.SetInParent()
        self.bookmark = ""
        self.exhausted = False

    async def next(self, limit: int) -> list[tuple[str, bytes]]:
        """Up to `limit` more results in key order; an empty list once exhausted."""
        if limit <= 0:
            raise SimulationError(f"a range batch needs a positive limit, got {limit}")
        out: list[tuple[str, bytes]] = []
        while len(out) < limit and not self.exhausted:
            row = next(self._rows, None)
            if row is None:
                self._finish(bookmark=None)
                break
            key, value, height = row
            self._info.raw_reads.kv_reads.append(_read(key, height))
            self._info.end_key = key
            out.append((key, value))
            if self._remaining is not None:
                self._remaining -= 1
                if self._remaining == 0:  # the page is full: peek for the bookmark
                    self._finish(bookmark=next(self._rows, None))
        return out

    def _finish(self, *, bookmark: tuple[str, bytes, Height] | None) -> None:
        self.exhausted = True
        self._info.itr_exhausted = True
        self._info.end_key = self._end
        self.bookmark = "" if bookmark is None else bookmark[0]

    @property
    def info(self) -> kv_rwset_pb2.RangeQueryInfo:
        return self._info


class TxSimulator:
    """One transaction's simulation on one endorsing peer's view of the committed state."""

    def __init__(self, store: LedgerStore, tx_id: str = "") -> None:
        self._store = store
        self._tx_id = tx_id
        self._namespaces: dict[str, _Namespace] = {}
        self._wrote = False
        self._paginated = False

    def _ns(self, namespace: str) -> _Namespace:
        return self._namespaces.setdefault(namespace, _Namespace())

    async def get_state(self, namespace: str, key: str) -> bytes | None:
        """The committed value of a key (None when absent), recording the read."""
        found = self._store.get_state(namespace, key)
        reads = self._ns(namespace).reads
        if key not in reads:
            reads[key] = _read(key, None if found is None else found[1])
        return None if found is None else found[0]

    def scan(self, namespace: str, start: str, end: str, *, page_size: int = 0) -> RangeScan:
        """Open a range scan over [start, end) ("" end: unbounded), recorded for validation."""
        if page_size < 0:
            raise SimulationError(f"page size must not be negative, got {page_size}")
        if page_size:
            if self._wrote:
                raise SimulationError(
                    f"txid [{self._tx_id}]: unsuppored transaction. Paginated queries are "
                    "supported only in a read-only transaction"
                )
            self._paginated = True
        scan = RangeScan(self._store, namespace, start, end, page_size)
        self._ns(namespace).ranges.append(scan)
        return scan

    async def range(
        self, namespace: str, start: str, end: str, *, limit: int = 0
    ) -> list[tuple[str, bytes]]:
        """All results of [start, end) at once (at most `limit` when given, then the
        recorded range stops at the last key returned)."""
        scan = self.scan(namespace, start, end)
        results = await scan.next(limit) if limit else []
        if not limit:
            while batch := await scan.next(1024):
                results.extend(batch)
        return results

    async def history(self, namespace: str, key: str) -> list[kv_query_result_pb2.KeyModification]:
        """A key's committed modifications, newest first; not part of the read set."""
        return self._store.history(namespace, key)

    def put_state(self, namespace: str, key: str, value: bytes) -> None:
        self._write(namespace, key, value)

    def del_state(self, namespace: str, key: str) -> None:
        self._write(namespace, key, b"")

    def _write(self, namespace: str, key: str, value: bytes) -> None:
        if not key:
            raise SimulationError("key must not be an empty string")
        if self._paginated:
            raise SimulationError(
                f"txid [{self._tx_id}]: unsuppored transaction. Transaction has already "
                "performed a paginated query. Writes are not allowed"
            )
        self._wrote = True
        self._ns(namespace).writes[key] = kv_rwset_pb2.KVWrite(
            key=key, is_delete=not value, value=value
        )

    def rwset(self) -> rwset_pb2.TxReadWriteSet:
        """The read-write set so far: deterministic for the same simulation."""
        result = rwset_pb2.TxReadWriteSet(data_model=rwset_pb2.TxReadWriteSet.KV)
        for name in sorted(self._namespaces):
            ns = self._namespaces[name]
            kv = kv_rwset_pb2.KVRWSet(
                reads=[ns.reads[k] for k in sorted(ns.reads)],
                range_queries_info=[scan.info for scan in ns.ranges],
                writes=[ns.writes[k] for k in sorted(ns.writes)],
            )
            result.ns_rwset.add(namespace=name, rwset=kv.SerializeToString(deterministic=True))
        return result
