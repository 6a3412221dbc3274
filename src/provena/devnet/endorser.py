"""An organization's endorsing peer: check a signed proposal, simulate it, sign the result.

    SignedProposal ─ unpack (Proposal, Header, ChannelHeader, SignatureHeader,
    │                ChaincodeHeaderExtension, ChaincodeProposalPayload, invocation spec)
    ├─ validate: header type, epoch 0, nonce, creator, tx id = hex(SHA-256(nonce ‖ creator)),
    │            creator in a channel MSP and its signature over the proposal bytes,
    │            channel served here, tx id not already in the ledger
    ├─ chaincode defined? ── run it through the launcher on a fresh TxSimulator
    └─ ProposalResponsePayload(proposal_hash, ChaincodeAction(results = rwset bytes, events,
                               response, chaincode_id)) signed as Endorsement(endorser,
                               sign(payload ‖ endorser))

As a Fabric peer: a proposal that fails the pre-checks (unpacking, creator, signature,
duplicate tx id), or whose creator has expired, raises `ProposalRejected` (Fabric returns an
error); an unknown channel or chaincode or a failed simulation is a status-500 answer with the
reason and nothing else; a chaincode error (status ≥ 400) carries no endorsement, and from 500
up keeps the unsigned payload.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from fabric_protos.common import common_pb2
from fabric_protos.peer import (
    chaincode_event_pb2,
    chaincode_pb2,
    proposal_pb2,
    proposal_response_pb2,
)
from google.protobuf.message import DecodeError

from provena.devnet.expiry import expired
from provena.devnet.ledger.errors import ProposalRejected
from provena.devnet.ledger.seams import IdentityDeserializer, Signer
from provena.devnet.ledger.simulator import TxSimulator
from provena.devnet.ledger.store import LedgerStore
from provena.devnet.ledger.transaction import proposal_hash, tx_id_for

__all__ = ["ChaincodeResult", "ChaincodeRunner", "Endorser", "UnpackedProposal", "unpack_proposal"]

_log = logging.getLogger(__name__)
_ERROR = 500
_ERROR_THRESHOLD = 400


class ChaincodeResult(Protocol):
    @property
    def response(self) -> proposal_response_pb2.Response: ...

    @property
    def event(self) -> chaincode_event_pb2.ChaincodeEvent | None: ...


class ChaincodeRunner(Protocol):
    """`provena.devnet.chaincode.Launcher`, as the endorser uses it."""

    async def execute(
        self,
        *,
        channel: str,
        name: str,
        tx_id: str,
        signed_proposal: proposal_pb2.SignedProposal,
        input: chaincode_pb2.ChaincodeInput,
        simulator: TxSimulator,
        timeout: float,  # noqa: ASYNC109 - the launcher's agreed signature (docs/ledger.md)
    ) -> ChaincodeResult: ...


@dataclass(frozen=True, slots=True)
class UnpackedProposal:
    signed: proposal_pb2.SignedProposal
    channel_header: common_pb2.ChannelHeader
    signature_header: common_pb2.SignatureHeader
    chaincode: str
    input: chaincode_pb2.ChaincodeInput
    hash: bytes

    @property
    def tx_id(self) -> str:
        return str(self.channel_header.tx_id)


def _parse(message_type: Any, data: bytes, what: str) -> Any:
    try:
        return message_type.FromString(data)
    except DecodeError as exc:
        raise ProposalRejected(f"error unmarshalling {what}: {exc}") from exc


def unpack_proposal(signed: proposal_pb2.SignedProposal) -> UnpackedProposal:
    """Every layer of a signed proposal, and the hash its endorsements will sign."""
    proposal = _parse(proposal_pb2.Proposal, signed.proposal_bytes, "Proposal")
    header = _parse(common_pb2.Header, proposal.header, "Header")
    chdr = _parse(common_pb2.ChannelHeader, header.channel_header, "ChannelHeader")
    shdr = _parse(common_pb2.SignatureHeader, header.signature_header, "SignatureHeader")
    extension = _parse(proposal_pb2.ChaincodeHeaderExtension, chdr.extension, "extension")
    if not extension.chaincode_id.name:
        raise ProposalRejected("ChaincodeHeaderExtension.ChaincodeId.Name is empty")
    payload = _parse(proposal_pb2.ChaincodeProposalPayload, proposal.payload, "payload")
    spec = _parse(chaincode_pb2.ChaincodeInvocationSpec, payload.input, "invocation spec")
    if not spec.HasField("chaincode_spec"):
        raise ProposalRejected("chaincode invocation spec did not contain chaincode spec")
    if not spec.chaincode_spec.HasField("input"):
        raise ProposalRejected("chaincode input did not contain any input")
    without_transient = proposal_pb2.ChaincodeProposalPayload(input=payload.input)
    return UnpackedProposal(
        signed=signed,
        channel_header=chdr,
        signature_header=shdr,
        chaincode=extension.chaincode_id.name,
        input=spec.chaincode_spec.input,
        hash=proposal_hash(
            header.channel_header,
            header.signature_header,
            without_transient.SerializeToString(),
        ),
    )


class Endorser:
    """One organization's logical peer on one channel."""

    def __init__(
        self,
        *,
        channel: str,
        signer: Signer,
        store: LedgerStore,
        msps: IdentityDeserializer,
        launcher: ChaincodeRunner,
        chaincode_version: Callable[[str], str | None],
        timeout: float = 30.0,
    ) -> None:
        self._channel = channel
        self._signer = signer
        self._endorser = signer.serialized()
        self._store = store
        self._msps = msps
        self._launcher = launcher
        self._version = chaincode_version
        self._timeout = timeout

    @property
    def msp_id(self) -> str:
        return self._signer.msp_id

    async def process(
        self, signed_proposal: proposal_pb2.SignedProposal
    ) -> proposal_response_pb2.ProposalResponse:
        """The peer's answer to a proposal, as Fabric's endorser and its auth filters give it.

        Raises ProposalRejected where Fabric returns an error: an expired creator (the
        expiration filter, no answer), a proposal that does not unpack or fails its
        pre-checks (with a 500 answer). Other refusals are 500 answers.
        """
        _check_expiry(signed_proposal)
        proposal = unpack_proposal(signed_proposal)
        if proposal.channel_header.channel_id != self._channel:
            return _error(f"channel '{proposal.channel_header.channel_id}' not found")
        self._validate(proposal)
        version = self._version(proposal.chaincode)
        if version is None:
            return _error(
                f"make sure the chaincode {proposal.chaincode} has been successfully "
                f"defined on channel {self._channel} and try again: chaincode "
                f"{proposal.chaincode} not found"
            )
        return await self._simulate(proposal, version)

    def _validate(self, proposal: UnpackedProposal) -> None:
        chdr, shdr = proposal.channel_header, proposal.signature_header
        prefix = "error validating proposal: "
        if chdr.type not in (common_pb2.ENDORSER_TRANSACTION, common_pb2.CONFIG):
            raise ProposalRejected(f"{prefix}invalid header type {chdr.type}")
        if chdr.epoch != 0:
            raise ProposalRejected(f"{prefix}epoch is non-zero")
        if not shdr.nonce:
            raise ProposalRejected(f"{prefix}nonce is empty")
        if not shdr.creator:
            raise ProposalRejected(f"{prefix}creator is empty")
        expected = tx_id_for(shdr.nonce, shdr.creator)
        if chdr.tx_id != expected:
            raise ProposalRejected(
                f"{prefix}incorrectly computed txid '{chdr.tx_id}' -- expected '{expected}'"
            )
        signed = proposal.signed
        if not signed.signature:
            raise ProposalRejected(f"{prefix}empty signature bytes")
        try:
            creator = self._msps.identity(shdr.creator)
        except ValueError as exc:
            _log.warning("access denied: %s", exc)
            raise ProposalRejected(
                f"{prefix}access denied: channel [{self._channel}] creator org unknown, "
                "creator is malformed"
            ) from exc
        denied = f"{prefix}access denied: channel [{self._channel}] creator org [{creator.msp_id}]"
        try:
            self._msps.deserialize(shdr.creator)
        except ValueError as exc:
            _log.warning("access denied: identity is not valid: %s", exc)
            raise ProposalRejected(denied) from exc
        if not creator.verify(signed.proposal_bytes, signed.signature):
            _log.warning("access denied: the creator's signature over the proposal is not valid")
            raise ProposalRejected(denied)
        if self._store.tx_location(chdr.tx_id) is not None:
            raise ProposalRejected(
                f"duplicate transaction found [{chdr.tx_id}]. Creator [{shdr.creator.hex()}]"
            )

    async def _simulate(
        self, proposal: UnpackedProposal, version: str
    ) -> proposal_response_pb2.ProposalResponse:
        simulator = TxSimulator(self._store, proposal.tx_id)
        try:
            result = await self._launcher.execute(
                channel=self._channel,
                name=proposal.chaincode,
                tx_id=proposal.tx_id,
                signed_proposal=proposal.signed,
                input=proposal.input,
                simulator=simulator,
                timeout=self._timeout,
            )
        except Exception as exc:  # any failed run is a 500 answer, as a peer gives
            _log.warning("chaincode %s failed for %s: %s", proposal.chaincode, proposal.tx_id, exc)
            return _error(f"error in simulation: {exc}")
        response = result.response
        action = proposal_pb2.ChaincodeAction(
            results=simulator.rwset().SerializeToString(),
            events=b"" if result.event is None else result.event.SerializeToString(),
            response=response,
            chaincode_id=chaincode_pb2.ChaincodeID(name=proposal.chaincode, version=version),
        )
        payload = proposal_response_pb2.ProposalResponsePayload(
            proposal_hash=proposal.hash, extension=action.SerializeToString()
        ).SerializeToString()
        if response.status >= _ERROR:
            return proposal_response_pb2.ProposalResponse(response=response, payload=payload)
        if response.status >= _ERROR_THRESHOLD:
            return proposal_response_pb2.ProposalResponse(response=response)
        return proposal_response_pb2.ProposalResponse(
            version=1,
            response=response,
            payload=payload,
            endorsement=proposal_response_pb2.Endorsement(
                endorser=self._endorser, signature=self._signer.sign(payload + self._endorser)
            ),
        )


def _check_expiry(signed: proposal_pb2.SignedProposal) -> None:
    """Fabric's expiration filter, in front of the endorser: it answers nothing."""
    try:
        proposal = proposal_pb2.Proposal.FromString(signed.proposal_bytes)
        header = common_pb2.Header.FromString(proposal.header)
        creator = common_pb2.SignatureHeader.FromString(header.signature_header).creator
    except DecodeError as exc:
        raise ProposalRejected(f"failed parsing proposal: {exc}", answered=False) from exc
    if expired(creator):
        raise ProposalRejected("proposal client identity expired", answered=False)


def _error(message: str) -> proposal_response_pb2.ProposalResponse:
    return proposal_response_pb2.ProposalResponse(
        response=proposal_response_pb2.Response(status=_ERROR, message=message)
    )
