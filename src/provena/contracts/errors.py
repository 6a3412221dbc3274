"""Errors a contract raises; each becomes a failed transaction with this message.

ContractError
├── AccessDenied     the caller's organization or role may not do this
├── NotFound         no record with that id
├── Conflict         the record exists, or its state does not allow this change
└── InvalidInput     the arguments break a rule
"""

from __future__ import annotations

from provena.chaincode import TransactionError

__all__ = ["AccessDenied", "Conflict", "ContractError", "InvalidInput", "NotFound"]


class ContractError(TransactionError):
    """A business rule refused the transaction."""

    prefix = "refused"
    code = 500

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.prefix}: {message}", status=self.code)


class InvalidInput(ContractError):
    prefix = "invalid input"
    code = 400


class AccessDenied(ContractError):
    prefix = "access denied"
    code = 403


class NotFound(ContractError):
    prefix = "not found"
    code = 404


class Conflict(ContractError):
    prefix = "conflict"
    code = 409
