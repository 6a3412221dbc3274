"""The fdk handlers: each builds what it needs from the settings, runs once, answers JSON.

Fn calls `handler(ctx, data)` with the invocation's body; `handler` runs the function that
`PROVENA_FUNCTION` names (one image, three functions), or call `inbox_import`,
`expiry_sweep` and `event_relay` directly. Every answer is a JSON object: the result with
status 200, or a problem (`{"title", "status", "detail"}`, RFC 9457's members) that Fn
returns with status 502, the only failure status it passes on; `status` in the body is the
specific one (400 a bad event, 404 no such object, 413 too large, 409 busy, ...).
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from provena.db import Database
from provena.documents import DocumentService
from provena.functions.cloudevent import object_created
from provena.functions.errors import FunctionError
from provena.functions.expiry import sweep
from provena.functions.fdkimport import import_fdk
from provena.functions.inbox import Inbox, import_object
from provena.functions.notifications import open_notifier
from provena.functions.relay import relay
from provena.ipfs import open_blockstore, open_content_store, resolve_profile
from provena.settings import Settings, SettingsError
from provena.storage import StorageError, open_object_store, open_oci_bucket

if TYPE_CHECKING:
    from fdk.response import Response  # type: ignore[import-untyped]

__all__ = ["event_relay", "expiry_sweep", "handler", "inbox_import"]

_log = logging.getLogger(__name__)

Result = dict[str, Any]


async def inbox_import(ctx: Any, data: io.BytesIO | bytes | None = None) -> Response:
    """Import the inbox object an OCI Events `createobject` names."""
    return await _answer(ctx, "inbox-import", lambda s: _inbox_import(s, _body(data)))


async def expiry_sweep(ctx: Any, data: io.BytesIO | bytes | None = None) -> Response:
    """Send the digest of certificates expired lately or expiring soon."""
    return await _answer(ctx, "expiry-sweep", _expiry_sweep)


async def event_relay(ctx: Any, data: io.BytesIO | bytes | None = None) -> Response:
    """Post the chosen ledger events since the last run to Notifications."""
    return await _answer(ctx, "event-relay", _event_relay)


_FUNCTIONS = {
    "inbox-import": inbox_import,
    "expiry-sweep": expiry_sweep,
    "event-relay": event_relay,
}


async def handler(ctx: Any, data: io.BytesIO | bytes | None = None) -> Response:
    """The function `PROVENA_FUNCTION` names, in the function's configuration."""
    name = ctx.Config().get("PROVENA_FUNCTION", "")
    function = _FUNCTIONS.get(name)
    if function is None:
        known = ", ".join(sorted(_FUNCTIONS))
        detail = f"PROVENA_FUNCTION is {name!r}; set it to one of {known}"
        return _problem(ctx, name or "unknown", "Unknown function", 500, detail)
    return await function(ctx, data)


async def _inbox_import(settings: Settings, body: bytes) -> Result:
    event = object_created(body)  # a bad event is refused before anything is opened
    if not (settings.oci_namespace and settings.inbox_bucket):
        raise FunctionError("the inbox import needs PROVENA_OCI_NAMESPACE and PROVENA_INBOX_BUCKET")
    inbox_store = open_oci_bucket(settings, settings.inbox_bucket)
    objects = open_object_store(settings)
    try:
        async with Database.from_url(settings.sqlalchemy_url) as database:
            blockstore = open_blockstore(settings, objects)
            documents = DocumentService(
                database=database,
                content=open_content_store(settings, blockstore),
                objects=objects,
                object_store_name=settings.storage_backend,
                profile=resolve_profile(settings.ipfs_profile),
                max_size=settings.storage_max_object_size,
                spool_dir=settings.data_dir / "spool",
            )
            inbox = Inbox(
                inbox_store,
                settings.oci_namespace,
                settings.inbox_bucket,
                settings.storage_max_object_size,
            )
            imported = await import_object(
                event, inbox=inbox, documents=documents, database=database
            )
    finally:
        await objects.aclose()
        await inbox_store.aclose()
    return {"event_id": event.event_id, "object": event.name, "document": asdict(imported)}


async def _expiry_sweep(settings: Settings) -> Result:
    notifier = open_notifier(settings)
    try:
        async with Database.from_url(settings.sqlalchemy_url) as database:
            swept = await sweep(
                database,
                notifier,
                now=datetime.now(UTC),
                notice=timedelta(days=settings.expiry_notice_days),
                interval=timedelta(hours=settings.expiry_sweep_hours),
            )
    finally:
        await notifier.aclose()
    return asdict(swept)


async def _event_relay(settings: Settings) -> Result:
    notifier = open_notifier(settings)
    try:
        async with Database.from_url(settings.sqlalchemy_url) as database:
            relayed = await relay(database, notifier, kinds=settings.relay_kinds)
    finally:
        await notifier.aclose()
    return asdict(relayed)


async def _answer(ctx: Any, name: str, run: Callable[[Settings], Awaitable[Result]]) -> Response:
    try:
        settings = Settings()
        result = await run(settings)
    except FunctionError as exc:
        return _problem(ctx, name, type(exc).__name__, exc.status, str(exc))
    except (SettingsError, ValidationError) as exc:
        return _problem(ctx, name, "Invalid configuration", 500, str(exc))
    except StorageError as exc:
        return _problem(ctx, name, type(exc).__name__, 502, str(exc))
    _log.info("%s done: %s", name, json.dumps(result, default=str))
    return _json(ctx, {"function": name, "result": result}, 200)


def _problem(ctx: Any, name: str, title: str, status: int, detail: str) -> Response:
    _log.warning("%s refused (%s %s): %s", name, status, title, detail)
    problem = {"function": name, "title": title, "status": status, "detail": detail}
    return _json(ctx, problem, 502)


def _json(ctx: Any, content: Result, status: int) -> Response:
    return import_fdk("response").Response(
        ctx,
        response_data=json.dumps(content, default=str),
        headers={"Content-Type": "application/json"},
        status_code=status,
    )


def _body(data: io.BytesIO | bytes | None) -> bytes:
    if data is None:
        return b""
    return data if isinstance(data, bytes) else data.getvalue()
