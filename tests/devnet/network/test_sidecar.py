"""The contracts process beside `provena devnet` ends with it, even when it is SIGKILLed."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

from provena.devnet.config import DevnetConfig
from provena.devnet.sidecar import devnet_with_contracts
from tests.devnet.network.support import DevnetProcess
from tests.support.ledger import Ledger
from tests.support.procfs import alive, children, cmdline


async def test_contracts_process_ends_when_the_devnet_is_killed(tmp_path: Path) -> None:
    devnet = await DevnetProcess(tmp_path, ("--listen", "127.0.0.1:0")).start()
    assert devnet.process is not None
    (chaincode,) = children(devnet.process.pid)
    try:
        assert "provena.contracts" in cmdline(chaincode)
        devnet.process.kill()
        await asyncio.to_thread(devnet.process.wait, 30)
        assert devnet.process.stdout is not None
        devnet.process.stdout.close()  # the chaincode may hold it too: no reading to its end
        for _ in range(100):
            if not alive(chaincode):
                break
            await asyncio.sleep(0.1)
        assert not alive(chaincode), "the contracts process outlived its devnet"
    finally:
        if alive(chaincode):
            os.kill(chaincode, signal.SIGKILL)


async def test_the_contracts_answer_as_soon_as_the_embedded_ledger_is_handed_over(
    tmp_path: Path,
) -> None:
    """`devnet_with_contracts` yields once every peer is connected to the contracts, so the
    very first transaction is endorsed (it used to be refused for a second after start)."""
    config = DevnetConfig(data_dir=tmp_path / "devnet", port=0)
    async with devnet_with_contracts(config) as embedded:
        assert embedded.devnet.chaincode_ready("provena")
        ledger = Ledger(embedded.devnet, "provena")
        async with ledger.connect("CertifierMSP", "ines.moreau") as gateway:
            registry = gateway.get_network(ledger.channel).get_contract("provena", "Registry")
            await registry.submit_transaction("Bootstrap", json.dumps(["CertifierMSP"]))
