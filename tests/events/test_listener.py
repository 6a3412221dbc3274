"""The listener on the real devnet and contracts: exactly once across kills, restarts of
itself and of the ledger, and one active instance per database."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import Database, FeedEvent, LedgerCheckpoint
from provena.demo import PEOPLE
from provena.devnet.network import Devnet
from provena.events import Announcement, EventListener, ListenerOptions
from provena.fabric import ChaincodeEvent, Gateway, connect, load_msp_folder
from tests.events.conftest import World, eventually
from tests.support.ledger import Ledger

_schemes = itertools.count()
FAST = {"standby_seconds": 0.1, "backoff_initial_seconds": 0.05, "backoff_max_seconds": 0.5}


@pytest.fixture(scope="module")
async def ledger(world: World) -> World:
    await world.submit("ines.moreau", "Registry", "Bootstrap", ["CertifierMSP"])
    return world


@pytest.fixture(scope="module")
async def restarted_devnets() -> AsyncIterator[list[Devnet]]:
    """Devnets a test restarted: stopped when the module is done."""
    restarted: list[Devnet] = []
    yield restarted
    for devnet in restarted:
        await devnet.aclose()


async def accredit(world: World, count: int) -> list[str]:
    """Submit `count` transactions, each setting one event; their tx ids in commit order."""
    tx_ids = []
    for _ in range(count):
        scheme = f"SCHEME-{next(_schemes)}"
        result = await world.submit(
            "ines.moreau", "Registry", "AccreditCertifier", "CertifierMSP", [scheme]
        )
        tx_ids.append(result["tx_id"])
    return tx_ids


async def record(session: AsyncSession, event: ChaincodeEvent) -> Announcement:
    """A handler that knows nothing of the contracts: announces each event by name."""
    return Announcement(f"ledger.{event.event_name.lower()}", {"name": event.event_name})


def gateways(world: World) -> Callable[[], Gateway]:
    """Connections as an auditor to the devnet's address (the same after a restart)."""
    devnet, tls = world.devnet, world.ledger.tls
    identity, signer = load_msp_folder(
        "CertifierMSP", devnet.pki.user_msp_dir("CertifierMSP", "lars.nilsson")
    )
    return lambda: connect(devnet.endpoint, identity=identity, signer=signer, tls=tls)


@contextlib.asynccontextmanager
async def running(listener: EventListener) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(listener.run())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def new_listener(
    world: World, database: Database, handler: object = record, **options: object
) -> EventListener:
    return EventListener(
        database,
        gateways(world),
        channel=world.devnet.channel,
        chaincode="provena",
        handler=handler,  # type: ignore[arg-type]
        options=ListenerOptions(**(FAST | options)),  # type: ignore[arg-type]
    )


async def feed_tx_ids(database: Database) -> list[str | None]:
    async with database.session() as session:
        return list(await session.scalars(select(FeedEvent.tx_id).order_by(FeedEvent.id)))


async def checkpoint(database: Database) -> tuple[int, str | None]:
    async with database.session() as session:
        row = await session.get(LedgerCheckpoint, "projections")
        assert row is not None
        return row.block_number, row.tx_id


async def test_applies_every_event_once_across_listener_restarts(
    ledger: World, database: Database
) -> None:
    first = await accredit(ledger, 3)
    async with running(new_listener(ledger, database)):
        await eventually(lambda: _contains(database, first[-1]))
    later = await accredit(ledger, 2)  # while no listener runs
    async with running(new_listener(ledger, database)):
        await eventually(lambda: _contains(database, later[-1]))
        await asyncio.sleep(0.3)  # give a wrong replay the chance to repeat something
    tx_ids = await feed_tx_ids(database)
    assert len(tx_ids) == len(set(tx_ids))
    assert tx_ids[-5:] == first + later
    assert (await checkpoint(database))[1] == later[-1]


async def test_killed_mid_transaction_applies_nothing_twice(
    ledger: World, database: Database
) -> None:
    tx_ids = await accredit(ledger, 3)
    stuck = asyncio.Event()

    async def hang_on_last(session: AsyncSession, event: ChaincodeEvent) -> Announcement:
        announcement = await record(session, event)
        if event.transaction_id == tx_ids[-1]:
            stuck.set()
            await asyncio.Event().wait()  # killed here: applied, not yet committed
        return announcement

    async with running(new_listener(ledger, database, hang_on_last)):
        await stuck.wait()
    assert tx_ids[-1] not in await feed_tx_ids(database)
    async with running(new_listener(ledger, database)):
        await eventually(lambda: _contains(database, tx_ids[-1]))
    applied = await feed_tx_ids(database)
    assert len(applied) == len(set(applied))
    assert applied[-3:] == tx_ids


