"""TxSimulator: what it records, and that the read-write set is deterministic."""

from __future__ import annotations

import pytest
from fabric_protos.ledger.rwset.kvrwset import kv_rwset_pb2
from fabric_protos.peer import transaction_pb2

from provena.devnet.ledger.blocks import new_block
from provena.devnet.ledger.errors import SimulationError
from provena.devnet.ledger.simulator import TxSimulator
from provena.devnet.ledger.store import LedgerStore, TxRecord, Write


def _seed(store: LedgerStore, **values: bytes) -> None:
    writes = [Write("cc", k, v) for k, v in values.items()]
    store.commit(
        new_block(store.height, store.last_hash, [b"seed"]),
        [TxRecord(f"seed{store.height}", transaction_pb2.VALID, writes=writes)],
    )


def _kv(sim: TxSimulator, namespace: str = "cc") -> kv_rwset_pb2.KVRWSet:
    (ns,) = [n for n in sim.rwset().ns_rwset if n.namespace == namespace]
    return kv_rwset_pb2.KVRWSet.FromString(ns.rwset)


async def test_reads_record_versions_and_do_not_see_own_writes(store: LedgerStore) -> None:
    _seed(store, a=b"1")
    sim = TxSimulator(store, "tx")
    sim.put_state("cc", "a", b"2")
    sim.put_state("cc", "new", b"x")
    assert await sim.get_state("cc", "a") == b"1"  # committed value, not the pending write
    assert await sim.get_state("cc", "new") is None
    kv = _kv(sim)
    reads = {r.key: r for r in kv.reads}
    assert (reads["a"].version.block_num, reads["a"].version.tx_num) == (1, 0)
    assert not reads["new"].HasField("version")
    assert [(w.key, w.value, w.is_delete) for w in kv.writes] == [
        ("a", b"2", False),
        ("new", b"x", False),
    ]


async def test_rwset_bytes_do_not_depend_on_call_order(store: LedgerStore) -> None:
    _seed(store, a=b"1", b=b"2")

    async def run(order: list[str]) -> bytes:
        sim = TxSimulator(store)
        for step in order:
            if step == "write":
                sim.put_state("zz", "k2", b"v2")
                sim.put_state("cc", "b", b"x")
                sim.del_state("zz", "k1")
            else:
                await sim.get_state("cc", step)
        return bytes(sim.rwset().SerializeToString())

    first = await run(["a", "write", "b"])
    second = await run(["b", "a", "write"])
    assert first == second
    sim = TxSimulator(store)
    sim.put_state("zz", "k", b"v")
    sim.put_state("aa", "k", b"v")
    assert [n.namespace for n in sim.rwset().ns_rwset] == ["aa", "zz"]


async def test_empty_value_and_delete_are_deletes(store: LedgerStore) -> None:
    sim = TxSimulator(store)
    sim.put_state("cc", "a", b"")
    sim.del_state("cc", "b")
    assert [(w.key, w.is_delete) for w in _kv(sim).writes] == [("a", True), ("b", True)]
    with pytest.raises(SimulationError, match="empty string"):
        sim.put_state("cc", "", b"v")


async def test_drained_range_records_the_full_range(store: LedgerStore) -> None:
    _seed(store, a=b"1", b=b"2", c=b"3")
    sim = TxSimulator(store)
    assert await sim.range("cc", "a", "c") == [("a", b"1"), ("b", b"2")]
    (info,) = _kv(sim).range_queries_info
    assert (info.start_key, info.end_key, info.itr_exhausted) == ("a", "c", True)
    assert [r.key for r in info.raw_reads.kv_reads] == ["a", "b"]


async def test_partial_range_records_up_to_the_last_key_handed_out(store: LedgerStore) -> None:
    _seed(store, a=b"1", b=b"2", c=b"3")
    sim = TxSimulator(store)
    assert await sim.range("cc", "", "", limit=2) == [("a", b"1"), ("b", b"2")]
    (info,) = _kv(sim).range_queries_info
    assert (info.start_key, info.end_key, info.itr_exhausted) == ("", "b", False)


async def test_paginated_scan_gives_a_bookmark_and_forbids_writes(store: LedgerStore) -> None:
    _seed(store, a=b"1", b=b"2", c=b"3")
    sim = TxSimulator(store, "tx9")
    scan = sim.scan("cc", "", "", page_size=2)
    assert await scan.next(10) == [("a", b"1"), ("b", b"2")]
    assert scan.exhausted
    assert scan.bookmark == "c"
    assert await scan.next(10) == []
    with pytest.raises(SimulationError, match=r"txid \[tx9\].*Writes are not allowed"):
        sim.put_state("cc", "a", b"x")
    last = sim.scan("cc", "c", "", page_size=2)
    assert await last.next(1) == [("c", b"3")]
    assert await last.next(1) == []
    assert last.bookmark == ""

    writer = TxSimulator(store, "tx10")
    writer.put_state("cc", "a", b"x")
    with pytest.raises(SimulationError, match="read-only transaction"):
        writer.scan("cc", "", "", page_size=2)
    with pytest.raises(SimulationError, match="positive limit"):
        await writer.scan("cc", "", "").next(0)


async def test_history_is_newest_first_and_not_recorded(store: LedgerStore) -> None:
    _seed(store, a=b"1")
    _seed(store, a=b"2")
    sim = TxSimulator(store)
    assert [m.value for m in await sim.history("cc", "a")] == [b"2", b"1"]
    assert list(sim.rwset().ns_rwset) == []
