"""The tables. Importing this package registers every table on `Base.metadata`."""

from provena.db.models.accounts import Organization, User
from provena.db.models.certificates import Certificate, CertificateDocument
from provena.db.models.documents import Document, DocumentLocation, DocumentReference
from provena.db.models.epcis import (
    EpcisBizTransaction,
    EpcisCapture,
    EpcisEvent,
    EpcisEventIdentifier,
    EpcisEventParty,
    EpcisSubscription,
    Recall,
    RecalledShipment,
    RecallParty,
)
from provena.db.models.feed import FeedEvent
from provena.db.models.ledger import LedgerCheckpoint, LedgerTransaction
from provena.db.models.shipments import (
    Checkpoint,
    CustodyTransfer,
    Shipment,
    ShipmentDocument,
    ShipmentItem,
)
from provena.db.models.wallet import LedgerIdentity

__all__ = [
    "Certificate",
    "CertificateDocument",
    "Checkpoint",
    "CustodyTransfer",
    "Document",
    "DocumentLocation",
    "DocumentReference",
    "EpcisBizTransaction",
    "EpcisCapture",
    "EpcisEvent",
    "EpcisEventIdentifier",
    "EpcisEventParty",
    "EpcisSubscription",
    "FeedEvent",
    "LedgerCheckpoint",
    "LedgerIdentity",
    "LedgerTransaction",
    "Organization",
    "Recall",
    "RecallParty",
    "RecalledShipment",
    "Shipment",
    "ShipmentDocument",
    "ShipmentItem",
    "User",
]
