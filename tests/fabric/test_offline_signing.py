"""Every request signed outside the client: proposal, transaction, commit status, events."""

from __future__ import annotations

import uuid

import pytest

from provena.fabric import Gateway, SigningError, connect
from provena.fabric.hashing import sha256
from tests.fabric.conftest import Server
from tests.fabric.network import CHAINCODE, CHANNEL


@pytest.fixture
async def unsigned(server: Server) -> Gateway:
    """A gateway with no signer: every request must be signed offline."""
    return connect(server.address, identity=server.user.identity, tls=server.tls)


async def test_offline_signing_end_to_end(unsigned: Gateway, server: Server) -> None:
    sign = server.user.signer  # stands in for a browser wallet, an HSM or OCI Vault
    key = f"off-{uuid.uuid4().hex}"
    try:
        contract = unsigned.get_network(CHANNEL).get_contract(CHAINCODE)
        unsigned_proposal = contract.new_proposal("put", args=[key, "offline"])
        assert unsigned_proposal.digest == sha256(_proposal_bytes(unsigned_proposal.to_bytes()))
        with pytest.raises(SigningError):
            await unsigned_proposal.endorse()

        proposal = unsigned.new_signed_proposal(
            unsigned_proposal.to_bytes(), _sig(sign(unsigned_proposal.digest))
        )
        unsigned_transaction = await proposal.endorse()
        transaction = unsigned.new_signed_transaction(
            unsigned_transaction.to_bytes(), _sig(sign(unsigned_transaction.digest))
        )
        assert transaction.result == b"offline"
        submitted = await transaction.submit()
        commit = unsigned.new_signed_commit(submitted.to_bytes(), _sig(sign(submitted.digest)))
        status = await commit.get_status()
        assert status.successful
        assert status.transaction_id == proposal.transaction_id

        request = unsigned.get_network(CHANNEL).new_chaincode_events_request(
            CHAINCODE, start_block=status.block_number
        )
        signed_request = unsigned.new_signed_chaincode_events_request(
            request.to_bytes(), _sig(sign(request.digest))
        )
        async with await signed_request.get_events() as events:
            event = await anext(events)
        assert event.transaction_id == proposal.transaction_id

        blocks_request = unsigned.get_network(CHANNEL).new_block_events_request(
            start_block=status.block_number
        )
        signed_blocks = unsigned.new_signed_block_events_request(
            blocks_request.to_bytes(), _sig(sign(blocks_request.digest))
        )
        async with await signed_blocks.get_events() as blocks:
            block = await anext(blocks)
        assert block.header.number == status.block_number
    finally:
        await unsigned.close()


async def test_async_signer(server: Server) -> None:
    sync_sign = server.user.signer

    async def remote_sign(digest: bytes) -> bytes:
        return _sig(sync_sign(digest))

    async with connect(
        server.address, identity=server.user.identity, signer=remote_sign, tls=server.tls
    ) as gateway:
        contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
        assert await contract.submit_transaction("put", f"a-{uuid.uuid4().hex}", "x") == b"x"


def _sig(value: object) -> bytes:
    assert isinstance(value, bytes)
    return value


def _proposal_bytes(proposed: bytes) -> bytes:
    from fabric_protos.gateway import gateway_pb2

    return bytes(gateway_pb2.ProposedTransaction.FromString(proposed).proposal.proposal_bytes)
