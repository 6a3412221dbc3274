"""Orderer and CommitNotifier: up-front checks, block cutting, waiters, block streams."""

from __future__ import annotations

import asyncio

import pytest
from fabric_protos.common import common_pb2
from fabric_protos.peer import transaction_pb2

from provena.devnet.ledger.blocks import transaction_filter
from provena.devnet.ledger.errors import BroadcastRejected, OrdererStopped
from provena.devnet.ledger.simulator import TxSimulator
from provena.devnet.ledger.store import LedgerStore
from provena.devnet.orderer import Orderer
from provena.devnet.verify import verify_chain
from tests.devnet.ledger.conftest import Ledger, policies
from tests.devnet.ledger.support import Orgs, endorsed_envelope


async def _envelope(store: LedgerStore, orgs: Orgs, key: str, **kw: object) -> common_pb2.Envelope:
    sim = TxSimulator(store)
    await sim.get_state("basic", key)
    sim.put_state("basic", key, b"v")
    return endorsed_envelope(
        creator=orgs.member("Org1MSP", "user"),
        endorsers=[orgs.member("Org1MSP")],
        rwset=sim.rwset(),
        **kw,  # type: ignore[arg-type]
    )


def _tx_id(envelope: common_pb2.Envelope) -> str:
    payload = common_pb2.Payload.FromString(envelope.payload)
    return str(common_pb2.ChannelHeader.FromString(payload.header.channel_header).tx_id)


async def test_broadcast_rejects_bad_envelopes_up_front(
    ledger: Ledger, orgs: Orgs, strangers: Orgs
) -> None:
    good = await _envelope(ledger.store, orgs, "a")
    with pytest.raises(BroadcastRejected, match="empty"):
        await ledger.orderer.broadcast(common_pb2.Envelope())
    with pytest.raises(BroadcastRejected, match="malformed payload"):
        await ledger.orderer.broadcast(common_pb2.Envelope(payload=b"\xff\xff"))
    with pytest.raises(BroadcastRejected, match="channel 'other' not found"):
        await ledger.orderer.broadcast(await _envelope(ledger.store, orgs, "a", channel="other"))
    stranger = strangers.member("Org1MSP", "user")
    for refused in (
        common_pb2.Envelope(payload=good.payload, signature=b"x"),
        endorsed_envelope(creator=stranger, endorsers=[], rwset=TxSimulator(ledger.store).rwset()),
    ):  # the signature filter: /Channel/Writers is not satisfied
        with pytest.raises(BroadcastRejected, match="'Writers' sub-policies") as caught:
            await ledger.orderer.broadcast(refused)
        assert caught.value.status == common_pb2.FORBIDDEN
    small = Orderer(
        channel="provena",
        store=ledger.store,
        validator=ledger.validator,
        notifier=ledger.notifier,
        signer=orgs.member("OrdererMSP", "orderer"),
        msps=orgs.msps,
        max_message_bytes=100,
    )
    with pytest.raises(BroadcastRejected, match="exceeds maximum allowed 100 bytes") as caught:
        await small.broadcast(good)
    assert caught.value.status == common_pb2.BAD_REQUEST
    assert isinstance(BroadcastRejected("x"), ValueError)  # the gateway's rejection signal
    assert ledger.store.height == 1


async def test_blocks_are_cut_by_size_then_timeout(ledger: Ledger, orgs: Orgs) -> None:
    envelopes = [await _envelope(ledger.store, orgs, f"k{i}") for i in range(13)]
    for envelope in envelopes:
        await ledger.orderer.broadcast(envelope)
    locations = await asyncio.gather(*(ledger.notifier.wait(_tx_id(e)) for e in envelopes))
    assert [loc.block_number for loc in locations] == [1] * 10 + [2] * 3
    assert [loc.tx_num for loc in locations] == list(range(10)) + list(range(3))
    assert {loc.validation_code for loc in locations} == {transaction_pb2.VALID}
    block = ledger.store.block(2)
    assert block is not None
    assert transaction_filter(block) == bytes(3)


