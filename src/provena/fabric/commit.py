"""Waiting for a submitted transaction to commit: the signed CommitStatus request."""

# A timeout here is a gRPC deadline, which the server sees and honours too: not asyncio.timeout.
# ruff: noqa: ASYNC109

from __future__ import annotations

from typing import Protocol

from fabric_protos.gateway import gateway_pb2

from provena.fabric.client import GatewayClient
from provena.fabric.options import USE_DEFAULT, Timeout
from provena.fabric.signable import Signable
from provena.fabric.signingidentity import SigningIdentity
from provena.fabric.status import Status

__all__ = ["Commit", "CommitImpl", "SubmittedTransaction", "new_commit_status_request"]


class Commit(Signable, Protocol):
    """A transaction that was submitted; its commit status can be awaited."""

    @property
    def transaction_id(self) -> str: ...

    async def get_status(self, *, timeout: Timeout = USE_DEFAULT) -> Status:
        """Block until the transaction is in a block; returns its validation code."""
        ...


class SubmittedTransaction(Commit, Protocol):
    """A submitted transaction, with the result its endorsement produced."""

    @property
    def result(self) -> bytes: ...


def new_commit_status_request(
    channel: str, transaction_id: str, creator: bytes
) -> gateway_pb2.SignedCommitStatusRequest:
    request = gateway_pb2.CommitStatusRequest(
        channel_id=channel, transaction_id=transaction_id, identity=creator
    )
    return gateway_pb2.SignedCommitStatusRequest(request=request.SerializeToString())


class CommitImpl:
    """SubmittedTransaction over a `gateway.SignedCommitStatusRequest`."""

    def __init__(
        self,
        *,
        client: GatewayClient,
        signing_identity: SigningIdentity,
        transaction_id: str,
        request: gateway_pb2.SignedCommitStatusRequest,
        result: bytes = b"",
    ) -> None:
        self._client = client
        self._signing_identity = signing_identity
        self._transaction_id = transaction_id
        self._request = request
        self._result = result

    @property
    def transaction_id(self) -> str:
        return self._transaction_id

    @property
    def result(self) -> bytes:
        return self._result

    def to_bytes(self) -> bytes:
        return bytes(self._request.SerializeToString())

    @property
    def digest(self) -> bytes:
        return self._signing_identity.digest(self._request.request)

    def set_signature(self, signature: bytes) -> None:
        self._request.signature = signature

    async def get_status(self, *, timeout: Timeout = USE_DEFAULT) -> Status:
        if not self._request.signature:
            self.set_signature(await self._signing_identity.sign(self.digest))
        response = await self._client.commit_status(self._request, self._transaction_id, timeout)
        return Status(self._transaction_id, int(response.block_number), int(response.result))