class SessionLog:
    """A handler that records which session (so which transaction) applied each event."""

    def __init__(self, *, slow_first: float = 0.0) -> None:
        self.applied: list[tuple[AsyncSession, str]] = []
        self._slow_first = slow_first

    async def __call__(self, session: AsyncSession, event: ChaincodeEvent) -> Announcement:
        if not self.applied:
            await asyncio.sleep(self._slow_first)  # the rest of the burst queues meanwhile
        self.applied.append((session, event.transaction_id))
        return await record(session, event)

    def transactions(self) -> list[list[str]]:
        """The tx ids each transaction applied, in order."""
        batches: list[list[str]] = []
        last: AsyncSession | None = None
        for session, tx_id in self.applied:
            if session is not last:
                batches.append([])
                last = session
            batches[-1].append(tx_id)
        return batches


async def test_a_burst_is_applied_in_fewer_transactions_than_events(
    ledger: World, database: Database
) -> None:
    burst = await accredit(ledger, 12)  # while no listener runs: all ready at its start
    log = SessionLog()
    async with running(new_listener(ledger, database, log)):
        await eventually(lambda: _contains(database, burst[-1]))
    applied = await feed_tx_ids(database)
    assert len(applied) == len(set(applied))
    assert applied[-len(burst) :] == burst
    assert len(log.transactions()) < len(burst) <= len(applied)
    assert (await checkpoint(database))[1] == burst[-1]


async def test_a_crash_mid_batch_applies_none_of_it_and_a_restart_applies_each_once(
    ledger: World, database: Database
) -> None:
    before = await accredit(ledger, 1)
    async with running(new_listener(ledger, database)):
        await eventually(lambda: _contains(database, before[0]))
    burst = await accredit(ledger, 6)
    crash_on = burst[3]

    class Crash(Exception):
        """Not one the listener retries: it ends the listener, as a crash would."""

    class CrashingLog(SessionLog):
        async def __call__(self, session: AsyncSession, event: ChaincodeEvent) -> Announcement:
            announcement = await super().__call__(session, event)
            if event.transaction_id == crash_on:
                raise Crash(event.transaction_id)
            return announcement

    log = CrashingLog(slow_first=0.5)
    with pytest.raises(Crash):
        await new_listener(ledger, database, log).run()
    crashed = log.transactions()[-1]
    assert crashed[-1] == crash_on
    assert len(crashed) > 1  # the crash came after other events of its batch were applied
    applied = await feed_tx_ids(database)
    assert not set(crashed) & set(applied)
    assert applied[-1] in [*before, *burst]
    assert (await checkpoint(database))[1] == applied[-1]
    async with running(new_listener(ledger, database)):
        await eventually(lambda: _contains(database, burst[-1]))
    applied = await feed_tx_ids(database)
    assert len(applied) == len(set(applied))
    assert applied[-len(burst) :] == burst


async def test_survives_a_ledger_restart(
    ledger: World, database: Database, restarted_devnets: list[Devnet]
) -> None:
    before = await accredit(ledger, 1)
    listener = new_listener(ledger, database)
    async with running(listener):
        await eventually(lambda: _contains(database, before[0]))
        devnet = ledger.ledger.devnet
        port = int(devnet.endpoint.rsplit(":", 1)[1])
        await devnet.aclose()
        await asyncio.sleep(0.5)  # the listener sees the stream fail and retries
        restarted = await Devnet.start(replace(devnet.config, port=port))
        restarted_devnets.append(restarted)
        ledger.ledger = Ledger(restarted, ledger.ledger.chaincode)
        await _reconnect_people(ledger)
        after = await accredit(ledger, 2)
        await eventually(lambda: _contains(database, after[-1]))
    applied = await feed_tx_ids(database)
    assert len(applied) == len(set(applied))
    assert applied[-3:] == before + after


async def test_one_active_listener_and_a_standby_takes_over(
    ledger: World, database: Database
) -> None:
    first, second = new_listener(ledger, database), new_listener(ledger, database)
    async with running(first) as first_task:
        await first.wait_active()
        async with running(second):
            await asyncio.sleep(0.5)
            assert first.active
            assert not second.active
            tx_ids = await accredit(ledger, 2)
            await eventually(lambda: _contains(database, tx_ids[-1]))
            first_task.cancel()  # the active one dies
            await second.wait_active()
            more = await accredit(ledger, 2)
            await eventually(lambda: _contains(database, more[-1]))
    applied = await feed_tx_ids(database)
    assert len(applied) == len(set(applied))
    assert applied[-4:] == tx_ids + more


async def _contains(database: Database, tx_id: str) -> bool:
    return tx_id in await feed_tx_ids(database)


async def _reconnect_people(world: World) -> None:
    for person in PEOPLE:
        await world.gateways[person.username].close()
        world.gateways[person.username] = world.ledger.connect(person.msp_id, person.username)
