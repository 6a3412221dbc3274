"""`upsert`: insert a projection row or overwrite the one with its key, on both backends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import Base, utcnow

__all__ = ["upsert"]


async def upsert(session: AsyncSession, model: type[Base], values: Mapping[str, Any]) -> None:
    """`INSERT ... ON CONFLICT (primary key) DO UPDATE` every given column and `updated_at`.

    One statement, no read first: a projection overwrites with what the ledger says.
    """
    table = cast(Table, model.__table__)
    row = dict(values) | {"updated_at": utcnow()}
    keys: Sequence[str] = [column.name for column in table.primary_key.columns]
    insert = (
        postgresql.insert(table)
        if session.get_bind().dialect.name == "postgresql"
        else sqlite.insert(table)
    ).values(row)
    changes = {name: insert.excluded[name] for name in row if name not in keys}
    await session.execute(insert.on_conflict_do_update(index_elements=keys, set_=changes))
