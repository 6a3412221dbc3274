"""The database itself refuses bad data: CHECK, foreign key and unique constraints.

Each case starts from a valid row in every table and breaks one rule with plain SQL,
so it is the constraint in the migrated schema that says no, not Python code.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from provena.db import (
    Certificate,
    CertificateDocument,
    Database,
    Document,
    Organization,
    OrgKind,
    ShipmentItem,
    User,
)
from tests.db.conftest import CID, SHA, TX_1

CHECKS = {
    "organizations_kind": "UPDATE organizations SET kind = 'bank'",
    "ledger_transactions_status": "UPDATE ledger_transactions SET status = 'COMMITTED'",
    "ledger_transactions_committed_has_block": "UPDATE ledger_transactions SET block_number = NULL",
    "ledger_transactions_tx_id_hex": "UPDATE ledger_transactions SET tx_id = upper(tx_id)",
    "ledger_checkpoints_tx_index_nonnegative": "UPDATE ledger_checkpoints SET tx_index = -1",
    "documents_sha256_hex": "UPDATE documents SET sha256 = 'abc'",
    "documents_size_nonnegative": "UPDATE documents SET size = -1",
    "certificates_status": "UPDATE certificates SET status = 'EXPIRED'",
    "certificates_subject_kind": "UPDATE certificates SET subject_kind = 'person'",
    "certificates_validity_period": "UPDATE certificates SET valid_until = valid_from",
    "certificates_block_number_nonnegative": "UPDATE certificates SET block_number = -1",
    "certificate_documents_sha256_hex": (
        "UPDATE certificate_documents SET sha256 = 'Z' || substr(sha256, 2)"
    ),
    "shipments_status": "UPDATE shipments SET status = 'LOST'",
    "shipments_tx_id_hex": "UPDATE shipments SET tx_id = 'not-a-transaction-id'",
    "shipment_items_quantity_decimal": "UPDATE shipment_items SET quantity = '1e3'",
    "shipment_items_gtin_digits": "UPDATE shipment_items SET gtin = '95060001343X'",
    "shipment_documents_position_nonnegative": "UPDATE shipment_documents SET position = -1",
    "custody_transfers_status": "UPDATE custody_transfers SET status = 'LOST'",
    "custody_transfers_resolved_unless_proposed": "UPDATE custody_transfers SET resolved_at = NULL",
    "checkpoints_event_time_zone_offset_format": (
        "UPDATE checkpoints SET event_time_zone_offset = '02:00'"
    ),
    "checkpoints_event_hash_hex": "UPDATE checkpoints SET event_hash = 'abc'",
}


@pytest.mark.parametrize("constraint", sorted(CHECKS))
async def test_check_constraints(populated: Database, constraint: str) -> None:
    async with populated.session() as session:
        with pytest.raises(IntegrityError, match=f"ck_{constraint}"):
            await session.execute(sa.text(CHECKS[constraint]))


# How each backend words the violation of a named constraint.
FOREIGN_KEY = r'FOREIGN KEY constraint failed|violates foreign key constraint "fk_{}'


def unique(table: str, columns: str, name: str) -> str:
    return rf'UNIQUE constraint failed: {table}\.{columns}|violates unique constraint "{name}'


FOREIGN_KEYS = {
    "users_msp_id": "UPDATE users SET msp_id = 'NobodyMSP'",
    "shipment_items_shipment_id": "UPDATE shipment_items SET shipment_id = 'shp-404'",
    "certificate_documents_certificate_id": (
        "UPDATE certificate_documents SET certificate_id = 'cert-404'"
    ),
    # deleting an organization that still has users
    "users_msp_id_organizations": "DELETE FROM organizations WHERE msp_id = 'ProducerMSP'",
}


@pytest.mark.parametrize("constraint", sorted(FOREIGN_KEYS))
async def test_foreign_keys(populated: Database, constraint: str) -> None:
    async with populated.session() as session:
        with pytest.raises(IntegrityError, match=FOREIGN_KEY.format(constraint)):
            await session.execute(sa.text(FOREIGN_KEYS[constraint]))


async def test_foreign_keys_through_the_orm(populated: Database) -> None:
    async with populated.session() as session:
        session.add(User(oidc_subject="someone", msp_id="NobodyMSP"))
        with pytest.raises(IntegrityError, match=FOREIGN_KEY.format("users_msp_id")):
            await session.flush()


async def test_unique_constraints(populated: Database) -> None:
    async with populated.session() as session:
        session.add(Organization(msp_id="ProducerMSP", name="Again", kind=OrgKind.PRODUCER))
        with pytest.raises(IntegrityError, match=unique("organizations", "msp_id", "pk_")):
            await session.flush()
    async with populated.session() as session:
        session.add(User(oidc_subject="tomas.herrera"))
        with pytest.raises(IntegrityError, match=unique("users", "oidc_subject", "uq_users_")):
            await session.flush()
    async with populated.session() as session:
        session.add(Document(cid=CID, sha256=SHA, size=1, media_type="text/plain", cid_profile="x"))
        with pytest.raises(IntegrityError, match=unique("documents", "cid", "uq_documents_cid")):
            await session.flush()
    async with populated.session() as session:
        session.add(
            CertificateDocument(
                certificate_id="cert-001",
                position=1,
                cid=CID,  # already attached at position 0
                sha256=SHA,
                size=1,
                media_type="application/pdf",
                name="again.pdf",
                tx_id=TX_1,
                block_number=7,
            )
        )
        expected = unique(
            "certificate_documents",
            r"certificate_id, certificate_documents\.cid",
            "uq_certificate_documents_certificate_id_cid",
        )
        with pytest.raises(IntegrityError, match=expected):
            await session.flush()


async def test_deletes_cascade_to_projection_children(populated: Database) -> None:
    async with populated.session() as session:
        await session.execute(sa.text("DELETE FROM shipments"))
        await session.execute(sa.text("DELETE FROM certificates"))
        await session.commit()
    async with populated.session() as session:
        for table in ("shipment_items", "shipment_documents", "custody_transfers", "checkpoints"):
            count = await session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            assert count == 0, table
        assert await session.scalar(sa.select(sa.func.count()).select_from(ShipmentItem)) == 0
        assert (
            await session.scalar(sa.select(sa.func.count()).select_from(CertificateDocument)) == 0
        )
        assert await session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


async def test_deleting_a_user_keeps_their_records(populated: Database) -> None:
    async with populated.session() as session:
        await session.execute(sa.delete(User))
        await session.commit()
    async with populated.session() as session:
        document = (await session.scalars(sa.select(Document))).one()
        assert document.uploaded_by_id is None
        submitter = await session.scalar(sa.text("SELECT submitter_id FROM ledger_transactions"))
        assert submitter is None
        assert isinstance(document.id, uuid.UUID)
