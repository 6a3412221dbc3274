"""Projection of certificates from the ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provena.db.base import (
    CID_LENGTH,
    LEDGER_ID_LENGTH,
    MSP_ID_LENGTH,
    Base,
    DocumentRefMixin,
    ProjectionMixin,
    enum_type,
)
from provena.db.enums import CertificateStatus, SubjectKind

__all__ = ["Certificate", "CertificateDocument"]


class Certificate(ProjectionMixin, Base):
    """A certificate as the ledger last recorded it.

    MSP ids are plain text, not foreign keys: the ledger is the source of truth, and a
    projection must apply whatever the ledger committed.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        *ProjectionMixin.checks(),
        CheckConstraint("valid_until > valid_from", name="validity_period"),
        Index(None, "subject_kind", "subject_id"),
    )

    id: Mapped[str] = mapped_column(String(LEDGER_ID_LENGTH), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(128), index=True)
    subject_kind: Mapped[SubjectKind] = mapped_column(enum_type(SubjectKind, name="subject_kind"))
    subject_id: Mapped[str] = mapped_column(String(255))
    subject_name: Mapped[str] = mapped_column(String(255))
    subject_msp_id: Mapped[str | None] = mapped_column(String(MSP_ID_LENGTH), index=True)
    scope: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    status: Mapped[CertificateStatus] = mapped_column(
        enum_type(CertificateStatus, name="status"), index=True
    )
    status_reason: Mapped[str | None] = mapped_column(Text)
    issuer_msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH), index=True)
    issuer_id: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime]
    metadata_cid: Mapped[str | None] = mapped_column(String(CID_LENGTH))

    documents: Mapped[list[CertificateDocument]] = relationship(
        back_populates="certificate",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise_on_sql",
        order_by="CertificateDocument.position",
    )


class CertificateDocument(DocumentRefMixin, ProjectionMixin, Base):
    """A document attached to a certificate, in the ledger's order."""

    __tablename__ = "certificate_documents"
    __table_args__ = (
        *DocumentRefMixin.checks(),
        *ProjectionMixin.checks(),
        PrimaryKeyConstraint("certificate_id", "position"),
        UniqueConstraint("certificate_id", "cid"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
    )

    certificate_id: Mapped[str] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"))
    position: Mapped[int]

    certificate: Mapped[Certificate] = relationship(back_populates="documents", lazy="raise_on_sql")
