"""The fixed-size chunker: any async byte stream in, chunks of exactly `size` bytes out.

The last chunk may be shorter; an empty stream gives one empty chunk (an empty file is
still a file with a CID). Pieces that already hold whole chunks are sliced, not copied,
because hashing is the importer's real cost and every extra copy shows in throughput.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator

__all__ = ["Chunk", "fixed_size_chunks"]

Chunk = bytes | memoryview


async def fixed_size_chunks(source: AsyncIterable[bytes], size: int) -> AsyncIterator[Chunk]:
    """Split `source` into chunks of `size` bytes."""
    pending = bytearray()
    emitted = False
    async for piece in source:
        view = memoryview(piece)
        if pending:
            take = size - len(pending)
            pending += view[:take]
            view = view[take:]
            if len(pending) < size:
                continue
            yield bytes(pending)
            emitted = True
            pending.clear()
        whole = len(view) - len(view) % size
        for offset in range(0, whole, size):
            yield view[offset : offset + size]
            emitted = True
        pending += view[whole:]
    if pending or not emitted:
        yield bytes(pending)
