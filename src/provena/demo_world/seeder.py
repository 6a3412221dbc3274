"""Seeding the demo world once, in the background of a starting `provena up`.

The seed waits for the server to accept connections, then tells the story over loopback
HTTP, so every record goes through the routes, the wallet, the ledger and the event
listener exactly as a person's would; the API answers `/healthz` all along. It reports
progress in the `seed` readiness check and in the log.

Once, and never twice: `demo-world.json` in the data directory records the epoch of the
story when the seed starts, and that it finished. A start after a crash midway tells the
story again from the same epoch: each write carries the same Idempotency-Key and the same
arguments, so the API answers the ones already made with their first transaction and makes
only the missing ones. A ledger whose registry someone else bootstrapped is left alone.

    absent ──start──► seeding (epoch) ──every write committed and projected──► seeded
                          │  crash: the next start resumes from the same epoch
                          └─ registry bootstrapped by someone else ──► skipped
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import exists, func, select

from provena.api.ledger import LedgerServices
from provena.api.state import AppState
from provena.db import Database, FeedEvent, LedgerTransaction, LedgerTxStatus
from provena.demo_world.client import KEY_PREFIX, LedgerNotEmpty, SeedError, WorldClient
from provena.demo_world.story import chapters
from provena.fabric import FabricError

__all__ = ["MARKER", "SeedProgress", "seed_in_background"]

log = logging.getLogger(__name__)

MARKER = "demo-world.json"
_PROJECTED_WITHIN_SECONDS = 30.0
_CONTRACTS_WITHIN_SECONDS = 60.0


class SeedProgress(BaseModel):
    """What `demo-world.json` holds."""

    state: Literal["seeding", "seeded", "skipped"]
    epoch: datetime
    detail: str | None = None


def _read(path: Path) -> SeedProgress | None:
    if not path.exists():
        return None
    return SeedProgress.model_validate_json(path.read_text())


def _write(path: Path, progress: SeedProgress) -> None:
    """Replace the marker atomically, so a crash leaves the old one or the new one."""
    partial = path.with_suffix(".partial")
    partial.write_text(progress.model_dump_json(indent=2) + "\n")
    os.replace(partial, path)


class _Status:
    """The `seed` readiness check: progress while seeding, a failure if the seed failed."""

    def __init__(self, world: WorldClient | None = None) -> None:
        self.world = world
        self.outcome: str | None = None
        self.error: str | None = None

    async def check(self) -> str | None:
        if self.error is not None:
            raise SeedError(self.error)
        if self.outcome is not None:
            return self.outcome
        writes = self.world.writes if self.world else 0
        return f"seeding: {writes} writes so far"


async def _projected(database: Database) -> None:
    """Wait until the event listener projected every committed write of the seed."""
    missing = (
        select(func.count())
        .select_from(LedgerTransaction)
        .where(
            LedgerTransaction.idempotency_key.startswith(KEY_PREFIX),
            LedgerTransaction.status == LedgerTxStatus.COMMITTED,
            ~exists().where(
                FeedEvent.tx_id == LedgerTransaction.tx_id,
                ~FeedEvent.kind.startswith("transaction."),
            ),
        )
    )
    try:
        async with asyncio.timeout(_PROJECTED_WITHIN_SECONDS):
            while True:
                async with database.session() as session:
                    if not await session.scalar(missing):
                        return
                await asyncio.sleep(0.1)
    except TimeoutError:
        raise SeedError(
            f"the projections did not show the seed within {_PROJECTED_WITHIN_SECONDS:g} s "
            "(is the event listener running?)"
        ) from None


async def _contracts_answer(state: AppState, ledger: LedgerServices) -> None:
    """Wait until the contracts answer: a ledger that just started may still be connecting
    to its chaincode, and a write sent meanwhile fails to endorse."""
    async with ledger.reader_gateway() as gateway:
        network = gateway.get_network(state.settings.ledger_channel)
        system = network.get_contract(state.settings.ledger_chaincode, "org.hyperledger.fabric")
        try:
            async with asyncio.timeout(_CONTRACTS_WITHIN_SECONDS):
                while True:
                    try:
                        await system.evaluate("GetMetadata")
                        return
                    except FabricError:
                        await asyncio.sleep(0.1)
        except TimeoutError:
            raise SeedError(
                f"the contracts did not answer within {_CONTRACTS_WITHIN_SECONDS:g} s"
            ) from None


async def _seed_world(state: AppState, http: httpx.AsyncClient, status: _Status) -> None:
    """Tell the demo world's story through the API at `http`, unless it was told already."""
    marker = state.settings.data_dir / MARKER
    progress = _read(marker)
    if progress is not None and progress.state != "seeding":
        status.outcome = f"{progress.state} earlier" + (
            f": {progress.detail}" if progress.detail else ""
        )
        log.info("demo world: %s", status.outcome)
        return
    if state.dev_issuer is None or state.ledger is None:
        status.outcome = "not seeded: it needs the development issuer and a ledger"
        log.info("demo world: %s", status.outcome)
        return
    if progress is None:
        epoch = datetime.now(UTC).replace(microsecond=0)
        progress = SeedProgress(state="seeding", epoch=epoch)
        _write(marker, progress)
        log.info("demo world: seeding (epoch %s)", epoch.isoformat())
    else:
        log.info("demo world: resuming the seed of epoch %s", progress.epoch.isoformat())
    await _contracts_answer(state, state.ledger)
    world = WorldClient(http, state.dev_issuer.access_token)
    status.world = world
    started = time.perf_counter()
    for chapter in chapters():
        try:
            await chapter.tell(world, progress.epoch)
        except* LedgerNotEmpty as refused:
            detail = str(refused.exceptions[0])
            _write(marker, progress.model_copy(update={"state": "skipped", "detail": detail}))
            status.outcome = f"skipped: {detail}"
        if status.outcome is not None:
            log.warning("demo world: %s", status.outcome)
            return
        log.info("demo world: %s told (%d writes so far)", chapter.name, world.writes)
    await _projected(state.database)
    elapsed = time.perf_counter() - started
    detail = f"{world.writes} writes in {elapsed:.1f} s"
    _write(marker, progress.model_copy(update={"state": "seeded", "detail": detail}))
    status.outcome = f"seeded: {detail}"
    log.info("demo world: %s", status.outcome)


def _loopback(server: uvicorn.Server) -> str:
    """The base URL of the socket the server listens on (a wildcard reached on loopback)."""
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}"


async def _seed_when_serving(app: FastAPI, server: uvicorn.Server) -> None:
    while not server.started:
        if server.should_exit:
            return
        await asyncio.sleep(0.05)
    state: AppState = app.state.provena
    status = _Status()
    state.readiness.add("seed", status.check)
    try:
        async with httpx.AsyncClient(base_url=_loopback(server), timeout=60) as http:
            await _seed_world(state, http, status)
    except* Exception as group:  # a background task: report every failure, raise none
        status.error = "; ".join(f"{type(e).__name__}: {e}" for e in group.exceptions)
        log.error("demo world: the seed failed (a restart resumes it): %s", status.error)


@asynccontextmanager
async def seed_in_background(app: FastAPI, server: uvicorn.Server) -> AsyncIterator[None]:
    """Seed the demo world once `server` accepts connections; stop with the block."""
    task = asyncio.create_task(_seed_when_serving(app, server), name="demo world seed")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
