"""Ledger events for the functions' tests, applied the way the listener applies them.

`apply_events` with the projections' own handler writes the projection rows and the feed
rows of each event in one transaction, exactly as `EventListener` does with the events it
reads from the ledger; the events are built from the contracts' own models.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from provena.contracts.events import CertificateEvent, ShipmentEvent
from provena.contracts.model import Certificate, CertificateStatus, StatusChange
from provena.db import Database
from provena.events import DatabaseCheckpointer, apply_events
from provena.fabric import ChaincodeEvent
from provena.projections.dispatch import apply

__all__ = ["Ledger"]

NOW = datetime.now(UTC)


class Ledger:
    """Commits events block by block onto `database`'s projections and feed."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._checkpointer = DatabaseCheckpointer("projections")
        self._block = 0

    async def commit(self, name: str, payload: CertificateEvent | ShipmentEvent) -> str:
        """One event in a new block; its transaction id."""
        self._block += 1
        tx_id = secrets.token_hex(32)
        event = ChaincodeEvent(
            self._block, tx_id, "provena", name, payload.model_dump_json().encode()
        )
        async with self.database.writing() as session:
            await self._checkpointer.load(session)
            await apply_events(session, [event], apply, self._checkpointer)
            await session.commit()
        return tx_id

    async def issue(self, id: str, *, valid_until: datetime, **fields: Any) -> Certificate:
        certificate = _certificate(id, valid_until, **fields)
        await self.commit("CertificateIssued", CertificateEvent(certificate=certificate))
        return certificate

    async def change(self, certificate: Certificate, status: CertificateStatus, reason: str) -> str:
        """Change the certificate's status; the transaction id."""
        name = {
            CertificateStatus.SUSPENDED: "CertificateSuspended",
            CertificateStatus.ACTIVE: "CertificateReinstated",
            CertificateStatus.REVOKED: "CertificateRevoked",
        }[status]
        change = StatusChange(status=status, reason=reason, at=NOW, tx_id="0" * 64, by="c")
        changed = certificate.model_copy(
            update={
                "status": status,
                "status_reason": reason,
                "status_log": [*certificate.status_log, change],
            }
        )
        return await self.commit(name, CertificateEvent(certificate=changed))

    async def shipment(self, name: str, shipment: dict[str, Any], **change: Any) -> str:
        return await self.commit(
            name, ShipmentEvent.model_validate({"shipment": shipment} | change)
        )


def _certificate(id: str, valid_until: datetime, **fields: Any) -> Certificate:
    issued = valid_until - timedelta(days=365)
    return Certificate.model_validate(
        {
            "id": id,
            "scheme": "EU-ORGANIC",
            "subject": {
                "kind": "lot",
                "id": "LOT-7",
                "name": "Tomato lot 7",
                "msp_id": "ProducerMSP",
            },
            "scope": "Organic tomatoes",
            "valid_from": issued,
            "valid_until": valid_until,
            "issuer_msp": "CertifierMSP",
            "issuer_id": "x509::CN=certifier",
            "issued_at": issued,
            "status": "ACTIVE",
            "status_log": [{"status": "ACTIVE", "at": issued, "tx_id": "0" * 64, "by": "c"}],
            "updated_at": issued,
            "tx_id": "0" * 64,
        }
        | fields
    )
