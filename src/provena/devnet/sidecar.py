"""A chaincode served as its own process next to the devnet, as CCaaS runs beside a peer.

`provena devnet` (and `provena up`) deploy Provena's contracts this way: the devnet
defines the chaincode at a loopback address, then starts ``python -m MODULE`` with
``CHAINCODE_ID`` and ``CHAINCODE_SERVER_ADDRESS`` set, exactly as an operator would start
the chaincode container. The devnet's launcher connects (and reconnects) on its own; the
devnet never imports the chaincode's code.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from provena.devnet.network import Devnet

__all__ = ["chaincode_sidecar"]

_log = logging.getLogger(__name__)
_STOP_SECONDS = 10.0


@asynccontextmanager
async def chaincode_sidecar(
    devnet: Devnet, *, name: str, module: str, address: str
) -> AsyncIterator[str]:
    """Define chaincode `name` at `address` and run `python -m module` there; yields the
    package id. The process is stopped (SIGTERM, then SIGKILL) when the block exits."""
    definition, _ = await devnet.define_chaincode(name, address)
    env = os.environ | {
        "CHAINCODE_ID": definition.package_id,
        "CHAINCODE_SERVER_ADDRESS": address,
    }
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", module, env=env)
    _log.info("chaincode %s (%s) started at %s, pid %d", name, module, address, process.pid)
    try:
        yield definition.package_id
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), _STOP_SECONDS)
            except TimeoutError:
                process.kill()
                await process.wait()
        _log.info("chaincode %s stopped (exit %s)", name, process.returncode)
