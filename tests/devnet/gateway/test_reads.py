"""The Gateway's signed read requests over gRPC: CommitStatus and ChaincodeEvents answer
members, and refuse everyone else with the codes and messages of a Fabric peer's gateway."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import grpc
import pytest
from fabric_protos.gateway import gateway_pb2
from fabric_protos.peer import transaction_pb2

from tests.devnet.gateway.conftest import CHAINCODE, Network
from tests.devnet.gateway.support import (
    NEWEST,
    OLDEST,
    chaincode_events_request,
    commit_status_request,
    rpc_error,
    specified,
)

VALID = transaction_pb2.TxValidationCode.Value("VALID")
READERS_FAILED = (
    "Failed evaluating policy on signed data during check policy on channel [provena] "
    "with policy [/Channel/Application/Readers]: [{}]"
)
REFUSALS: dict[str, tuple[Callable[[Network], dict[str, object]], str]] = {
    "signed by another identity": (
        lambda n: {"signed_by": n.member("ProducerMSP", "Admin")},
        "the signature of ProducerMSP's identity is invalid",
    ),
    "certificate from a CA outside the channel": (
        lambda n: {"signer": n.stranger()},
        "the identity is not a member of the channel: certificate",
    ),
    "the ordering organization": (
        lambda n: {"signer": n.orderer()},
        "OrdererMSP is not an application organization of the channel",
    ),
}


async def committed_tx(network: Network) -> tuple[str, int]:
    submitted = await network.contract.submit_async("Put", args=["read", "v"])
    status = await submitted.get_status()
    return submitted.transaction_id, status.block_number


async def commit_status(
    network: Network, request: gateway_pb2.SignedCommitStatusRequest, deadline: float = 10
) -> gateway_pb2.CommitStatusResponse:
    response: gateway_pb2.CommitStatusResponse = await network.gateway_stub.CommitStatus(
        request, timeout=deadline
    )
    return response


async def commit_status_error(
    network: Network, request: gateway_pb2.SignedCommitStatusRequest, deadline: float = 10
) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await commit_status(network, request, deadline)
    return rpc_error(caught.value)


async def test_a_member_reads_a_commit_status(network: Network) -> None:
    tx_id, block_number = await committed_tx(network)
    response = await commit_status(
        network, commit_status_request(network.member(), network.channel, tx_id)
    )
    assert (response.result, response.block_number) == (VALID, block_number)


async def test_a_commit_status_request_waits_for_the_commit(network: Network) -> None:
    """A transaction not yet committed is answered once it commits, not refused."""
    transaction = await network.contract.new_proposal("Put", args=["later", "v"]).endorse()
    request = commit_status_request(network.member(), network.channel, transaction.transaction_id)
    waiting = asyncio.ensure_future(commit_status(network, request))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await transaction.submit()
    response = await waiting
    location = network.ledger.devnet.store.tx_location(transaction.transaction_id)
    assert location is not None
    assert (response.result, response.block_number) == (VALID, location.block_number)


async def test_an_unknown_transaction_waits_until_the_deadline(network: Network) -> None:
    request = commit_status_request(network.member(), network.channel, "0" * 64)
    code, _ = await commit_status_error(network, request, deadline=0.3)
    assert code == grpc.StatusCode.DEADLINE_EXCEEDED


@pytest.mark.parametrize("refusal", REFUSALS)
async def test_commit_status_refusals(network: Network, refusal: str) -> None:
    tx_id, _ = await committed_tx(network)
    kwargs, reason = REFUSALS[refusal]
    options = kwargs(network)
    signer = options.pop("signer", network.member())
    request = commit_status_request(signer, network.channel, tx_id, **options)  # type: ignore[arg-type]
    code, message = await commit_status_error(network, request)
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert message.startswith(READERS_FAILED.format(reason)[:-1])


async def test_commit_status_naming_another_identity_is_refused(network: Network) -> None:
    """The request names the admin but the user signed it: the admin's signature is missing."""
    tx_id, _ = await committed_tx(network)
    admin = network.member("ProducerMSP", "Admin").serialized()
    request = commit_status_request(network.member(), network.channel, tx_id, identity=admin)
    code, message = await commit_status_error(network, request)
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert message == READERS_FAILED.format("the signature of ProducerMSP's identity is invalid")


async def test_commit_status_on_another_channel_is_refused(network: Network) -> None:
    tx_id, _ = await committed_tx(network)
    request = commit_status_request(network.member(), "elsewhere", tx_id)
    assert await commit_status_error(network, request) == (
        grpc.StatusCode.PERMISSION_DENIED,
        "Failed to get policy manager for channel [elsewhere]",
    )


