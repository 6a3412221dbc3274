"""Uploading documents: bytes to IPFS and object storage, a record in the database.

An upload is spooled to a private file first, counting and hashing as it arrives, so
an oversized or interrupted upload leaves nothing behind anywhere: only a complete
upload is imported into IPFS (its CID is what the ledger will anchor), written to the
object store under its SHA-256, and recorded. Uploading the same bytes again returns
the existing record.

Documents are content-addressed, but names and visibility are not: each upload adds a
reference (organization, name) unless that organization already gave the document that
name. An organization sees the documents it references, under its own (first) name, and
gets 404 for the others; auditors see every document. So a second organization uploading
the same bytes under its own name sees that name, and the first keeps its own.

Uploads of the same bytes may run at once: both writes are idempotent (the same bytes
under the same CID and the same key), and the database's unique CID decides which
upload created the record; the others roll back and return it. No upload ever deletes
what it stored, as the winner's record points at the very same blocks and object.

    request body ──► spool file (size limit, SHA-256) ──► content store (CID, pinned)
                                                     └──► object store  sha256/<hex>
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import anyio
from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from provena.db import Database, Document, DocumentLocation, DocumentReference
from provena.documents.errors import DocumentNotFound, DocumentTooLarge, InvalidDocument
from provena.ipfs import ContentStore, Profile
from provena.ipfs.sandbox import attachment
from provena.storage import ObjectStore

__all__ = ["DocumentService", "Named", "Viewer"]

_NAME = re.compile(r"^[^/\\\x00-\x1f\x7f]{1,255}$")
#: Characters a name may not hold although they are no path separators: C0 and C1 controls,
#: invisible format characters (bidirectional overrides that make `exe.pdf` of `fdp.exe`,
#: zero-width spaces), line and paragraph separators, surrogates and private use.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who asks: their user and organization; `sees_all` for auditors."""

    user_id: uuid.UUID | None
    msp_id: str | None
    sees_all: bool = False


@dataclass(frozen=True, slots=True)
class Named:
    """A document, and the name it has for the viewer (their organization's first)."""

    document: Document
    name: str | None


