"""provena.devnet.chaincode: the peer side of Fabric's chaincode protocol (chaincode as a service).

The devnet dials each chaincode's gRPC server, as a Fabric peer does for chaincode as a
service, and runs endorsements on it::

    launcher = Launcher()
    await launcher.deploy(ChaincodeDefinition(
        name="provena", version="1", sequence=1,
        package_id=package_id_for("provena", "127.0.0.1:9999"), address="127.0.0.1:9999"))
    result = await launcher.execute(
        channel="provena", name="provena", tx_id=tx_id, signed_proposal=signed,
        input=ChaincodeInput(args=[b"Registry:GetAccreditation", b"ProducerMSP"]),
        simulator=simulator, timeout=30.0)
    result.response.status, result.event

Any chaincode server works (Python with provena.chaincode, Node with fabric-shim, Go, Java).
The simulator is anything that satisfies `StateAccess`.
"""

from __future__ import annotations

from provena.devnet.chaincode.connection import ChaincodeStatus, ConnectionOptions
from provena.devnet.chaincode.definition import ChaincodeDefinition, package_id_for
from provena.devnet.chaincode.errors import (
    ChaincodeDisconnected,
    ChaincodeFailed,
    ChaincodeNotDeployed,
    ChaincodeTimeout,
    ChaincodeUnavailable,
    LauncherError,
)
from provena.devnet.chaincode.launcher import ChaincodeResult, Launcher
from provena.devnet.chaincode.state import StateAccess

__all__ = [
    "ChaincodeDefinition",
    "ChaincodeDisconnected",
    "ChaincodeFailed",
    "ChaincodeNotDeployed",
    "ChaincodeResult",
    "ChaincodeStatus",
    "ChaincodeTimeout",
    "ChaincodeUnavailable",
    "ConnectionOptions",
    "Launcher",
    "LauncherError",
    "StateAccess",
    "package_id_for",
]
