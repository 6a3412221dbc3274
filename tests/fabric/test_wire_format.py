"""The proposal is built field by field as a Fabric peer expects it."""

from __future__ import annotations

import hashlib
import time

from fabric_protos.common import common_pb2
from fabric_protos.msp import identities_pb2
from fabric_protos.peer import chaincode_pb2, proposal_pb2

from provena.fabric.proposalbuilder import new_proposed_transaction
from provena.fabric.txcontext import NONCE_LENGTH, transaction_id
from tests.fabric.pki import Ca


def test_proposal_fields() -> None:
    member = Ca("ca.org1").issue("Org1MSP", "user1")
    creator = member.identity.creator
    before = time.time()
    proposed = new_proposed_transaction(
        creator=creator,
        channel="provena",
        chaincode="kv",
        transaction_name="Contract:put",
        args=["k", b"\x01"],
        transient_data={"secret": "s"},
        endorsing_organizations=["Org1MSP"],
    )
    after = time.time()
    proposal = proposal_pb2.Proposal.FromString(proposed.proposal.proposal_bytes)
    header = common_pb2.Header.FromString(proposal.header)
    channel_header = common_pb2.ChannelHeader.FromString(header.channel_header)
    signature_header = common_pb2.SignatureHeader.FromString(header.signature_header)

    identity = identities_pb2.SerializedIdentity.FromString(signature_header.creator)
    assert identity.mspid == "Org1MSP"
    assert identity.id_bytes == member.identity.credentials
    assert len(signature_header.nonce) == NONCE_LENGTH
    expected = hashlib.sha256(signature_header.nonce + signature_header.creator).hexdigest()
    assert channel_header.tx_id == expected == proposed.transaction_id
    assert transaction_id(signature_header.nonce, creator) == expected

    assert channel_header.type == common_pb2.ENDORSER_TRANSACTION
    assert channel_header.channel_id == "provena"
    assert channel_header.epoch == 0
    sent = channel_header.timestamp.seconds + channel_header.timestamp.nanos / 1e9
    assert before - 1 <= sent <= after + 1
    extension = proposal_pb2.ChaincodeHeaderExtension.FromString(channel_header.extension)
    assert extension.chaincode_id.name == "kv"

    payload = proposal_pb2.ChaincodeProposalPayload.FromString(proposal.payload)
    assert dict(payload.TransientMap) == {"secret": b"s"}
    spec = chaincode_pb2.ChaincodeInvocationSpec.FromString(payload.input).chaincode_spec
    assert spec.chaincode_id.name == "kv"
    assert list(spec.input.args) == [b"Contract:put", b"k", b"\x01"]
    assert list(proposed.endorsing_organizations) == ["Org1MSP"]
    assert proposed.proposal.signature == b""


def test_each_proposal_has_a_fresh_nonce() -> None:
    creator = Ca("ca").issue("Org1MSP", "u").identity.creator
    ids = {
        new_proposed_transaction(
            creator=creator, channel="c", chaincode="cc", transaction_name="f"
        ).transaction_id
        for _ in range(50)
    }
    assert len(ids) == 50
