"""The launcher runs a Node chaincode (fabric-contract-api and fabric-shim 2.5) unchanged.

The chaincode lives in tests/chaincode/node; its npm dependencies are installed here with
`npm ci` when node_modules is missing, so `make test` needs nothing beforehand.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from provena.chaincode import create_composite_key
from provena.devnet.chaincode import ChaincodeDefinition, Launcher, package_id_for
from tests.chaincode.conftest import FAST
from tests.chaincode.support import Ledger, Peer

NODE_DIR = Path(__file__).parent / "node"
NAME = "nodecc"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def _install() -> None:
    if (NODE_DIR / "node_modules" / "fabric-shim").is_dir():
        return
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"],
        cwd=NODE_DIR,
        check=True,
        capture_output=True,
        timeout=600,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
async def node_peer(peer: Peer) -> AsyncIterator[Peer]:
    await asyncio.to_thread(_install)
    address = f"127.0.0.1:{_free_port()}"
    package_id = package_id_for(NAME, address)
    process = await asyncio.create_subprocess_exec(
        str(NODE_DIR / "node_modules" / ".bin" / "fabric-chaincode-node"),
        "server",
        "--chaincode-address",
        address,
        "--chaincode-id",
        package_id,
        cwd=NODE_DIR,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    launcher = Launcher(FAST)
    try:
        definition = ChaincodeDefinition(
            name=NAME, version="1", sequence=1, package_id=package_id, address=address
        )
        await launcher.deploy(definition)
        await launcher.wait_ready(NAME, 60.0)
        yield Peer(launcher, peer.creator)
    finally:
        await launcher.close()
        process.terminate()
        await process.wait()


async def test_put_get_and_event(node_peer: Peer, ledger: Ledger) -> None:
    simulator = ledger.simulator()
    put = await node_peer.run(NAME, "Kv:Put", "colour", "green", simulator=simulator, tx_id="n1")
    assert (put.response.status, put.response.payload) == (200, b"green")
    assert put.event is not None
    assert (put.event.event_name, put.event.chaincode_id, put.event.tx_id) == ("Put", NAME, "n1")
    assert json.loads(put.event.payload) == {"key": "colour", "value": "green"}
    writes = simulator.rwset().ns_rwset
    assert [ns.namespace for ns in writes] == [NAME]
    ledger.commit(NAME, {"colour": b"green"})
    got = await node_peer.run(NAME, "Get", "colour", simulator=ledger.simulator())
    assert got.response.payload == b"green"


async def test_range_composite_key_and_identity(node_peer: Peer, ledger: Ledger) -> None:
    ledger.commit(NAME, {f"k{i:03d}": b"v" for i in range(150)})
    keys = await node_peer.run(NAME, "Kv:Keys", "k000", "k200", simulator=ledger.simulator())
    assert json.loads(keys.response.payload) == [f"k{i:03d}" for i in range(150)]
    owner = await node_peer.run(NAME, "Kv:Owner", "asset", "a1", simulator=ledger.simulator())
    assert owner.response.payload.decode() == create_composite_key("asset", ["a1"])
    who = await node_peer.run(NAME, "Kv:Whoami", simulator=ledger.simulator(), tx_id="n2")
    assert json.loads(who.response.payload) == {
        "mspid": "ProducerMSP",
        "role": "producer",
        "txid": "n2",
        "timestamp": "2026-05-01T12:00:00.000Z",
    }


async def test_errors_and_concurrency(node_peer: Peer, ledger: Ledger) -> None:
    failed = await node_peer.run(NAME, "Kv:Fail", "out of stock", simulator=ledger.simulator())
    assert (failed.response.status, failed.response.message) == (500, "out of stock")
    results = await asyncio.gather(
        *(
            node_peer.run(NAME, "Kv:Put", f"c{i}", str(i), simulator=ledger.simulator())
            for i in range(50)
        )
    )
    assert [r.response.payload for r in results] == [str(i).encode() for i in range(50)]
