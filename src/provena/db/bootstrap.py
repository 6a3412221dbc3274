"""Bringing a database to a usable state in one call."""

from __future__ import annotations

from provena.db.crud import seed_organizations
from provena.db.database import Database
from provena.db.migrate import upgrade

__all__ = ["bootstrap"]


async def bootstrap(url: str) -> None:
    """Migrate the database at `url` to the latest schema and seed the demo organizations."""
    await upgrade(url)
    async with Database.from_url(url) as database, database.session() as session:
        await seed_organizations(session)
        await session.commit()
