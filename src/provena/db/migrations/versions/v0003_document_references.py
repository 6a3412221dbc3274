"""Document references: each organization's uploads of a document, under its own names.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

- `document_references`: one row per (document, organization, name) an upload arrived
  under; an organization sees the documents it references. Existing documents get one
  reference each, for their uploader's organization under their recorded name.

Self-contained like 0001: no imports from the application.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "document_references",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("msp_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by_id", sa.Uuid(), nullable=True),
        sa.Column("uploaded_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_references")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_references_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_document_references_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "document_id",
            "msp_id",
            "name",
            name=op.f("uq_document_references_document_id_msp_id_name"),
        ),
    )
    op.create_index(op.f("ix_document_references_msp_id"), "document_references", ["msp_id"])
    op.create_index(
        op.f("ix_document_references_uploaded_by_id"), "document_references", ["uploaded_by_id"]
    )
    documents = sa.table(
        "documents",
        sa.column("id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("uploaded_by_id", sa.Uuid()),
        sa.column("uploaded_at", TIMESTAMP),
    )
    users = sa.table("users", sa.column("id", sa.Uuid()), sa.column("msp_id", sa.String()))
    references = sa.table(
        "document_references",
        sa.column("id", sa.Uuid()),
        sa.column("document_id", sa.Uuid()),
        sa.column("msp_id", sa.String()),
        sa.column("name", sa.String()),
        sa.column("uploaded_by_id", sa.Uuid()),
        sa.column("uploaded_at", TIMESTAMP),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            documents.c.id,
            documents.c.name,
            documents.c.uploaded_by_id,
            documents.c.uploaded_at,
            users.c.msp_id,
        )
        .select_from(documents.outerjoin(users, users.c.id == documents.c.uploaded_by_id))
        .where(documents.c.name.is_not(None))
    ).all()
    if rows:
        op.bulk_insert(
            references,
            [
                {
                    "id": uuid.uuid4(),
                    "document_id": row.id,
                    "msp_id": row.msp_id,
                    "name": row.name,
                    "uploaded_by_id": row.uploaded_by_id,
                    "uploaded_at": row.uploaded_at,
                }
                for row in rows
            ],
        )


def downgrade() -> None:
    op.drop_table("document_references")
