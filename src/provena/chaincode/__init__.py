"""provena.chaincode: a Python runtime for Hyperledger Fabric chaincode, served as a service.

A peer dials the chaincode's gRPC server (`protos.Chaincode/Connect`) and sends it
transactions; any number run at once on one stream, each with its own stub, and a single
writer keeps the stream intact. Contracts are classes whose ``@transaction`` methods take
the context first and typed arguments after it::

    import asyncio
    from pydantic import BaseModel
    from provena.chaincode import Context, Contract, TransactionError, serve, transaction

    class Asset(BaseModel):
        id: str
        owner: str

    class Assets(Contract):
        @transaction
        async def Create(self, ctx: Context, asset: Asset) -> Asset:
            if await ctx.stub.get_state(asset.id):
                raise TransactionError(f"asset {asset.id} exists", status=409)
            await ctx.stub.put_state(asset.id, asset.model_dump_json().encode())
            ctx.stub.set_event("AssetCreated", asset.id.encode())
            return asset

        @transaction(evaluate=True)
        async def Read(self, ctx: Context, asset_id: str) -> bytes:
            return await ctx.stub.get_state(asset_id)

    asyncio.run(serve([Assets()]))   # CHAINCODE_ID, CHAINCODE_SERVER_ADDRESS from the env

Clients call ``Assets:Create`` (or ``Create``: the first contract is the default) with the
asset as JSON. Only ``@transaction`` methods can be called; other methods stay helpers.
Arguments are validated from the hints by pydantic; results return as UTF-8 (str), as is
(bytes) or as canonical JSON. `Contracts` is the chaincode made of
contracts; `ChaincodeServer` and `ServerSettings` serve any `Chaincode`.
"""

from __future__ import annotations

from provena.chaincode.chaincode import Chaincode
from provena.chaincode.contract import Context, Contract, transaction
from provena.chaincode.errors import (
    ArgumentError,
    AttributeAssertionError,
    ChaincodeError,
    ConfigurationError,
    DefinitionError,
    IdentityError,
    InvalidKeyError,
    PeerError,
    ProtocolError,
    TransactionError,
    UnknownFunctionError,
)
from provena.chaincode.identity import ClientIdentity
from provena.chaincode.iterators import KV, KeyModification, QueryIterator, QueryResponseMetadata
from provena.chaincode.keys import create_composite_key, split_composite_key
from provena.chaincode.response import Response
from provena.chaincode.router import Contracts
from provena.chaincode.server import ChaincodeServer, serve
from provena.chaincode.settings import ServerSettings, TlsSettings
from provena.chaincode.stub import ChaincodeStub

__all__ = [
    "KV",
    "ArgumentError",
    "AttributeAssertionError",
    "Chaincode",
    "ChaincodeError",
    "ChaincodeServer",
    "ChaincodeStub",
    "ClientIdentity",
    "ConfigurationError",
    "Context",
    "Contract",
    "Contracts",
    "DefinitionError",
    "IdentityError",
    "InvalidKeyError",
    "KeyModification",
    "PeerError",
    "ProtocolError",
    "QueryIterator",
    "QueryResponseMetadata",
    "Response",
    "ServerSettings",
    "TlsSettings",
    "TransactionError",
    "UnknownFunctionError",
    "create_composite_key",
    "serve",
    "split_composite_key",
    "transaction",
]
