"""A small network behind the devnet's `NetworkServices` seam, for testing the gateway and
deliver servicers and the client end to end before (and apart from) the full devnet.

Its one chaincode, `kv`, keeps strings in a dict: `put(key, value)` reads and writes the key
and emits a `put` event, `get(key)`, `fail(message)`, `sleep(seconds)`, `secret()` (echoes
transient data). Read-write sets travel as JSON; the orderer cuts a block per batch and
validates signatures, MVCC versions and duplicate transaction ids.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fabric_protos.common import common_pb2
from fabric_protos.msp import identities_pb2
from fabric_protos.peer import (
    chaincode_event_pb2,
    chaincode_pb2,
    proposal_pb2,
    proposal_response_pb2,
    transaction_pb2,
)

from provena.devnet.gateway.blockevents import transactions
from tests.fabric.pki import Ca, Member

__all__ = ["CHAINCODE", "CHANNEL", "TestNetwork"]

CHANNEL = "provena"
CHAINCODE = "kv"
_CODES = transaction_pb2.TxValidationCode


@dataclass(frozen=True)
class Location:
    block_number: int
    validation_code: int


class _Identity:
    def __init__(self, msp_id: str, certificate: x509.Certificate) -> None:
        self.msp_id = msp_id
        self._key = certificate.public_key()

    def verify(self, message: bytes, signature: bytes) -> bool:
        assert isinstance(self._key, ec.EllipticCurvePublicKey)
        try:
            self._key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True


class Msp:
    def __init__(self, cas: dict[str, Ca]) -> None:
        self._cas = cas

    def deserialize(self, serialized: bytes) -> _Identity:
        identity = identities_pb2.SerializedIdentity.FromString(serialized)
        ca = self._cas.get(identity.mspid)
        if ca is None:
            raise ValueError(f"MSP {identity.mspid} is not defined on channel")
        certificate = x509.load_pem_x509_certificate(identity.id_bytes)
        try:
            ca.key.public_key().verify(
                certificate.signature, certificate.tbs_certificate_bytes, ec.ECDSA(hashes.SHA256())
            )
        except InvalidSignature:
            raise ValueError(f"certificate is not issued by {identity.mspid}'s CA") from None
        return _Identity(identity.mspid, certificate)

    @staticmethod
    def expired(serialized: bytes) -> bool:
        return False


class KvEndorser:
    def __init__(self, network: TestNetwork, peer: Member) -> None:
        self._network = network
        self._peer = peer

    async def process(
        self, signed: proposal_pb2.SignedProposal
    ) -> proposal_response_pb2.ProposalResponse:
        proposal = proposal_pb2.Proposal.FromString(signed.proposal_bytes)
        header = common_pb2.Header.FromString(proposal.header)
        signature_header = common_pb2.SignatureHeader.FromString(header.signature_header)
        channel_header = common_pb2.ChannelHeader.FromString(header.channel_header)
        try:
            creator = self._network.msp.deserialize(signature_header.creator)
        except ValueError as exc:
            return _failure(f"access denied: {exc}")
        if not creator.verify(signed.proposal_bytes, signed.signature):
            return _failure("access denied: creator's signature over the proposal is not valid")
        payload = proposal_pb2.ChaincodeProposalPayload.FromString(proposal.payload)
        spec = chaincode_pb2.ChaincodeInvocationSpec.FromString(payload.input).chaincode_spec
        if spec.chaincode_id.name != CHAINCODE:
            return _failure(f"chaincode definition for '{spec.chaincode_id.name}' not found")
        function, *args = [arg.decode() for arg in spec.input.args]
        reads: dict[str, list[int] | None] = {}
        writes: dict[str, str] = {}
        event = b""
        status, message, result = 200, "", b""
        state = self._network.state
        if function == "put":
            key, value = args
            reads[key] = list(state[key][1]) if key in state else None
            writes[key] = value
            event = chaincode_event_pb2.ChaincodeEvent(
                chaincode_id=CHAINCODE,
                tx_id=channel_header.tx_id,
                event_name="put",
                payload=value.encode(),
            ).SerializeToString()
            result = value.encode()
        elif function == "get":
            if args[0] in state:
                result = state[args[0]][0].encode()
            else:
                status, message = 500, f"key {args[0]} does not exist"
        elif function == "fail":
            status, message = 500, args[0]
        elif function == "sleep":
            await asyncio.sleep(float(args[0]))
        elif function == "secret":
            result = payload.TransientMap["secret"]
        else:
            status, message = 500, f"unknown function {function}"
        action = proposal_pb2.ChaincodeAction(
            results=json.dumps({"reads": reads, "writes": writes}).encode(),
            events=event,
            response=proposal_response_pb2.Response(status=status, message=message, payload=result),
            chaincode_id=chaincode_pb2.ChaincodeID(name=CHAINCODE, version="1"),
        )
        response_payload = proposal_response_pb2.ProposalResponsePayload(
            proposal_hash=hashlib.sha256(proposal.header + proposal.payload).digest(),
            extension=action.SerializeToString(),
        ).SerializeToString()
        if status >= 400:
            return proposal_response_pb2.ProposalResponse(
                response=action.response, payload=response_payload
            )
        endorser = self._peer.identity.creator
        signature = self._peer.signer(hashlib.sha256(response_payload + endorser).digest())
        assert isinstance(signature, bytes)
        return proposal_response_pb2.ProposalResponse(
            version=1,
            response=action.response,
            payload=response_payload,
            endorsement=proposal_response_pb2.Endorsement(endorser=endorser, signature=signature),
        )


def _failure(message: str) -> proposal_response_pb2.ProposalResponse:
    return proposal_response_pb2.ProposalResponse(
        response=proposal_response_pb2.Response(status=500, message=message)
    )


class TestNetwork:
    """Four organizations, each with a peer; policy "any one" or "all" organizations."""

    __test__ = False

    def __init__(self, orgs: Sequence[str], *, require_all: bool = False) -> None:
        self.cas = {org: Ca(f"ca.{org}") for org in orgs}
        self.msp = Msp(self.cas)
        self.peers = {
            org: KvEndorser(self, ca.issue(org, f"peer0.{org}")) for org, ca in self.cas.items()
        }
        self.require_all = require_all
        self.state: dict[str, tuple[str, tuple[int, int]]] = {}
        self.blocks: list[common_pb2.Block] = []
        self.index: dict[str, Location] = {}
        self._queue: list[common_pb2.Envelope] = []
        self._new_block = asyncio.Event()
        self._waiters: dict[str, list[asyncio.Future[Location]]] = {}
        self._cutter: asyncio.Task[None] | None = None
        self._append([])

    # NetworkServices
    channel = CHANNEL
    endpoint = "127.0.0.1:test"

    @property
    def orderer(self) -> TestNetwork:
        return self

    @property
    def notifier(self) -> TestNetwork:
        return self

    @property
    def store(self) -> TestNetwork:
        return self

    @property
    def height(self) -> int:
        return len(self.blocks)

    def endorser(self, msp_id: str) -> KvEndorser | None:
        return self.peers.get(msp_id)

    def endorsing_peers(self, chaincode: str) -> Sequence[str]:
        return list(self.peers) if chaincode == CHAINCODE else []

    def endorsing_orgs(self, chaincode: str, preferred: Sequence[str] = ()) -> Sequence[str]:
        if chaincode != CHAINCODE:
            raise LookupError(f"chaincode {chaincode} is not defined on channel {CHANNEL}")
        orgs = list(self.peers)
        if self.require_all:
            return orgs
        return [next((org for org in preferred if org in self.peers), orgs[0])]

    def tx_location(self, tx_id: str) -> Location | None:
        return self.index.get(tx_id)

    async def broadcast(self, envelope: common_pb2.Envelope) -> None:
        payload = common_pb2.Payload.FromString(envelope.payload)
        signature_header = common_pb2.SignatureHeader.FromString(payload.header.signature_header)
        creator = self.msp.deserialize(signature_header.creator)
        if not creator.verify(envelope.payload, envelope.signature):
            raise ValueError("envelope signature is not valid")
        self._queue.append(envelope)
        if self._cutter is None or self._cutter.done():
            self._cutter = asyncio.get_running_loop().create_task(self._cut())

    async def wait(self, tx_id: str) -> Location:
        if tx_id in self.index:
            return self.index[tx_id]
        future: asyncio.Future[Location] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(tx_id, []).append(future)
        return await future

    async def subscribe(self, start_block: int) -> AsyncIterator[common_pb2.Block]:
        number = start_block
        while True:
            while number < len(self.blocks):
                yield self.blocks[number]
                number += 1
            event = self._new_block
            await event.wait()

    async def _cut(self) -> None:
        await asyncio.sleep(0.01)
        batch, self._queue = self._queue, []
        self._append(batch)

    def _append(self, batch: list[common_pb2.Envelope]) -> None:
        number = len(self.blocks)
        codes = bytearray()
        locations: dict[str, Location] = {}
        for tx_num, envelope in enumerate(batch):
            code = self._validate(envelope, number, tx_num, locations)
            codes.append(code)
        previous = self.blocks[-1].header if self.blocks else None
        data = [envelope.SerializeToString() for envelope in batch]
        block = common_pb2.Block(
            header=common_pb2.BlockHeader(
                number=number,
                previous_hash=hashlib.sha256(previous.SerializeToString()).digest()
                if previous
                else b"",
                data_hash=hashlib.sha256(b"".join(data)).digest(),
            ),
            data=common_pb2.BlockData(data=data),
            metadata=common_pb2.BlockMetadata(metadata=[b"", b"", bytes(codes), b"", b""]),
        )
        self.blocks.append(block)
        for tx_id, location in locations.items():
            self.index.setdefault(tx_id, location)
            for future in self._waiters.pop(tx_id, []):
                if not future.done():
                    future.set_result(location)
        event, self._new_block = self._new_block, asyncio.Event()
        event.set()

    def _validate(
        self, envelope: common_pb2.Envelope, number: int, tx_num: int, seen: dict[str, Location]
    ) -> int:
        tx = next(
            transactions(
                common_pb2.Block(
                    data=common_pb2.BlockData(data=[envelope.SerializeToString()]),
                    metadata=common_pb2.BlockMetadata(metadata=[b"", b"", b"\0"]),
                )
            )
        )
        tx_id = tx.channel_header.tx_id
        if tx_id in self.index or tx_id in seen:
            return int(_CODES.Value("DUPLICATE_TXID"))
        transaction = transaction_pb2.Transaction.FromString(tx.payload.data)
        action_payload = transaction_pb2.ChaincodeActionPayload.FromString(
            transaction.actions[0].payload
        )
        response_payload = proposal_response_pb2.ProposalResponsePayload.FromString(
            action_payload.action.proposal_response_payload
        )
        rwset = json.loads(
            proposal_pb2.ChaincodeAction.FromString(response_payload.extension).results
        )
        code = _CODES.Value("VALID")
        for key, version in rwset["reads"].items():
            current = list(self.state[key][1]) if key in self.state else None
            if current != version:
                code = _CODES.Value("MVCC_READ_CONFLICT")
        if self.require_all and len(action_payload.action.endorsements) < len(self.peers):
            code = _CODES.Value("ENDORSEMENT_POLICY_FAILURE")
        if code == _CODES.Value("VALID"):
            for key, value in rwset["writes"].items():
                self.state[key] = (value, (number, tx_num))
        seen[tx_id] = Location(number, code)
        return int(code)
