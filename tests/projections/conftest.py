"""Fixtures for the projections: the contracts on a devnet, databases on both backends."""

from tests.contracts.conftest import World, world
from tests.events.conftest import database, db_url, eventually

__all__ = ["World", "database", "db_url", "eventually", "world"]
