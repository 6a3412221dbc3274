"""Chaincode events, block and filtered-block events, and resuming from checkpoints."""

from __future__ import annotations

import uuid
from pathlib import Path

from fabric_protos.common import common_pb2

from provena.fabric import ChaincodeEvent, FileCheckpointer, Gateway, InMemoryCheckpointer
from tests.fabric.network import CHAINCODE, CHANNEL

VALID = 0


async def _put(gateway: Gateway, count: int) -> list[tuple[str, int]]:
    """Commit `count` puts; their (tx id, block number)."""
    contract = gateway.get_network(CHANNEL).get_contract(CHAINCODE)
    committed = []
    for i in range(count):
        submitted = await contract.submit_async("put", args=[f"e-{uuid.uuid4().hex}", f"v{i}"])
        status = await submitted.get_status()
        committed.append((submitted.transaction_id, status.block_number))
    return committed


async def _take(events: object, count: int) -> list[ChaincodeEvent]:
    taken = []
    async for event in events:  # type: ignore[attr-defined]
        taken.append(event)
        if len(taken) == count:
            break
    return taken


async def test_chaincode_events_from_start_block(gateway: Gateway) -> None:
    committed = await _put(gateway, 3)
    network = gateway.get_network(CHANNEL)
    async with await network.chaincode_events(CHAINCODE, start_block=committed[0][1]) as events:
        received = await _take(events, 3)
    assert [(e.transaction_id, e.block_number) for e in received] == committed
    assert all(e.chaincode_name == CHAINCODE and e.event_name == "put" for e in received)
    assert [e.payload for e in received] == [b"v0", b"v1", b"v2"]


async def test_chaincode_events_from_next_commit(gateway: Gateway) -> None:
    network = gateway.get_network(CHANNEL)
    events = await network.chaincode_events(CHAINCODE)
    try:
        committed = await _put(gateway, 1)
        [event] = await _take(events, 1)
    finally:
        await events.aclose()
    assert event.transaction_id == committed[0][0]


async def test_resume_after_restart_with_file_checkpointer(
    gateway: Gateway, tmp_path: Path
) -> None:
    committed = await _put(gateway, 6)
    path = tmp_path / "checkpoint.json"
    network = gateway.get_network(CHANNEL)
    seen: list[str] = []

    # First listener: processes three events, then "crashes".
    checkpointer = await FileCheckpointer.open(path)
    async with await network.chaincode_events(
        CHAINCODE, start_block=committed[0][1], checkpoint=checkpointer
    ) as events:
        async for event in events:
            seen.append(event.transaction_id)
            await checkpointer.checkpoint_chaincode_event(event)
            if len(seen) == 3:
                break

    # Restarted listener: a fresh checkpointer from the same file resumes after event three.
    restarted = await FileCheckpointer.open(path)
    assert restarted.block_number == committed[2][1]
    assert restarted.transaction_id == committed[2][0]
    async with await network.chaincode_events(
        CHAINCODE, start_block=0, checkpoint=restarted
    ) as events:
        async for event in events:
            seen.append(event.transaction_id)
            await restarted.checkpoint_chaincode_event(event)
            if len(seen) == 6:
                break
    assert seen == [tx_id for tx_id, _ in committed]


async def test_checkpoint_block_moves_to_next_block() -> None:
    checkpointer = InMemoryCheckpointer()
    assert (checkpointer.block_number, checkpointer.transaction_id) == (None, None)
    await checkpointer.checkpoint_transaction(4, "tx")
    await checkpointer.checkpoint_block(4)
    assert (checkpointer.block_number, checkpointer.transaction_id) == (5, None)


async def test_block_events(gateway: Gateway) -> None:
    committed = await _put(gateway, 2)
    network = gateway.get_network(CHANNEL)
    first_block = committed[0][1]
    async with await network.block_events(start_block=first_block) as blocks:
        received: list[common_pb2.Block] = []
        async for block in blocks:
            received.append(block)
            if block.header.number == committed[1][1]:
                break
    assert received[0].header.number == first_block
    numbers = [b.header.number for b in received]
    assert numbers == list(range(first_block, committed[1][1] + 1))


async def test_filtered_block_events(gateway: Gateway) -> None:
    [(tx_id, number)] = await _put(gateway, 1)
    network = gateway.get_network(CHANNEL)
    async with await network.filtered_block_events(start_block=number) as blocks:
        block = await anext(blocks)
    assert block.number == number
    assert block.channel_id == CHANNEL
    [tx] = [t for t in block.filtered_transactions if t.txid == tx_id]
    assert tx.tx_validation_code == VALID
    [action] = tx.transaction_actions.chaincode_actions
    assert action.chaincode_event.event_name == "put"
    assert action.chaincode_event.payload == b""  # filtered: no payloads