async def test_conflicting_transactions_in_one_block(ledger: Ledger, orgs: Orgs) -> None:
    first, second = [await _envelope(ledger.store, orgs, "same") for _ in range(2)]
    await ledger.orderer.broadcast(first)
    await ledger.orderer.broadcast(second)
    a, b = await asyncio.gather(
        ledger.notifier.wait(_tx_id(first)), ledger.notifier.wait(_tx_id(second))
    )
    assert (a.validation_code, b.validation_code) == (
        transaction_pb2.VALID,
        transaction_pb2.MVCC_READ_CONFLICT,
    )
    assert (await ledger.notifier.wait(_tx_id(first))) == a  # already committed: at once


async def test_subscribers_replay_then_follow_without_gaps(ledger: Ledger, orgs: Orgs) -> None:
    for i in range(3):
        envelope = await _envelope(ledger.store, orgs, f"pre{i}")
        await ledger.orderer.broadcast(envelope)
        await ledger.notifier.wait(_tx_id(envelope))
    assert ledger.store.height == 4

    async def collect(start: int, count: int, delay: float) -> list[int]:
        numbers = []
        stream = ledger.notifier.subscribe(start)
        async for block in stream:
            numbers.append(block.header.number)
            await asyncio.sleep(delay)  # a slow reader still sees every block once
            if len(numbers) == count:
                break
        await stream.aclose()  # type: ignore[attr-defined]
        return numbers

    readers = [
        asyncio.create_task(collect(0, 12, 0)),
        asyncio.create_task(collect(2, 10, 0.01)),
        asyncio.create_task(collect(6, 6, 0)),  # starts in the future
    ]
    for i in range(8):
        envelope = await _envelope(ledger.store, orgs, f"live{i}")
        await ledger.orderer.broadcast(envelope)
        await ledger.notifier.wait(_tx_id(envelope))
    results = await asyncio.wait_for(asyncio.gather(*readers), 10)
    assert results == [list(range(12)), list(range(2, 12)), list(range(6, 12))]


async def test_cancelled_waiters_leave_nothing_behind(ledger: Ledger) -> None:
    waiter = asyncio.create_task(ledger.notifier.wait("never"))
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert ledger.notifier._waiters == {}


async def test_closed_orderer_refuses_broadcasts(ledger: Ledger, orgs: Orgs) -> None:
    envelope = await _envelope(ledger.store, orgs, "last")
    await ledger.orderer.broadcast(envelope)
    await ledger.orderer.aclose()
    assert ledger.store.tx_location(_tx_id(envelope)) is not None  # pending work was written
    with pytest.raises(OrdererStopped):
        await ledger.orderer.broadcast(envelope)


async def test_verify_chain_accepts_the_chain_and_finds_tampering(
    ledger: Ledger, orgs: Orgs
) -> None:
    first, second = [await _envelope(ledger.store, orgs, "x") for _ in range(2)]
    for envelope in (first, second, await _envelope(ledger.store, orgs, "y")):
        await ledger.orderer.broadcast(envelope)
    await ledger.notifier.wait(_tx_id(second))
    summary = verify_chain(ledger.store, msps=orgs.msps, policies=policies)
    assert summary.ok, summary.problems
    assert summary.as_dict()["validation_codes"] == {"MVCC_READ_CONFLICT": 1, "VALID": 3}
    assert (summary.blocks, summary.transactions, summary.channel) == (2, 4, "provena")

    db = ledger.store._db
    block = ledger.store.block(1)
    assert block is not None
    block.metadata.metadata[common_pb2.TRANSACTIONS_FILTER] = bytes(3)  # claim all valid
    block.header.data_hash = b"\x00" * 32
    db.execute("UPDATE blocks SET block = ? WHERE number = 1", (block.SerializeToString(),))
    db.execute("UPDATE state SET value = ? WHERE key = ?", (b"forged", b"y"))
    problems = verify_chain(ledger.store, msps=orgs.msps, policies=policies).problems
    assert any("data hash" in p for p in problems)
    assert any("no orderer signature verifies" in p for p in problems)
    assert any("recorded VALID, re-validation gives MVCC_READ_CONFLICT" in p for p in problems)
    assert any("world state differs" in p for p in problems)
