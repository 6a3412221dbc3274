"""A block that fails mid-file aborts the response, and the log names the block and request."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from provena.ipfs import CID, FilesystemBlockstore, add_bytes, walk
from provena.ipfs.cid import RAW
from tests.ipfs.samples import PDF, SMALL

CORRUPT_LEAF = 10  # of the file's 21 leaves: bytes 10_000..10_999


@pytest.fixture
async def rotten(
    fs_store: FilesystemBlockstore, block_file: Callable[[CID], Path]
) -> tuple[CID, CID]:
    """A file on disk whose eleventh leaf has rotted: (the file, the rotten leaf)."""
    cid = (await add_bytes(PDF, profile=SMALL, blockstore=fs_store)).cid
    leaves = [block async for block, _ in walk(fs_store, cid) if block.codec.code == RAW]
    assert len(leaves) == 21
    block_file(leaves[CORRUPT_LEAF]).write_bytes(b"rotten bytes")
    return cid, leaves[CORRUPT_LEAF]


async def read_until_cut(response: httpx.Response) -> bytes:
    """The bytes that arrived before the body broke off; fails if it ends cleanly."""
    received = bytearray()

    async def drain() -> None:
        async for piece in response.aiter_raw():
            received.extend(piece)

    with pytest.raises(httpx.RemoteProtocolError):
        await drain()
    return bytes(received)


def abort_logged(caplog: pytest.LogCaptureFixture, request: str, block: CID) -> bool:
    return any(
        record.name == "provena.ipfs.gateway"
        and record.levelno == logging.ERROR
        and request in record.getMessage()
        and str(block) in record.getMessage()
        for record in caplog.records
    )


async def test_a_file_stops_short_of_its_content_length(
    fs_client: httpx.AsyncClient, rotten: tuple[CID, CID], caplog: pytest.LogCaptureFixture
) -> None:
    cid, leaf = rotten
    async with fs_client.stream("GET", f"/ipfs/{cid}") as response:
        assert response.status_code == 200
        assert response.headers["content-length"] == str(len(PDF))
        received = await read_until_cut(response)
    assert received == PDF[: CORRUPT_LEAF * 1000]  # every verified byte, and nothing after
    assert abort_logged(caplog, f"GET /ipfs/{cid} after {len(received)} bytes", leaf)


async def test_a_car_ends_without_its_last_chunk(
    fs_client: httpx.AsyncClient, rotten: tuple[CID, CID], caplog: pytest.LogCaptureFixture
) -> None:
    cid, leaf = rotten
    async with fs_client.stream("GET", f"/ipfs/{cid}?format=car") as response:
        assert response.status_code == 200
        assert response.headers["transfer-encoding"] == "chunked"
        received = await read_until_cut(response)
    assert b"rotten bytes" not in received
    assert abort_logged(caplog, f"GET /ipfs/{cid}", leaf)


async def test_a_range_before_the_rotten_block_is_still_served(
    fs_client: httpx.AsyncClient, rotten: tuple[CID, CID]
) -> None:
    cid, _ = rotten
    response = await fs_client.get(f"/ipfs/{cid}", headers={"Range": "bytes=0-9999"})
    assert response.status_code == 206
    assert response.content == PDF[:10_000]
