"""The peer's `protos.Deliver` service: blocks, filtered blocks, and blocks with private data.

A client sends a signed DELIVER_SEEK_INFO envelope; the peer streams blocks from the start to
the stop position (waiting for new blocks, or failing with NOT_FOUND, as the request asks) and
ends each request with a status response, then reads the next request on the same stream.
Problems with a request are reported as statuses (BAD_REQUEST, NOT_FOUND, FORBIDDEN), not
as gRPC errors, as a peer does.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import grpc
from fabric_protos.common import common_pb2
from fabric_protos.orderer import ab_pb2
from fabric_protos.peer import events_pb2, events_pb2_grpc
from google.protobuf.message import DecodeError

from provena.devnet.gateway.access import denial
from provena.devnet.gateway.blockevents import filtered_block
from provena.devnet.gateway.services import NetworkServices

__all__ = ["DeliverOptions", "DeliverServicer"]

_SUCCESS: int = common_pb2.SUCCESS
_BAD_REQUEST: int = common_pb2.BAD_REQUEST
_FORBIDDEN: int = common_pb2.FORBIDDEN
_NOT_FOUND: int = common_pb2.NOT_FOUND

Respond = Callable[[common_pb2.Block], events_pb2.DeliverResponse]


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliverOptions:
    """How far a request's timestamp may be from the server's clock (Fabric: 15 minutes)."""

    time_window: float = 15 * 60.0


@dataclass(frozen=True, slots=True)
class _Seek:
    envelope: common_pb2.Envelope
    creator: bytes
    info: ab_pb2.SeekInfo


def _block_response(block: common_pb2.Block) -> events_pb2.DeliverResponse:
    return events_pb2.DeliverResponse(block=block)


def _filtered_response(block: common_pb2.Block) -> events_pb2.DeliverResponse:
    return events_pb2.DeliverResponse(filtered_block=filtered_block(block))


def _private_data_response(block: common_pb2.Block) -> events_pb2.DeliverResponse:
    """The devnet has no private data collections: the private data map is always empty."""
    return events_pb2.DeliverResponse(
        block_and_private_data=events_pb2.BlockAndPrivateData(block=block)
    )


def _status(status: int) -> events_pb2.DeliverResponse:
    return events_pb2.DeliverResponse(status=status)


class DeliverServicer(events_pb2_grpc.DeliverServicer):  # type: ignore[misc]
    def __init__(self, services: NetworkServices, options: DeliverOptions | None = None) -> None:
        self._services = services
        self._options = options or DeliverOptions()

    async def Deliver(
        self, requests: AsyncIterator[common_pb2.Envelope], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[events_pb2.DeliverResponse]:
        async for response in self._handle(requests, _block_response):
            yield response

    async def DeliverFiltered(
        self, requests: AsyncIterator[common_pb2.Envelope], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[events_pb2.DeliverResponse]:
        async for response in self._handle(requests, _filtered_response):
            yield response

    async def DeliverWithPrivateData(
        self, requests: AsyncIterator[common_pb2.Envelope], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[events_pb2.DeliverResponse]:
        async for response in self._handle(requests, _private_data_response):
            yield response

    async def _handle(
        self, requests: AsyncIterator[common_pb2.Envelope], respond: Respond
    ) -> AsyncIterator[events_pb2.DeliverResponse]:
        async for envelope in requests:
            seek = self._parse(envelope)
            if isinstance(seek, int):
                yield _status(seek)
                return
            status = _SUCCESS
            async for response in self._deliver(seek, respond):
                if response.WhichOneof("Type") == "status":
                    status = response.status
                    break
                yield response
            yield _status(status)
            if status != _SUCCESS:
                return

    def _parse(self, envelope: common_pb2.Envelope) -> _Seek | int:
        """The seek request, or the status that rejects it."""
        try:
            payload = common_pb2.Payload.FromString(envelope.payload)
            if not payload.HasField("header"):
                return _BAD_REQUEST
            channel_header = common_pb2.ChannelHeader.FromString(payload.header.channel_header)
            signature_header = common_pb2.SignatureHeader.FromString(
                payload.header.signature_header
            )
        except DecodeError:
            return _BAD_REQUEST
        if not channel_header.HasField("timestamp"):
            return _BAD_REQUEST
        sent = channel_header.timestamp.seconds + channel_header.timestamp.nanos / 1e9
        if abs(time.time() - sent) > self._options.time_window:
            return _BAD_REQUEST
        if channel_header.channel_id != self._services.channel:
            return _NOT_FOUND
        try:
            info = ab_pb2.SeekInfo.FromString(payload.data)
        except DecodeError:
            return _BAD_REQUEST
        creator = signature_header.creator
        channel = channel_header.channel_id
        if self._services.msp.expired(creator) or denial(
            self._services, channel, creator, envelope.payload, envelope.signature
        ):  # a deliver session's access control checks the identity's expiry, then the ACL
            return _FORBIDDEN
        if not info.HasField("start") or not info.HasField("stop"):
            return _BAD_REQUEST
        return _Seek(envelope, creator, info)

    async def _deliver(
        self, seek: _Seek, respond: Respond
    ) -> AsyncIterator[events_pb2.DeliverResponse]:
        height = self._services.store.height
        start = _position(seek.info.start, height)
        if start is None or start > height:
            yield _status(_NOT_FOUND)
            return
        stop_kind = seek.info.stop.WhichOneof("Type")
        if stop_kind == "oldest" or (stop_kind == "newest" and seek.info.start == seek.info.stop):
            stop = start
        elif stop_kind == "newest":
            stop = max(height - 1, 0)
        elif stop_kind == "specified":
            stop = int(seek.info.stop.specified.number)
            if stop < start:
                yield _status(_BAD_REQUEST)
                return
        else:
            yield _status(_BAD_REQUEST)
            return
        fail_if_not_ready = seek.info.behavior == ab_pb2.SeekInfo.FAIL_IF_NOT_READY
        headers_only = seek.info.content_type == ab_pb2.SeekInfo.HEADER_WITH_SIG
        if fail_if_not_ready and start > self._services.store.height - 1:
            yield _status(_NOT_FOUND)
            return
        blocks = self._services.notifier.subscribe(start)
        try:
            async for block in blocks:
                yield respond(_headers(block) if headers_only else block)
                number = block.header.number
                if number >= stop:
                    return
                if fail_if_not_ready and number + 1 > self._services.store.height - 1:
                    yield _status(_NOT_FOUND)
                    return
        finally:
            close: Any = getattr(blocks, "aclose", None)
            if close is not None:
                await close()


def _position(position: ab_pb2.SeekPosition, height: int) -> int | None:
    kind = position.WhichOneof("Type")
    if kind == "oldest":
        return 0
    if kind == "newest":
        return max(height - 1, 0)
    if kind == "specified":
        return int(position.specified.number)
    if kind == "next_commit":
        return height
    return None


def _headers(block: common_pb2.Block) -> common_pb2.Block:
    """HEADER_WITH_SIG: the block without its transactions."""
    return common_pb2.Block(header=block.header, metadata=block.metadata)
