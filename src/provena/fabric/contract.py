"""A chaincode (and optionally one named contract within it) on a channel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from provena.fabric.client import GatewayClient
from provena.fabric.commit import SubmittedTransaction
from provena.fabric.errors import CommitError
from provena.fabric.proposal import Proposal, ProposalImpl
from provena.fabric.proposalbuilder import new_proposed_transaction
from provena.fabric.signingidentity import SigningIdentity

__all__ = ["Contract", "ContractImpl"]

Args = Sequence[str | bytes]
TransientData = Mapping[str, str | bytes]


class Contract(Protocol):
    """Calls transaction functions; `submit*` are shorthands over `new_proposal`."""

    @property
    def chaincode_name(self) -> str: ...

    @property
    def contract_name(self) -> str | None: ...

    async def evaluate_transaction(self, name: str, *args: str | bytes) -> bytes:
        """Evaluate `name(*args)` on one peer: a query, nothing is committed."""
        ...

    async def submit_transaction(self, name: str, *args: str | bytes) -> bytes:
        """Endorse, submit and wait for the commit; raises CommitError if it is invalid."""
        ...

    async def evaluate(
        self,
        name: str,
        *,
        args: Args = (),
        transient_data: TransientData | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> bytes: ...

    async def submit(
        self,
        name: str,
        *,
        args: Args = (),
        transient_data: TransientData | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> bytes: ...

    async def submit_async(
        self,
        name: str,
        *,
        args: Args = (),
        transient_data: TransientData | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> SubmittedTransaction:
        """Endorse and submit; returns at once with the result and a way to await the commit."""
        ...

    def new_proposal(
        self,
        name: str,
        *,
        args: Args = (),
        transient_data: TransientData | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> Proposal:
        """A proposal to evaluate or endorse, e.g. after signing its digest offline."""
        ...


class ContractImpl:
    def __init__(
        self,
        *,
        client: GatewayClient,
        signing_identity: SigningIdentity,
        channel: str,
        chaincode_name: str,
        contract_name: str | None,
    ) -> None:
        self._client = client
        self._signing_identity = signing_identity
        self._channel = channel
        self._chaincode_name = chaincode_name
        self._contract_name = contract_name

    @property
    def chaincode_name(self) -> str:
        return self._chaincode_name

    @property
    def contract_name(self) -> str | None:
        return self._contract_name

    async def evaluate_transaction(self, name: str, *args: str | bytes) -> bytes:
        return await self.evaluate(name, args=args)

    async def submit_transaction(self, name: str, *args: str | bytes) -> bytes:
        return await self.submit(name, args=args)

    async def evaluate(
        self,
        name: str,
        *,
        args: Args = (),
        transient_data: TransientData | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> bytes:
        proposal = self.new_proposal(
            name,
            args=args,
            transient_data=transient_data,
            endorsing_organizations=endorsing_organizations,
        )
        return await proposal.evaluate()

    async def submit(
        self,
        name: str,
        *,
        args: Args = (),
        transient_data: TransientData | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> bytes:
        submitted = await self.submit_async(
            name,
            args=args,
            transient_data=transient_data,
            endorsing_organizations=endorsing_organizations,
        )
        status = await submitted.get_status()
        if not status.successful:
            raise CommitError(
                transaction_id=status.transaction_id, code=status.code, code_name=status.code_name
            )
        return submitted.result

    async def submit_async(
        self,
        name: str,
        *,
        args: Args = (),
        transient_data: TransientData | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> SubmittedTransaction:
        proposal = self.new_proposal(
            name,
            args=args,
            transient_data=transient_data,
            endorsing_organizations=endorsing_organizations,
        )
        transaction = await proposal.endorse()
        return await transaction.submit()

    def new_proposal(
        self,
        name: str,
        *,
        args: Args = (),
        transient_data: TransientData | None = None,
        endorsing_organizations: Sequence[str] = (),
    ) -> ProposalImpl:
        if isinstance(args, str | bytes):
            raise TypeError("args must be a sequence of arguments, not a single str or bytes")
        proposed = new_proposed_transaction(
            creator=self._signing_identity.creator,
            channel=self._channel,
            chaincode=self._chaincode_name,
            transaction_name=f"{self._contract_name}:{name}" if self._contract_name else name,
            args=args,
            transient_data=transient_data,
            endorsing_organizations=endorsing_organizations,
        )
        return ProposalImpl(
            client=self._client,
            signing_identity=self._signing_identity,
            channel=self._channel,
            proposed=proposed,
        )
