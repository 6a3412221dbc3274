"""The packaged migrations: up, down, up again, and in agreement with the models."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from provena.db import (
    Base,
    Database,
    DatabaseUnavailableError,
    Document,
    DocumentReference,
    MigrationError,
    autogenerate_revision,
    current_revision,
    downgrade,
    head_revision,
    migrate,
    upgrade,
)
from provena.db.enums import OrgKind
from provena.db.models import Organization, User
from tests.db.conftest import MakeUrl

TABLES = set(Base.metadata.tables)


async def table_names(url: str) -> set[str]:
    async with Database.from_url(url) as database, database.engine.connect() as connection:
        return set(await connection.run_sync(lambda c: sa.inspect(c).get_table_names()))


def test_head_revision() -> None:
    assert head_revision() == "0004"


async def test_upgrade_downgrade_and_upgrade_again(database_url: str) -> None:
    assert await current_revision(database_url) is None

    await upgrade(database_url)
    assert await current_revision(database_url) == head_revision()
    assert await table_names(database_url) == TABLES | {"alembic_version"}

    await downgrade(database_url, "base")
    assert await current_revision(database_url) is None
    assert await table_names(database_url) == {"alembic_version"}

    await upgrade(database_url)
    assert await current_revision(database_url) == head_revision()
    assert await table_names(database_url) == TABLES | {"alembic_version"}


async def test_upgrade_at_head_changes_nothing(migrated_url: str) -> None:
    await upgrade(migrated_url)
    assert await current_revision(migrated_url) == head_revision()


async def test_concurrent_upgrades_queue_on_a_lock(database_url: str) -> None:
    await asyncio.gather(*(upgrade(database_url) for _ in range(4)))
    assert await current_revision(database_url) == head_revision()


async def test_unknown_revision_is_a_migration_error(database_url: str) -> None:
    with pytest.raises(MigrationError, match="nope"):
        await upgrade(database_url, "nope")


async def test_unreachable_database_is_reported() -> None:
    with pytest.raises(DatabaseUnavailableError):
        await upgrade("postgresql://postgres@127.0.0.1:1/provena?connect_timeout=2")


async def test_models_and_migrations_agree(migrated_url: str) -> None:
    """Alembic's autogenerate finds nothing to do against a migrated database."""

    def diff(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with Database.from_url(migrated_url) as database, database.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


def describe_schema(connection: Connection) -> dict[str, Any]:
    """Everything the database reports about each table, CHECK constraints included."""
    inspector = sa.inspect(connection)

    def by_name(items: list[Any]) -> list[Any]:
        return sorted(items, key=lambda item: str(item.get("name")))

    def index(item: Any) -> dict[str, Any]:
        # A partial index's WHERE clause comes back as an SQL expression object.
        options = {k: str(v) for k, v in item.get("dialect_options", {}).items()}
        return {**item, "dialect_options": options}

    schema: dict[str, Any] = {}
    for table in sorted(TABLES):
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table),
            "foreign_keys": by_name(list(inspector.get_foreign_keys(table))),
            "unique": by_name(list(inspector.get_unique_constraints(table))),
            "indexes": by_name([index(i) for i in inspector.get_indexes(table)]),
            "checks": by_name(list(inspector.get_check_constraints(table))),
        }
    return schema


async def test_migrated_schema_equals_created_schema(
    migrated_url: str, new_database_url: MakeUrl
) -> None:
    """Stricter than autogenerate: column order, constraint names and CHECK constraints."""
    created_url = new_database_url()
    async with Database.from_url(created_url) as created:
        async with created.engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        async with created.engine.connect() as connection:
            expected = await connection.run_sync(describe_schema)
    async with Database.from_url(migrated_url) as migrated, migrated.engine.connect() as connection:
        actual = await connection.run_sync(describe_schema)
    for table in sorted(TABLES):
        assert actual[table] == expected[table], table
    checks = [c["name"] for table in actual.values() for c in table["checks"]]
    assert len(checks) == len(set(checks)) > 40


async def test_autogenerate_writes_self_contained_revisions(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a scratch copy of the migrations without any revision, autogenerate writes
    the whole schema, in plain SQLAlchemy types (no imports from the application)."""
    scratch = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scratch)
    for revision in (scratch / "versions").glob("v*.py"):
        revision.unlink()
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scratch)

    path = await autogenerate_revision(database_url, message="everything", rev_id="0100")

    assert path == scratch / "versions" / "v0100_everything.py"
    source = path.read_text()
    assert "provena" not in source
    assert "sa.DateTime(timezone=True)" in source
    assert "sa.String(length=40)" in source  # the decimal-string quantity
    assert all(f"op.create_table('{table}'" in source for table in TABLES)


async def test_0003_gives_existing_documents_their_uploaders_reference(database_url: str) -> None:
    await upgrade(database_url, "0002")
    user, document = uuid.uuid4(), uuid.uuid4()
    async with Database.from_url(database_url) as database, database.session() as session:
        session.add(Organization(msp_id="ProducerMSP", name="Farm", kind=OrgKind.PRODUCER))
        session.add(User(id=user, oidc_subject="tomas", msp_id="ProducerMSP"))
        await session.flush()
        session.add(
            Document(
                id=document,
                cid="bafkreib2",
                sha256="ab" * 32,
                size=3,
                media_type="application/pdf",
                name="harvest.pdf",
                cid_profile="unixfs-v1-2025",
                uploaded_by_id=user,
            )
        )
        await session.commit()
    await upgrade(database_url)
    async with Database.from_url(database_url) as database, database.session() as session:
        references = (await session.scalars(sa.select(DocumentReference))).all()
    assert [(r.document_id, r.msp_id, r.name, r.uploaded_by_id) for r in references] == [
        (document, "ProducerMSP", "harvest.pdf", user)
    ]
