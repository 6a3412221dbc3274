"""A child process that ends with this one: `python -m provena.devnet.tether MODULE ARGS`.

The child keeps the read end of a pipe from here as its stdin; when this process ends, even
by SIGKILL, the pipe closes and the child stops itself (see `provena.devnet.tether`).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

__all__ = ["TETHER_MODULE", "tethered"]

#: Runs a module and ends it when its stdin (a pipe from the starter) closes.
TETHER_MODULE = "provena.devnet.tether"

_STOP_SECONDS = 10.0


@asynccontextmanager
async def tethered(
    module: str, *args: str, env: Mapping[str, str] | None = None
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m module args` as a tethered child; stopped (SIGTERM, then SIGKILL after
    10 s) when the block exits."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", TETHER_MODULE, module, *args, env=env, stdin=asyncio.subprocess.PIPE
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), _STOP_SECONDS)
            except TimeoutError:
                process.kill()
                await process.wait()
