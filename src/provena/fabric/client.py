"""The gRPC seam: the gateway and deliver calls the rest of the package makes.

Everything above this module deals in protobuf messages and typed errors; only here are
gRPC calls made and `grpc.aio.AioRpcError`s turned into `GatewayError`s, with the
`gateway.ErrorDetail`s a Fabric gateway packs into the `google.rpc.Status` trailer.
"""

# A timeout here is a gRPC deadline, which the server sees and honours too: not asyncio.timeout.
# ruff: noqa: ASYNC109

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import grpc
from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.peer import events_pb2
from google.rpc import status_pb2

from provena.fabric.errors import (
    CommitStatusError,
    EndorseError,
    ErrorDetail,
    GatewayError,
    SubmitError,
)
from provena.fabric.options import USE_DEFAULT, Timeout, Timeouts

__all__ = ["GatewayClient", "gateway_error"]

_STATUS_DETAILS_KEY = "grpc-status-details-bin"

_Response = TypeVar("_Response")


def _error_details(error: grpc.aio.AioRpcError) -> tuple[ErrorDetail, ...]:
    metadata = error.trailing_metadata() or ()
    for key, value in metadata:
        if key == _STATUS_DETAILS_KEY:
            status = status_pb2.Status.FromString(value)
            details = []
            for any_detail in status.details:
                detail = gateway_pb2.ErrorDetail()
                if any_detail.Unpack(detail):
                    details.append(ErrorDetail(detail.address, detail.msp_id, detail.message))
            return tuple(details)
    return ()


def gateway_error(
    error: grpc.aio.AioRpcError, error_type: type[GatewayError] = GatewayError, **extra: Any
) -> GatewayError:
    """The typed error for a failed gRPC call, with the gateway's error details decoded."""
    return error_type(error.code(), error.details() or "", _error_details(error), **extra)


class GatewayClient:
    """The gateway and deliver calls over one gRPC channel, with default deadlines."""

    def __init__(self, channel: grpc.aio.Channel, timeouts: Timeouts) -> None:
        self._channel = channel
        self._timeouts = timeouts

        def unary(method: str, response: Any) -> Any:
            return channel.unary_unary(
                method,
                request_serializer=_serialize,
                response_deserializer=response.FromString,
            )

        self._evaluate = unary("/gateway.Gateway/Evaluate", gateway_pb2.EvaluateResponse)
        self._endorse = unary("/gateway.Gateway/Endorse", gateway_pb2.EndorseResponse)
        self._submit = unary("/gateway.Gateway/Submit", gateway_pb2.SubmitResponse)
        self._commit_status = unary(
            "/gateway.Gateway/CommitStatus", gateway_pb2.CommitStatusResponse
        )
        self._chaincode_events = channel.unary_stream(
            "/gateway.Gateway/ChaincodeEvents",
            request_serializer=_serialize,
            response_deserializer=gateway_pb2.ChaincodeEventsResponse.FromString,
        )
        self._deliver = {
            filtered: channel.stream_stream(
                "/protos.Deliver/DeliverFiltered" if filtered else "/protos.Deliver/Deliver",
                request_serializer=_serialize,
                response_deserializer=events_pb2.DeliverResponse.FromString,
            )
            for filtered in (False, True)
        }

    async def close(self) -> None:
        await self._channel.close()

    async def evaluate(
        self, request: gateway_pb2.EvaluateRequest, timeout: Timeout
    ) -> gateway_pb2.EvaluateResponse:
        return await self._call(
            self._evaluate, request, self._deadline(timeout, self._timeouts.evaluate), GatewayError
        )

    async def endorse(
        self, request: gateway_pb2.EndorseRequest, timeout: Timeout
    ) -> gateway_pb2.EndorseResponse:
        deadline = self._deadline(timeout, self._timeouts.endorse)
        return await self._call(
            self._endorse, request, deadline, EndorseError, transaction_id=request.transaction_id
        )

    async def submit(
        self, request: gateway_pb2.SubmitRequest, timeout: Timeout
    ) -> gateway_pb2.SubmitResponse:
        deadline = self._deadline(timeout, self._timeouts.submit)
        return await self._call(
            self._submit, request, deadline, SubmitError, transaction_id=request.transaction_id
        )

    async def commit_status(
        self, request: gateway_pb2.SignedCommitStatusRequest, transaction_id: str, timeout: Timeout
    ) -> gateway_pb2.CommitStatusResponse:
        deadline = self._deadline(timeout, self._timeouts.commit_status)
        return await self._call(
            self._commit_status, request, deadline, CommitStatusError, transaction_id=transaction_id
        )

    def chaincode_events(
        self, request: gateway_pb2.SignedChaincodeEventsRequest
    ) -> grpc.aio.UnaryStreamCall:
        return self._chaincode_events(request)

    def deliver(self, request: common_pb2.Envelope, *, filtered: bool) -> grpc.aio.StreamStreamCall:
        """Open a Deliver stream and send its one seek request; the caller reads responses."""

        async def requests() -> AsyncIterator[common_pb2.Envelope]:
            yield request

        return self._deliver[filtered](requests())

    @staticmethod
    def _deadline(timeout: Timeout, default: float | None) -> float | None:
        return default if timeout is USE_DEFAULT else timeout

    @staticmethod
    async def _call(
        method: Callable[..., Any],
        request: Any,
        timeout: float | None,
        error_type: type[GatewayError],
        **extra: Any,
    ) -> Any:
        try:
            return await method(request, timeout=timeout)
        except grpc.aio.AioRpcError as exc:
            raise gateway_error(exc, error_type, **extra) from exc


def _serialize(message: Any) -> bytes:
    return bytes(message.SerializeToString())
