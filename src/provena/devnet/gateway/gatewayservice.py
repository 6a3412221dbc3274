"""The `gateway.Gateway` gRPC service of a Fabric peer, over the devnet's network services.

Status codes and messages follow Fabric's gateway (internal/pkg/gateway), so clients that
branch on them (the official ones do) behave the same against the devnet.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import grpc
from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2, gateway_pb2_grpc
from fabric_protos.peer import chaincode_event_pb2
from google.protobuf.message import DecodeError

from provena.devnet.gateway.access import denial
from provena.devnet.gateway.blockevents import chaincode_events
from provena.devnet.gateway.endorsement import endorse, evaluate, prepare_transaction
from provena.devnet.gateway.proposals import UnpackedProposal, unpack_proposal
from provena.devnet.gateway.rpcerror import RpcError, abort, error_detail
from provena.devnet.gateway.services import NetworkServices

__all__ = ["GatewayOptions", "GatewayServicer"]


_BROADCAST_TIMEOUT = "rpc error: code = DeadlineExceeded desc = context deadline exceeded"
"""How a peer reports an orderer that did not answer within the broadcast timeout."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayOptions:
    """Server-side limits, as a peer's `peer.gateway` configuration."""

    endorsement_timeout: float = 30.0
    broadcast_timeout: float = 30.0


def _matcher(
    request: gateway_pb2.ChaincodeEventsRequest,
) -> Callable[[chaincode_event_pb2.ChaincodeEvent], bool]:
    """Events of the requested chaincode; after a checkpointed transaction, only later ones."""
    chaincode = request.chaincode_id
    after = request.after_transaction_id
    passed = not after

    def matches(event: chaincode_event_pb2.ChaincodeEvent) -> bool:
        nonlocal passed
        if not passed:
            passed = event.tx_id == after
            return False
        return bool(event.chaincode_id == chaincode)

    return matches


def _parse(signed: Any, message_type: Any, missing: str, invalid: str) -> Any:
    """The request inside a signed request, or INVALID_ARGUMENT."""
    if not signed.request:
        raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, missing)
    try:
        return message_type.FromString(signed.request)
    except DecodeError as exc:
        raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, f"{invalid}: {exc}") from exc


async def _aclose(iterator: AsyncIterator[Any]) -> None:
    close = getattr(iterator, "aclose", None)
    if close is not None:
        await close()


