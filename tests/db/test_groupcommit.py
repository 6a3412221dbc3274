"""`GroupCommit`: works that queue share one transaction, and a failing one costs only its
own caller."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import Database, GroupCommit, Organization, OrgKind


def organization(msp_id: str):  # type: ignore[no-untyped-def]
    async def add(session: AsyncSession) -> str:
        session.add(Organization(msp_id=msp_id, name=msp_id, kind=OrgKind.PRODUCER))
        await session.flush()
        return msp_id

    return add


def count_commits(database: Database) -> list[int]:
    commits: list[int] = []

    @event.listens_for(database.engine.sync_engine, "commit")
    def _committed(_connection: Any) -> None:
        commits.append(1)

    return commits


async def organizations(database: Database) -> set[str]:
    async with database.session() as session:
        return set(await session.scalars(sa.select(Organization.msp_id)))


async def test_works_that_queue_share_one_transaction(database: Database) -> None:
    group = GroupCommit(database)
    commits = count_commits(database)
    names = [f"Org{i}MSP" for i in range(20)]
    assert await asyncio.gather(*(group.run(organization(n)) for n in names)) == names
    assert await organizations(database) >= set(names)
    assert len(commits) == 1  # all twenty queued before the transaction began


async def test_a_failing_work_fails_its_caller_only(database: Database) -> None:
    group = GroupCommit(database)
    await group.run(organization("TakenMSP"))
    results = await asyncio.gather(
        group.run(organization("FirstMSP")),
        group.run(organization("SecondMSP")),
        group.run(organization("TakenMSP")),  # a duplicate key: its batch rolls back
        group.run(organization("ThirdMSP")),
        return_exceptions=True,
    )
    assert list(results[:2]) == ["FirstMSP", "SecondMSP"]
    assert isinstance(results[2], IntegrityError)
    assert results[3] == "ThirdMSP"
    assert {"FirstMSP", "SecondMSP", "ThirdMSP", "TakenMSP"} <= await organizations(database)


async def test_a_caller_that_leaves_does_not_undo_its_batch(database: Database) -> None:
    group = GroupCommit(database)
    first = asyncio.create_task(group.run(organization("AloneMSP")))
    await asyncio.sleep(0)
    leaving = asyncio.create_task(group.run(organization("LeavingMSP")))
    staying = asyncio.create_task(group.run(organization("StayingMSP")))
    await asyncio.sleep(0)
    leaving.cancel()
    assert await staying == "StayingMSP"
    await first
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert {"AloneMSP", "LeavingMSP", "StayingMSP"} <= await organizations(database)
