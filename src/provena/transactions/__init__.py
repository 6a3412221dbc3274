"""provena.transactions: the application's writes to the ledger, tracked until they settle.

Each person signs with their own Fabric identity: in the API (server custody, the key
sealed in the wallet) or in their browser (browser custody: prepare, sign, submit). Every
write is endorsed, recorded as pending with its signed envelope, submitted, and settled to
committed or invalid from its commit status, in the background; rows a stopped process
left pending are settled by the next one::

    service = TransactionService(database=db, ledger=LedgerConnection(...), reader=(id, signer))
    row = await service.submit(actor, Write("Certificates", "IssueCertificate", (json_arg,)))
    row.tx_id, row.status          # at once: the id, pending
    await service.wait_settled(row.tx_id)    # committed or invalid
"""

from provena.transactions.errors import (
    IdempotencyMismatch,
    LedgerUnavailable,
    NoLedgerIdentity,
    Refused,
    SignatureRejected,
    TransactionFailure,
    WriteConflict,
)
from provena.transactions.ledger import LedgerConnection
from provena.transactions.service import Actor, OnSettled, ToSign, TransactionService, Write
from provena.transactions.signed import Call, der_signature, read_prepared, read_proposed

__all__ = [
    "Actor",
    "Call",
    "IdempotencyMismatch",
    "LedgerConnection",
    "LedgerUnavailable",
    "NoLedgerIdentity",
    "OnSettled",
    "Refused",
    "SignatureRejected",
    "ToSign",
    "TransactionFailure",
    "TransactionService",
    "Write",
    "WriteConflict",
    "der_signature",
    "read_prepared",
    "read_proposed",
]
