"""A channel: its contracts, and its chaincode and block event streams."""

from __future__ import annotations

from typing import Any, Protocol

from fabric_protos.common import common_pb2
from fabric_protos.peer import events_pb2

from provena.fabric.blockevents import (
    BlockEventsRequest,
    BlockEventsRequestImpl,
    new_block_events_envelope,
)
from provena.fabric.chaincodeevent import ChaincodeEvent
from provena.fabric.chaincodeevents import (
    ChaincodeEventsRequest,
    ChaincodeEventsRequestImpl,
    new_chaincode_events_request,
)
from provena.fabric.checkpoint import Checkpoint
from provena.fabric.client import GatewayClient
from provena.fabric.commit import Commit, CommitImpl, new_commit_status_request
from provena.fabric.contract import Contract, ContractImpl
from provena.fabric.signingidentity import SigningIdentity
from provena.fabric.stream import CloseableAsyncIterator

__all__ = ["Network", "NetworkImpl"]


class Network(Protocol):
    """One channel of the network the gateway belongs to.

    Event streams start after `checkpoint` if given, else at `start_block`, else at the next
    block to commit.
    """

    @property
    def name(self) -> str: ...

    def get_contract(self, chaincode_name: str, contract_name: str | None = None) -> Contract: ...

    async def chaincode_events(
        self,
        chaincode_name: str,
        *,
        start_block: int | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> CloseableAsyncIterator[ChaincodeEvent]: ...

    def new_chaincode_events_request(
        self,
        chaincode_name: str,
        *,
        start_block: int | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> ChaincodeEventsRequest: ...

    def new_commit(self, transaction_id: str) -> Commit:
        """The commit status of any transaction on the channel, e.g. one submitted earlier
        by another process or signed by someone else; awaiting it signs as this gateway."""
        ...

    async def block_events(
        self, *, start_block: int | None = None, checkpoint: Checkpoint | None = None
    ) -> CloseableAsyncIterator[common_pb2.Block]: ...

    def new_block_events_request(
        self, *, start_block: int | None = None, checkpoint: Checkpoint | None = None
    ) -> BlockEventsRequest[common_pb2.Block]: ...

    async def filtered_block_events(
        self, *, start_block: int | None = None, checkpoint: Checkpoint | None = None
    ) -> CloseableAsyncIterator[events_pb2.FilteredBlock]: ...

    def new_filtered_block_events_request(
        self, *, start_block: int | None = None, checkpoint: Checkpoint | None = None
    ) -> BlockEventsRequest[events_pb2.FilteredBlock]: ...


class NetworkImpl:
    def __init__(
        self, *, client: GatewayClient, signing_identity: SigningIdentity, name: str
    ) -> None:
        self._client = client
        self._signing_identity = signing_identity
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def get_contract(self, chaincode_name: str, contract_name: str | None = None) -> ContractImpl:
        return ContractImpl(
            client=self._client,
            signing_identity=self._signing_identity,
            channel=self._name,
            chaincode_name=chaincode_name,
            contract_name=contract_name,
        )

    def new_commit(self, transaction_id: str) -> CommitImpl:
        return CommitImpl(
            client=self._client,
            signing_identity=self._signing_identity,
            transaction_id=transaction_id,
            request=new_commit_status_request(
                self._name, transaction_id, self._signing_identity.creator
            ),
        )

    async def chaincode_events(
        self,
        chaincode_name: str,
        *,
        start_block: int | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> CloseableAsyncIterator[ChaincodeEvent]:
        request = self.new_chaincode_events_request(
            chaincode_name, start_block=start_block, checkpoint=checkpoint
        )
        return await request.get_events()

    def new_chaincode_events_request(
        self,
        chaincode_name: str,
        *,
        start_block: int | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> ChaincodeEventsRequestImpl:
        request = new_chaincode_events_request(
            channel=self._name,
            chaincode=chaincode_name,
            creator=self._signing_identity.creator,
            start_block=start_block,
            checkpoint=checkpoint,
        )
        return ChaincodeEventsRequestImpl(
            client=self._client, signing_identity=self._signing_identity, request=request
        )

    async def block_events(
        self, *, start_block: int | None = None, checkpoint: Checkpoint | None = None
    ) -> CloseableAsyncIterator[common_pb2.Block]:
        request = self.new_block_events_request(start_block=start_block, checkpoint=checkpoint)
        return await request.get_events()

    def new_block_events_request(
        self, *, start_block: int | None = None, checkpoint: Checkpoint | None = None
    ) -> BlockEventsRequestImpl[common_pb2.Block]:
        return self._block_events_request(start_block, checkpoint, filtered=False)

    async def filtered_block_events(
        self, *, start_block: int | None = None, checkpoint: Checkpoint | None = None
    ) -> CloseableAsyncIterator[events_pb2.FilteredBlock]:
        request = self.new_filtered_block_events_request(
            start_block=start_block, checkpoint=checkpoint
        )
        return await request.get_events()

    def new_filtered_block_events_request(
        self, *, start_block: int | None = None, checkpoint: Checkpoint | None = None
    ) -> BlockEventsRequestImpl[events_pb2.FilteredBlock]:
        return self._block_events_request(start_block, checkpoint, filtered=True)

    def _block_events_request(
        self, start_block: int | None, checkpoint: Checkpoint | None, *, filtered: bool
    ) -> BlockEventsRequestImpl[Any]:
        envelope = new_block_events_envelope(
            channel=self._name,
            creator=self._signing_identity.creator,
            start_block=start_block,
            checkpoint=checkpoint,
        )
        return BlockEventsRequestImpl(
            client=self._client,
            signing_identity=self._signing_identity,
            envelope=envelope,
            filtered=filtered,
        )
