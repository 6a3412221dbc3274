"""gRPC errors as a Fabric peer's gateway returns them: a status code, a message, and
`gateway.ErrorDetail`s (one per endorser or orderer that failed) packed into the
`google.rpc.Status` that travels in the `grpc-status-details-bin` trailer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

import grpc
from fabric_protos.gateway import gateway_pb2
from google.protobuf import any_pb2
from google.rpc import status_pb2

__all__ = ["RpcError", "abort", "error_detail"]


class RpcError(Exception):
    """Raised inside a servicer; the servicer turns it into the call's status."""

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str,
        details: Sequence[gateway_pb2.ErrorDetail] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = tuple(details)


def error_detail(address: str, msp_id: str, message: str) -> gateway_pb2.ErrorDetail:
    return gateway_pb2.ErrorDetail(address=address, msp_id=msp_id, message=message)


async def abort(context: grpc.aio.ServicerContext, error: RpcError) -> NoReturn:
    """End the call with `error`'s status, and its details when there are any."""
    trailing: tuple[tuple[str, bytes], ...] = ()
    if error.details:
        packed = []
        for detail in error.details:
            any_detail = any_pb2.Any()
            any_detail.Pack(detail)
            packed.append(any_detail)
        status = status_pb2.Status(code=error.code.value[0], message=error.message, details=packed)
        trailing = (("grpc-status-details-bin", status.SerializeToString()),)
    await context.abort(error.code, error.message, trailing_metadata=trailing)
    raise AssertionError("context.abort returned")  # pragma: no cover - abort always raises
