"""Errors of the ledger core: store, simulator, validation, endorsement and ordering.

    LedgerError
    ├── StoreError              the store cannot be opened, or a commit does not fit the chain
    ├── SimulationError         a simulator was misused (paginated query after a write, …)
    ├── InvalidTransaction      an envelope fails a check; carries its TxValidationCode
    ├── ProposalRejected        the endorser refuses a proposal before running the chaincode
    ├── BroadcastRejected       the orderer refuses an envelope up front (also a ValueError,
    │                           which the gateway maps to BAD_REQUEST)
    └── OrdererStopped          the orderer is closed, or stopped on a failed commit

A rejected proposal or broadcast is "the call failed"; an InvalidTransaction becomes a
validation code recorded in the block, i.e. "the ledger said no".
"""

from __future__ import annotations

__all__ = [
    "BroadcastRejected",
    "InvalidTransaction",
    "LedgerError",
    "OrdererStopped",
    "ProposalRejected",
    "SimulationError",
    "StoreError",
]


class LedgerError(Exception):
    """Base of every error raised by the ledger core."""


class StoreError(LedgerError):
    """The ledger store is unusable, or a block does not extend the chain it holds."""


class SimulationError(LedgerError):
    """A transaction simulator was used in a way Fabric's simulator refuses."""


class InvalidTransaction(LedgerError):
    """A transaction failed validation; `code` is its `peer.TxValidationCode`."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class ProposalRejected(LedgerError):
    """The endorser refused a proposal before simulation (bad header, signature, …)."""


class BroadcastRejected(LedgerError, ValueError):
    """The orderer refused an envelope before ordering it."""


class OrdererStopped(LedgerError):
    """The orderer no longer orders: it was closed, or writing a block failed."""
