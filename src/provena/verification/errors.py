"""The errors of verification and reads.

VerificationError
├── RecordNotFound      no such record (or not one the caller may see): 404
├── InvalidQuery        a filter, cursor or instant that does not parse: 400
└── ProofUnavailable    the ledger could not be read for a proof: 503
"""

from __future__ import annotations

__all__ = ["InvalidQuery", "ProofUnavailable", "RecordNotFound", "VerificationError"]


class VerificationError(Exception):
    """Base of this package's errors."""

    status = 500


class RecordNotFound(VerificationError):
    status = 404


class InvalidQuery(VerificationError):
    status = 400


class ProofUnavailable(VerificationError):
    status = 503
