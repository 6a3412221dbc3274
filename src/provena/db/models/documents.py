"""Uploaded documents, addressed by CID, and the stores that hold their bytes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provena.db.base import CID_LENGTH, MSP_ID_LENGTH, Base, hex_check
from provena.db.types import utcnow

__all__ = ["Document", "DocumentLocation", "DocumentReference"]


class Document(Base):
    """One content-addressed document: the same bytes under the same profile, one row."""

    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint(hex_check("sha256"), name="sha256_hex"),
        CheckConstraint("size >= 0", name="size_nonnegative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    cid: Mapped[str] = mapped_column(String(CID_LENGTH), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    cid_profile: Mapped[str] = mapped_column(String(32))
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    locations: Mapped[list[DocumentLocation]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise_on_sql",
        order_by="DocumentLocation.store",
    )


class DocumentLocation(Base):
    """Where a document's bytes are: one row per store ("local", "oci", "s3", "ipfs")."""

    __tablename__ = "document_locations"

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    store: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="locations", lazy="raise_on_sql")


class DocumentReference(Base):
    """An organization's upload of a document, under the name it gave.

    Documents are content-addressed, so the same bytes make one `documents` row however
    often and by whomever they are uploaded; each (organization, name) they arrive under is
    a reference. An organization sees the documents it references, by its own names.
    """

    __tablename__ = "document_references"
    __table_args__ = (UniqueConstraint("document_id", "msp_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    msp_id: Mapped[str | None] = mapped_column(String(MSP_ID_LENGTH), index=True)
    name: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