class DocumentService:
    """Stores uploaded documents and finds them again, for whoever may see them."""

    def __init__(
        self,
        *,
        database: Database,
        content: ContentStore,
        objects: ObjectStore,
        object_store_name: str,
        profile: Profile,
        max_size: int,
        spool_dir: Path,
    ) -> None:
        self._database = database
        self._content = content
        self._objects = objects
        self._store_name = object_store_name
        self._profile = profile
        self._max_size = max_size
        self._spool_dir = spool_dir

    async def upload(
        self,
        source: AsyncIterable[bytes],
        *,
        name: str,
        media_type: str,
        uploaded_by: uuid.UUID | None,
        msp_id: str | None,
    ) -> tuple[Document, bool]:
        """Store the stream as a document referenced by `msp_id` under `name`; returns it
        and whether it is new."""
        if not _valid_name(name):
            raise InvalidDocument(f"invalid document name {name!r}")
        media_type = media_type.split(";", 1)[0].strip().lower() or "application/octet-stream"
        if not _MEDIA_TYPE.match(media_type):
            raise InvalidDocument(f"invalid media type {media_type!r}")
        self._spool_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self._spool_dir, prefix="upload-") as spool:
            sha256, size = await self._spool(source, spool.name)
            if size == 0:  # the ledger anchors only documents with content (size > 0)
                raise InvalidDocument("the document is empty: upload a file of at least 1 byte")
            existing = await self._find(sha256=sha256)
            if existing is not None:
                await self._reference(existing, name, uploaded_by, msp_id)
                return existing, False
            imported = await self._content.add(self._read(spool.name), profile=self._profile)
            key = f"sha256/{sha256}"
            await self._objects.put(key, self._read(spool.name), content_type=media_type)
        document = Document(
            id=uuid.uuid4(),
            cid=str(imported.cid),
            sha256=sha256,
            size=size,
            media_type=media_type,
            name=name,
            cid_profile=self._profile.name,
            uploaded_by_id=uploaded_by,
            locations=[
                DocumentLocation(store="ipfs", key=str(imported.cid)),
                DocumentLocation(store=self._store_name, key=key),
            ],
        )
        reference = DocumentReference(
            document_id=document.id, msp_id=msp_id, name=name, uploaded_by_id=uploaded_by
        )
        try:
            async with self._database.writing() as session:
                session.add_all([document, reference])
                await session.commit()
        except IntegrityError:
            winner = await self._find(cid=document.cid)
            if winner is None:
                raise  # not a concurrent twin: some other constraint refused the row
            await self._reference(winner, name, uploaded_by, msp_id)
            return winner, False
        return document, True

    async def get(self, cid: str, viewer: Viewer) -> Named:
        """The document with `cid`, if `viewer` may see it (else DocumentNotFound)."""
        async with self._database.session() as session:
            query = (
                select(Document)
                .options(selectinload(Document.locations))
                .filter_by(cid=cid)
                .where(_visible_to(viewer))
            )
            document = (await session.scalars(query)).first()
            if document is None:
                raise DocumentNotFound(f"no document with CID {cid}")
            names = await _names(session, [document], viewer)
        return Named(document, names.get(document.id, document.name))

    async def read_url(self, cid: str, viewer: Viewer, *, expires_in: timedelta) -> str:
        """A time-limited URL to download the document from the object store, answered with
        its media type and as an attachment under its name (objects are stored by hash)."""
        named = await self.get(cid, viewer)
        document = named.document
        keys = [loc.key for loc in document.locations if loc.store == self._store_name]
        if not keys:
            raise DocumentNotFound(f"document {cid} is not in the {self._store_name} store")
        return await self._objects.read_url(
            keys[0],
            expires_in=expires_in,
            content_type=document.media_type,
            content_disposition=attachment(named.name or document.cid),
        )

    async def recent(self, viewer: Viewer, *, limit: int = 50, offset: int = 0) -> list[Named]:
        """The documents `viewer` may see, newest first."""
        async with self._database.session() as session:
            query = (
                select(Document)
                .options(selectinload(Document.locations))
                .where(_visible_to(viewer))
                .order_by(Document.uploaded_at.desc(), Document.cid)
                .limit(limit)
                .offset(offset)
            )
            documents = (await session.scalars(query)).all()
            names = await _names(session, documents, viewer)
        return [Named(d, names.get(d.id, d.name)) for d in documents]

    async def _reference(
        self, document: Document, name: str, uploaded_by: uuid.UUID | None, msp_id: str | None
    ) -> None:
        """Record that `msp_id` uploaded `document` as `name`, unless it already did."""
        async with self._database.writing() as session:
            known = await session.scalar(
                select(DocumentReference.id).filter_by(
                    document_id=document.id, msp_id=msp_id, name=name
                )
            )
            if known is not None:
                return
            session.add(
                DocumentReference(
                    document_id=document.id, msp_id=msp_id, name=name, uploaded_by_id=uploaded_by
                )
            )
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()  # the same reference, made at the same moment

    async def _find(self, *, cid: str | None = None, sha256: str | None = None) -> Document | None:
        async with self._database.session() as session:
            query = select(Document).options(selectinload(Document.locations))
            if cid is not None:
                query = query.filter_by(cid=cid)
            if sha256 is not None:
                query = query.filter_by(sha256=sha256, cid_profile=self._profile.name)
            return (await session.scalars(query)).first()

    async def _spool(self, source: AsyncIterable[bytes], path: str) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        async with await anyio.open_file(path, "wb") as out:
            async for piece in source:
                size += len(piece)
                if size > self._max_size:
                    raise DocumentTooLarge(self._max_size)
                digest.update(piece)
                await out.write(piece)
        return digest.hexdigest(), size

    @staticmethod
    async def _read(path: str) -> AsyncIterator[bytes]:
        async with await anyio.open_file(path, "rb") as spool:
            while piece := await spool.read(_CHUNK):
                yield piece


def _valid_name(name: str) -> bool:
    """A file name, not a path: no separators, no controls or invisible characters, not
    `.` or `..`, at most 255 characters. Names are only ever metadata (objects are stored by
    hash), but they travel to the ledger and into every download's file name."""
    if not _NAME.match(name) or name in (".", ".."):
        return False
    return not any(unicodedata.category(c) in _HIDDEN_CATEGORIES for c in name)


def _sees(viewer: Viewer) -> ColumnElement[bool]:
    """Which references make a document visible to `viewer`: their organization's, and
    their own uploads (a person without an organization sees what they uploaded)."""
    conditions: list[ColumnElement[bool]] = []
    if viewer.msp_id is not None:
        conditions.append(DocumentReference.msp_id == viewer.msp_id)
    if viewer.user_id is not None:
        conditions.append(DocumentReference.uploaded_by_id == viewer.user_id)
    return or_(*conditions) if conditions else false()


def _visible_to(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.sees_all:
        return true()
    return exists().where(DocumentReference.document_id == Document.id, _sees(viewer))


async def _names(
    session: AsyncSession, documents: Sequence[Document], viewer: Viewer
) -> dict[uuid.UUID, str]:
    """Each document's first name among the references `viewer` sees (read newest first,
    so the dict keeps the oldest)."""
    query = (
        select(DocumentReference.document_id, DocumentReference.name)
        .where(DocumentReference.document_id.in_([d.id for d in documents]), _sees(viewer))
        .order_by(DocumentReference.uploaded_at.desc(), DocumentReference.name.desc())
    )
    return {document_id: name for document_id, name in await session.execute(query)}
