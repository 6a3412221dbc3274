"""The closed vocabularies of the ledger's records, as stored in the database.

Values are the strings the chaincode writes. Each is stored as VARCHAR with a CHECK
constraint (not a native PostgreSQL enum), so adding a value is a one-line migration
on both backends. `OrgKind` lives in `provena.demo` and is re-exported here.
"""

from __future__ import annotations

from enum import StrEnum

from provena.demo import OrgKind

__all__ = [
    "CertificateStatus",
    "CustodyTransferStatus",
    "KeyCustody",
    "LedgerTxStatus",
    "OrgKind",
    "ShipmentStatus",
    "SubjectKind",
]


class LedgerTxStatus(StrEnum):
    """Where a submitted transaction is: waiting for a block, or settled either way."""

    PENDING = "pending"
    COMMITTED = "committed"
    INVALID = "invalid"


class SubjectKind(StrEnum):
    """What a certificate is about."""

    ORGANIZATION = "organization"
    FACILITY = "facility"
    PRODUCT = "product"
    LOT = "lot"


class CertificateStatus(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"


class ShipmentStatus(StrEnum):
    CREATED = "CREATED"
    TRANSFER_PROPOSED = "TRANSFER_PROPOSED"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"


class CustodyTransferStatus(StrEnum):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"


class KeyCustody(StrEnum):
    """Who holds the private key of a person's Fabric identity."""

    SERVER = "server"
    BROWSER = "browser"
