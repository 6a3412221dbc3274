"""The importer: bytes in, a UnixFS DAG and its root CID out, exactly as Kubo and Helia build it.

    stream ─► fixed_size_chunks ─► balanced_layout ─► DagBuilder ─► sink (blockstore, or none)

`add_stream` imports one file; `add_files` imports several and, with `wrap`, links them
from one directory, as `ipfs add --wrap-with-directory` does. Blocks go to the sink as
they are made, so memory stays constant whatever the file size.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import anyio

from provena.ipfs.blockstore import Blockstore
from provena.ipfs.builder import DagBuilder, Node, check_name
from provena.ipfs.chunker import fixed_size_chunks
from provena.ipfs.cid import CID, parse_cid
from provena.ipfs.layout import Progress, balanced_layout
from provena.ipfs.profile import DEFAULT_PROFILE, Profile

__all__ = ["ImportResult", "add_bytes", "add_files", "add_stream", "read_file"]

_READ_SIZE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A root CID, the file bytes under it, and the profile that made it."""

    cid: CID
    size: int
    profile: Profile
    name: str | None = None


def _builder(profile: Profile, blockstore: Blockstore | None) -> DagBuilder:
    if blockstore is None:
        return DagBuilder(profile, None)
    store = blockstore

    async def sink(cid: bytes, data: bytes) -> None:
        await store.put(parse_cid(cid), data)

    return DagBuilder(profile, sink)


async def add_stream(
    source: AsyncIterable[bytes],
    *,
    profile: Profile = DEFAULT_PROFILE,
    blockstore: Blockstore | None = None,
    on_progress: Progress = None,
) -> ImportResult:
    """Import one file from an async byte stream; with no blockstore, only compute the CID."""
    node = await _file(source, _builder(profile, blockstore), on_progress)
    return ImportResult(parse_cid(node.cid), node.filesize, profile)


async def add_bytes(
    data: bytes, *, profile: Profile = DEFAULT_PROFILE, blockstore: Blockstore | None = None
) -> ImportResult:
    """Import `data` held in memory."""

    async def once() -> AsyncIterator[bytes]:
        yield data

    return await add_stream(once(), profile=profile, blockstore=blockstore)


async def add_files(
    paths: Sequence[Path],
    *,
    profile: Profile = DEFAULT_PROFILE,
    blockstore: Blockstore | None = None,
    wrap: bool = False,
    on_progress: Progress = None,
) -> list[ImportResult]:
    """Import files one by one; with `wrap`, the last result is the directory holding them."""
    builder = _builder(profile, blockstore)
    results: list[ImportResult] = []
    entries: dict[str, Node] = {}
    for path in paths:
        name = check_name(path.name)
        node = await _file(read_file(path), builder, on_progress)
        entries[name] = node
        results.append(ImportResult(parse_cid(node.cid), node.filesize, profile, name))
    if wrap:
        directory = await builder.directory(entries)
        size = sum(e.filesize for e in entries.values())
        results.append(ImportResult(parse_cid(directory.cid), size, profile))
    return results


async def read_file(path: Path, *, piece_size: int = _READ_SIZE) -> AsyncIterator[bytes]:
    """Stream a local file in pieces of `piece_size` bytes."""
    async with await anyio.open_file(path, "rb") as handle:
        while piece := await handle.read(piece_size):
            yield piece


async def _file(source: AsyncIterable[bytes], builder: DagBuilder, on_progress: Progress) -> Node:
    chunks = fixed_size_chunks(source, builder.profile.chunk_size)
    return await balanced_layout(chunks, builder, on_chunk=on_progress)
