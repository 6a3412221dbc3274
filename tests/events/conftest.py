"""Fixtures for `provena.events`: migrated databases on both backends, and the contracts
on a real devnet (the `world` of tests/contracts) to read chaincode events from."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from provena.db import Database, FeedEvent, upgrade
from tests.contracts.conftest import World, world
from tests.support.databases import database_url

__all__ = ["World", "database", "eventually", "feed_count", "world"]

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend, dropped afterwards."""
    with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    """A migrated database (no seed: the feed and projections need none)."""
    await upgrade(db_url)
    async with Database.from_url(db_url) as database:
        yield database


async def eventually(check: Callable[[], Awaitable[bool]], *, seconds: float = 20.0) -> None:
    """Wait until `check()` is true; fail after `seconds`."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"not true within {seconds} s: {check.__qualname__}")
        await asyncio.sleep(0.05)


async def feed_count(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(FeedEvent)) or 0)
