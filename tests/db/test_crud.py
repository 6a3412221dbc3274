"""Seeding organizations and recording users: idempotent, and safe under concurrency."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import (
    Database,
    Organization,
    OrgKind,
    UnknownOrganizationError,
    User,
    get_organization,
    list_users,
    seed_organizations,
    upsert_user,
)
from provena.demo import ORGANIZATIONS


async def test_seeding_is_idempotent(database: Database) -> None:
    async with database.session() as session:
        assert await seed_organizations(session) == len(ORGANIZATIONS)
        await session.commit()
    async with database.session() as session:
        assert await seed_organizations(session) == 0
        await session.commit()
    renamed = dataclasses.replace(ORGANIZATIONS[0], name="Veritas Certification Ltd")
    async with database.session() as session:
        assert await seed_organizations(session, orgs=[renamed, *ORGANIZATIONS[1:]]) == 1
        assert await seed_organizations(session, orgs=[]) == 0
        await session.commit()
    async with database.session() as session:
        orgs = (await session.scalars(sa.select(Organization).order_by(Organization.msp_id))).all()
    assert {(o.msp_id, o.kind) for o in orgs} == {(o.msp_id, o.kind) for o in ORGANIZATIONS}
    assert {o.name for o in orgs} >= {"Veritas Certification Ltd", "Harbor Street Grocers"}


async def test_get_organization(session: AsyncSession) -> None:
    await seed_organizations(session)
    org = await get_organization(session, "CarrierMSP")
    assert org is not None
    assert (org.name, org.kind) == ("Polar Freight Cold Chain", OrgKind.CARRIER)
    assert await get_organization(session, "NobodyMSP") is None


async def test_upsert_user_creates_then_updates(database: Database) -> None:
    async with database.session() as session:
        await seed_organizations(session)
        created = await upsert_user(
            session,
            subject="sam.carter",
            email="sam@carrier.provena.test",
            display_name="Sam",
            msp_id="CarrierMSP",
            roles=["carrier", "admin", "carrier"],
        )
        await session.commit()
    assert created.roles == ["admin", "carrier"]
    assert created.created_at == created.last_seen_at

    async with database.session() as session:
        same = await session.get_one(User, created.id)  # in the identity map, then updated
        updated = await upsert_user(
            session,
            subject="sam.carter",
            email=None,
            display_name="Sam Carter",
            msp_id=None,
            roles=["carrier"],
        )
        assert updated is same
        await session.commit()
    assert updated.id == created.id
    assert (updated.email, updated.display_name, updated.msp_id) == (None, "Sam Carter", None)
    assert updated.roles == ["carrier"]
    assert updated.created_at == created.created_at
    assert updated.last_seen_at > created.last_seen_at

    async with database.session() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


async def test_list_users(session: AsyncSession) -> None:
    await seed_organizations(session)
    for subject, name, msp_id in [
        ("u1", "Zoë", "RetailerMSP"),
        ("u2", None, "RetailerMSP"),
        ("u3", "Ann", "RetailerMSP"),
        ("u4", "Bob", "CarrierMSP"),
        ("u5", None, None),
    ]:
        await upsert_user(
            session, subject=subject, email=None, display_name=name, msp_id=msp_id, roles=[]
        )
    assert [u.oidc_subject for u in await list_users(session, msp_id="RetailerMSP")] == [
        "u3",
        "u1",
        "u2",
    ]
    assert [u.oidc_subject for u in await list_users(session)] == ["u3", "u4", "u1", "u2", "u5"]
    assert await list_users(session, msp_id="ProducerMSP") == []


async def test_upsert_user_refuses_unknown_organizations(session: AsyncSession) -> None:
    with pytest.raises(UnknownOrganizationError, match="NobodyMSP") as caught:
        await upsert_user(
            session, subject="x", email=None, display_name=None, msp_id="NobodyMSP", roles=[]
        )
    assert caught.value.msp_id == "NobodyMSP"


async def test_upsert_user_refuses_a_string_for_roles(session: AsyncSession) -> None:
    with pytest.raises(TypeError):
        await upsert_user(
            session, subject="x", email=None, display_name=None, msp_id=None, roles="admin"
        )


async def test_concurrent_first_sign_ins_make_one_user(database: Database) -> None:
    async with database.session() as session:
        await seed_organizations(session)
        await session.commit()

    async def sign_in(n: int) -> User:
        async with database.session() as session:
            user = await upsert_user(
                session,
                subject="jonas.berg",
                email="jonas.berg@retailer.provena.test",
                display_name=f"Jonas Berg ({n})",
                msp_id="RetailerMSP",
                roles=["receiver"],
            )
            await session.commit()
            return user

    users = await asyncio.gather(*(sign_in(n) for n in range(20)))
    assert len({u.id for u in users}) == 1
    async with database.session() as session:
        rows = (await session.scalars(sa.select(User))).all()
    assert len(rows) == 1
    assert rows[0].display_name in {u.display_name for u in users}
