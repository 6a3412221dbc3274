"""Importing a file dropped in the inbox bucket: the same document an API upload makes.

Partners write `<MSP id>/<file name>` (any folders between are ignored): the organization
that references the document, and its name. The object is streamed into
`DocumentService.upload` (content store and documents bucket, a record and a reference),
then deleted from the inbox: the document now lives in the documents bucket, and a copy
left behind would only be imported again by a replayed event. Whatever is refused (no such
object, too large, an unknown organization, an invalid name) stays in the inbox untouched,
for the bucket's lifecycle rule to expire, so nothing is lost to a bad event.

    OCI Events ──createobject──► import_object ──► DocumentService.upload ──► delete from inbox
"""

from __future__ import annotations

from dataclasses import dataclass

from provena.db import Database, get_organization
from provena.documents import DocumentService, DocumentTooLarge, InvalidDocument
from provena.functions.cloudevent import ObjectCreated
from provena.functions.errors import BadEvent, InboxRefused
from provena.storage import InvalidKeyError, ObjectNotFoundError, ObjectStore

__all__ = ["Imported", "Inbox", "import_object"]


@dataclass(frozen=True, slots=True)
class Inbox:
    """The inbox bucket this function imports from, and the largest object it takes."""

    store: ObjectStore
    namespace: str
    bucket: str
    max_size: int


@dataclass(frozen=True, slots=True)
class Imported:
    cid: str
    sha256: str
    size: int
    name: str
    msp_id: str
    created: bool
    """False if the same bytes were already a document (this adds a reference at most)."""


async def import_object(
    event: ObjectCreated, *, inbox: Inbox, documents: DocumentService, database: Database
) -> Imported:
    """Import the object `event` names, then delete it from the inbox."""
    if (event.namespace, event.bucket) != (inbox.namespace, inbox.bucket):
        raise BadEvent(
            f"the event is for bucket {event.namespace}/{event.bucket}; this function "
            f"imports from {inbox.namespace}/{inbox.bucket}"
        )
    msp_id, name = await _owner_and_name(event.name, database)
    try:
        info = await inbox.store.head(event.name)
    except InvalidKeyError as exc:
        raise InboxRefused(str(exc), status=422) from exc
    except ObjectNotFoundError as exc:
        raise InboxRefused(f"{event.name!r} is not in the inbox", status=404) from exc
    if info.size > inbox.max_size:
        raise InboxRefused(
            f"{event.name!r} has {info.size} bytes; the most imported is {inbox.max_size}",
            status=413,
        )
    try:
        document, created = await documents.upload(
            inbox.store.get(event.name),
            name=name,
            media_type=info.content_type or "application/octet-stream",
            uploaded_by=None,
            msp_id=msp_id,
        )
    except ObjectNotFoundError as exc:  # deleted between the head and the read
        raise InboxRefused(f"{event.name!r} is not in the inbox", status=404) from exc
    except DocumentTooLarge as exc:  # grew past the limit between the head and the read
        raise InboxRefused(str(exc), status=413) from exc
    except InvalidDocument as exc:
        raise InboxRefused(str(exc), status=422) from exc
    await inbox.store.delete(event.name)
    return Imported(
        cid=document.cid,
        sha256=document.sha256,
        size=document.size,
        name=name,
        msp_id=msp_id,
        created=created,
    )


async def _owner_and_name(key: str, database: Database) -> tuple[str, str]:
    """The organization and file name an inbox key gives, if the organization is known."""
    msp_id, _, rest = key.partition("/")
    name = rest.rsplit("/", 1)[-1]
    if not msp_id or not name:
        raise InboxRefused(f"{key!r} is not named <MSP id>/<file name>", status=422)
    async with database.session() as session:
        organization = await get_organization(session, msp_id)
    if organization is None:
        raise InboxRefused(f"{key!r}: {msp_id!r} is not a known organization", status=422)
    return msp_id, name
