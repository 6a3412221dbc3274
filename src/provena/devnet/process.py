"""The devnet with Provena's contracts as its own process, the way `provena up` runs it.

A Fabric peer runs beside the API, not inside it, and so does the embedded ledger: the
child is `provena devnet` (tethered, so it ends with this process however this one ends),
and the ledger's work no longer waits for the API's, and the other way round, on one
Python interpreter's lock. The child is ready when its admin socket lists the contracts
as connected on every peer; its running configuration (ports it picked included) is then
read from the data directory, where it records it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from provena.devnet.admin import NotRunning, call
from provena.devnet.child import tethered
from provena.devnet.config import DevnetConfig
from provena.devnet.errors import AdminError, DevnetError
from provena.devnet.sidecar import CONTRACTS_CHAINCODE

__all__ = ["devnet_process"]

_START_SECONDS = 120.0
_POLL_SECONDS = 0.05


@asynccontextmanager
async def devnet_process(data_dir: Path, listen: str) -> AsyncIterator[DevnetConfig]:
    """`provena devnet --data-dir DATA_DIR --listen LISTEN` as a child process; yields its
    running configuration once the contracts answer. Raises DevnetError if it stops or is
    not ready within two minutes (its own output says why)."""
    command = ("provena", "devnet", "--data-dir", str(data_dir), "--listen", listen)
    async with tethered(*command) as process:
        await _until_ready(data_dir / "admin.sock", process)
        yield DevnetConfig.load(data_dir)


async def _until_ready(admin_socket: Path, process: asyncio.subprocess.Process) -> None:
    deadline = asyncio.get_running_loop().time() + _START_SECONDS
    while True:
        if process.returncode is not None:
            raise DevnetError(
                f"the embedded ledger stopped while starting (exit {process.returncode})"
            )
        if await asyncio.to_thread(_contracts_ready, admin_socket):
            return
        if asyncio.get_running_loop().time() > deadline:
            raise DevnetError(f"the embedded ledger was not ready within {_START_SECONDS:g} s")
        await asyncio.sleep(_POLL_SECONDS)


def _contracts_ready(admin_socket: Path) -> bool:
    try:
        chaincodes = call(admin_socket, {"op": "list"}, timeout=5.0)["chaincodes"]
    except (NotRunning, AdminError, OSError):
        return False
    return any(c["name"] == CONTRACTS_CHAINCODE and c.get("ready") for c in chaincodes)
