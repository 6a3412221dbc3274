"""The wallet, the live feed, and more on each tracked transaction.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

- `ledger_identities`: each person's enrolled Fabric identities (keys sealed, or kept in
  the browser), at most one current per person.
- `feed_events`: the Server-Sent Events log, resumable by id.
- `ledger_transactions`: who signed, which record, the idempotency key and the signed
  envelope kept while pending.

Self-contained like 0001: no imports from the application.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)
CURRENT = sa.text("revoked_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "ledger_identities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("msp_id", sa.String(length=64), nullable=False),
        sa.Column("enrollment_id", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("custody", sa.String(length=32), nullable=False),
        sa.Column("encrypted_key", sa.LargeBinary(), nullable=True),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=True),
        sa.Column("kek_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("revoked_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_identities")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_ledger_identities_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "custody IN ('server', 'browser')", name=op.f("ck_ledger_identities_custody")
        ),
        sa.CheckConstraint(
            "custody = 'browser' OR (encrypted_key IS NOT NULL AND wrapped_key IS NOT NULL "
            "AND kek_id IS NOT NULL)",
            name=op.f("ck_ledger_identities_server_custody_has_key"),
        ),
    )
    op.create_index(op.f("ix_ledger_identities_user_id"), "ledger_identities", ["user_id"])
    op.create_index(
        "uq_ledger_identities_current",
        "ledger_identities",
        ["user_id"],
        unique=True,
        sqlite_where=CURRENT,
        postgresql_where=CURRENT,
    )

    op.create_table(
        "feed_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("tx_id", sa.String(length=64), nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("audience", JSON, nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_events")),
    )
    op.create_index(op.f("ix_feed_events_kind"), "feed_events", ["kind"])
    op.create_index(op.f("ix_feed_events_tx_id"), "feed_events", ["tx_id"])

    with op.batch_alter_table("ledger_transactions") as batch:
        batch.add_column(sa.Column("signer", sa.Text(), nullable=True))
        batch.add_column(sa.Column("record_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("idempotency_key", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("envelope", sa.LargeBinary(), nullable=True))
        batch.create_index(op.f("ix_ledger_transactions_record_id"), ["record_id"])
        batch.create_unique_constraint(
            op.f("uq_ledger_transactions_submitter_id_idempotency_key"),
            ["submitter_id", "idempotency_key"],
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger_transactions") as batch:
        batch.drop_constraint(
            op.f("uq_ledger_transactions_submitter_id_idempotency_key"), type_="unique"
        )
        batch.drop_index(op.f("ix_ledger_transactions_record_id"))
        for column in ("envelope", "request_hash", "idempotency_key", "record_id", "signer"):
            batch.drop_column(column)
    op.drop_table("feed_events")
    op.drop_table("ledger_identities")
