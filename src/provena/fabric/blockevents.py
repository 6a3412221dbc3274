"""Block and filtered-block events through the peer's Deliver service.

The request is a signed `common.Envelope` of type DELIVER_SEEK_INFO whose payload data is an
`orderer.SeekInfo` from the start position to the largest block number, blocking until each
block is ready: the stream follows the ledger until it is closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, Protocol, TypeVar

from fabric_protos.common import common_pb2
from fabric_protos.orderer import ab_pb2
from fabric_protos.peer import events_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from provena.fabric.checkpoint import Checkpoint
from provena.fabric.client import GatewayClient
from provena.fabric.errors import DeliverError, FabricError
from provena.fabric.signable import Signable
from provena.fabric.signingidentity import SigningIdentity
from provena.fabric.startposition import start_position
from provena.fabric.stream import CloseableAsyncIterator, StreamIterator

__all__ = [
    "MAX_BLOCK_NUMBER",
    "BlockEventsRequest",
    "BlockEventsRequestImpl",
    "new_block_events_envelope",
]

MAX_BLOCK_NUMBER = 2**53 - 1
"""The stop block of an open-ended seek, as the official clients send it."""

T_co = TypeVar("T_co", covariant=True)
T = TypeVar("T")


class BlockEventsRequest(Signable, Protocol[T_co]):
    async def get_events(self) -> CloseableAsyncIterator[T_co]:
        """Open the stream; blocks arrive in order until it is closed."""
        ...


def new_block_events_envelope(
    *, channel: str, creator: bytes, start_block: int | None, checkpoint: Checkpoint | None
) -> common_pb2.Envelope:
    timestamp = Timestamp()
    timestamp.GetCurrentTime()
    channel_header = common_pb2.ChannelHeader(
        type=common_pb2.DELIVER_SEEK_INFO, channel_id=channel, epoch=0, timestamp=timestamp
    )
    header = common_pb2.Header(
        channel_header=channel_header.SerializeToString(),
        signature_header=common_pb2.SignatureHeader(creator=creator).SerializeToString(),
    )
    seek = ab_pb2.SeekInfo(
        start=start_position(start_block, checkpoint),
        stop=ab_pb2.SeekPosition(specified=ab_pb2.SeekSpecified(number=MAX_BLOCK_NUMBER)),
        behavior=ab_pb2.SeekInfo.BLOCK_UNTIL_READY,
    )
    payload = common_pb2.Payload(header=header, data=seek.SerializeToString())
    return common_pb2.Envelope(payload=payload.SerializeToString())


def _unpacker(field: str) -> Callable[[events_pb2.DeliverResponse], Iterator[Any]]:
    def unpack(response: events_pb2.DeliverResponse) -> Iterator[Any]:
        kind = response.WhichOneof("Type")
        if kind == "status":
            raise DeliverError(common_pb2.Status.Name(response.status))
        if kind != field:
            raise FabricError(f"unexpected deliver response {kind}, expected {field}")
        yield getattr(response, field)

    return unpack


class BlockEventsRequestImpl(Generic[T]):
    """Block events (`filtered=False`: common.Block) or filtered ones (peer.FilteredBlock)."""

    def __init__(
        self,
        *,
        client: GatewayClient,
        signing_identity: SigningIdentity,
        envelope: common_pb2.Envelope,
        filtered: bool,
    ) -> None:
        self._client = client
        self._signing_identity = signing_identity
        self._envelope = envelope
        self._filtered = filtered

    def to_bytes(self) -> bytes:
        return bytes(self._envelope.SerializeToString())

    @property
    def digest(self) -> bytes:
        return self._signing_identity.digest(self._envelope.payload)

    def set_signature(self, signature: bytes) -> None:
        self._envelope.signature = signature

    async def get_events(self) -> CloseableAsyncIterator[T]:
        if not self._envelope.signature:
            self.set_signature(await self._signing_identity.sign(self.digest))
        call = self._client.deliver(self._envelope, filtered=self._filtered)
        return StreamIterator(call, _unpacker("filtered_block" if self._filtered else "block"))
