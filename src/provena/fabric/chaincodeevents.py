"""Chaincode events requests: the signed `gateway.ChaincodeEventsRequest` and its stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from fabric_protos.gateway import gateway_pb2

from provena.fabric.chaincodeevent import ChaincodeEvent
from provena.fabric.checkpoint import Checkpoint
from provena.fabric.client import GatewayClient
from provena.fabric.signable import Signable
from provena.fabric.signingidentity import SigningIdentity
from provena.fabric.startposition import start_position
from provena.fabric.stream import CloseableAsyncIterator, StreamIterator

__all__ = ["ChaincodeEventsRequest", "ChaincodeEventsRequestImpl", "new_chaincode_events_request"]


class ChaincodeEventsRequest(Signable, Protocol):
    async def get_events(self) -> CloseableAsyncIterator[ChaincodeEvent]:
        """Open the stream; events arrive in ledger order until it is closed."""
        ...


def new_chaincode_events_request(
    *,
    channel: str,
    chaincode: str,
    creator: bytes,
    start_block: int | None,
    checkpoint: Checkpoint | None,
) -> gateway_pb2.SignedChaincodeEventsRequest:
    request = gateway_pb2.ChaincodeEventsRequest(
        channel_id=channel,
        chaincode_id=chaincode,
        identity=creator,
        start_position=start_position(start_block, checkpoint),
    )
    if checkpoint is not None and checkpoint.transaction_id:
        request.after_transaction_id = checkpoint.transaction_id
    return gateway_pb2.SignedChaincodeEventsRequest(request=request.SerializeToString())


def _events(response: gateway_pb2.ChaincodeEventsResponse) -> Iterator[ChaincodeEvent]:
    for event in response.events:
        yield ChaincodeEvent(
            block_number=int(response.block_number),
            transaction_id=event.tx_id,
            chaincode_name=event.chaincode_id,
            event_name=event.event_name,
            payload=bytes(event.payload),
        )


class ChaincodeEventsRequestImpl:
    def __init__(
        self,
        *,
        client: GatewayClient,
        signing_identity: SigningIdentity,
        request: gateway_pb2.SignedChaincodeEventsRequest,
    ) -> None:
        self._client = client
        self._signing_identity = signing_identity
        self._request = request

    def to_bytes(self) -> bytes:
        return bytes(self._request.SerializeToString())

    @property
    def digest(self) -> bytes:
        return self._signing_identity.digest(self._request.request)

    def set_signature(self, signature: bytes) -> None:
        self._request.signature = signature

    async def get_events(self) -> CloseableAsyncIterator[ChaincodeEvent]:
        if not self._request.signature:
            self.set_signature(await self._signing_identity.sign(self.digest))
        return StreamIterator(self._client.chaincode_events(self._request), _events)
