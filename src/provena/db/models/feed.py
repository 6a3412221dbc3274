"""The feed: every event a browser may be told about, in commit order, kept for resuming.

Rows are written in the same database transaction as the change they announce
(a projection applied, a transaction's status settled), so the feed never tells of a
change that did not happen and never misses one that did. `id` is the Server-Sent Events
id: a client that reconnects with `Last-Event-ID: N` is sent every row after N that it
may see. `audience` lists the organizations (MSP ids) allowed to see the row; auditors
see every row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from provena.db.base import Base
from provena.db.types import JSON_DOCUMENT, utcnow

__all__ = ["FeedEvent"]

# SQLite only numbers rows by itself for a column declared INTEGER PRIMARY KEY.
_FEED_ID = BigInteger().with_variant(Integer(), "sqlite")


class FeedEvent(Base):
    """One event of the live feed."""

    __tablename__ = "feed_events"

    id: Mapped[int] = mapped_column(_FEED_ID, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    tx_id: Mapped[str | None] = mapped_column(String(64), index=True)
    block_number: Mapped[int | None] = mapped_column(BigInteger)
    audience: Mapped[list[str]] = mapped_column(JSON_DOCUMENT, default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON_DOCUMENT, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
