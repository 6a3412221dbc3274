"""Fixtures for the IPFS tests: blockstores on disk and in memory, and the gateway over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from provena.api.problems import install_problem_handlers
from provena.ipfs import CID, Blockstore, FilesystemBlockstore, MemoryBlockstore, gateway_router
from provena.ipfs.cid import block_key
from tests.support.server import serve


@pytest.fixture
def fs_store(tmp_path: Path) -> FilesystemBlockstore:
    return FilesystemBlockstore(tmp_path / "ipfs")


@pytest.fixture
def mem_store() -> MemoryBlockstore:
    return MemoryBlockstore()


@pytest.fixture
def block_file(tmp_path: Path) -> Callable[[CID], Path]:
    """Where `fs_store` keeps a block, to damage it as a failing disk would."""

    def find(cid: CID) -> Path:
        (path,) = (tmp_path / "ipfs").glob(f"blocks/*/{block_key(cid)}.data")
        return path

    return find


@asynccontextmanager
async def _gateway_client(blockstore: Blockstore) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the gateway over `blockstore`, served by uvicorn on a loopback port.

    A real server rather than an in-process transport, so HEAD, message framing and
    aborted bodies reach the client as they would reach a browser.
    """
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(gateway_router(blockstore))
    with serve(app) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            yield http


@pytest.fixture
async def client(mem_store: MemoryBlockstore) -> AsyncIterator[httpx.AsyncClient]:
    async with _gateway_client(mem_store) as http:
        yield http


@pytest.fixture
async def fs_client(fs_store: FilesystemBlockstore) -> AsyncIterator[httpx.AsyncClient]:
    async with _gateway_client(fs_store) as http:
        yield http
