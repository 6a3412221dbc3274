"""Keyset pages and text search, as every list endpoint reads its table.

A page is newest first by a time column, ties broken by the id; the next page starts after
the last row's `(time, id)`, so rows written meanwhile never shift or repeat a page (an
offset would). `contains_any` is the case-insensitive "any of these columns holds q".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

__all__ = ["contains_any", "newest_first"]


def newest_first(
    query: Select[Any],
    at: InstrumentedAttribute[datetime],
    id: InstrumentedAttribute[str],
    *,
    after: tuple[datetime, str] | None,
    limit: int,
) -> Select[Any]:
    """`query` ordered by (`at`, `id`) descending, from after the keyset `after`."""
    if after is not None:
        after_at, after_id = after
        query = query.where(or_(at < after_at, and_(at == after_at, id < after_id)))
    return query.order_by(at.desc(), id.desc()).limit(limit)


def contains_any(text: str, *columns: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    """Whether any of `columns` contains `text`, ignoring case (LIKE wildcards escaped)."""
    return or_(*(column.icontains(text, autoescape=True) for column in columns))
