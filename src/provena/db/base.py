"""The declarative base, naming conventions and the column groups tables share.

Constraint names follow one convention, so migrations can address every constraint
by name on both backends (SQLite batch migrations need names to drop anything)::

    pk_<table>   fk_<table>_<column>_<referred table>   uq_<table>_<columns>
    ix_<table>_<column>   ck_<table>_<name>
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import BigInteger, CheckConstraint, Enum, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from provena.db.types import UTCDateTime, utcnow

__all__ = [
    "CID_LENGTH",
    "LEDGER_ID_LENGTH",
    "MSP_ID_LENGTH",
    "NAMING_CONVENTION",
    "Base",
    "DocumentRefMixin",
    "ProjectionMixin",
    "enum_type",
    "hex_check",
]

NAMING_CONVENTION: dict[str, str] = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}

MSP_ID_LENGTH = 64
"""Longest MSP id we store (Fabric sets no limit; real ones are short)."""
CID_LENGTH = 128
"""Longest CID we store (a CIDv1 of a sha2-256 digest in base32 is 59 characters)."""
LEDGER_ID_LENGTH = 64
"""Longest id of a ledger record (certificate, shipment)."""


class Base(DeclarativeBase):
    """Base of every Provena table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


def enum_type(enum: type[StrEnum], *, name: str) -> Enum:
    """VARCHAR(32) holding `enum`'s values, with a CHECK constraint `ck_<table>_<name>`."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


def hex_check(column: str, *, length: int = 64) -> str:
    """SQL true when `column` is `length` lowercase hex digits (portable: no regexes)."""
    return f"length({column}) = {length} AND ltrim({column}, '0123456789abcdef') = ''"


class ProjectionMixin:
    """Where a projected row came from: the last ledger transaction that changed it.

    Tables using it add `*ProjectionMixin.checks()` to their `__table_args__`.
    """

    @staticmethod
    def checks() -> tuple[CheckConstraint, ...]:
        """The CHECK constraints of these columns (new objects: one set per table)."""
        return (
            CheckConstraint(hex_check("tx_id"), name="tx_id_hex"),
            CheckConstraint("block_number >= 0", name="block_number_nonnegative"),
        )

    tx_id: Mapped[str] = mapped_column(String(64))
    block_number: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DocumentRefMixin:
    """A document as the ledger references it: `{cid, sha256, size, media_type, name}`.

    Tables using it add `*DocumentRefMixin.checks()` to their `__table_args__`.
    """

    @staticmethod
    def checks() -> tuple[CheckConstraint, ...]:
        """The CHECK constraints of these columns (new objects: one set per table)."""
        return (
            CheckConstraint(hex_check("sha256"), name="sha256_hex"),
            CheckConstraint("size >= 0", name="size_nonnegative"),
        )

    cid: Mapped[str] = mapped_column(String(CID_LENGTH))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
