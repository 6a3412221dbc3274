"""Errors of the ledger core: store, simulator, validation, endorsement and ordering.

    LedgerError
    ├── StoreError              the store cannot be opened, or a commit does not fit the chain
    ├── SimulationError         a simulator was misused (paginated query after a write, …)
    ├── InvalidTransaction      an envelope fails a check; carries its TxValidationCode
    ├── ProposalRejected        the endorser refuses a proposal in its pre-checks (unpacking,
    │                           creator, signature, duplicate tx id) or a filter in front of
    │                           it does (an expired creator): Fabric's error return (also a
    │                           ValueError, as the gateway's seam expects)
    ├── BroadcastRejected       the orderer refuses an envelope up front (also a ValueError);
    │                           carries the broadcast status the gateway reports
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


class ProposalRejected(LedgerError, ValueError):
    """The peer refused a proposal before simulation (bad header, signature, …).

    A Fabric endorser returns both an error and a status-500 response for these; an auth
    filter in front of it (the expiration check) returns the error alone. `answered` says
    which: the gateway tells a client error (FAILED_PRECONDITION) from a peer that did not
    answer (UNAVAILABLE, try another) by it.
    """

    def __init__(self, message: str, *, answered: bool = True) -> None:
        super().__init__(message)
        self.answered = answered


class BroadcastRejected(LedgerError, ValueError):
    """The orderer refused an envelope before ordering it; `status` is its `common.Status`
    (BAD_REQUEST, or FORBIDDEN when the channel's Writers policy refused the creator)."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class OrdererStopped(LedgerError):
    """The orderer no longer orders: it was closed, or writing a block failed."""
