"""A record's full history, from the ledger: every transaction that changed it, with proofs.

The projections keep only the last transaction of each row, so the history is asked of the
ledger itself (`GetCertificateHistory`, `GetShipmentHistory`, evaluated with the API's read
identity); each entry's proof is read from its block (cached).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from provena.verification.models import LedgerProof, signed_proof
from provena.verification.reader import LedgerReader

__all__ = ["HistoryEntry", "certificate_history", "shipment_history"]


class HistoryEntry(BaseModel):
    tx_id: str
    timestamp: datetime
    status: str
    proof: LedgerProof


async def _entries(
    reader: LedgerReader, changes: list[dict[str, object]], key: str
) -> list[HistoryEntry]:
    entries = []
    for change in changes:
        tx_id = str(change["tx_id"])
        record = change[key]
        assert isinstance(record, dict)
        entries.append(
            HistoryEntry(
                tx_id=tx_id,
                timestamp=datetime.fromisoformat(str(change["timestamp"])),
                status=str(record["status"]),
                proof=signed_proof(await reader.proof(tx_id)),
            )
        )
    return entries


async def certificate_history(reader: LedgerReader, id: str) -> list[HistoryEntry]:
    changes = await reader.evaluate("Certificates", "GetCertificateHistory", id)
    return await _entries(reader, changes, "certificate")


async def shipment_history(reader: LedgerReader, id: str) -> list[HistoryEntry]:
    history = await reader.evaluate("Shipments", "GetShipmentHistory", id)
    return await _entries(reader, history["changes"], "shipment")
