"""LedgerStore: chaining checks, state in Fabric's key order, history, the tx index."""

from __future__ import annotations

from pathlib import Path

import pytest
from fabric_protos.peer import transaction_pb2

from provena.devnet.ledger.blocks import block_header_hash, new_block
from provena.devnet.ledger.errors import StoreError
from provena.devnet.ledger.store import Height, LedgerStore, TxLocation, TxRecord, Write

VALID = transaction_pb2.VALID
MVCC = transaction_pb2.MVCC_READ_CONFLICT


def _append(store: LedgerStore, records: list[TxRecord]) -> None:
    block = new_block(store.height, store.last_hash, [r.tx_id.encode() for r in records])
    store.commit(block, records)


def test_commit_applies_only_valid_writes_and_indexes_every_tx(store: LedgerStore) -> None:
    _append(
        store,
        [
            TxRecord("t1", VALID, writes=[Write("cc", "a", b"1"), Write("cc", "b", b"2")]),
            TxRecord("t2", MVCC, writes=[Write("cc", "a", b"lost")]),
            TxRecord("t3", VALID, writes=[Write("cc", "b", None), Write("cc", "a", b"3")]),
        ],
    )
    assert store.height == 2
    assert store.get_state("cc", "a") == (b"3", Height(1, 2))
    assert store.get_state("cc", "b") is None
    assert store.tx_location("t2") == TxLocation(1, 1, MVCC)
    assert store.tx_location("nope") is None
    history = store.history("cc", "a")
    assert [(h.tx_id, h.value, h.is_delete) for h in history] == [
        ("t3", b"3", False),
        ("t1", b"1", False),
    ]
    assert [(h.tx_id, h.is_delete) for h in store.history("cc", "b")] == [
        ("t3", True),
        ("t1", False),
    ]


def test_a_tx_id_seen_twice_keeps_its_first_location(store: LedgerStore) -> None:
    _append(store, [TxRecord("dup", VALID)])
    _append(store, [TxRecord("dup", transaction_pb2.DUPLICATE_TXID)])
    assert store.tx_location("dup") == TxLocation(1, 0, VALID)


def test_range_is_in_utf8_byte_order_with_composite_keys_first(store: LedgerStore) -> None:
    keys = ["b", "a", "\x00asset\x00k1\x00", "é", "z", "ab", "\U0001f600", "\uffff"]
    _append(store, [TxRecord("t", VALID, writes=[Write("cc", k, k.encode()) for k in keys])])
    everything = [k for k, _, _ in store.range("cc", "", "")]
    assert everything == sorted(keys, key=lambda k: k.encode())
    assert everything[0].startswith("\x00")
    assert [k for k, _, _ in store.range("cc", "a", "b")] == ["a", "ab"]
    assert next(k for k, _, _ in store.range("cc", "\x01", "")) == "a"
    assert list(store.range("other", "", "")) == []


def test_range_pages_through_large_ranges(store: LedgerStore) -> None:
    writes = [Write("cc", f"k{i:04d}", b"v") for i in range(700)]
    _append(store, [TxRecord("t", VALID, writes=writes)])
    assert [k for k, _, _ in store.range("cc", "k0100", "k0650")] == [
        f"k{i:04d}" for i in range(100, 650)
    ]


def test_commit_refuses_blocks_that_do_not_extend_the_chain(store: LedgerStore) -> None:
    with pytest.raises(StoreError, match="does not follow"):
        store.commit(new_block(5, store.last_hash, [b"x"]), [TxRecord("x", VALID)])
    with pytest.raises(StoreError, match="does not chain"):
        store.commit(new_block(1, b"\x00" * 32, [b"x"]), [TxRecord("x", VALID)])
    with pytest.raises(StoreError, match="outcomes given"):
        store.commit(new_block(1, store.last_hash, [b"x"]), [])
    assert store.height == 1


def test_reopen_restores_height_hash_and_state(store: LedgerStore) -> None:
    _append(store, [TxRecord("t", VALID, writes=[Write("cc", "k", b"v")])])
    block = store.block(1)
    assert block is not None
    reopened = LedgerStore.open(store.path)
    try:
        assert reopened.height == 2
        assert reopened.last_hash == block_header_hash(block.header)
        assert reopened.get_state("cc", "k") == (b"v", Height(1, 0))
        assert reopened.block(2) is None
    finally:
        reopened.close()


def test_open_reports_an_unusable_path(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open"):
        LedgerStore.open(tmp_path / "missing" / "x.sqlite")


def test_committed_tx_ids_asks_once_for_many(store: LedgerStore) -> None:
    _append(
        store,
        [
            TxRecord("one", transaction_pb2.VALID),
            TxRecord("two", transaction_pb2.MVCC_READ_CONFLICT),
        ],
    )
    assert store.committed_tx_ids(["one", "two", "three", "it's"]) == {"one", "two"}
    assert store.committed_tx_ids([]) == set()
