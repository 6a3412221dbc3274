"""The errors of provena.devnet.chaincode: why a chaincode could not run a transaction.

    LauncherError
    ├── ChaincodeNotDeployed    no chaincode of that name is deployed
    ├── ChaincodeUnavailable    deployed, but not connected and ready
    ├── ChaincodeTimeout        the chaincode did not complete in time (its stream stays usable)
    ├── ChaincodeDisconnected   the stream broke while the transaction ran
    └── ChaincodeFailed         the chaincode answered ERROR instead of COMPLETED

A chaincode that completes with an error *response* (status 500 and a message) is not an
exception here: it is a `ChaincodeResult` for the endorser to judge, as in Fabric.
"""

from __future__ import annotations

__all__ = [
    "ChaincodeDisconnected",
    "ChaincodeFailed",
    "ChaincodeNotDeployed",
    "ChaincodeTimeout",
    "ChaincodeUnavailable",
    "LauncherError",
]


class LauncherError(Exception):
    """Base of the launcher's errors; the message is what a Fabric peer would report."""


class ChaincodeNotDeployed(LauncherError):
    """No chaincode of that name is deployed."""


class ChaincodeUnavailable(LauncherError):
    """The chaincode is deployed but its server is not connected and ready."""


class ChaincodeTimeout(LauncherError):
    """The chaincode did not complete the transaction within the timeout."""


class ChaincodeDisconnected(LauncherError):
    """The chaincode's stream ended while the transaction was running."""


class ChaincodeFailed(LauncherError):
    """The chaincode answered ERROR for the transaction."""
