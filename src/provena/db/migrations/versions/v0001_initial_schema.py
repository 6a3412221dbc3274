"""Initial schema: organizations, users, ledger tracking, documents and projections.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Self-contained on purpose: no imports from the application, so later changes to the
models cannot change what this revision does. Closed vocabularies are VARCHAR(32)
with named CHECK constraints (the models' `Enum(native_enum=False)` renders the same).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import SchemaItem

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)
MSP_ID = sa.String(length=64)
LEDGER_ID = sa.String(length=64)
CID = sa.String(length=128)
HEX64 = sa.String(length=64)


def _hex64(table: str, column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"length({column}) = 64 AND ltrim({column}, '0123456789abcdef') = ''",
        name=op.f(f"ck_{table}_{column}_hex"),
    )


def _one_of(table: str, column: str, *values: str) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=op.f(f"ck_{table}_{column}"))


def _nonnegative(table: str, column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} >= 0", name=op.f(f"ck_{table}_{column}_nonnegative"))


def _projection(table: str) -> list[SchemaItem]:
    """The columns saying which ledger transaction last changed a row."""
    return [
        sa.Column("tx_id", HEX64, nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        _hex64(table, "tx_id"),
        _nonnegative(table, "block_number"),
    ]


def _document_ref(table: str) -> list[SchemaItem]:
    """A document as the ledger references it: {cid, sha256, size, media_type, name}."""
    return [
        sa.Column("cid", CID, nullable=False),
        sa.Column("sha256", HEX64, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        _hex64(table, "sha256"),
        _nonnegative(table, "size"),
    ]


def upgrade() -> None:
    # --- accounts: not on the ledger --------------------------------------------------
    op.create_table(
        "organizations",
        sa.Column("msp_id", MSP_ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("msp_id", name=op.f("pk_organizations")),
        _one_of("organizations", "kind", "certification_body", "producer", "carrier", "retailer"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("oidc_subject", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("msp_id", MSP_ID, nullable=True),
        sa.Column("roles", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("last_seen_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("oidc_subject", name=op.f("uq_users_oidc_subject")),
        sa.ForeignKeyConstraint(
            ["msp_id"],
            ["organizations.msp_id"],
            name=op.f("fk_users_msp_id_organizations"),
            ondelete="RESTRICT",
        ),
    )
    op.create_index(op.f("ix_users_msp_id"), "users", ["msp_id"])

    # --- our own ledger transactions, and event listener checkpoints -------------------
    op.create_table(
        "ledger_transactions",
        sa.Column("tx_id", HEX64, nullable=False),
        sa.Column("channel", sa.String(length=255), nullable=False),
        sa.Column("chaincode", sa.String(length=255), nullable=False),
        sa.Column("function", sa.String(length=255), nullable=False),
        sa.Column("submitter_id", sa.Uuid(), nullable=True),
        sa.Column("submitter_msp_id", MSP_ID, nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("validation_code", sa.String(length=64), nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("submitted_at", TIMESTAMP, nullable=False),
        sa.Column("committed_at", TIMESTAMP, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("tx_id", name=op.f("pk_ledger_transactions")),
        sa.ForeignKeyConstraint(
            ["submitter_id"],
            ["users.id"],
            name=op.f("fk_ledger_transactions_submitter_id_users"),
            ondelete="SET NULL",
        ),
        _hex64("ledger_transactions", "tx_id"),
        _nonnegative("ledger_transactions", "block_number"),
        _one_of("ledger_transactions", "status", "pending", "committed", "invalid"),
        sa.CheckConstraint(
            "status <> 'committed' OR block_number IS NOT NULL",
            name=op.f("ck_ledger_transactions_committed_has_block"),
        ),
    )
    op.create_index(
        op.f("ix_ledger_transactions_status_submitted_at"),
        "ledger_transactions",
        ["status", "submitted_at"],
    )
    op.create_index(
        op.f("ix_ledger_transactions_submitted_at"), "ledger_transactions", ["submitted_at"]
    )
    op.create_index(
        op.f("ix_ledger_transactions_submitter_id"), "ledger_transactions", ["submitter_id"]
    )
    op.create_table(
        "ledger_checkpoints",
        sa.Column("listener", sa.String(length=255), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("tx_index", sa.Integer(), nullable=True),
        sa.Column("tx_id", HEX64, nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("listener", name=op.f("pk_ledger_checkpoints")),
        _nonnegative("ledger_checkpoints", "block_number"),
        _nonnegative("ledger_checkpoints", "tx_index"),
        _hex64("ledger_checkpoints", "tx_id"),
    )

    # --- uploaded documents ------------------------------------------------------------
    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cid", CID, nullable=False),
        sa.Column("sha256", HEX64, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("cid_profile", sa.String(length=32), nullable=False),
        sa.Column("uploaded_by_id", sa.Uuid(), nullable=True),
        sa.Column("uploaded_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("cid", name=op.f("uq_documents_cid")),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_documents_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        _hex64("documents", "sha256"),
        _nonnegative("documents", "size"),
    )
    op.create_index(op.f("ix_documents_sha256"), "documents", ["sha256"])
    op.create_index(op.f("ix_documents_uploaded_by_id"), "documents", ["uploaded_by_id"])
    op.create_table(
        "document_locations",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("store", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=1024), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("document_id", "store", name=op.f("pk_document_locations")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_locations_document_id_documents"),
            ondelete="CASCADE",
        ),
    )

    # --- projection: certificates -------------------------------------------------------
    op.create_table(
        "certificates",
        sa.Column("id", LEDGER_ID, nullable=False),
        sa.Column("scheme", sa.String(length=128), nullable=False),
        sa.Column("subject_kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=255), nullable=False),
        sa.Column("subject_name", sa.String(length=255), nullable=False),
        sa.Column("subject_msp_id", MSP_ID, nullable=True),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("valid_from", TIMESTAMP, nullable=False),
        sa.Column("valid_until", TIMESTAMP, nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("issuer_msp_id", MSP_ID, nullable=False),
        sa.Column("issuer_id", sa.Text(), nullable=False),
        sa.Column("issued_at", TIMESTAMP, nullable=False),
        sa.Column("metadata_cid", CID, nullable=True),
        *_projection("certificates"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        _one_of("certificates", "subject_kind", "organization", "facility", "product", "lot"),
        _one_of("certificates", "status", "ACTIVE", "SUSPENDED", "REVOKED"),
        sa.CheckConstraint(
            "valid_until > valid_from", name=op.f("ck_certificates_validity_period")
        ),
    )
    op.create_index(op.f("ix_certificates_issuer_msp_id"), "certificates", ["issuer_msp_id"])
    op.create_index(op.f("ix_certificates_scheme"), "certificates", ["scheme"])
    op.create_index(op.f("ix_certificates_status"), "certificates", ["status"])
    op.create_index(
        op.f("ix_certificates_subject_kind_subject_id"),
        "certificates",
        ["subject_kind", "subject_id"],
    )
    op.create_index(op.f("ix_certificates_subject_msp_id"), "certificates", ["subject_msp_id"])
    op.create_table(
        "certificate_documents",
        sa.Column("certificate_id", LEDGER_ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_document_ref("certificate_documents"),
        *_projection("certificate_documents"),
        sa.PrimaryKeyConstraint(
            "certificate_id", "position", name=op.f("pk_certificate_documents")
        ),
        sa.UniqueConstraint(
            "certificate_id", "cid", name=op.f("uq_certificate_documents_certificate_id_cid")
        ),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_certificate_documents_certificate_id_certificates"),
            ondelete="CASCADE",
        ),
        _nonnegative("certificate_documents", "position"),
    )

    # --- projection: shipments ----------------------------------------------------------
    op.create_table(
        "shipments",
        sa.Column("id", LEDGER_ID, nullable=False),
        sa.Column("owner_msp_id", MSP_ID, nullable=False),
        sa.Column("custodian_msp_id", MSP_ID, nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("pending_transfer_to_msp_id", MSP_ID, nullable=True),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("destination_msp_id", MSP_ID, nullable=False),
        sa.Column("destination_location", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        *_projection("shipments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
        _one_of("shipments", "status", "CREATED", "TRANSFER_PROPOSED", "IN_TRANSIT", "DELIVERED"),
    )
    op.create_index(op.f("ix_shipments_custodian_msp_id"), "shipments", ["custodian_msp_id"])
    op.create_index(op.f("ix_shipments_destination_msp_id"), "shipments", ["destination_msp_id"])
    op.create_index(op.f("ix_shipments_owner_msp_id"), "shipments", ["owner_msp_id"])
    op.create_index(op.f("ix_shipments_status"), "shipments", ["status"])
    op.create_table(
        "shipment_items",
        sa.Column("shipment_id", LEDGER_ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("lot", sa.String(length=64), nullable=True),
        sa.Column("certificate_ids", JSON, nullable=False),
        *_projection("shipment_items"),
        sa.PrimaryKeyConstraint("shipment_id", "position", name=op.f("pk_shipment_items")),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_shipment_items_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        _nonnegative("shipment_items", "position"),
        sa.CheckConstraint(
            "quantity <> '' AND ltrim(quantity, '0123456789.') = ''",
            name=op.f("ck_shipment_items_quantity_decimal"),
        ),
        sa.CheckConstraint(
            "length(gtin) IN (8, 12, 13, 14) AND ltrim(gtin, '0123456789') = ''",
            name=op.f("ck_shipment_items_gtin_digits"),
        ),
    )
    op.create_index(op.f("ix_shipment_items_lot"), "shipment_items", ["lot"])
    op.create_table(
        "shipment_documents",
        sa.Column("shipment_id", LEDGER_ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_document_ref("shipment_documents"),
        *_projection("shipment_documents"),
        sa.PrimaryKeyConstraint("shipment_id", "position", name=op.f("pk_shipment_documents")),
        sa.UniqueConstraint(
            "shipment_id", "cid", name=op.f("uq_shipment_documents_shipment_id_cid")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_shipment_documents_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        _nonnegative("shipment_documents", "position"),
    )
    op.create_table(
        "custody_transfers",
        sa.Column("shipment_id", LEDGER_ID, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_msp_id", MSP_ID, nullable=False),
        sa.Column("to_msp_id", MSP_ID, nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("proposed_at", TIMESTAMP, nullable=False),
        sa.Column("resolved_at", TIMESTAMP, nullable=True),
        *_projection("custody_transfers"),
        sa.PrimaryKeyConstraint("shipment_id", "seq", name=op.f("pk_custody_transfers")),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_custody_transfers_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        _nonnegative("custody_transfers", "seq"),
        _one_of("custody_transfers", "status", "PROPOSED", "ACCEPTED", "REJECTED", "CANCELLED"),
        sa.CheckConstraint(
            "(status = 'PROPOSED') = (resolved_at IS NULL)",
            name=op.f("ck_custody_transfers_resolved_unless_proposed"),
        ),
    )
    op.create_index(op.f("ix_custody_transfers_to_msp_id"), "custody_transfers", ["to_msp_id"])
    op.create_table(
        "checkpoints",
        sa.Column("shipment_id", LEDGER_ID, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_time", TIMESTAMP, nullable=False),
        sa.Column("event_time_zone_offset", sa.String(length=6), nullable=False),
        sa.Column("biz_step", sa.String(length=255), nullable=False),
        sa.Column("disposition", sa.String(length=255), nullable=True),
        sa.Column("read_point", sa.Text(), nullable=True),
        sa.Column("biz_location", sa.Text(), nullable=True),
        sa.Column("sensor_readings", JSON, nullable=False),
        sa.Column("documents", JSON, nullable=False),
        sa.Column("event_hash", HEX64, nullable=False),
        sa.Column("recorded_by_msp_id", MSP_ID, nullable=False),
        sa.Column("recorded_at", TIMESTAMP, nullable=False),
        *_projection("checkpoints"),
        sa.PrimaryKeyConstraint("shipment_id", "seq", name=op.f("pk_checkpoints")),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_checkpoints_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        _nonnegative("checkpoints", "seq"),
        sa.CheckConstraint(
            "event_time_zone_offset LIKE '+__:__' OR event_time_zone_offset LIKE '-__:__'",
            name=op.f("ck_checkpoints_event_time_zone_offset_format"),
        ),
        _hex64("checkpoints", "event_hash"),
    )


def downgrade() -> None:
    for table in (
        "checkpoints",
        "custody_transfers",
        "shipment_documents",
        "shipment_items",
        "shipments",
        "certificate_documents",
        "certificates",
        "document_locations",
        "documents",
        "ledger_checkpoints",
        "ledger_transactions",
        "users",
        "organizations",
    ):
        op.drop_table(table)  # its indexes go with it
