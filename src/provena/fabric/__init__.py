"""provena.fabric: a client for the Fabric Gateway (Fabric 2.4+ peers and `provena.devnet`).

It mirrors the official Go, Node and Java clients::

    identity, signer = load_msp_folder("ProducerMSP", msp_dir)
    async with connect("127.0.0.1:7051", identity=identity, signer=signer,
                       tls=Tls(root_certificates=ca_pem)) as gateway:
        contract = gateway.get_network("provena").get_contract("provena")
        result = await contract.evaluate_transaction("ReadShipment", "S1")
        submitted = await contract.submit_async("Handover", args=["S1", "CarrierMSP"])
        status = await submitted.get_status()          # block number, validation code
        async with await gateway.get_network("provena").chaincode_events(
            "provena", checkpoint=checkpointer
        ) as events:
            async for event in events: ...

Every request can be signed elsewhere: take its `digest`, sign it (browser, HSM, OCI Vault),
and rebuild it with the gateway's `new_signed_*` from its `to_bytes()`. `provena.fabric.sync`
offers a blocking facade for scripts; `provena ledger` is the command line.
"""

from provena.fabric import sync
from provena.fabric.blockevents import BlockEventsRequest
from provena.fabric.chaincodeevent import ChaincodeEvent
from provena.fabric.chaincodeevents import ChaincodeEventsRequest
from provena.fabric.checkpoint import (
    Checkpoint,
    Checkpointer,
    FileCheckpointer,
    InMemoryCheckpointer,
)
from provena.fabric.commit import Commit, SubmittedTransaction
from provena.fabric.connection import Keepalive, Tls
from provena.fabric.contract import Contract
from provena.fabric.errors import (
    CommitError,
    CommitStatusError,
    DeliverError,
    EndorseError,
    ErrorDetail,
    FabricError,
    GatewayError,
    IdentityError,
    ProfileError,
    SigningError,
    SubmitError,
)
from provena.fabric.gateway import Gateway, connect
from provena.fabric.hashing import Hash
from provena.fabric.identity import Identity, load_identity, load_msp_folder, load_private_key
from provena.fabric.network import Network
from provena.fabric.options import USE_DEFAULT, Timeout, Timeouts
from provena.fabric.proposal import Proposal
from provena.fabric.signable import Signable
from provena.fabric.signers import Signer, ecdsa_signer, low_s
from provena.fabric.status import Status, validation_code_name
from provena.fabric.stream import CloseableAsyncIterator
from provena.fabric.transaction import Transaction

__all__ = [
    "USE_DEFAULT",
    "BlockEventsRequest",
    "ChaincodeEvent",
    "ChaincodeEventsRequest",
    "Checkpoint",
    "Checkpointer",
    "CloseableAsyncIterator",
    "Commit",
    "CommitError",
    "CommitStatusError",
    "Contract",
    "DeliverError",
    "EndorseError",
    "ErrorDetail",
    "FabricError",
    "FileCheckpointer",
    "Gateway",
    "GatewayError",
    "Hash",
    "Identity",
    "IdentityError",
    "InMemoryCheckpointer",
    "Keepalive",
    "Network",
    "ProfileError",
    "Proposal",
    "Signable",
    "Signer",
    "SigningError",
    "Status",
    "SubmitError",
    "SubmittedTransaction",
    "Timeout",
    "Timeouts",
    "Tls",
    "Transaction",
    "connect",
    "ecdsa_signer",
    "load_identity",
    "load_msp_folder",
    "load_private_key",
    "low_s",
    "sync",
    "validation_code_name",
]
