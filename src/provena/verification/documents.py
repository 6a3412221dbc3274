"""Which records anchor a document, by SHA-256 or CID: certificates, shipments, checkpoints.

The projections' document tables answer for certificates and shipments; checkpoint documents
live in each checkpoint's JSON, so those rows are narrowed by text first, then checked.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Text, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import CertificateDocument, Checkpoint, ShipmentDocument
from provena.verification.errors import InvalidQuery
from provena.verification.models import Anchor, DocumentView

__all__ = ["anchors_of", "check_cid", "check_sha256"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CID = re.compile(r"^[A-Za-z0-9]{10,128}$")


def check_sha256(value: str) -> str:
    lowered = value.lower()
    if not _SHA256.fullmatch(lowered):
        raise InvalidQuery("sha256 must be 64 hexadecimal digits")
    return lowered


def check_cid(value: str) -> str:
    if not _CID.fullmatch(value):
        raise InvalidQuery("cid must be a CID (base32 or base58 text)")
    return value


async def anchors_of(
    session: AsyncSession, *, sha256: str | None, cid: str | None, verify_base: str
) -> list[Anchor]:
    """Every record anchoring the document with `sha256` or `cid` (either may match)."""
    anchors: list[Anchor] = []

    def matching(table: type[CertificateDocument] | type[ShipmentDocument]) -> ColumnElement[bool]:
        matches = []
        if sha256 is not None:
            matches.append(table.sha256 == sha256)
        if cid is not None:
            matches.append(table.cid == cid)
        return or_(*matches)

    certificates = select(CertificateDocument).where(matching(CertificateDocument))
    for c in await session.scalars(certificates.order_by(CertificateDocument.certificate_id)):
        anchors.append(
            Anchor(
                kind="certificate",
                id=c.certificate_id,
                document=DocumentView.model_validate(c, from_attributes=True),
                verify_url=f"{verify_base}/certificates/{c.certificate_id}",
                tx_id=c.tx_id,
                block_number=c.block_number,
            )
        )
    shipments = select(ShipmentDocument).where(matching(ShipmentDocument))
    for s in await session.scalars(shipments.order_by(ShipmentDocument.shipment_id)):
        anchors.append(
            Anchor(
                kind="shipment",
                id=s.shipment_id,
                document=DocumentView.model_validate(s, from_attributes=True),
                verify_url=f"{verify_base}/shipments/{s.shipment_id}",
                tx_id=s.tx_id,
                block_number=s.block_number,
            )
        )
    needles = [n for n in (sha256, cid) if n is not None]
    text = cast(Checkpoint.documents, Text)
    query = select(Checkpoint).where(or_(*(text.contains(n) for n in needles)))
    for checkpoint in await session.scalars(query.order_by(Checkpoint.shipment_id, Checkpoint.seq)):
        for document in checkpoint.documents:
            if document.get("sha256") == sha256 or document.get("cid") == cid:
                anchors.append(
                    Anchor(
                        kind="checkpoint",
                        id=checkpoint.shipment_id,
                        seq=checkpoint.seq,
                        document=DocumentView(**document),
                        verify_url=f"{verify_base}/shipments/{checkpoint.shipment_id}",
                        tx_id=checkpoint.tx_id,
                        block_number=checkpoint.block_number,
                    )
                )
    return anchors
