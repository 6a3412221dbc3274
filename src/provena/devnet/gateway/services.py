"""What the gateway and deliver services need from the network: a small seam.

`provena.devnet.network.Devnet` satisfies `NetworkServices`; tests can satisfy it with any
objects of the right shape. Conventions the servicers rely on:

- `MspManager.deserialize` raises `ValueError` (or a subclass) for a malformed identity or
  one that does not chain to a channel MSP; `Identity.verify` returns False for a bad
  signature.
- `Orderer.broadcast` raises `ValueError` (or a subclass) when it rejects an envelope up
  front, with the broadcast status as its `status` attribute (BAD_REQUEST when it has none);
  any other exception means it is unavailable.
- `CommitNotifier.wait` returns at once for a transaction already committed.
- `CommitNotifier.subscribe(n)` yields block n, n+1, … as they exist, waiting for new ones.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from fabric_protos.common import common_pb2
from fabric_protos.peer import proposal_pb2, proposal_response_pb2

__all__ = [
    "CommitNotifier",
    "CommittedTransaction",
    "Endorser",
    "Identity",
    "LedgerReader",
    "MspManager",
    "NetworkServices",
    "Orderer",
]


class Identity(Protocol):
    @property
    def msp_id(self) -> str: ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...


class MspManager(Protocol):
    def deserialize(self, serialized_identity: bytes) -> Identity: ...

    def expired(self, serialized_identity: bytes) -> bool:
        """Whether the identity's certificate has expired (the MSP itself does not check)."""
        ...


class Endorser(Protocol):
    """One organization's (logical) peer.

    `process` returns the peer's answer, or raises `ValueError` where a Fabric peer returns an
    error: the exception's `answered` attribute (True when absent) says whether a status-500
    answer came with it (the endorser's pre-checks) or none did (a filter in front of it).
    """

    async def process(
        self, signed_proposal: proposal_pb2.SignedProposal
    ) -> proposal_response_pb2.ProposalResponse: ...


class Orderer(Protocol):
    async def broadcast(self, envelope: common_pb2.Envelope) -> None: ...


class CommittedTransaction(Protocol):
    @property
    def block_number(self) -> int: ...

    @property
    def validation_code(self) -> int: ...


class CommitNotifier(Protocol):
    async def wait(self, tx_id: str) -> CommittedTransaction: ...

    def subscribe(self, start_block: int) -> AsyncIterator[common_pb2.Block]: ...


class LedgerReader(Protocol):
    @property
    def height(self) -> int:
        """The number of the next block to be committed."""
        ...

    def tx_location(self, tx_id: str) -> CommittedTransaction | None: ...


class NetworkServices(Protocol):
    """A channel's network, as seen by the gateway peer that serves it."""

    @property
    def channel(self) -> str: ...

    @property
    def endpoint(self) -> str:
        """The address endorsers and the orderer are reported under in error details."""
        ...

    @property
    def msp(self) -> MspManager: ...

    @property
    def orderer(self) -> Orderer: ...

    @property
    def notifier(self) -> CommitNotifier: ...

    @property
    def store(self) -> LedgerReader: ...

    def endorser(self, msp_id: str) -> Endorser | None:
        """The endorsing peer of an organization, or None if it has none."""
        ...

    def endorsing_peers(self, chaincode: str) -> Sequence[str]:
        """The organizations whose peers run `chaincode`, none when it is not defined."""
        ...

    def endorsing_orgs(self, chaincode: str, preferred: Sequence[str] = ()) -> Sequence[str]:
        """A minimal set of organizations whose endorsements satisfy the chaincode's policy,
        favouring `preferred`; raises LookupError for an unknown chaincode."""
        ...
