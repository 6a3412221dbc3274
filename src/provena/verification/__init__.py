"""provena.verification: reading records back with their ledger proofs, and public checks.

Anyone, signed in or not, may ask whether a certificate holds (now or at an instant), how a
shipment travelled, or which records anchor a file. The answers come from the projections
(one or two SQL queries) and carry a *proof* read from the ledger block that committed the
record's last change: block number, validation code, the creator's organization and the
endorsing organizations (`proofs.parse_block`). `LedgerReader` reads blocks and evaluates
queries with the API's read identity and caches what blocks say, since blocks never change.

- `verify_certificate(session, reader, id, at)`: status at `at` from the status log, the
  issuer's accreditation then (from the feed's accreditation changes), documents, proof.
- `verify_shipment(session, reader, id)`: custody chain, checkpoints, proof.
- `anchors_of(session, sha256=, cid=)`: every certificate, shipment or checkpoint holding a file.
- `certificate_history` / `shipment_history`: every transaction that changed a record, from
  the ledger's history (the projections keep only the last one), each with its proof.
- `CertificateCache`: what certificate verifications read, kept until the row changes;
  `coalesced_versions` lets concurrent verifications share its one query (`CoalescedReads`).
- `TokenBuckets`: the per-client rate limit of the public endpoints.

Public answers name organizations, never people (`models`).
"""

from provena.verification.cache import CertificateCache
from provena.verification.certificates import (
    accreditation_at,
    coalesced_versions,
    status_at,
    verify_certificate,
)
from provena.verification.coalesce import CoalescedReads
from provena.verification.documents import anchors_of, check_cid, check_sha256
from provena.verification.errors import (
    InvalidQuery,
    ProofUnavailable,
    RecordNotFound,
    VerificationError,
)
from provena.verification.history import HistoryEntry, certificate_history, shipment_history
from provena.verification.proofs import BlockSummary, Proof, parse_block
from provena.verification.ratelimit import TokenBuckets
from provena.verification.reader import LedgerReader
from provena.verification.shipments import verify_shipment

__all__ = [
    "BlockSummary",
    "CertificateCache",
    "CoalescedReads",
    "HistoryEntry",
    "InvalidQuery",
    "LedgerReader",
    "Proof",
    "ProofUnavailable",
    "RecordNotFound",
    "TokenBuckets",
    "VerificationError",
    "accreditation_at",
    "anchors_of",
    "certificate_history",
    "check_cid",
    "check_sha256",
    "coalesced_versions",
    "parse_block",
    "shipment_history",
    "status_at",
    "verify_certificate",
    "verify_shipment",
]
