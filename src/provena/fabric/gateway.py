"""The entry point: `connect()` to a gateway peer as one identity.

    async with connect("peer0:7051", identity=identity, signer=signer, tls=Tls(...)) as gateway:
        contract = gateway.get_network("provena").get_contract("basic")
        await contract.submit_transaction("CreateAsset", "asset1", "blue")

Offline signing: build a request without a signer (or with one), take its `digest` and
`bytes` to wherever the key is, and rebuild the signed request with `new_signed_*`.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol, Self

import grpc
from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.peer import events_pb2, proposal_pb2
from google.protobuf.message import DecodeError

from provena.fabric.blockevents import BlockEventsRequest, BlockEventsRequestImpl
from provena.fabric.chaincodeevents import ChaincodeEventsRequest, ChaincodeEventsRequestImpl
from provena.fabric.client import GatewayClient
from provena.fabric.commit import Commit, CommitImpl
from provena.fabric.connection import Keepalive, Tls, new_channel
from provena.fabric.errors import FabricError
from provena.fabric.hashing import Hash, sha256
from provena.fabric.identity import Identity
from provena.fabric.network import Network, NetworkImpl
from provena.fabric.options import Timeouts
from provena.fabric.proposal import Proposal, ProposalImpl
from provena.fabric.signers import Signer
from provena.fabric.signingidentity import SigningIdentity
from provena.fabric.transaction import Transaction, TransactionImpl

__all__ = ["Gateway", "GatewayImpl", "connect"]


class Gateway(Protocol):
    """A connection to a gateway peer, acting as one identity."""

    @property
    def identity(self) -> Identity: ...

    def get_network(self, channel: str) -> Network: ...

    def new_signed_proposal(self, data: bytes, signature: bytes) -> Proposal: ...

    def new_signed_transaction(self, data: bytes, signature: bytes) -> Transaction: ...

    def new_signed_commit(self, data: bytes, signature: bytes) -> Commit: ...

    def new_signed_chaincode_events_request(
        self, data: bytes, signature: bytes
    ) -> ChaincodeEventsRequest: ...

    def new_signed_block_events_request(
        self, data: bytes, signature: bytes
    ) -> BlockEventsRequest[common_pb2.Block]: ...

    def new_signed_filtered_block_events_request(
        self, data: bytes, signature: bytes
    ) -> BlockEventsRequest[events_pb2.FilteredBlock]: ...

    async def close(self) -> None:
        """Close the gRPC channel if the gateway opened it."""
        ...

    async def __aenter__(self) -> Gateway: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def _parse(message_type: Any, data: bytes) -> Any:
    try:
        return message_type.FromString(data)
    except (DecodeError, ValueError) as exc:
        raise FabricError(f"not a serialized {message_type.DESCRIPTOR.full_name}: {exc}") from exc


class GatewayImpl:
    def __init__(
        self, *, client: GatewayClient, signing_identity: SigningIdentity, owns_channel: bool
    ) -> None:
        self._client = client
        self._signing_identity = signing_identity
        self._owns_channel = owns_channel

    @property
    def identity(self) -> Identity:
        return self._signing_identity.identity

    def get_network(self, channel: str) -> NetworkImpl:
        return NetworkImpl(
            client=self._client, signing_identity=self._signing_identity, name=channel
        )

    def new_signed_proposal(self, data: bytes, signature: bytes) -> ProposalImpl:
        proposed = _parse(gateway_pb2.ProposedTransaction, data)
        channel_header = common_pb2.ChannelHeader.FromString(
            common_pb2.Header.FromString(
                _parse(proposal_pb2.Proposal, proposed.proposal.proposal_bytes).header
            ).channel_header
        )
        proposal = ProposalImpl(
            client=self._client,
            signing_identity=self._signing_identity,
            channel=channel_header.channel_id,
            proposed=proposed,
        )
        proposal.set_signature(signature)
        return proposal

    def new_signed_transaction(self, data: bytes, signature: bytes) -> TransactionImpl:
        transaction = TransactionImpl(
            client=self._client,
            signing_identity=self._signing_identity,
            prepared=_parse(gateway_pb2.PreparedTransaction, data),
        )
        transaction.set_signature(signature)
        return transaction

    def new_signed_commit(self, data: bytes, signature: bytes) -> CommitImpl:
        signed = _parse(gateway_pb2.SignedCommitStatusRequest, data)
        request = _parse(gateway_pb2.CommitStatusRequest, signed.request)
        commit = CommitImpl(
            client=self._client,
            signing_identity=self._signing_identity,
            transaction_id=request.transaction_id,
            request=signed,
        )
        commit.set_signature(signature)
        return commit

    def new_signed_chaincode_events_request(
        self, data: bytes, signature: bytes
    ) -> ChaincodeEventsRequestImpl:
        request = ChaincodeEventsRequestImpl(
            client=self._client,
            signing_identity=self._signing_identity,
            request=_parse(gateway_pb2.SignedChaincodeEventsRequest, data),
        )
        request.set_signature(signature)
        return request

    def new_signed_block_events_request(
        self, data: bytes, signature: bytes
    ) -> BlockEventsRequestImpl[common_pb2.Block]:
        return self._block_events_request(data, signature, filtered=False)

    def new_signed_filtered_block_events_request(
        self, data: bytes, signature: bytes
    ) -> BlockEventsRequestImpl[events_pb2.FilteredBlock]:
        return self._block_events_request(data, signature, filtered=True)

    def _block_events_request(
        self, data: bytes, signature: bytes, *, filtered: bool
    ) -> BlockEventsRequestImpl[Any]:
        request: BlockEventsRequestImpl[Any] = BlockEventsRequestImpl(
            client=self._client,
            signing_identity=self._signing_identity,
            envelope=_parse(common_pb2.Envelope, data),
            filtered=filtered,
        )
        request.set_signature(signature)
        return request

    async def close(self) -> None:
        if self._owns_channel:
            await self._client.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


def connect(
    target: str | grpc.aio.Channel,
    *,
    identity: Identity,
    signer: Signer | None = None,
    hash: Hash = sha256,
    tls: Tls | None = None,
    keepalive: Keepalive | None = None,
    timeouts: Timeouts = Timeouts(),
) -> GatewayImpl:
    """A gateway to `target` ("host:port", or an open `grpc.aio.Channel` that stays the caller's).

    Must be called in the event loop that will use the gateway. Without a signer, every
    request has to be signed offline.
    """
    if isinstance(target, str):
        channel = new_channel(target, tls=tls, keepalive=keepalive)
        owns_channel = True
    else:
        if tls is not None or keepalive is not None:
            raise ValueError("tls and keepalive apply only when connect() opens the channel")
        channel, owns_channel = target, False
    return GatewayImpl(
        client=GatewayClient(channel, timeouts),
        signing_identity=SigningIdentity(identity, signer, hash),
        owns_channel=owns_channel,
    )
