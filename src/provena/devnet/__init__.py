"""provena.devnet: an embedded Fabric-compatible network in one process.

One `Devnet` is a whole network for one channel: a development PKI in Fabric's MSP layout,
the channel's MSPs and endorsement policy, an endorsing peer per organization, a solo orderer,
a crash-safe ledger, chaincode-as-a-service connections, and the Gateway and Deliver gRPC
services a Fabric peer offers — so Fabric's own clients work against it unchanged::

    devnet = await Devnet.start(DevnetConfig(data_dir=Path(".provena/devnet")))
    await devnet.define_chaincode("provena", "127.0.0.1:9999")   # record it, connect to it
    ...
    await devnet.aclose()

From the shell: `provena devnet` (start), `provena devnet profile --org ProducerMSP --user
tomas.herrera` (a connection profile), `provena devnet chaincode deploy NAME --address H:P`.
"""

from __future__ import annotations

from provena.devnet.config import DevnetConfig
from provena.devnet.errors import (
    AdminError,
    ConfigError,
    DevnetError,
    IdentityError,
    InvalidRole,
    MalformedIdentity,
    PkiError,
    PolicyError,
    PolicySyntaxError,
    UnknownMsp,
    UnsatisfiablePolicy,
    UntrustedCertificate,
)
from provena.devnet.identity import SigningIdentity
from provena.devnet.msp import Identity, MspConfig, MspManager, NodeOUs, Role
from provena.devnet.network import Devnet
from provena.devnet.pki import OrgSpec, Pki, UserSpec
from provena.devnet.policy import DEFAULT_POLICY, Policy

__all__ = [
    "DEFAULT_POLICY",
    "AdminError",
    "ConfigError",
    "Devnet",
    "DevnetConfig",
    "DevnetError",
    "Identity",
    "IdentityError",
    "InvalidRole",
    "MalformedIdentity",
    "MspConfig",
    "MspManager",
    "NodeOUs",
    "OrgSpec",
    "Pki",
    "PkiError",
    "Policy",
    "PolicyError",
    "PolicySyntaxError",
    "Role",
    "SigningIdentity",
    "UnknownMsp",
    "UnsatisfiablePolicy",
    "UntrustedCertificate",
    "UserSpec",
]
