"""Organizations (Fabric MSPs) and the people who sign in: not on the ledger."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provena.db.base import MSP_ID_LENGTH, Base, enum_type
from provena.db.enums import OrgKind
from provena.db.types import JSON_DOCUMENT, utcnow

__all__ = ["Organization", "User"]


class Organization(Base):
    """A member of the network: one Fabric MSP."""

    __tablename__ = "organizations"

    msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrgKind] = mapped_column(enum_type(OrgKind, name="kind"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"Organization(msp_id={self.msp_id!r}, kind={self.kind!r})"


class User(Base):
    """A person known from OIDC sign-ins; the subject is the identity provider's user id."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    oidc_subject: Mapped[str] = mapped_column(String(255), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    display_name: Mapped[str | None] = mapped_column(String(200))
    msp_id: Mapped[str | None] = mapped_column(
        ForeignKey("organizations.msp_id", ondelete="RESTRICT"), index=True
    )
    roles: Mapped[list[str]] = mapped_column(JSON_DOCUMENT, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization | None] = relationship(lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"User(id={self.id!s}, oidc_subject={self.oidc_subject!r})"
