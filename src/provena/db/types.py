"""Column types that behave the same on SQLite and PostgreSQL.

- `UTCDateTime`: timezone-aware in, timezone-aware UTC out, on both backends.
  PostgreSQL stores `timestamptz`; SQLite has no time zones, so the value is stored as
  UTC text and read back as UTC. Naive datetimes are refused rather than guessed at.
- `JSON_DOCUMENT`: JSON on SQLite, JSONB on PostgreSQL.
- `DecimalString`: an exact decimal kept as the string the ledger wrote ("12.500"),
  never a float; `Decimal` values are accepted and written in plain notation.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["JSON_DOCUMENT", "DecimalString", "UTCDateTime", "utcnow"]

JSON_DOCUMENT: TypeEngine[Any] = JSON().with_variant(JSONB(), "postgresql")

_DECIMAL = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time: aware datetimes only, always returned in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: give a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite: stored as UTC without an offset
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class DecimalString(TypeDecorator[str]):
    """A non-negative exact decimal, stored as text ("0", "12", "12.500")."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: str | Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        text = format(value, "f") if isinstance(value, Decimal) else value
        if not _DECIMAL.fullmatch(text):
            raise ValueError(f"{text!r} is not a non-negative decimal like '12.5'")
        return text

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return value
