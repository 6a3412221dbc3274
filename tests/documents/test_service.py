"""`DocumentService` on a real database, for the failures no API request can provoke."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from provena.db import Database, DocumentReference, bootstrap
from provena.documents import DocumentNotFound, DocumentService, Viewer
from provena.ipfs import DEFAULT_PROFILE, EmbeddedContentStore, FilesystemBlockstore
from provena.storage import LocalObjectStore
from tests.support.databases import database_url


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    with database_url(request.param, tmp_path) as url:
        await bootstrap(url)
        async with Database.from_url(url) as database:
            yield database


def documents(database: Database, data: Path, *, store_name: str = "local") -> DocumentService:
    """The service as the API builds it, on `data` and `database`."""
    return DocumentService(
        database=database,
        content=EmbeddedContentStore(FilesystemBlockstore(data / "ipfs")),
        objects=LocalObjectStore(data / "objects"),
        object_store_name=store_name,
        profile=DEFAULT_PROFILE,
        max_size=1 << 20,
        spool_dir=data / "spool",
    )


EVERYONE = Viewer(None, None, sees_all=True)


async def body(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def test_a_refused_record_is_not_taken_for_a_concurrent_twin(
    database: Database, tmp_path: Path
) -> None:
    service = documents(database, tmp_path)
    ghost = uuid.uuid4()  # no such user: the foreign key refuses the row, not the unique CID
    with pytest.raises(IntegrityError):
        await service.upload(
            body(b"orphan"),
            name="a.txt",
            media_type="text/plain",
            uploaded_by=ghost,
            msp_id="ProducerMSP",
        )
    assert await service.recent(EVERYONE) == []


async def test_download_url_needs_the_document_in_this_store(
    database: Database, tmp_path: Path
) -> None:
    document, _ = await documents(database, tmp_path).upload(
        body(b"kept locally"),
        name="a.txt",
        media_type="text/plain",
        uploaded_by=None,
        msp_id="ProducerMSP",
    )
    moved = documents(database, tmp_path, store_name="s3")  # the deployment changed stores
    with pytest.raises(DocumentNotFound, match="not in the s3 store"):
        await moved.read_url(document.cid, EVERYONE, expires_in=timedelta(minutes=5))


async def test_the_same_name_again_adds_no_reference(database: Database, tmp_path: Path) -> None:
    service = documents(database, tmp_path)
    uploads = [
        await service.upload(
            body(b"twice"),
            name="a.txt",
            media_type="text/plain",
            uploaded_by=None,
            msp_id="ProducerMSP",
        )
        for _ in range(2)
    ]
    assert [created for _, created in uploads] == [True, False]
    async with database.session() as session:
        references = await session.scalar(select(func.count()).select_from(DocumentReference))
    assert references == 1
