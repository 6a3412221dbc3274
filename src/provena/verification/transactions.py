"""The application's own transaction log (`ledger_transactions`), filtered and paged.

An organization sees the transactions its members submitted; auditors see all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, true
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import LedgerTransaction, LedgerTxStatus
from provena.db.pages import newest_first
from provena.documents import Viewer

__all__ = ["TransactionFilter", "list_transactions"]


@dataclass(frozen=True, slots=True)
class TransactionFilter:
    status: LedgerTxStatus | None = None
    kind: str | None = None
    """`Contract:Function`, or a bare function name matching it in any contract."""
    submitter_id: uuid.UUID | None = None
    record_id: str | None = None


async def list_transactions(
    session: AsyncSession,
    viewer: Viewer,
    filters: TransactionFilter,
    *,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[LedgerTransaction]:
    """Up to `limit` transactions newest first (submitted_at, then tx id)."""
    T = LedgerTransaction
    query = select(T)
    if not viewer.sees_all:
        query = query.where(T.submitter_msp_id == viewer.msp_id if viewer.msp_id else ~true())
    if filters.status is not None:
        query = query.where(T.status == filters.status)
    if filters.kind:
        if ":" in filters.kind:
            query = query.where(T.function == filters.kind)
        else:
            query = query.where(T.function.endswith(":" + filters.kind, autoescape=True))
    if filters.submitter_id is not None:
        query = query.where(T.submitter_id == filters.submitter_id)
    if filters.record_id is not None:
        query = query.where(T.record_id == filters.record_id)
    page = newest_first(query, T.submitted_at, T.tx_id, after=after, limit=limit)
    return list((await session.scalars(page)).all())
