"""Document anchors: which certificates and shipments hold a document, by CID or SHA-256."""

from __future__ import annotations

from collections.abc import Iterable

from provena.contracts.ledger import Ledger
from provena.contracts.model import DocumentRef

__all__ = ["anchor", "anchored_by"]

BY_CID = "provena.anchor~cid"
BY_SHA256 = "provena.anchor~sha256"


async def anchor(ledger: Ledger, documents: Iterable[DocumentRef], kind: str, id: str) -> None:
    """Index each document under the record (`kind` is "certificate" or "shipment")."""
    for document in documents:
        await ledger.index(BY_CID, document.cid, kind, id)
        await ledger.index(BY_SHA256, document.sha256, kind, id)


async def anchored_by(ledger: Ledger, cid_or_sha256: str) -> list[tuple[str, str]]:
    """(kind, id) of every record anchoring the document, in key order."""
    is_sha256 = len(cid_or_sha256) == 64 and all(c in "0123456789abcdef" for c in cid_or_sha256)
    keys = await ledger.all(BY_SHA256 if is_sha256 else BY_CID, [cid_or_sha256])
    return [(kind, id) for _, kind, id in keys]
