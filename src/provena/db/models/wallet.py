"""The wallet: each person's Fabric identities, with their keys encrypted or held elsewhere.

A person acts on the ledger with a certificate of their organization's CA that carries
their role (`provena.role`). With `server` custody the private key is kept here, sealed
by envelope encryption: the key is encrypted (AES-256-GCM) under a data key, and the
data key is wrapped by a key-encryption key named by `kek_id` (a file or setting in
development, an OCI Vault key in production). With `browser` custody the key never
reaches the server: only the certificate is kept, and the person signs every digest.

At most one identity per person is current (`revoked_at` null); a role change or a
removal revokes it, and the rows stay as the record of who signed what.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from provena.db.base import MSP_ID_LENGTH, Base, enum_type
from provena.db.enums import KeyCustody
from provena.db.types import utcnow

__all__ = ["LedgerIdentity"]


class LedgerIdentity(Base):
    """One enrolled Fabric identity of one person."""

    __tablename__ = "ledger_identities"
    __table_args__ = (
        CheckConstraint(
            "custody = 'browser' OR (encrypted_key IS NOT NULL AND wrapped_key IS NOT NULL "
            "AND kek_id IS NOT NULL)",
            name="server_custody_has_key",
        ),
        Index(
            "uq_ledger_identities_current",
            "user_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH))
    enrollment_id: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    certificate_pem: Mapped[str] = mapped_column(Text)
    custody: Mapped[KeyCustody] = mapped_column(enum_type(KeyCustody, name="custody"))
    encrypted_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    wrapped_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    kek_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    def __repr__(self) -> str:  # never shows key material
        return f"LedgerIdentity(enrollment_id={self.enrollment_id!r}, custody={self.custody!r})"
