"""A transaction proposal: evaluate it, or endorse it into a transaction."""

# A timeout here is a gRPC deadline, which the server sees and honours too: not asyncio.timeout.
# ruff: noqa: ASYNC109

from __future__ import annotations

from typing import Protocol

from fabric_protos.gateway import gateway_pb2

from provena.fabric.client import GatewayClient
from provena.fabric.options import USE_DEFAULT, Timeout
from provena.fabric.signable import Signable
from provena.fabric.signingidentity import SigningIdentity
from provena.fabric.transaction import Transaction, TransactionImpl

__all__ = ["Proposal", "ProposalImpl"]


class Proposal(Signable, Protocol):
    """A signed (or to-be-signed) chaincode call, not yet endorsed."""

    @property
    def transaction_id(self) -> str: ...

    async def evaluate(self, *, timeout: Timeout = USE_DEFAULT) -> bytes:
        """Run the call on one peer and return its result; nothing is ordered or committed."""
        ...

    async def endorse(self, *, timeout: Timeout = USE_DEFAULT) -> Transaction:
        """Collect the endorsements the chaincode's policy needs; returns the transaction."""
        ...


class ProposalImpl:
    """Proposal over a `gateway.ProposedTransaction`; signs lazily unless already signed."""

    def __init__(
        self,
        *,
        client: GatewayClient,
        signing_identity: SigningIdentity,
        channel: str,
        proposed: gateway_pb2.ProposedTransaction,
    ) -> None:
        self._client = client
        self._signing_identity = signing_identity
        self._channel = channel
        self._proposed = proposed

    @property
    def transaction_id(self) -> str:
        return str(self._proposed.transaction_id)

    def to_bytes(self) -> bytes:
        return bytes(self._proposed.SerializeToString())

    @property
    def digest(self) -> bytes:
        return self._signing_identity.digest(self._proposed.proposal.proposal_bytes)

    def set_signature(self, signature: bytes) -> None:
        self._proposed.proposal.signature = signature

    async def evaluate(self, *, timeout: Timeout = USE_DEFAULT) -> bytes:
        await self._sign()
        request = gateway_pb2.EvaluateRequest(
            transaction_id=self.transaction_id,
            channel_id=self._channel,
            proposed_transaction=self._proposed.proposal,
            target_organizations=self._proposed.endorsing_organizations,
        )
        response = await self._client.evaluate(request, timeout)
        return bytes(response.result.payload)

    async def endorse(self, *, timeout: Timeout = USE_DEFAULT) -> Transaction:
        await self._sign()
        request = gateway_pb2.EndorseRequest(
            transaction_id=self.transaction_id,
            channel_id=self._channel,
            proposed_transaction=self._proposed.proposal,
            endorsing_organizations=self._proposed.endorsing_organizations,
        )
        response = await self._client.endorse(request, timeout)
        prepared = gateway_pb2.PreparedTransaction(
            transaction_id=self.transaction_id, envelope=response.prepared_transaction
        )
        return TransactionImpl(
            client=self._client, signing_identity=self._signing_identity, prepared=prepared
        )

    async def _sign(self) -> None:
        if not self._proposed.proposal.signature:
            self.set_signature(await self._signing_identity.sign(self.digest))
