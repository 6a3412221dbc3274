"""Errors of `provena.fabric`.

    FabricError
    ├── IdentityError          an identity, certificate or key could not be loaded
    ├── ProfileError           a connection profile is missing or malformed
    ├── SigningError           a request had to be signed but no signer was given
    ├── GatewayError           a gRPC call to the gateway failed (code, message, details)
    │   ├── EndorseError       … while endorsing; carries the transaction id
    │   ├── SubmitError        … while submitting to the orderer; carries the transaction id
    │   └── CommitStatusError  … while asking for the commit status; carries the transaction id
    ├── DeliverError           a block stream ended with a non-success Deliver status
    └── CommitError            the ledger committed the transaction as invalid

"The call failed" (GatewayError and its children) is kept apart from "the ledger said no"
(CommitError): a failed call may be retried, an invalid transaction may not.
"""

from __future__ import annotations

from dataclasses import dataclass

import grpc

__all__ = [
    "CommitError",
    "CommitStatusError",
    "DeliverError",
    "EndorseError",
    "ErrorDetail",
    "FabricError",
    "GatewayError",
    "IdentityError",
    "ProfileError",
    "SigningError",
    "SubmitError",
]


class FabricError(Exception):
    """Base of every error raised by `provena.fabric`."""


class IdentityError(FabricError):
    """An identity, certificate or private key could not be loaded."""


class ProfileError(FabricError):
    """A connection profile is missing, unreadable or lacks a field."""


class SigningError(FabricError):
    """A request needs a signature, and neither a signer nor a signature was provided."""


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """What one endorser or orderer said, from the gateway's `gateway.ErrorDetail`."""

    address: str
    msp_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.address} ({self.msp_id}): {self.message}"


class GatewayError(FabricError):
    """A gRPC call to the gateway failed; `code` is the gRPC status code."""

    def __init__(self, code: grpc.StatusCode, message: str, details: tuple[ErrorDetail, ...] = ()):
        text = f"{code.name}: {message}"
        if details:
            text += "".join(f"\n  - {detail}" for detail in details)
        super().__init__(text)
        self.code = code
        self.message = message
        self.details = details


class _TransactionCallError(GatewayError):
    """A failed gateway call about one transaction."""

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str,
        details: tuple[ErrorDetail, ...] = (),
        *,
        transaction_id: str,
    ) -> None:
        super().__init__(code, message, details)
        self.transaction_id = transaction_id


class EndorseError(_TransactionCallError):
    """Endorsement failed: no valid set of endorsements could be collected."""


class SubmitError(_TransactionCallError):
    """The endorsed transaction could not be handed to the orderer."""


class CommitStatusError(_TransactionCallError):
    """The commit status of a submitted transaction could not be obtained."""


class DeliverError(FabricError):
    """A Deliver stream ended with a status other than SUCCESS (e.g. NOT_FOUND, FORBIDDEN)."""

    def __init__(self, status: str) -> None:
        super().__init__(f"deliver service ended the stream with status {status}")
        self.status = status


class CommitError(FabricError):
    """The transaction reached the ledger but was marked invalid, e.g. MVCC_READ_CONFLICT."""

    def __init__(self, *, transaction_id: str, code: int, code_name: str) -> None:
        super().__init__(f"transaction {transaction_id} failed to commit with status {code_name}")
        self.transaction_id = transaction_id
        self.code = code
        self.code_name = code_name
