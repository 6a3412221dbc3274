"""Upload bodies that must keep arriving: an idle and a total time limit.

A client that trickles its body (a byte now and then, slowloris style) would otherwise keep
an upload, its spool file and its worker for as long as it likes. `paced` passes the body
through and raises `UploadTimedOut` once no piece has come for `idle` seconds, or the body
has not ended `total` seconds after it began; the upload then stops, its spool is removed,
and the API answers 408 and closes the connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator

from provena.documents.errors import UploadTimedOut

__all__ = ["paced"]


async def paced(source: AsyncIterable[bytes], *, idle: float, total: float) -> AsyncIterator[bytes]:
    """`source`'s pieces, as long as each comes within `idle` seconds and all within `total`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + total
    pieces = aiter(source)
    while True:
        left = deadline - loop.time()
        wait = min(idle, left)
        try:
            if wait <= 0:
                raise TimeoutError
            async with asyncio.timeout(wait):
                piece = await anext(pieces)
        except StopAsyncIteration:
            return
        except TimeoutError:
            if wait < idle:
                raise UploadTimedOut(
                    f"the upload did not arrive within {total:g} seconds"
                ) from None
            raise UploadTimedOut(f"the upload sent nothing for {idle:g} seconds") from None
        yield piece