class GatewayServicer(gateway_pb2_grpc.GatewayServicer):  # type: ignore[misc]
    def __init__(self, services: NetworkServices, options: GatewayOptions | None = None) -> None:
        self._services = services
        self._options = options or GatewayOptions()

    def _unpack(self, signed: Any) -> UnpackedProposal:
        try:
            return unpack_proposal(signed)
        except (DecodeError, ValueError) as exc:
            raise RpcError(
                grpc.StatusCode.INVALID_ARGUMENT, f"failed to unpack transaction proposal: {exc}"
            ) from exc

    async def Evaluate(
        self, request: gateway_pb2.EvaluateRequest, context: grpc.aio.ServicerContext
    ) -> gateway_pb2.EvaluateResponse:
        try:
            proposal = self._unpack(request.proposed_transaction)
            response = await evaluate(
                self._services,
                proposal,
                request.proposed_transaction,
                list(request.target_organizations),
                self._options.endorsement_timeout,
            )
        except RpcError as exc:
            await abort(context, exc)
        return gateway_pb2.EvaluateResponse(result=response.response)

    async def Endorse(
        self, request: gateway_pb2.EndorseRequest, context: grpc.aio.ServicerContext
    ) -> gateway_pb2.EndorseResponse:
        try:
            if not request.proposed_transaction.proposal_bytes:
                raise RpcError(
                    grpc.StatusCode.INVALID_ARGUMENT,
                    "the proposed transaction must contain a signed proposal",
                )
            proposal = self._unpack(request.proposed_transaction)
            endorsements = await endorse(
                self._services,
                proposal,
                request.proposed_transaction,
                list(request.endorsing_organizations),
                self._options.endorsement_timeout,
            )
        except RpcError as exc:
            await abort(context, exc)
        envelope = prepare_transaction(proposal, endorsements)
        return gateway_pb2.EndorseResponse(prepared_transaction=envelope)

    async def Submit(
        self, request: gateway_pb2.SubmitRequest, context: grpc.aio.ServicerContext
    ) -> gateway_pb2.SubmitResponse:
        try:
            await self._submit(request)
        except RpcError as exc:
            await abort(context, exc)
        return gateway_pb2.SubmitResponse()

    async def _submit(self, request: gateway_pb2.SubmitRequest) -> None:
        if not request.HasField("prepared_transaction"):
            raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, "a prepared transaction is required")
        if not request.prepared_transaction.signature:
            raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, "prepared transaction must be signed")
        if request.channel_id != self._services.channel:
            raise RpcError(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"failed to get config for channel [{request.channel_id}]: "
                f"could not get last config for channel {request.channel_id}",
            )
        try:
            async with asyncio.timeout(self._options.broadcast_timeout):
                await self._services.orderer.broadcast(request.prepared_transaction)
        except ValueError as exc:
            status = common_pb2.Status.Name(getattr(exc, "status", common_pb2.BAD_REQUEST))
            raise RpcError(
                grpc.StatusCode.ABORTED,
                f"received unsuccessful response from orderer: status={status}, info={exc}",
            ) from exc
        except Exception as exc:  # timed out, or any other failure: the orderer is unavailable
            # A peer bounds each orderer's broadcast by the broadcast timeout and moves on to the
            # next orderer; with none left, the failures are the details.
            message = _BROADCAST_TIMEOUT if isinstance(exc, TimeoutError) else str(exc)
            detail = error_detail(self._services.endpoint, "OrdererMSP", message)
            raise RpcError(
                grpc.StatusCode.UNAVAILABLE,
                "no orderers could successfully process transaction",
                [detail],
            ) from exc

    async def CommitStatus(
        self, signed: gateway_pb2.SignedCommitStatusRequest, context: grpc.aio.ServicerContext
    ) -> gateway_pb2.CommitStatusResponse:
        try:
            request = _parse(
                signed,
                gateway_pb2.CommitStatusRequest,
                "a commit status request is required",
                "invalid status request",
            )
            if not request.identity:
                raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, "no identity provided")
            if not request.channel_id:
                raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, "no channel ID provided")
            if not request.transaction_id:
                raise RpcError(
                    grpc.StatusCode.INVALID_ARGUMENT, "transaction ID should not be empty"
                )
            self._authorize(request, signed)
            committed = await self._services.notifier.wait(request.transaction_id)
        except RpcError as exc:
            await abort(context, exc)
        return gateway_pb2.CommitStatusResponse(
            result=committed.validation_code, block_number=committed.block_number
        )

    async def ChaincodeEvents(
        self, signed: gateway_pb2.SignedChaincodeEventsRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[gateway_pb2.ChaincodeEventsResponse]:
        try:
            request = _parse(
                signed,
                gateway_pb2.ChaincodeEventsRequest,
                "a chaincode events request is required",
                "invalid chaincode events request",
            )
            self._authorize(request, signed)
            start = self._start_block(request)
        except RpcError as exc:
            await abort(context, exc)
        matches = _matcher(request)
        blocks = self._services.notifier.subscribe(start)
        try:
            async for block in blocks:
                events = [event for event in chaincode_events(block) if matches(event)]
                if events:
                    yield gateway_pb2.ChaincodeEventsResponse(
                        events=events, block_number=block.header.number
                    )
        finally:
            await _aclose(blocks)

    def _authorize(self, request: Any, signed: Any) -> None:
        """A peer's ACL check of a signed read request (an unknown channel fails it too)."""
        reason = denial(
            self._services, request.channel_id, request.identity, signed.request, signed.signature
        )
        if reason is not None:
            raise RpcError(grpc.StatusCode.PERMISSION_DENIED, reason)

    def _start_block(self, request: gateway_pb2.ChaincodeEventsRequest) -> int:
        if request.after_transaction_id:
            location = self._services.store.tx_location(request.after_transaction_id)
            if location is not None:
                return location.block_number
        kind = request.start_position.WhichOneof("Type")
        if kind == "specified":
            return int(request.start_position.specified.number)
        if kind in (None, "next_commit"):
            return self._services.store.height
        raise RpcError(
            grpc.StatusCode.INVALID_ARGUMENT,
            f"invalid start position type: *orderer.SeekPosition_{str(kind).capitalize()}",
        )
