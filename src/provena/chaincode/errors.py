"""The errors of provena.chaincode.

    ChaincodeError
    ├── ConfigurationError      settings or environment variables are missing or wrong
    ├── DefinitionError         a contract class cannot be served as written
    ├── ProtocolError           the peer broke the chaincode protocol
    ├── PeerError               the peer refused a state call (its message is kept)
    ├── InvalidKeyError         a key or composite key part that Fabric would refuse
    ├── IdentityError           the creator is not an X.509 identity the runtime can read
    └── TransactionError        raised by a transaction: fails it with a chosen message and status
        ├── UnknownFunctionError    no such contract or function
        ├── ArgumentError           an argument does not convert to its declared type
        └── AttributeAssertionError a required certificate attribute is missing or different

Any other exception raised by a transaction also fails it (status 500, the exception's text);
`TransactionError` exists to choose the status and to say "this is the answer, not a bug".
"""

from __future__ import annotations

__all__ = [
    "ArgumentError",
    "AttributeAssertionError",
    "ChaincodeError",
    "ConfigurationError",
    "DefinitionError",
    "IdentityError",
    "InvalidKeyError",
    "PeerError",
    "ProtocolError",
    "TransactionError",
    "UnknownFunctionError",
]

#: Statuses at or above this are errors for the peer (Fabric's shim.ERRORTHRESHOLD).
ERROR_THRESHOLD = 400


class ChaincodeError(Exception):
    """Base of every error raised by provena.chaincode."""


class ConfigurationError(ChaincodeError):
    """The chaincode server's settings are missing or invalid."""


class DefinitionError(ChaincodeError):
    """A contract class cannot be served as written (found when it is registered)."""


class ProtocolError(ChaincodeError):
    """The peer sent a message the chaincode protocol does not allow at that point."""


class PeerError(ChaincodeError):
    """The peer answered a state call with ERROR; the message is the peer's own text."""


class InvalidKeyError(ChaincodeError, ValueError):
    """A key or composite key attribute that Fabric's shims refuse as well."""


class IdentityError(ChaincodeError):
    """The transaction creator is not a readable X.509 identity."""


class TransactionError(ChaincodeError):
    """Fail the running transaction with `message`, `status` (400-599) and an optional payload."""

    def __init__(self, message: str, *, status: int = 500, payload: bytes = b"") -> None:
        if not ERROR_THRESHOLD <= status < 600:
            raise ValueError(f"an error status must be within 400-599, not {status}")
        super().__init__(message)
        self.message = message
        self.status = status
        self.payload = payload


class UnknownFunctionError(TransactionError):
    """The requested contract or function does not exist."""


class ArgumentError(TransactionError):
    """An argument is missing, extra, or does not convert to its declared type."""


class AttributeAssertionError(TransactionError):
    """The caller's certificate lacks an attribute, or holds another value."""
