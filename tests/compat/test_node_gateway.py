"""The official Node client, `@hyperledger/fabric-gateway` unchanged, against the devnet over TLS.

Each Node run is checked against the ledger itself (the devnet's store) and the Python client,
so a result is right, not merely accepted.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from fabric_protos.common import common_pb2
from fabric_protos.peer import transaction_pb2

from provena.devnet.gateway.blockevents import transactions
from provena.devnet.ledger.blocks import block_header_hash
from tests.compat.conftest import CHAINCODE, Compat
from tests.compat.node import run_node

VALID = transaction_pb2.TxValidationCode.Value("VALID")
MVCC_READ_CONFLICT = transaction_pb2.TxValidationCode.Value("MVCC_READ_CONFLICT")
UNKNOWN = 2  # gRPC status codes
ABORTED = 10
Event = tuple[int, str, str]
"""A chaincode event as (block number, transaction id, payload)."""


async def client(compat: Compat, *args: str) -> tuple[int, list[Any]]:
    return await run_node("client.mjs", str(compat.profile), *args)


def key() -> str:
    return f"k-{uuid.uuid4().hex[:12]}"


async def test_evaluate_reads_what_python_submitted(compat: Compat) -> None:
    k = key()
    await compat.contract.submit_transaction("Put", k, "from python")

    code, lines = await client(compat, "evaluate", CHAINCODE, "Get", k)

    assert code == 0
    assert lines == [{"result": "from python"}]


async def test_submit_commits_with_block_number_and_validation_code(compat: Compat) -> None:
    k = key()

    code, [line] = await client(compat, "submit", CHAINCODE, "Put", k, "from node")

    assert code == 0
    assert line["successful"] is True
    assert line["code"] == VALID
    location = compat.ledger.devnet.store.tx_location(line["transaction_id"])
    assert location is not None
    assert (location.block_number, location.validation_code) == (line["block_number"], VALID)
    assert await compat.contract.evaluate_transaction("Get", k) == b"from node"


async def test_evaluate_error_carries_the_chaincode_message(compat: Compat) -> None:
    code, [line] = await client(compat, "evaluate", CHAINCODE, "Get", "missing")

    assert code == 1
    assert line["error"]["class"] == "GatewayError"
    assert line["error"]["code"] == UNKNOWN
    assert "no key missing" in line["error"]["message"]


async def test_endorse_error_carries_each_endorser_detail(compat: Compat) -> None:
    code, [line] = await client(compat, "submit", CHAINCODE, "Fail", "out of stock")

    assert code == 1
    error = line["error"]
    assert error["class"] == "EndorseError"
    assert error["code"] == ABORTED
    assert len(error["transaction_id"]) == 64
    [detail] = error["details"]
    assert detail["msp_id"] == "ProducerMSP"
    assert detail["address"] == compat.ledger.devnet.endpoint
    assert "out of stock" in detail["message"]


async def test_conflicting_transactions_one_valid_one_mvcc_conflict(compat: Compat) -> None:
    k = key()
    await compat.contract.submit_transaction("Put", k, "base")

    code, lines = await client(compat, "conflict", CHAINCODE, "Put", k, "again")

    assert code == 0
    assert [line["code"] for line in lines] == [VALID, MVCC_READ_CONFLICT]
    assert [line["successful"] for line in lines] == [True, False]


async def _put_many(compat: Compat, count: int) -> list[Event]:
    """Submit `count` puts at once (so some share a block); (block, tx id, payload) each."""
    keys = [key() for _ in range(count)]
    submitted = await asyncio.gather(
        *(compat.contract.submit_async("Put", args=[k, "v"]) for k in keys)
    )
    statuses = await asyncio.gather(*(s.get_status() for s in submitted))
    return sorted(
        (
            (status.block_number, status.transaction_id, f"{k}=v")
            for k, status in zip(keys, statuses, strict=True)
        ),
        key=lambda e: (e[0], _position(compat, e[1])),
    )


def _position(compat: Compat, tx_id: str) -> int:
    location = compat.ledger.devnet.store.tx_location(tx_id)
    assert location is not None
    return location.tx_num


def _events(lines: list[Any]) -> list[Event]:
    return [(e["block_number"], e["transaction_id"], e["payload"]) for e in lines]


async def test_chaincode_events_from_a_start_block(compat: Compat) -> None:
    expected = await _put_many(compat, 5)

    code, lines = await client(
        compat, "chaincode-events", CHAINCODE, str(expected[0][0]), str(len(expected))
    )

    assert code == 0
    assert {(e["chaincode_name"], e["event_name"]) for e in lines} == {(CHAINCODE, "Put")}
    assert _events(lines) == expected


async def _put_sharing_a_block(compat: Compat, count: int) -> tuple[list[Event], int]:
    """`count` puts of which two neighbours share a block, and the index of the second."""
    for _ in range(5):
        expected = await _put_many(compat, count)
        for index in range(1, count):
            if expected[index - 1][0] == expected[index][0]:
                return expected, index
    raise AssertionError(f"no two of {count} transactions submitted together shared a block")


async def test_chaincode_events_resume_from_a_checkpoint(compat: Compat) -> None:
    """The checkpoint falls inside a block: the resumed stream starts in that block, after the
    checkpointed transaction, and skips nothing."""
    expected, resume_after = await _put_sharing_a_block(compat, 6)

    code, lines = await client(
        compat,
        "chaincode-events",
        CHAINCODE,
        str(expected[0][0]),
        str(len(expected)),
        str(resume_after),
    )

    assert code == 0
    [checkpoint] = [line["checkpoint"] for line in lines if "checkpoint" in line]
    events = [line for line in lines if "checkpoint" not in line]
    assert [e["stream"] for e in events] == [1] * resume_after + [2] * (6 - resume_after)
    assert _events(events) == expected
    block_number, tx_id = checkpoint["block_number"], checkpoint["transaction_id"]
    assert (block_number, tx_id) == expected[resume_after - 1][:2]
    block = compat.ledger.devnet.store.block(block_number)
    assert block is not None
    assert tx_id in _tx_ids(block)
    resumed = events[resume_after]
    assert resumed["block_number"] == block_number  # inside the checkpointed block
    assert _position(compat, resumed["transaction_id"]) > _position(compat, tx_id)


def _tx_ids(block: common_pb2.Block) -> list[str]:
    return [tx.channel_header.tx_id for tx in transactions(block)]


async def test_chaincode_events_follow_new_commits(compat: Compat) -> None:
    start = compat.ledger.devnet.store.height
    listening = asyncio.ensure_future(
        client(compat, "chaincode-events", CHAINCODE, str(start), "3")
    )
    await asyncio.sleep(0.3)  # usually listening by now; the start block covers it if not
    expected = [await _put_many(compat, 1) for _ in range(3)]

    code, lines = await listening

    assert code == 0
    assert _events(lines) == [e for [e] in expected]


async def test_block_events_are_the_ledger_blocks(compat: Compat) -> None:
    await _put_many(compat, 3)
    store = compat.ledger.devnet.store
    height = store.height

    code, lines = await client(compat, "block-events", "0", str(height))

    assert code == 0
    assert [line["number"] for line in lines] == list(range(height))
    for line in lines:
        block = store.block(line["number"])
        assert block is not None
        assert line["previous_hash"] == block.header.previous_hash.hex()
        assert line["data_hash"] == block.header.data_hash.hex()
        assert line["transactions"] == len(block.data.data)
        assert bytes(line["filter"]) == block.metadata.metadata[2]
        if line["number"] > 0:
            previous = store.block(line["number"] - 1)
            assert previous is not None
            assert line["previous_hash"] == block_header_hash(previous.header).hex()


async def test_filtered_block_events_carry_tx_ids_and_codes(compat: Compat) -> None:
    k = key()
    await compat.contract.submit_transaction("Put", k, "base")
    _, [valid, conflicted] = await client(compat, "conflict", CHAINCODE, "Put", k, "again")
    first = min(valid["block_number"], conflicted["block_number"])
    last = max(valid["block_number"], conflicted["block_number"])

    code, lines = await client(compat, "filtered-block-events", str(first), str(last - first + 1))

    assert code == 0
    assert {line["channel"] for line in lines} == {compat.ledger.channel}
    codes = {tx["transaction_id"]: tx["code"] for line in lines for tx in line["transactions"]}
    assert codes[valid["transaction_id"]] == VALID
    assert codes[conflicted["transaction_id"]] == MVCC_READ_CONFLICT
