"""EPCIS events: the ledger's events under their CBV 2.0 hash, capture jobs, subscriptions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

- `epcis_events`, `epcis_event_identifiers`, `epcis_biz_transactions`,
  `epcis_event_parties`: projections of the events the contracts store (filled by
  `provena projections rebuild` for a ledger that already has some);
- `epcis_captures`: capture jobs; `epcis_subscriptions`: standing queries with webhooks;
- `recalls`, `recall_parties`, `recalled_shipments`: projections of the recalls on the ledger.

Self-contained like 0001: no imports from the application.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "epcis_events",
        sa.Column("hash", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=2048), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=True),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_time_zone_offset", sa.String(length=6), nullable=False),
        sa.Column("record_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("biz_step", sa.String(length=2048), nullable=True),
        sa.Column("disposition", sa.String(length=2048), nullable=True),
        sa.Column("read_point", sa.String(length=2048), nullable=True),
        sa.Column("biz_location", sa.String(length=2048), nullable=True),
        sa.Column("subject_kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("captured_by_msp_id", sa.String(length=64), nullable=False),
        sa.Column("event_index", sa.Integer(), nullable=False),
        sa.Column("hash_verified", sa.Boolean(), nullable=False),
        sa.Column(
            "event",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("tx_id", sa.String(length=64), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(tx_id) = 64 AND ltrim(tx_id, '0123456789abcdef') = ''",
            name=op.f("ck_epcis_events_tx_id_hex"),
        ),
        sa.CheckConstraint(
            "block_number >= 0", name=op.f("ck_epcis_events_block_number_nonnegative")
        ),
        sa.CheckConstraint(
            "event_index >= 0", name=op.f("ck_epcis_events_event_index_nonnegative")
        ),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_epcis_events")),
    )
    with op.batch_alter_table("epcis_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_epcis_events_biz_location"), ["biz_location"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_epcis_events_biz_step"), ["biz_step"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_epcis_events_block_number_tx_id_event_index"),
            ["block_number", "tx_id", "event_index"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_epcis_events_event_time"), ["event_time"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_epcis_events_record_time"), ["record_time"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_epcis_events_subject_kind_subject_id"),
            ["subject_kind", "subject_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_epcis_events_type"), ["type"], unique=False)

    op.create_table(
        "epcis_biz_transactions",
        sa.Column("event_hash", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=2048), nullable=False),
        sa.Column("value", sa.String(length=2048), nullable=False),
        sa.Column("tx_id", sa.String(length=64), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(tx_id) = 64 AND ltrim(tx_id, '0123456789abcdef') = ''",
            name=op.f("ck_epcis_biz_transactions_tx_id_hex"),
        ),
        sa.CheckConstraint(
            "block_number >= 0", name=op.f("ck_epcis_biz_transactions_block_number_nonnegative")
        ),
        sa.ForeignKeyConstraint(
            ["event_hash"],
            ["epcis_events.hash"],
            name=op.f("fk_epcis_biz_transactions_event_hash_epcis_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "event_hash", "type", "value", name=op.f("pk_epcis_biz_transactions")
        ),
    )
    with op.batch_alter_table("epcis_biz_transactions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_epcis_biz_transactions_type_value"), ["type", "value"], unique=False
        )

    op.create_table(
        "epcis_event_identifiers",
        sa.Column("event_hash", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("identifier", sa.String(length=2048), nullable=False),
        sa.Column("quantity", sa.String(length=40), nullable=True),
        sa.Column("uom", sa.String(length=16), nullable=True),
        sa.Column("link", sa.String(length=8), nullable=True),
        sa.Column("tx_id", sa.String(length=64), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(tx_id) = 64 AND ltrim(tx_id, '0123456789abcdef') = ''",
            name=op.f("ck_epcis_event_identifiers_tx_id_hex"),
        ),
        sa.CheckConstraint(
            "block_number >= 0", name=op.f("ck_epcis_event_identifiers_block_number_nonnegative")
        ),
        sa.ForeignKeyConstraint(
            ["event_hash"],
            ["epcis_events.hash"],
            name=op.f("fk_epcis_event_identifiers_event_hash_epcis_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "event_hash", "role", "identifier", name=op.f("pk_epcis_event_identifiers")
        ),
    )
    with op.batch_alter_table("epcis_event_identifiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_epcis_event_identifiers_identifier_role"),
            ["identifier", "role"],
            unique=False,
        )

    op.create_table(
        "epcis_event_parties",
        sa.Column("event_hash", sa.String(length=100), nullable=False),
        sa.Column("msp_id", sa.String(length=64), nullable=False),
        sa.Column("tx_id", sa.String(length=64), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(tx_id) = 64 AND ltrim(tx_id, '0123456789abcdef') = ''",
            name=op.f("ck_epcis_event_parties_tx_id_hex"),
        ),
        sa.CheckConstraint(
            "block_number >= 0", name=op.f("ck_epcis_event_parties_block_number_nonnegative")
        ),
        sa.ForeignKeyConstraint(
            ["event_hash"],
            ["epcis_events.hash"],
            name=op.f("fk_epcis_event_parties_event_hash_epcis_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_hash", "msp_id", name=op.f("pk_epcis_event_parties")),
    )
    with op.batch_alter_table("epcis_event_parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_epcis_event_parties_msp_id"), ["msp_id"], unique=False)

    op.create_table(
        "epcis_captures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("msp_id", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("error_behaviour", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("committed", sa.Integer(), nullable=False),
        sa.Column(
            "stored",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "duplicates",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "errors",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_epcis_captures_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epcis_captures")),
    )
    with op.batch_alter_table("epcis_captures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_epcis_captures_msp_id"), ["msp_id"], unique=False)

    op.create_table(
        "epcis_subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("msp_id", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("sees_all", sa.Boolean(), nullable=False),
        sa.Column(
            "query",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column(
            "delivered",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_epcis_subscriptions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epcis_subscriptions")),
    )
    with op.batch_alter_table("epcis_subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_epcis_subscriptions_msp_id"), ["msp_id"], unique=False)
    op.create_table(
        "recalls",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "lots",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "affected",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "shipments",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "organizations",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "certificates",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("recorded_by_msp_id", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_hash", sa.String(length=100), nullable=False),
        sa.Column("tx_id", sa.String(length=64), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(tx_id) = 64 AND ltrim(tx_id, '0123456789abcdef') = ''",
            name=op.f("ck_recalls_tx_id_hex"),
        ),
        sa.CheckConstraint("block_number >= 0", name=op.f("ck_recalls_block_number_nonnegative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recalls")),
    )
    with op.batch_alter_table("recalls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recalls_recorded_at"), ["recorded_at"], unique=False)

    op.create_table(
        "recall_parties",
        sa.Column("recall_id", sa.String(length=64), nullable=False),
        sa.Column("msp_id", sa.String(length=64), nullable=False),
        sa.Column("tx_id", sa.String(length=64), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(tx_id) = 64 AND ltrim(tx_id, '0123456789abcdef') = ''",
            name=op.f("ck_recall_parties_tx_id_hex"),
        ),
        sa.CheckConstraint(
            "block_number >= 0", name=op.f("ck_recall_parties_block_number_nonnegative")
        ),
        sa.ForeignKeyConstraint(
            ["recall_id"],
            ["recalls.id"],
            name=op.f("fk_recall_parties_recall_id_recalls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recall_id", "msp_id", name=op.f("pk_recall_parties")),
    )
    with op.batch_alter_table("recall_parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recall_parties_msp_id"), ["msp_id"], unique=False)
    op.create_table(
        "recalled_shipments",
        sa.Column("recall_id", sa.String(length=64), nullable=False),
        sa.Column("shipment_id", sa.String(length=64), nullable=False),
        sa.Column("tx_id", sa.String(length=64), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(tx_id) = 64 AND ltrim(tx_id, '0123456789abcdef') = ''",
            name=op.f("ck_recalled_shipments_tx_id_hex"),
        ),
        sa.CheckConstraint(
            "block_number >= 0", name=op.f("ck_recalled_shipments_block_number_nonnegative")
        ),
        sa.ForeignKeyConstraint(
            ["recall_id"],
            ["recalls.id"],
            name=op.f("fk_recalled_shipments_recall_id_recalls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recall_id", "shipment_id", name=op.f("pk_recalled_shipments")),
    )
    with op.batch_alter_table("recalled_shipments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recalled_shipments_shipment_id"), ["shipment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("recalled_shipments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recalled_shipments_shipment_id"))
    op.drop_table("recalled_shipments")
    with op.batch_alter_table("recall_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recall_parties_msp_id"))

    op.drop_table("recall_parties")
    with op.batch_alter_table("recalls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recalls_recorded_at"))

    op.drop_table("recalls")
    with op.batch_alter_table("epcis_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epcis_subscriptions_msp_id"))

    op.drop_table("epcis_subscriptions")
    with op.batch_alter_table("epcis_captures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epcis_captures_msp_id"))

    op.drop_table("epcis_captures")
    with op.batch_alter_table("epcis_event_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epcis_event_parties_msp_id"))

    op.drop_table("epcis_event_parties")
    with op.batch_alter_table("epcis_event_identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epcis_event_identifiers_identifier_role"))

    op.drop_table("epcis_event_identifiers")
    with op.batch_alter_table("epcis_biz_transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epcis_biz_transactions_type_value"))

    op.drop_table("epcis_biz_transactions")
    with op.batch_alter_table("epcis_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epcis_events_type"))
        batch_op.drop_index(batch_op.f("ix_epcis_events_subject_kind_subject_id"))
        batch_op.drop_index(batch_op.f("ix_epcis_events_record_time"))
        batch_op.drop_index(batch_op.f("ix_epcis_events_event_time"))
        batch_op.drop_index(batch_op.f("ix_epcis_events_block_number_tx_id_event_index"))
        batch_op.drop_index(batch_op.f("ix_epcis_events_biz_step"))
        batch_op.drop_index(batch_op.f("ix_epcis_events_biz_location"))

    op.drop_table("epcis_events")
