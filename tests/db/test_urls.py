"""Database URLs map to the async drivers; anything else is refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from provena.db import Database, UnsupportedDatabaseError, async_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/provena.db", "sqlite+aiosqlite:///data/provena.db"),
        ("sqlite:////var/lib/provena.db", "sqlite+aiosqlite:////var/lib/provena.db"),
        ("sqlite+aiosqlite:///provena.db", "sqlite+aiosqlite:///provena.db"),
        ("sqlite+pysqlite:///provena.db", "sqlite+aiosqlite:///provena.db"),
        ("postgresql://u:p@db:5432/provena", "postgresql+psycopg://u:p@db:5432/provena"),
        ("postgresql+psycopg://u@db/provena", "postgresql+psycopg://u@db/provena"),
        ("postgres://u@db/provena", "postgresql+psycopg://u@db/provena"),
        (
            "postgresql://u@/provena?host=/var/run/postgresql",
            "postgresql+psycopg://u@/provena?host=%2Fvar%2Frun%2Fpostgresql",
        ),
    ],
)
def test_urls_map_to_async_drivers(given: str, expected: str) -> None:
    assert async_url(given).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    "url",
    [
        "mysql://u:secret@db/provena",
        "postgresql+asyncpg://u:secret@db/provena",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:provena.db?mode=memory&uri=true",
        "not a url",
    ],
)
def test_unsupported_urls_are_refused_without_leaking_passwords(url: str) -> None:
    with pytest.raises(UnsupportedDatabaseError) as caught:
        async_url(url)
    assert "secret" not in str(caught.value)


async def test_sqlite_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "provena.db"
    async with Database.from_url(f"sqlite:///{path}") as database:
        assert path.parent.is_dir()
        await database.ping()
    assert path.is_file()
