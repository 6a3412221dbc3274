"""`upsert`: insert a projection row or overwrite the one with its key, on both backends.

`batched_upserts(session)` defers the upserts made on `session` and writes them per table
with one executemany each, parents before children, when `flush` is called and when the
block ends: a replay of many events then costs a few statements per thousand events
instead of several per event. A row upserted twice in a batch is written once, merged in
order, which leaves the table exactly as the single upserts would have. Only handlers
that write projection rows through `upsert` alone (never reading them back) may run
inside a batch, since deferred rows are invisible to queries until flushed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import cache
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

from provena.db import Base, utcnow

__all__ = ["UpsertBatch", "batched_upserts", "upsert"]

_BATCH = "provena.events.upsert.batch"  # the key of a session's open batch in `session.info`

Row = dict[str, Any]


async def upsert(session: AsyncSession, model: type[Base], values: Mapping[str, Any]) -> None:
    """`INSERT ... ON CONFLICT (primary key) DO UPDATE` every given column and `updated_at`.

    One statement, no read first: a projection overwrites with what the ledger says.
    Deferred to the batch's flush inside `batched_upserts(session)`.
    """
    table = cast(Table, model.__table__)
    row = dict(values) | {"updated_at": utcnow()}
    batch: UpsertBatch | None = session.info.get(_BATCH)
    if batch is not None:
        batch.add(table, row)
        return
    dialect = session.get_bind().dialect.name
    await session.execute(_statement(table, dialect, tuple(row)), row)


class UpsertBatch:
    """The upserts deferred on one session, keyed by table and primary key."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._rows: dict[Table, dict[tuple[Any, ...], Row]] = {}

    def add(self, table: Table, row: Row) -> None:
        rows = self._rows.setdefault(table, {})
        key = tuple(row[column.name] for column in table.primary_key.columns)
        earlier = rows.get(key)
        rows[key] = row if earlier is None else earlier | row

    async def flush(self) -> None:
        """Write every deferred row: one executemany per table and column set."""
        if not self._rows:
            return
        dialect = self._session.get_bind().dialect.name
        tables, self._rows = self._rows, {}
        order = {table: i for i, table in enumerate(Base.metadata.sorted_tables)}
        for table in sorted(tables, key=order.__getitem__):
            by_columns: dict[tuple[str, ...], list[Row]] = {}
            for row in tables[table].values():
                by_columns.setdefault(tuple(row), []).append(row)
            for columns, rows in by_columns.items():
                await self._session.execute(_statement(table, dialect, columns), rows)


@asynccontextmanager
async def batched_upserts(session: AsyncSession) -> AsyncIterator[UpsertBatch]:
    """Defer `session`'s upserts until `flush` or the end of the block (not on an error)."""
    if _BATCH in session.info:
        raise RuntimeError("upserts on this session are already batched")
    batch = UpsertBatch(session)
    session.info[_BATCH] = batch
    try:
        yield batch
        del session.info[_BATCH]
        await batch.flush()
    finally:
        session.info.pop(_BATCH, None)


@cache
def _statement(table: Table, dialect: str, columns: tuple[str, ...]) -> Insert:
    """The upsert of `columns` into `table`, built once: building it costs more than running it."""
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    keys = [column.name for column in table.primary_key.columns]
    changes = {name: insert.excluded[name] for name in columns if name not in keys}
    return insert.on_conflict_do_update(index_elements=keys, set_=changes)
