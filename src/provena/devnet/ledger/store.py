"""The ledger store: one SQLite file per channel, written one block per SQL transaction.

    blocks   (number → header hash, serialized common.Block)
    state    (namespace, key → value, version block/tx)          the world state
    history  (namespace, key, block, tx → tx id, timestamp, is_delete, value)
    txs      (tx id → block, tx number, validation code)         the tx index

A block, the writes of its valid transactions, their history and the index rows commit in
one SQLite transaction, so a process killed at any instant reopens at a block boundary:
the chain and the state always agree. WAL with synchronous=NORMAL keeps that guarantee
against process crashes (a power cut may lose the last blocks, never consistency).

Keys are stored as their UTF-8 bytes so SQLite orders them as Fabric does (byte order;
composite keys begin with 0x00 and sort first).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from fabric_protos.common import common_pb2
from fabric_protos.ledger.queryresult import kv_query_result_pb2
from google.protobuf import timestamp_pb2

from provena.devnet.ledger.blocks import block_header_hash
from provena.devnet.ledger.errors import StoreError

__all__ = ["Height", "LedgerStore", "TxLocation", "TxRecord", "Write"]

_VALID = 0
_PAGE = 256
_SCHEMA = """
CREATE TABLE IF NOT EXISTS blocks (
    number INTEGER PRIMARY KEY, hash BLOB NOT NULL, block BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS state (
    ns TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
    block INTEGER NOT NULL, tx INTEGER NOT NULL, PRIMARY KEY (ns, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history (
    ns TEXT NOT NULL, key BLOB NOT NULL, block INTEGER NOT NULL, tx INTEGER NOT NULL,
    tx_id TEXT NOT NULL, seconds INTEGER NOT NULL, nanos INTEGER NOT NULL,
    is_delete INTEGER NOT NULL, value BLOB NOT NULL,
    PRIMARY KEY (ns, key, block, tx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS txs (
    tx_id TEXT PRIMARY KEY, block INTEGER NOT NULL, tx_num INTEGER NOT NULL,
    code INTEGER NOT NULL) WITHOUT ROWID;
"""


class Height(NamedTuple):
    """A state version: the block and transaction number of the write (kvrwset.Version)."""

    block: int
    tx: int


@dataclass(frozen=True, slots=True)
class TxLocation:
    """Where a transaction was committed, and whether it was valid."""

    block_number: int
    tx_num: int
    validation_code: int


@dataclass(frozen=True, slots=True)
class Write:
    """One write of a transaction's write set; value None deletes the key."""

    namespace: str
    key: str
    value: bytes | None


@dataclass(frozen=True, slots=True)
class TxRecord:
    """What the committer knows of one transaction of a block, in block order."""

    tx_id: str
    validation_code: int
    timestamp: timestamp_pb2.Timestamp = field(default_factory=timestamp_pb2.Timestamp)
    writes: Sequence[Write] = ()


class LedgerStore:
    """A channel's blocks, world state, history and transaction index.

    Not thread safe: use it from one thread (the event loop's)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        row = self._db.execute(
            "SELECT number, hash FROM blocks ORDER BY number DESC LIMIT 1"
        ).fetchone()
        self._height = 0 if row is None else int(row[0]) + 1
        self._last_hash = b"" if row is None else bytes(row[1])

    @classmethod
    def open(cls, path: Path) -> LedgerStore:
        """Open (creating if needed) the store at `path`."""
        try:
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the ledger store {path}: {exc}") from exc
        return cls(connection, path)

    def close(self) -> None:
        self._db.close()

    @property
    def height(self) -> int:
        """The number of the next block to be committed (the number of blocks)."""
        return self._height

    @property
    def last_hash(self) -> bytes:
        """The header hash of the last block, b"" for an empty store."""
        return self._last_hash

    def get_state(self, namespace: str, key: str) -> tuple[bytes, Height] | None:
        row = self._db.execute(
            "SELECT value, block, tx FROM state WHERE ns = ? AND key = ?",
            (namespace, key.encode()),
        ).fetchone()
        return None if row is None else (bytes(row[0]), Height(row[1], row[2]))

    def range(self, namespace: str, start: str, end: str) -> Iterator[tuple[str, bytes, Height]]:
        """Keys in [start, end) in byte order; an empty `end` means no upper bound.

        Reads page by page, so no SQLite cursor stays open while the caller awaits."""
        low, high = start.encode(), end.encode()
        inclusive = True
        while True:
            op = ">=" if inclusive else ">"
            sql = f"SELECT key, value, block, tx FROM state WHERE ns = ? AND key {op} ?"  # noqa: S608
            params: tuple[object, ...] = (namespace, low)
            if high:
                sql += " AND key < ?"
                params += (high,)
            rows = self._db.execute(sql + f" ORDER BY key LIMIT {_PAGE}", params).fetchall()
            for key, value, block, tx in rows:
                yield bytes(key).decode(), bytes(value), Height(block, tx)
            if len(rows) < _PAGE:
                return
            low, inclusive = bytes(rows[-1][0]), False

    def history(self, namespace: str, key: str) -> list[kv_query_result_pb2.KeyModification]:
        """Every committed write of a key, newest first (as Fabric's history database)."""
        rows = self._db.execute(
            "SELECT tx_id, value, seconds, nanos, is_delete FROM history "
            "WHERE ns = ? AND key = ? ORDER BY block DESC, tx DESC",
            (namespace, key.encode()),
        ).fetchall()
        return [
            kv_query_result_pb2.KeyModification(
                tx_id=tx_id,
                value=bytes(value),
                timestamp=timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos),
                is_delete=bool(is_delete),
            )
            for tx_id, value, seconds, nanos, is_delete in rows
        ]

    def block_bytes(self, number: int) -> bytes | None:
        row = self._db.execute("SELECT block FROM blocks WHERE number = ?", (number,)).fetchone()
        return None if row is None else bytes(row[0])

    def block(self, number: int) -> common_pb2.Block | None:
        data = self.block_bytes(number)
        return None if data is None else common_pb2.Block.FromString(data)

    def tx_location(self, tx_id: str) -> TxLocation | None:
        row = self._db.execute(
            "SELECT block, tx_num, code FROM txs WHERE tx_id = ?", (tx_id,)
        ).fetchone()
        return None if row is None else TxLocation(*row)

    def committed_tx_ids(self, tx_ids: Sequence[str]) -> set[str]:
        """Those of `tx_ids` the ledger already holds (valid or not)."""
        rows = self._db.execute(
            "SELECT tx_id FROM txs WHERE tx_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(tx_ids)),),
        )
        return {row[0] for row in rows}

    def state_items(self) -> Iterator[tuple[str, str, bytes, Height]]:
        """The whole world state in (namespace, key) order, for verification."""
        for row in self._db.execute("SELECT ns, key, value, block, tx FROM state ORDER BY ns, key"):
            yield row[0], bytes(row[1]).decode(), bytes(row[2]), Height(row[3], row[4])

    def commit(self, block: common_pb2.Block, transactions: Sequence[TxRecord]) -> None:
        """Append `block` with its transactions' outcomes, atomically.

        Only VALID transactions' writes reach the state and history; every transaction is
        indexed, the first occurrence of a tx id winning (later ones are DUPLICATE_TXID)."""
        number = block.header.number
        if number != self._height:
            raise StoreError(f"block {number} does not follow the last block {self._height - 1}")
        if block.header.previous_hash != self._last_hash:
            raise StoreError(f"block {number} does not chain to the hash of block {number - 1}")
        if len(transactions) != len(block.data.data):
            raise StoreError(
                f"block {number} has {len(block.data.data)} transactions, "
                f"{len(transactions)} outcomes given"
            )
        header_hash = block_header_hash(block.header)
        final: dict[tuple[str, bytes], tuple[bytes | None, int]] = {}
        history_rows: list[tuple[object, ...]] = []
        index_rows = []
        for tx_num, tx in enumerate(transactions):
            if tx.tx_id:  # an envelope too broken to carry a tx id is not indexed
                index_rows.append((tx.tx_id, number, tx_num, tx.validation_code))
            if tx.validation_code != _VALID:
                continue
            stamp = tx.timestamp
            for write in tx.writes:
                key = write.key.encode()
                final[write.namespace, key] = (write.value, tx_num)  # later writes win
                history_rows.append(
                    (
                        write.namespace,
                        key,
                        number,
                        tx_num,
                        tx.tx_id,
                        stamp.seconds,
                        stamp.nanos,
                        write.value is None,
                        write.value or b"",
                    )
                )
        upserts = [(ns, k, v, number, t) for (ns, k), (v, t) in final.items() if v is not None]
        deletes = [(ns, k) for (ns, k), (v, _) in final.items() if v is None]
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO blocks VALUES (?, ?, ?)",
                (number, header_hash, block.SerializeToString()),
            )
            db.executemany("INSERT OR REPLACE INTO state VALUES (?, ?, ?, ?, ?)", upserts)
            db.executemany("DELETE FROM state WHERE ns = ? AND key = ?", deletes)
            db.executemany(
                "INSERT OR REPLACE INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", history_rows
            )
            db.executemany("INSERT OR IGNORE INTO txs VALUES (?, ?, ?, ?)", index_rows)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        self._height = number + 1
        self._last_hash = header_hash