async def test_malformed_commit_status_requests(network: Network) -> None:
    """Fields are checked before the signature, as a peer does: an unsigned request with no
    transaction id is an invalid argument, not a refusal."""
    member = network.member()
    unsigned = gateway_pb2.SignedCommitStatusRequest(
        request=gateway_pb2.CommitStatusRequest(
            channel_id=network.channel, identity=member.serialized()
        ).SerializeToString()
    )
    cases = {
        "a commit status request is required": gateway_pb2.SignedCommitStatusRequest(),
        "invalid status request": gateway_pb2.SignedCommitStatusRequest(request=b"\xff\x01"),
        "no identity provided": commit_status_request(member, network.channel, "t", identity=b""),
        "no channel ID provided": commit_status_request(member, "", "t"),
        "transaction ID should not be empty": unsigned,
    }
    for message, request in cases.items():
        code, text = await commit_status_error(network, request)
        assert (code, text.split(":")[0]) == (grpc.StatusCode.INVALID_ARGUMENT, message)


async def first_events(
    network: Network, request: gateway_pb2.SignedChaincodeEventsRequest
) -> gateway_pb2.ChaincodeEventsResponse:
    call = network.gateway_stub.ChaincodeEvents(request, timeout=10)
    response: gateway_pb2.ChaincodeEventsResponse = await call.read()
    call.cancel()
    return response


async def events_error(
    network: Network, request: gateway_pb2.SignedChaincodeEventsRequest
) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await first_events(network, request)
    return rpc_error(caught.value)


async def test_a_member_reads_chaincode_events(network: Network) -> None:
    tx_id, block_number = await committed_tx(network)
    request = chaincode_events_request(
        network.member(), network.channel, CHAINCODE, start=specified(block_number)
    )
    response = await first_events(network, request)
    assert response.block_number == block_number
    assert [(e.tx_id, e.event_name) for e in response.events] == [(tx_id, "Put")]


async def test_chaincode_events_after_a_transaction_not_in_the_ledger_use_the_start(
    network: Network,
) -> None:
    tx_id, block_number = await committed_tx(network)
    request = chaincode_events_request(
        network.member(),
        network.channel,
        CHAINCODE,
        start=specified(block_number),
        after_transaction_id="0" * 64,
    )
    # The unknown checkpoint is never passed, so nothing matches; the stream stays open.
    call = network.gateway_stub.ChaincodeEvents(request, timeout=0.5)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call.read()
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    checkpointed = chaincode_events_request(
        network.member(), network.channel, CHAINCODE, start=OLDEST, after_transaction_id=tx_id
    )
    later_tx, later_block = await committed_tx(network)
    response = await first_events(network, checkpointed)
    assert response.block_number == later_block
    assert [e.tx_id for e in response.events] == [later_tx]


@pytest.mark.parametrize("refusal", REFUSALS)
async def test_chaincode_events_refusals(network: Network, refusal: str) -> None:
    kwargs, reason = REFUSALS[refusal]
    options = kwargs(network)
    signer = options.pop("signer", network.member())
    request = chaincode_events_request(signer, network.channel, CHAINCODE, **options)  # type: ignore[arg-type]
    code, message = await events_error(network, request)
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert message.startswith(READERS_FAILED.format(reason)[:-1])


async def test_bad_chaincode_events_requests(network: Network) -> None:
    member = network.member()
    cases = {
        "a chaincode events request is required": (
            grpc.StatusCode.INVALID_ARGUMENT,
            gateway_pb2.SignedChaincodeEventsRequest(),
        ),
        "invalid chaincode events request": (
            grpc.StatusCode.INVALID_ARGUMENT,
            gateway_pb2.SignedChaincodeEventsRequest(request=b"\xff\x01"),
        ),
        "Failed to get policy manager for channel [elsewhere]": (
            grpc.StatusCode.PERMISSION_DENIED,
            chaincode_events_request(member, "elsewhere", CHAINCODE),
        ),
        "Invalid channel ID name during check policy on signed data. "
        "Name must be different from nil.": (
            grpc.StatusCode.PERMISSION_DENIED,
            chaincode_events_request(member, "", CHAINCODE),
        ),
        "invalid start position type: *orderer.SeekPosition_Oldest": (
            grpc.StatusCode.INVALID_ARGUMENT,
            chaincode_events_request(member, network.channel, CHAINCODE, start=OLDEST),
        ),
        "invalid start position type: *orderer.SeekPosition_Newest": (
            grpc.StatusCode.INVALID_ARGUMENT,
            chaincode_events_request(member, network.channel, CHAINCODE, start=NEWEST),
        ),
    }
    for message, (code, request) in cases.items():
        got_code, got_message = await events_error(network, request)
        assert got_code == code
        assert got_message.startswith(message)
