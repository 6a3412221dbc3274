"""Endorser: Fabric's proposal checks and responses, then the endorsed transaction through
the orderer. The chaincode here is an in-process runner playing a contract against the
simulator, until it runs over the chaincode protocol with the launcher."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from fabric_protos.common import common_pb2
from fabric_protos.peer import (
    chaincode_event_pb2,
    chaincode_pb2,
    proposal_pb2,
    proposal_response_pb2,
    transaction_pb2,
)

from provena.devnet.endorser import Endorser, unpack_proposal
from provena.devnet.identity import SigningIdentity
from provena.devnet.ledger.errors import ProposalRejected
from provena.devnet.ledger.simulator import TxSimulator
from provena.devnet.ledger.transaction import tx_id_for
from tests.devnet.ledger.conftest import Ledger
from tests.devnet.ledger.support import CHANNEL, Orgs


@dataclass
class Result:
    response: proposal_response_pb2.Response
    event: chaincode_event_pb2.ChaincodeEvent | None = None


class Runner:
    """`put K V` writes after reading K; `fail S` answers status S; `crash` raises."""

    async def execute(
        self, *, simulator: TxSimulator, input: chaincode_pb2.ChaincodeInput, **_: object
    ) -> Result:
        command, *args = [a.decode() for a in input.args]
        if command == "put":
            previous = await simulator.get_state("basic", args[0])
            simulator.put_state("basic", args[0], args[1].encode())
            event = chaincode_event_pb2.ChaincodeEvent(event_name="put", payload=previous or b"")
            return Result(proposal_response_pb2.Response(status=200, payload=b"ok"), event)
        if command == "fail":
            return Result(proposal_response_pb2.Response(status=int(args[0]), message="no"))
        raise RuntimeError("chaincode crashed")


def proposal(
    creator: SigningIdentity,
    *args: str,
    chaincode: str = "basic",
    channel: str = CHANNEL,
    tx_id: str | None = None,
    signer: SigningIdentity | None = None,
) -> proposal_pb2.SignedProposal:
    nonce = os.urandom(24)
    chdr = common_pb2.ChannelHeader(
        type=common_pb2.ENDORSER_TRANSACTION,
        channel_id=channel,
        tx_id=tx_id or tx_id_for(nonce, creator.serialized()),
        extension=proposal_pb2.ChaincodeHeaderExtension(
            chaincode_id=chaincode_pb2.ChaincodeID(name=chaincode)
        ).SerializeToString(),
    )
    chdr.timestamp.GetCurrentTime()
    spec = chaincode_pb2.ChaincodeInvocationSpec(
        chaincode_spec=chaincode_pb2.ChaincodeSpec(
            chaincode_id=chaincode_pb2.ChaincodeID(name=chaincode),
            input=chaincode_pb2.ChaincodeInput(args=[a.encode() for a in args]),
        )
    )
    payload = proposal_pb2.ChaincodeProposalPayload(
        input=spec.SerializeToString(), TransientMap={"secret": b"kept out of the hash"}
    )
    data = proposal_pb2.Proposal(
        header=common_pb2.Header(
            channel_header=chdr.SerializeToString(),
            signature_header=common_pb2.SignatureHeader(
                creator=creator.serialized(), nonce=nonce
            ).SerializeToString(),
        ).SerializeToString(),
        payload=payload.SerializeToString(),
    ).SerializeToString()
    return proposal_pb2.SignedProposal(
        proposal_bytes=data, signature=(signer or creator).sign(data)
    )


def envelope(
    signed: proposal_pb2.SignedProposal,
    responses: list[proposal_response_pb2.ProposalResponse],
    creator: SigningIdentity,
) -> common_pb2.Envelope:
    prop = proposal_pb2.Proposal.FromString(signed.proposal_bytes)
    header = common_pb2.Header.FromString(prop.header)
    cpp = proposal_pb2.ChaincodeProposalPayload.FromString(prop.payload)
    action = transaction_pb2.ChaincodeActionPayload(
        chaincode_proposal_payload=proposal_pb2.ChaincodeProposalPayload(
            input=cpp.input
        ).SerializeToString(),
        action=transaction_pb2.ChaincodeEndorsedAction(
            proposal_response_payload=responses[0].payload,
            endorsements=[r.endorsement for r in responses],
        ),
    )
    tx = transaction_pb2.Transaction(
        actions=[
            transaction_pb2.TransactionAction(
                header=header.signature_header, payload=action.SerializeToString()
            )
        ]
    )
    payload = common_pb2.Payload(header=header, data=tx.SerializeToString()).SerializeToString()
    return common_pb2.Envelope(payload=payload, signature=creator.sign(payload))


@pytest.fixture
def endorsers(ledger: Ledger, orgs: Orgs) -> dict[str, Endorser]:
    return {
        msp: Endorser(
            channel=CHANNEL,
            signer=orgs.member(msp),
            store=ledger.store,
            msps=orgs.msps,
            launcher=Runner(),
            chaincode_version={"basic": "1.0", "both": "2.1"}.get,
        )
        for msp in orgs.msp_ids
    }


async def test_endorsed_proposal_commits(
    ledger: Ledger, orgs: Orgs, endorsers: dict[str, Endorser]
) -> None:
    client = orgs.member("Org1MSP", "user")
    signed = proposal(client, "put", "k", "v1", chaincode="both")
    responses = [await e.process(signed) for e in endorsers.values()]
    for msp, response in zip(endorsers, responses, strict=True):
        assert response.response.status == 200
        assert response.response.payload == b"ok"
        endorser = response.endorsement.endorser
        assert orgs.msps.deserialize(endorser).msp_id == msp
        assert orgs.msps.deserialize(endorser).verify(
            response.payload + endorser, response.endorsement.signature
        )
    assert responses[0].payload == responses[1].payload  # same simulation, same bytes
    payload = proposal_response_pb2.ProposalResponsePayload.FromString(responses[0].payload)
    assert payload.proposal_hash == unpack_proposal(signed).hash
    action = proposal_pb2.ChaincodeAction.FromString(payload.extension)
    assert (action.chaincode_id.name, action.chaincode_id.version) == ("both", "2.1")
    assert chaincode_event_pb2.ChaincodeEvent.FromString(action.events).event_name == "put"

    tx = envelope(signed, responses, client)
    await ledger.orderer.broadcast(tx)
    location = await ledger.notifier.wait(unpack_proposal(signed).tx_id)
    assert location.validation_code == transaction_pb2.VALID
    assert ledger.store.get_state("basic", "k") is not None
    with pytest.raises(ProposalRejected, match="duplicate transaction found") as caught:
        await endorsers["Org1MSP"].process(signed)
    assert caught.value.answered

    # one org's endorsement does not satisfy AND(Org1, Org2)
    single = proposal(client, "put", "k2", "v", chaincode="both")
    response = await endorsers["Org1MSP"].process(single)
    await ledger.orderer.broadcast(envelope(single, [response], client))
    location = await ledger.notifier.wait(unpack_proposal(single).tx_id)
    assert location.validation_code == transaction_pb2.ENDORSEMENT_POLICY_FAILURE


async def test_chaincode_errors_are_answered_as_a_peer_does(
    orgs: Orgs, endorsers: dict[str, Endorser]
) -> None:
    client, endorser = orgs.member("Org1MSP", "user"), endorsers["Org1MSP"]
    server_error = await endorser.process(proposal(client, "fail", "500"))
    assert (server_error.response.status, server_error.response.message) == (500, "no")
    assert server_error.payload
    assert not server_error.HasField("endorsement")
    client_error = await endorser.process(proposal(client, "fail", "404"))
    assert client_error.response.status == 404
    assert not client_error.payload
    assert not client_error.HasField("endorsement")
    crashed = await endorser.process(proposal(client, "crash"))
    assert crashed.response.status == 500
    assert crashed.response.message == "error in simulation: chaincode crashed"
    assert not crashed.payload


async def test_bad_proposals_are_refused_or_get_500_with_the_reason(
    orgs: Orgs, strangers: Orgs, endorsers: dict[str, Endorser]
) -> None:
    """As Fabric's endorser: pre-check failures are errors (with a 500 answer, or none from
    the expiration filter in front), an unknown channel or chaincode a 500 answer alone."""
    client, endorser = orgs.member("Org1MSP", "user"), endorsers["Org1MSP"]
    refused = {
        "failed parsing proposal": proposal_pb2.SignedProposal(proposal_bytes=b"\xff\xff"),
        "incorrectly computed txid": proposal(client, "put", "a", "b", tx_id="ab" * 32),
        "creator org [Org1MSP]": proposal(
            client, "put", "a", "b", signer=orgs.member("Org1MSP", "other")
        ),
        "creator org unknown": proposal(strangers.member("Org1MSP", "user"), "put", "a", "b"),
    }
    for reason, signed in refused.items():
        with pytest.raises(ProposalRejected, match=re.escape(reason)) as caught:
            await endorser.process(signed)
        assert caught.value.answered == (reason != "failed parsing proposal")
    answered = {
        "channel 'elsewhere' not found": proposal(client, "put", "a", "b", channel="elsewhere"),
        "chaincode nope not found": proposal(client, "put", "a", "b", chaincode="nope"),
    }
    for reason, signed in answered.items():
        response = await endorser.process(signed)
        assert response.response.status == 500
        assert reason in response.response.message
        assert not response.payload
    bad = proposal_pb2.Proposal.FromString(answered["chaincode nope not found"].proposal_bytes)
    bad.payload = proposal_pb2.ChaincodeProposalPayload(input=b"").SerializeToString()
    no_spec = proposal_pb2.SignedProposal(proposal_bytes=bad.SerializeToString())
    with pytest.raises(ProposalRejected, match="did not contain chaincode spec"):
        unpack_proposal(no_spec)
