"""Determinism: every organization's peer endorses the same bytes, so MAJORITY policies work."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.msp import identities_pb2
from fabric_protos.peer import transaction_pb2

from provena.contracts import CONTRACTS
from provena.demo import ORGANIZATIONS
from provena.fabric import load_msp_folder
from tests.support.ledger import Ledger, running_ledger

CERT = {
    "id": "CERT-MAJORITY",
    "scheme": "EU-ORGANIC",
    "subject": {"kind": "organization", "id": "ProducerMSP", "name": "Green Valley"},
    "scope": "Fresh vegetables",
    "valid_from": "2026-01-01T00:00:00Z",
    "valid_until": "2030-01-01T00:00:00Z",
}


@pytest.fixture(scope="module")
async def majority(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Ledger]:
    async with running_ledger(
        tmp_path_factory.mktemp("majority"),
        "provena",
        CONTRACTS,
        ready_as=("CertifierMSP", "ines.moreau"),
        endorsement_policy="MAJORITY Endorsement",
    ) as ledger:
        async with ledger.connect("CertifierMSP", "ines.moreau") as admin:
            registry = admin.get_network(ledger.channel).get_contract("provena", "Registry")
            await registry.submit_transaction("Bootstrap", json.dumps(["CertifierMSP"]))
            await registry.submit_transaction(
                "AccreditCertifier", "CertifierMSP", json.dumps(["EU-ORGANIC"])
            )
        yield ledger


async def test_every_org_endorses_identical_bytes(majority: Ledger) -> None:
    msp_dir = majority.devnet.pki.user_msp_dir("CertifierMSP", "david.okafor")
    _, signer = load_msp_folder("CertifierMSP", msp_dir)
    async with majority.connect("CertifierMSP", "david.okafor") as gateway:
        contract = gateway.get_network(majority.channel).get_contract("provena", "Certificates")
        unsigned = contract.new_proposal(
            "IssueCertificate", args=[json.dumps(CERT | {"id": "CERT-SAME"})]
        )
        signature = signer(unsigned.digest)
        assert isinstance(signature, bytes)
        signed = gateway.new_signed_proposal(unsigned.to_bytes(), signature)
    proposal = gateway_pb2.ProposedTransaction.FromString(signed.to_bytes()).proposal
    responses = {}
    for org in ORGANIZATIONS:
        endorser = majority.devnet.endorser(org.msp_id)
        assert endorser is not None
        responses[org.msp_id] = await endorser.process(proposal)
    assert {r.response.status for r in responses.values()} == {200}
    payloads = {r.payload for r in responses.values()}
    assert len(payloads) == 1, "endorsements differ between organizations"
    signers = {
        identities_pb2.SerializedIdentity.FromString(r.endorsement.endorser).mspid
        for r in responses.values()
    }
    assert signers == {org.msp_id for org in ORGANIZATIONS}


async def test_majority_policy_commits_with_three_endorsements(majority: Ledger) -> None:
    async with majority.connect("CertifierMSP", "david.okafor") as gateway:
        contract = gateway.get_network(majority.channel).get_contract("provena", "Certificates")
        submitted = await contract.submit_async("IssueCertificate", args=[json.dumps(CERT)])
        status = await submitted.get_status()
    assert status.successful
    location = majority.devnet.store.tx_location(submitted.transaction_id)
    assert location is not None
    block = majority.devnet.store.block(location.block_number)
    assert block is not None
    envelope = common_pb2.Envelope.FromString(block.data.data[location.tx_num])
    payload = common_pb2.Payload.FromString(envelope.payload)
    transaction = transaction_pb2.Transaction.FromString(payload.data)
    action = transaction_pb2.ChaincodeActionPayload.FromString(transaction.actions[0].payload)
    endorsers = {
        identities_pb2.SerializedIdentity.FromString(e.endorser).mspid
        for e in action.action.endorsements
    }
    assert len(endorsers) >= 3  # a majority of the four organizations
