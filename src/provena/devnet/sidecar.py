"""A chaincode served as its own process next to the devnet, as CCaaS runs beside a peer.

`provena devnet` (and `provena up`) deploy Provena's contracts this way: the devnet
defines the chaincode at a loopback address, then starts ``python -m MODULE`` with
``CHAINCODE_ID`` and ``CHAINCODE_SERVER_ADDRESS`` set, exactly as an operator would start
the chaincode container. The devnet's launcher connects (and reconnects) on its own; the
devnet never imports the chaincode's code. The chaincode runs under `provena.devnet.tether`,
so it ends with the process that started it even when that one is killed outright.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

from provena.devnet.child import tethered
from provena.devnet.config import DevnetConfig, parse_listen
from provena.devnet.errors import DevnetError
from provena.devnet.network import Devnet

__all__ = [
    "CONTRACTS_CHAINCODE",
    "CONTRACTS_MODULE",
    "EmbeddedLedger",
    "chaincode_sidecar",
    "contracts_address",
    "devnet_with_contracts",
    "serve_contracts",
]

#: Provena's business chaincode, served by default next to the devnet (by module name:
#: the devnet runs it as a separate process and never imports it).
CONTRACTS_CHAINCODE = "provena"
CONTRACTS_MODULE = "provena.contracts"

_log = logging.getLogger(__name__)
_CONNECT_SECONDS = 30.0


@asynccontextmanager
async def chaincode_sidecar(
    devnet: Devnet, *, name: str, module: str, address: str
) -> AsyncIterator[str]:
    """Define chaincode `name` at `address` and run `python -m module` there; yields the
    package id. The process is stopped (SIGTERM, then SIGKILL) when the block exits, and
    stops itself if this process dies first (its stdin, a pipe from here, closes)."""
    definition, _ = await devnet.define_chaincode(name, address)
    env = os.environ | {
        "CHAINCODE_ID": definition.package_id,
        "CHAINCODE_SERVER_ADDRESS": address,
    }
    try:
        async with tethered(module, env=env) as process:
            _log.info("chaincode %s (%s) started at %s, pid %d", name, module, address, process.pid)
            await _until_connected(devnet, name, address, process)
            yield definition.package_id
    finally:
        _log.info("chaincode %s stopped", name)


async def _until_connected(
    devnet: Devnet, name: str, address: str, process: asyncio.subprocess.Process
) -> None:
    """Wait until every peer is connected to the new chaincode, so the first transaction
    after start is not refused. A chaincode that stops is an error; one slow to answer is
    logged, and the peers keep dialling it."""
    deadline = asyncio.get_running_loop().time() + _CONNECT_SECONDS
    while not devnet.chaincode_ready(name):
        if process.returncode is not None:
            raise DevnetError(
                f"chaincode {name} stopped while starting (exit {process.returncode}); "
                f"is {address} free?"
            )
        if asyncio.get_running_loop().time() > deadline:
            _log.warning("chaincode %s is not connected yet", name)
            return
        await asyncio.sleep(0.05)


def contracts_address(devnet: Devnet, requested: str | None, *, any_port: bool) -> str | None:
    """Where to serve Provena's contracts: `requested` ("off" for nowhere), else the devnet's
    port + 1, or any free port when the devnet itself took any free port."""
    if requested == "off":
        return None
    if requested:
        host, port = parse_listen(requested)
        return f"{host}:{port}"
    running = devnet.config
    if any_port:
        with socket.socket() as probe:
            probe.bind((running.host, 0))
            return f"{running.host}:{probe.getsockname()[1]}"
    return f"{running.host}:{running.port + 1}"


def serve_contracts(devnet: Devnet, address: str) -> AbstractAsyncContextManager[str]:
    """Provena's contracts as chaincode `provena` at `address`, beside `devnet`."""
    return chaincode_sidecar(
        devnet, name=CONTRACTS_CHAINCODE, module=CONTRACTS_MODULE, address=address
    )


@dataclass(frozen=True, slots=True)
class EmbeddedLedger:
    """A running devnet, and where Provena's contracts serve beside it (if they do)."""

    devnet: Devnet
    contracts_address: str | None
    package_id: str | None


@asynccontextmanager
async def devnet_with_contracts(
    config: DevnetConfig, contracts: str | None = None
) -> AsyncIterator[EmbeddedLedger]:
    """Start the devnet of `config` with Provena's contracts beside it (`contracts` as in
    `contracts_address`); both stop when the block exits."""
    devnet = await Devnet.start(config)
    try:
        address = contracts_address(devnet, contracts, any_port=config.port == 0)
        if address is None:
            yield EmbeddedLedger(devnet, None, None)
        else:
            async with serve_contracts(devnet, address) as package_id:
                yield EmbeddedLedger(devnet, address, package_id)
    finally:
        await devnet.aclose()
