"""The blocking facade against a real devnet.

Each scenario is a plain function, as a script would be; it runs in a worker thread so that
the test's event loop, which serves the devnet, keeps running meanwhile.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TypeVar

import pytest

from provena.fabric import (
    EndorseError,
    FabricError,
    GatewayError,
    InMemoryCheckpointer,
    load_msp_folder,
    sync,
)
from tests.compat.contract import Store
from tests.support.ledger import Ledger, running_ledger

CHAINCODE = "store"
USER = ("ProducerMSP", "tomas.herrera")
T = TypeVar("T")


@pytest.fixture(scope="module")
async def ledger(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Ledger]:
    data_dir = tmp_path_factory.mktemp("sync")
    async with running_ledger(data_dir, CHAINCODE, [Store()], ready_as=USER) as ledger:
        yield ledger


def open_gateway(ledger: Ledger, msp_dir: Path | None = None) -> sync.Gateway:
    identity, signer = load_msp_folder(USER[0], msp_dir or ledger.devnet.pki.user_msp_dir(*USER))
    return sync.connect(ledger.devnet.endpoint, identity=identity, signer=signer, tls=ledger.tls)


async def in_thread(script: Callable[[], T]) -> T:
    return await asyncio.to_thread(script)


def sync_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "provena-fabric-sync"]


async def test_evaluate_submit_and_status(ledger: Ledger) -> None:
    key = uuid.uuid4().hex

    def script() -> tuple[bytes, bytes, str, int, int, bool]:
        with open_gateway(ledger) as gateway:
            contract = gateway.get_network(ledger.channel).get_contract(CHAINCODE)
            previous = contract.submit_transaction("Put", key, "one")
            submitted = contract.submit_async("Put", args=[key, "two"])
            status = submitted.get_status()
            value = contract.evaluate_transaction("Get", key)
            return (
                previous,
                value,
                submitted.transaction_id,
                status.block_number,
                status.code,
                status.successful,
            )

    previous, value, tx_id, block_number, code, successful = await in_thread(script)

    assert (previous, value) == (b"", b"two")
    location = ledger.devnet.store.tx_location(tx_id)
    assert location is not None
    assert (block_number, code, successful) == (location.block_number, 0, True)


async def test_errors_are_the_async_clients(ledger: Ledger) -> None:
    def script() -> tuple[FabricError, FabricError]:
        with open_gateway(ledger) as gateway:
            contract = gateway.get_network(ledger.channel).get_contract(CHAINCODE)
            with pytest.raises(GatewayError) as evaluated:
                contract.evaluate_transaction("Get", "missing")
            with pytest.raises(EndorseError) as endorsed:
                contract.submit_transaction("Fail", "no stock")
            return evaluated.value, endorsed.value

    evaluated, endorsed = await in_thread(script)

    assert "no key missing" in str(evaluated)
    assert isinstance(endorsed, EndorseError)
    assert [d.message for d in endorsed.details] == ["chaincode response 500, no stock"]


async def test_chaincode_events_from_a_start_block_and_a_checkpoint(ledger: Ledger) -> None:
    keys = [uuid.uuid4().hex for _ in range(3)]

    def script() -> tuple[list[bytes], list[bytes]]:
        with open_gateway(ledger) as gateway:
            network = gateway.get_network(ledger.channel)
            contract = network.get_contract(CHAINCODE)
            first = contract.submit_async("Put", args=[keys[0], "v"]).get_status().block_number
            for key in keys[1:]:
                contract.submit_transaction("Put", key, "v")
            checkpointer = InMemoryCheckpointer()
            with network.chaincode_events(CHAINCODE, start_block=first) as events:
                event = next(events)
                asyncio.run(checkpointer.checkpoint_chaincode_event(event))
                head = [event.payload]
            with network.chaincode_events(CHAINCODE, checkpoint=checkpointer) as events:
                rest = [next(events).payload for _ in keys[1:]]
            return head, rest

    head, rest = await in_thread(script)

    assert head + rest == [f"{key}=v".encode() for key in keys]


async def test_block_and_filtered_block_events(ledger: Ledger) -> None:
    def script() -> tuple[str, int, list[int], list[str]]:
        with open_gateway(ledger) as gateway:
            network = gateway.get_network(ledger.channel)
            submitted = network.get_contract(CHAINCODE).submit_async(
                "Put", args=[uuid.uuid4().hex, "v"]
            )
            number = submitted.get_status().block_number
            with network.block_events(start_block=0) as blocks:
                numbers = [next(blocks).header.number for _ in range(number + 1)]
            with network.filtered_block_events(start_block=number) as filtered:
                block = next(filtered)
            tx_ids = [tx.txid for tx in block.filtered_transactions]
            return submitted.transaction_id, number, numbers, tx_ids

    tx_id, number, numbers, tx_ids = await in_thread(script)

    assert numbers == list(range(number + 1))
    assert tx_id in tx_ids


async def test_close_stops_the_thread_and_refuses_further_calls(ledger: Ledger) -> None:
    def script() -> None:
        gateway = open_gateway(ledger)
        contract = gateway.get_network(ledger.channel).get_contract(CHAINCODE)
        assert sync_threads()
        gateway.close()
        gateway.close()
        with pytest.raises(FabricError, match="closed"):
            contract.evaluate_transaction("Get", "k")

    before = len(sync_threads())
    await in_thread(script)

    assert len(sync_threads()) == before


async def test_an_open_event_stream_is_cancelled_on_close(ledger: Ledger) -> None:
    def script() -> None:
        gateway = open_gateway(ledger)
        network = gateway.get_network(ledger.channel)
        network.chaincode_events(CHAINCODE)  # never read nor closed
        gateway.close()

    before = len(sync_threads())
    await in_thread(script)

    assert len(sync_threads()) == before
