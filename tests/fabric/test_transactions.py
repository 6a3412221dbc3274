"""Evaluate, submit, commit status and the errors of each, over TLS against the gateway."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest

from provena.fabric import (
    CommitError,
    EndorseError,
    Gateway,
    GatewayError,
    Tls,
    Transaction,
    connect,
)
from provena.fabric.commit import new_commit_status_request
from tests.fabric.conftest import Server
from tests.fabric.network import CHAINCODE, CHANNEL
from tests.fabric.pki import Ca, pem


def key() -> str:
    return f"k-{uuid.uuid4().hex[:12]}"


async def test_submit_then_evaluate(gateway: Gateway) -> None:
    contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
    k = key()
    assert await contract.submit_transaction("put", k, "v1") == b"v1"
    assert await contract.evaluate_transaction("get", k) == b"v1"


async def test_submit_async_reports_block_and_code(gateway: Gateway, server: Server) -> None:
    contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
    submitted = await contract.submit_async("put", args=[key(), b"\x00bytes"])
    assert submitted.result == b"\x00bytes"
    status = await submitted.get_status()
    assert status.successful
    assert status.code_name == "VALID"
    assert status.transaction_id == submitted.transaction_id
    location = server.network.tx_location(submitted.transaction_id)
    assert location is not None
    assert location.block_number == status.block_number
    # Asking again is answered from the ledger.
    assert await submitted.get_status() == status


async def test_evaluate_failure_carries_chaincode_message(gateway: Gateway) -> None:
    contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
    with pytest.raises(GatewayError) as caught:
        await contract.evaluate_transaction("fail", "no such shipment")
    assert caught.value.code == grpc.StatusCode.UNKNOWN
    assert "chaincode response 500, no such shipment" in caught.value.message
    [detail] = caught.value.details
    assert detail.msp_id == "ProducerMSP"
    assert detail.message == "chaincode response 500, no such shipment"


async def test_endorse_failure_carries_transaction_id_and_details(gateway: Gateway) -> None:
    contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
    proposal = contract.new_proposal("fail", args=["shipment already delivered"])
    with pytest.raises(EndorseError) as caught:
        await proposal.endorse()
    error = caught.value
    assert error.transaction_id == proposal.transaction_id
    assert error.code == grpc.StatusCode.ABORTED
    assert error.message == "failed to endorse transaction, see attached details for more info"
    assert [(d.msp_id, d.message) for d in error.details] == [
        ("ProducerMSP", "chaincode response 500, shipment already delivered")
    ]
    assert "shipment already delivered" in str(error)


async def test_conflicting_transactions_exactly_one_commits(gateway: Gateway) -> None:
    contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
    k = key()
    await contract.submit_transaction("put", k, "base")
    first = await contract.new_proposal("put", args=[k, "a"]).endorse()
    second = await contract.new_proposal("put", args=[k, "b"]).endorse()
    outcomes = await asyncio.gather(
        _submit(first),
        _submit(second),
        return_exceptions=True,
    )
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(errors) == 1
    assert isinstance(errors[0], CommitError)
    assert errors[0].code_name == "MVCC_READ_CONFLICT"
    assert errors[0].transaction_id in (first.transaction_id, second.transaction_id)


async def _submit(transaction: Transaction) -> bytes:
    submitted = await transaction.submit()
    status = await submitted.get_status()
    if not status.successful:
        raise CommitError(
            transaction_id=status.transaction_id, code=status.code, code_name=status.code_name
        )
    return bytes(submitted.result)


async def test_duplicate_submission_is_invalid(gateway: Gateway) -> None:
    contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
    transaction = await contract.new_proposal("put", args=[key(), "once"]).endorse()
    first = await transaction.submit()
    assert (await first.get_status()).successful
    again = await transaction.submit()
    status = await again.get_status()
    assert status.successful  # the first commit's status: the id is already on the ledger


async def test_transient_data_and_endorsing_organizations(gateway: Gateway) -> None:
    contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
    result = await contract.evaluate(
        "secret", transient_data={"secret": "s3cr3t"}, endorsing_organizations=["CarrierMSP"]
    )
    assert result == b"s3cr3t"
    with pytest.raises(GatewayError) as caught:
        await contract.evaluate("get", args=["x"], endorsing_organizations=["NobodyMSP"])
    assert caught.value.code == grpc.StatusCode.FAILED_PRECONDITION


async def test_unknown_chaincode_and_channel(gateway: Gateway) -> None:
    with pytest.raises(GatewayError) as caught:
        await gateway.get_network(CHANNEL).get_contract("nope").submit_transaction("put", "k", "v")
    assert caught.value.code == grpc.StatusCode.FAILED_PRECONDITION
    assert "No metadata was found for chaincode nope" in str(caught.value)
    with pytest.raises(GatewayError) as caught:
        await (
            gateway.get_network("elsewhere")
            .get_contract(CHAINCODE)
            .evaluate_transaction("get", "k")
        )
    assert caught.value.code == grpc.StatusCode.UNAVAILABLE
    assert "failed to get config for channel [elsewhere]" in str(caught.value)


async def test_timeouts(gateway: Gateway) -> None:
    contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
    with pytest.raises(GatewayError) as caught:
        await contract.new_proposal("sleep", args=["1"]).evaluate(timeout=0.2)
    assert caught.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
    # The server's own endorsement timeout (2 s in these tests) bounds a hanging chaincode;
    # like a peer, it reports the endorser that timed out.
    with pytest.raises(EndorseError) as endorse_caught:
        await contract.new_proposal("sleep", args=["5"]).endorse(timeout=10)
    assert endorse_caught.value.code == grpc.StatusCode.ABORTED
    assert endorse_caught.value.details[0].message == "endorsement timeout expired"


async def test_unknown_ca_is_rejected(server: Server) -> None:
    stranger = Ca("ca.rogue").issue("ProducerMSP", "mallory")
    async with connect(
        server.address, identity=stranger.identity, signer=stranger.signer, tls=server.tls
    ) as gateway:
        contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
        with pytest.raises(GatewayError) as caught:
            await contract.evaluate_transaction("get", "k")
        assert caught.value.code == grpc.StatusCode.ABORTED
        assert "certificate is not issued by ProducerMSP's CA" in caught.value.details[0].message
        commit = gateway.new_signed_commit(_commit_request_bytes(stranger.identity.creator), b"0")
        with pytest.raises(GatewayError) as status_caught:
            await commit.get_status()
        assert status_caught.value.code == grpc.StatusCode.PERMISSION_DENIED


def _commit_request_bytes(creator: bytes) -> bytes:
    return bytes(new_commit_status_request(CHANNEL, "ab" * 32, creator).SerializeToString())


async def test_wrong_tls_root_fails_to_connect(server: Server) -> None:
    other = Tls(root_certificates=pem(Ca("other").certificate), server_name="localhost")
    async with connect(
        server.address, identity=server.user.identity, signer=server.user.signer, tls=other
    ) as gateway:
        with pytest.raises(GatewayError) as caught:
            await (
                gateway.get_network(CHANNEL)
                .get_contract(CHAINCODE)
                .evaluate_transaction("get", "k")
            )
        assert caught.value.code == grpc.StatusCode.UNAVAILABLE
