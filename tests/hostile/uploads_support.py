"""What the hostile upload and content-fault tests share: an API on loopback, raw HTTP
over a socket (for bodies no well-behaved client sends), the documents an upload left in
the database, and the settings of an S3 object store on SeaweedFS."""

from __future__ import annotations

import asyncio
import json
import select
import socket
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlalchemy import select as sql_select

from provena.db import Database, Document
from tests.api.conftest import RunningApi, start_api
from tests.storage.seaweed import S3Server

__all__ = [
    "RawAnswer",
    "document_count",
    "hostile_api",
    "raw_request",
    "running_api",
    "s3_settings",
]


@contextmanager
def hostile_api(directory: Path, **overrides: Any) -> Iterator[RunningApi]:
    """The API on SQLite under `directory`, with `overrides` of its settings."""
    with start_api(directory, f"sqlite:///{directory / 'db.sqlite'}", **overrides) as api:
        yield api


@asynccontextmanager
async def running_api(directory: Path, **overrides: Any) -> AsyncIterator[RunningApi]:
    """`hostile_api` for an async test (its setup runs an event loop of its own)."""
    manager = hostile_api(directory, **overrides)
    api = await asyncio.to_thread(manager.__enter__)
    try:
        yield api
    finally:
        await asyncio.to_thread(manager.__exit__, None, None, None)


async def document_count(api: RunningApi) -> int:
    database = Database.from_url(api.settings.sqlalchemy_url)
    try:
        async with database.session() as session:
            return int(await session.scalar(sql_select(func.count()).select_from(Document)) or 0)
    finally:
        await database.dispose()


@dataclass(frozen=True)
class RawAnswer:
    """What the server sent back (empty if it sent nothing), and how long it took."""

    status: int | None
    headers: dict[str, str]
    body: bytes
    seconds: float
    sent: int

    def json(self) -> Any:
        return json.loads(self.body)


def raw_request(
    api: RunningApi,
    head: str,
    body: Iterable[bytes] = (),
    *,
    pause: float = 0.0,
    timeout: float = 30.0,
) -> RawAnswer:
    """Send `head` (request line and headers, without the blank line), then `body` piece by
    piece (`pause` seconds apart), stopping as soon as the server answers; read the answer.

    Sending stops once the server has something to say, so a server that refuses a body
    early is seen refusing it, however much more the body would have held.
    """
    target = urlsplit(api.url)
    assert target.hostname is not None
    assert target.port is not None
    started = time.monotonic()
    sent = 0
    with socket.create_connection((target.hostname, target.port), timeout=timeout) as sock:
        sock.sendall(f"{head}\r\nHost: {target.netloc}\r\n\r\n".encode())
        for piece in body:
            if select.select([sock], [], [], 0)[0]:
                break  # the server answered (or closed): stop sending
            try:
                sock.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
            if pause:
                time.sleep(pause)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
                if _complete(received):
                    break
        except (ConnectionResetError, TimeoutError):
            pass
    seconds = time.monotonic() - started
    if not received:
        return RawAnswer(None, {}, b"", seconds, sent)
    header_block, _, payload = received.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return RawAnswer(int(lines[0].split()[1]), headers, payload, seconds, sent)


def _complete(received: bytes) -> bool:
    header_block, found, payload = received.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in header_block.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return len(payload) >= int(value.strip())
    return False


def s3_settings(server: S3Server, bucket: str) -> dict[str, Any]:
    """The API settings of an S3 object store in `bucket` on `server`."""
    return {
        "storage_backend": "s3",
        "s3_endpoint_url": server.endpoint,
        "s3_bucket": bucket,
        "s3_access_key_id": server.access_key,
        "s3_secret_access_key": server.secret_key,
    }
