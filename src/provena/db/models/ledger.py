"""Tracking of our own ledger transactions, and where each event listener has got to."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from provena.db.base import LEDGER_ID_LENGTH, MSP_ID_LENGTH, Base, enum_type, hex_check
from provena.db.enums import LedgerTxStatus
from provena.db.types import utcnow

__all__ = ["LedgerCheckpoint", "LedgerTransaction"]


class LedgerTransaction(Base):
    """A transaction this application submitted: pending until its block commits.

    Invalid transactions are recorded in blocks too (with a validation code such as
    MVCC_READ_CONFLICT), so `block_number` is set for both outcomes when known.
    """

    __tablename__ = "ledger_transactions"
    __table_args__ = (
        CheckConstraint(hex_check("tx_id"), name="tx_id_hex"),
        CheckConstraint("block_number >= 0", name="block_number_nonnegative"),
        CheckConstraint(
            "status <> 'committed' OR block_number IS NOT NULL", name="committed_has_block"
        ),
        Index(None, "status", "submitted_at"),
        UniqueConstraint("submitter_id", "idempotency_key"),
    )

    tx_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(255))
    chaincode: Mapped[str] = mapped_column(String(255))
    function: Mapped[str] = mapped_column(String(255))
    submitter_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    submitter_msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH))
    status: Mapped[LedgerTxStatus] = mapped_column(
        enum_type(LedgerTxStatus, name="status"), default=LedgerTxStatus.PENDING
    )
    validation_code: Mapped[str | None] = mapped_column(String(64))
    block_number: Mapped[int | None] = mapped_column(BigInteger)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    committed_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    signer: Mapped[str | None] = mapped_column(Text)
    """Who signed: the enrollment id and certificate subject of the signing identity."""
    record_id: Mapped[str | None] = mapped_column(String(LEDGER_ID_LENGTH), index=True)
    """The certificate or shipment the transaction acts on."""
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the request an idempotency key was first used with."""
    envelope: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The signed transaction while pending, so a restart can resubmit it (same tx id)."""


class LedgerCheckpoint(Base):
    """How far one event listener has read: exactly-once application across restarts.

    `block_number` is the block being applied. `tx_index` (position in the block) and
    `tx_id` name the last transaction of it already applied; both null means the whole
    block is done and the listener resumes at `block_number + 1`.
    """

    __tablename__ = "ledger_checkpoints"
    __table_args__ = (
        CheckConstraint("block_number >= 0", name="block_number_nonnegative"),
        CheckConstraint("tx_index >= 0", name="tx_index_nonnegative"),
        CheckConstraint(hex_check("tx_id"), name="tx_id_hex"),
    )

    listener: Mapped[str] = mapped_column(String(255), primary_key=True)
    block_number: Mapped[int] = mapped_column(BigInteger)
    tx_index: Mapped[int | None]
    tx_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
