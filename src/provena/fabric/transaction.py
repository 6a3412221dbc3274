"""An endorsed transaction: its result is known; submit it to have it ordered and committed."""

# A timeout here is a gRPC deadline, which the server sees and honours too: not asyncio.timeout.
# ruff: noqa: ASYNC109

from __future__ import annotations

from typing import Protocol

from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.peer import proposal_pb2, proposal_response_pb2, transaction_pb2
from google.protobuf.message import DecodeError

from provena.fabric.client import GatewayClient
from provena.fabric.commit import CommitImpl, SubmittedTransaction, new_commit_status_request
from provena.fabric.errors import FabricError
from provena.fabric.options import USE_DEFAULT, Timeout
from provena.fabric.signable import Signable
from provena.fabric.signingidentity import SigningIdentity

__all__ = ["Transaction", "TransactionImpl"]


class Transaction(Signable, Protocol):
    """The prepared transaction the gateway assembled from the endorsements."""

    @property
    def transaction_id(self) -> str: ...

    @property
    def result(self) -> bytes:
        """What the chaincode returned when endorsing."""
        ...

    async def submit(self, *, timeout: Timeout = USE_DEFAULT) -> SubmittedTransaction:
        """Send the signed transaction to the orderer; returns before it commits."""
        ...


def _parse(envelope: common_pb2.Envelope) -> tuple[str, bytes]:
    """The channel name and the chaincode result carried by a prepared transaction."""
    try:
        payload = common_pb2.Payload.FromString(envelope.payload)
        channel = common_pb2.ChannelHeader.FromString(payload.header.channel_header).channel_id
        transaction = transaction_pb2.Transaction.FromString(payload.data)
        action_payload = transaction_pb2.ChaincodeActionPayload.FromString(
            transaction.actions[0].payload
        )
        response_payload = proposal_response_pb2.ProposalResponsePayload.FromString(
            action_payload.action.proposal_response_payload
        )
        action = proposal_pb2.ChaincodeAction.FromString(response_payload.extension)
    except (DecodeError, ValueError, IndexError) as exc:
        raise FabricError(f"malformed prepared transaction: {exc}") from exc
    return str(channel), bytes(action.response.payload)


class TransactionImpl:
    """Transaction over a `gateway.PreparedTransaction`; signs lazily unless already signed."""

    def __init__(
        self,
        *,
        client: GatewayClient,
        signing_identity: SigningIdentity,
        prepared: gateway_pb2.PreparedTransaction,
    ) -> None:
        self._client = client
        self._signing_identity = signing_identity
        self._prepared = prepared
        self._channel, self._result = _parse(prepared.envelope)

    @property
    def transaction_id(self) -> str:
        return str(self._prepared.transaction_id)

    @property
    def result(self) -> bytes:
        return self._result

    def to_bytes(self) -> bytes:
        return bytes(self._prepared.SerializeToString())

    @property
    def digest(self) -> bytes:
        return self._signing_identity.digest(self._prepared.envelope.payload)

    def set_signature(self, signature: bytes) -> None:
        self._prepared.envelope.signature = signature

    async def submit(self, *, timeout: Timeout = USE_DEFAULT) -> SubmittedTransaction:
        if not self._prepared.envelope.signature:
            self.set_signature(await self._signing_identity.sign(self.digest))
        request = gateway_pb2.SubmitRequest(
            transaction_id=self.transaction_id,
            channel_id=self._channel,
            prepared_transaction=self._prepared.envelope,
        )
        await self._client.submit(request, timeout)
        return CommitImpl(
            client=self._client,
            signing_identity=self._signing_identity,
            transaction_id=self.transaction_id,
            request=new_commit_status_request(
                self._channel, self.transaction_id, self._signing_identity.creator
            ),
            result=self._result,
        )
