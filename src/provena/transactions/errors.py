"""Errors of `provena.transactions`; each knows the HTTP status the API answers with.

TransactionFailure
├── Refused               the contract said no (403, 404, 409 or 422, its own message)
├── WriteConflict         another transaction changed the same record first (409)
├── IdempotencyMismatch   an Idempotency-Key reused for a different request (422)
├── SignatureRejected     a client's signature or signed bytes cannot be accepted (400)
├── NoLedgerIdentity      the person has no usable ledger identity (403)
└── LedgerUnavailable     the ledger could not be reached or did not answer (503)
"""

from __future__ import annotations

__all__ = [
    "IdempotencyMismatch",
    "LedgerUnavailable",
    "NoLedgerIdentity",
    "Refused",
    "SignatureRejected",
    "TransactionFailure",
    "WriteConflict",
]


class TransactionFailure(Exception):
    """Base of every error of a write to the ledger."""

    status = 500


class Refused(TransactionFailure):
    """The contract refused the transaction; `status` follows the contract's error kind."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class WriteConflict(TransactionFailure):
    """The record changed between endorsement and commit (MVCC); retrying may succeed."""

    status = 409


class IdempotencyMismatch(TransactionFailure):
    """The Idempotency-Key was first used with a different request."""

    status = 422


class SignatureRejected(TransactionFailure):
    """Client-signed bytes are malformed, not the caller's, replayed, or badly signed."""

    status = 400


class NoLedgerIdentity(TransactionFailure):
    """The caller cannot act on the ledger (no organization, removed, or no certificate)."""

    status = 403


class LedgerUnavailable(TransactionFailure):
    """The ledger did not answer; nothing was submitted, or the outcome is still pending."""

    status = 503
