"""Provena's SQL database: projections of the ledger, plus what is not on it.

The ledger is the source of truth for certificates, shipments, custody and
checkpoints; the tables here are projections of its committed events (each row names
the transaction and block that last changed it) and can be rebuilt from block 0.
Users, organizations, uploaded documents and the tracking of our own transactions
live only here.

Runs on a SQLite file (the default, WAL mode) or PostgreSQL, through async drivers::

    await upgrade(url)                          # Alembic migrations, shipped in the package
    database = Database.from_url(url)           # sqlite:///PATH or postgresql://...
    async with database.session() as session:
        await seed_organizations(session)
        user = await upsert_user(session, subject="...", email=None, display_name=None,
                                 msp_id="ProducerMSP", roles=["producer"])
        await session.commit()
    await database.dispose()

Timestamps are timezone-aware UTC on both backends (naive ones are refused);
quantities are exact decimal strings; closed vocabularies are VARCHAR with CHECK
constraints. Errors derive from `DatabaseError` (see `provena.db.errors`); constraint
violations surface as SQLAlchemy's `IntegrityError`.
"""

from provena.db.base import Base
from provena.db.bootstrap import bootstrap
from provena.db.crud import get_organization, list_users, seed_organizations, upsert_user
from provena.db.database import Database
from provena.db.enums import (
    CertificateStatus,
    CustodyTransferStatus,
    KeyCustody,
    LedgerTxStatus,
    OrgKind,
    ShipmentStatus,
    SubjectKind,
)
from provena.db.errors import (
    DatabaseError,
    DatabaseUnavailableError,
    MigrationError,
    UnknownOrganizationError,
    UnsupportedDatabaseError,
)
from provena.db.groupcommit import GroupCommit
from provena.db.migrate import (
    alembic_config,
    autogenerate_revision,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from provena.db.models import (
    Certificate,
    CertificateDocument,
    Checkpoint,
    CustodyTransfer,
    Document,
    DocumentLocation,
    DocumentReference,
    EpcisBizTransaction,
    EpcisCapture,
    EpcisEvent,
    EpcisEventIdentifier,
    EpcisEventParty,
    EpcisSubscription,
    FeedEvent,
    LedgerCheckpoint,
    LedgerIdentity,
    LedgerTransaction,
    Organization,
    Recall,
    RecalledShipment,
    RecallParty,
    Shipment,
    ShipmentDocument,
    ShipmentItem,
    User,
)
from provena.db.types import utcnow
from provena.db.urls import async_url

__all__ = [
    "Base",
    "Certificate",
    "CertificateDocument",
    "CertificateStatus",
    "Checkpoint",
    "CustodyTransfer",
    "CustodyTransferStatus",
    "Database",
    "DatabaseError",
    "DatabaseUnavailableError",
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
    "GroupCommit",
    "KeyCustody",
    "LedgerCheckpoint",
    "LedgerIdentity",
    "LedgerTransaction",
    "LedgerTxStatus",
    "MigrationError",
    "OrgKind",
    "Organization",
    "Recall",
    "RecallParty",
    "RecalledShipment",
    "Shipment",
    "ShipmentDocument",
    "ShipmentItem",
    "ShipmentStatus",
    "SubjectKind",
    "UnknownOrganizationError",
    "UnsupportedDatabaseError",
    "User",
    "alembic_config",
    "async_url",
    "autogenerate_revision",
    "bootstrap",
    "current_revision",
    "downgrade",
    "get_organization",
    "head_revision",
    "list_users",
    "seed_organizations",
    "upgrade",
    "upsert_user",
    "utcnow",
]
