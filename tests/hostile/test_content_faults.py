"""Content faults: GC racing uploads, bytes that rot on disk, uploads cut off mid-body, and
the object store or the IPFS node going away in the middle of an upload."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import socket
import struct
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from provena.db import Database, Document, bootstrap
from provena.documents import DocumentService
from provena.ipfs import (
    EmbeddedContentStore,
    FilesystemBlockstore,
    Profile,
    add_bytes,
    collect_garbage,
    parse_cid,
    verify_dag,
)
from provena.ipfs.cid import block_key
from provena.storage import LocalObjectStore
from tests.api.conftest import RunningApi, auth, post_document, stored_files
from tests.hostile.uploads_support import (
    document_count,
    hostile_api,
    raw_request,
    running_api,
    s3_settings,
)
from tests.storage.conftest import ensure_bucket, s3_client
from tests.storage.seaweed import S3Server, Seaweed, seaweed_s3

#: Small chunks, so each upload writes many blocks and a GC has many chances to cut in.
MANY_BLOCKS = Profile("many-blocks", 1, True, 512, 8)


async def trickle(data: bytes, piece: int = 4096) -> AsyncIterator[bytes]:
    for offset in range(0, len(data), piece):
        yield data[offset : offset + piece]
        await asyncio.sleep(0)


async def test_gc_never_deletes_what_an_upload_is_about_to_reference(tmp_path: Path) -> None:
    """Uploads and GC (a blockstore of its own on the same directory, in a thread of its
    own, as `provena ipfs gc` is another process) run at once, round after round: every
    document recorded has its whole DAG, and every unpinned block is collected in the end."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    await bootstrap(url)
    root = tmp_path / "ipfs"
    content = EmbeddedContentStore(FilesystemBlockstore(root))
    async with Database.from_url(url) as database:
        service = DocumentService(
            database=database,
            content=content,
            objects=LocalObjectStore(tmp_path / "objects"),
            object_store_name="local",
            profile=MANY_BLOCKS,
            max_size=1 << 20,
            spool_dir=tmp_path / "spool",
        )
        stop = threading.Event()
        collections: list[int] = []
        removed: set[str] = set()

        def collect_continuously() -> None:
            other = FilesystemBlockstore(root)
            while not stop.is_set():
                result = asyncio.run(collect_garbage(other))
                removed.update(result.removed)
                collections.append(len(result.removed))
                time.sleep(0.02)  # room for adds to take the lock between two GCs

        garbage = []
        collector = threading.Thread(target=collect_continuously)
        collector.start()
        round_number = 0
        try:
            # At least four rounds, and on until GC has run often enough to race them.
            while round_number < 4 or (len(collections) <= 4 and round_number < 40):
                loose = await content.add(
                    trickle(os.urandom(6_000)), profile=MANY_BLOCKS, pin=False
                )
                garbage.append(loose.cid)
                bodies = [os.urandom(8_000 + n * 512) for n in range(6)]
                await asyncio.gather(
                    *(
                        service.upload(
                            trickle(body),
                            name=f"r{round_number}-{n}.bin",
                            media_type="application/octet-stream",
                            uploaded_by=None,
                            msp_id="ProducerMSP",
                        )
                        for n, body in enumerate(bodies)
                    )
                )
                round_number += 1
        finally:
            stop.set()
            collector.join()
        async with database.session() as session:
            cids = list(await session.scalars(select(Document.cid)))
    assert len(cids) == 6 * round_number
    assert len(collections) > 4, "GC ran too rarely to race the uploads"
    blockstore = FilesystemBlockstore(root)
    for cid in cids:
        assert await verify_dag(blockstore, parse_cid(cid)) > 16  # every block still there
    final = await collect_garbage(blockstore)
    for cid in cids:
        await verify_dag(blockstore, parse_cid(cid))
    for loose_cid in garbage:
        assert not await blockstore.has(loose_cid)
    assert block_key(garbage[0]) in removed | set(final.removed)


def flip_a_byte(path: Path, at: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def block_path(api: RunningApi, cid: str) -> Path:
    key = block_key(parse_cid(cid))
    (path,) = (api.settings.data_dir / "ipfs").glob(f"blocks/*/{key}.data")
    return path


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApi]:
    with hostile_api(tmp_path_factory.mktemp("faults")) as api:
        yield api


async def upload(client: httpx.AsyncClient, api: RunningApi, body: bytes, name: str) -> str:
    response = await post_document(
        client, api, body, name=name, media_type="application/octet-stream"
    )
    assert response.status_code == 201, response.text
    cid: str = response.json()["cid"]
    return cid


async def test_a_corrupt_block_is_never_served(
    api: RunningApi, caplog: pytest.LogCaptureFixture
) -> None:
    body = os.urandom(300_000)  # one raw block: the root is the corrupt block
    async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
        cid = await upload(client, api, body, "rots.bin")
        path = block_path(api, cid)
        flip_a_byte(path)
        corrupt = path.read_bytes()
        caplog.set_level(logging.ERROR, logger="provena.ipfs.gateway")
        for suffix in ("", "?format=raw", "?format=car", "?format=car&dag-scope=block"):
            answer = await client.get(f"/ipfs/{cid}{suffix}")
            assert answer.status_code == 502, (suffix, answer.status_code)
            assert answer.headers["content-type"] == "application/problem+json"
            assert corrupt[:64] not in answer.content
            assert body[:64] not in answer.content
        head = await client.head(f"/ipfs/{cid}")
        assert head.status_code == 502
    assert any("corrupt" in r.getMessage() and cid in r.getMessage() for r in caplog.records)


async def read_into(client: httpx.AsyncClient, url: str, received: bytearray) -> None:
    async with client.stream("GET", url) as response:
        assert response.status_code == 200
        async for piece in response.aiter_raw():
            received += piece


async def test_a_corrupt_block_mid_file_aborts_the_download(
    api: RunningApi, caplog: pytest.LogCaptureFixture
) -> None:
    """A later block fails after the status went out: the body stops short of it, so the
    client sees an incomplete download, and what came before it is the file's own bytes."""
    body = os.urandom(3 * 2**20 + 1)  # four 1 MiB leaves under a root
    async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
        cid = await upload(client, api, body, "rots-later.bin")
        third_leaf = (await add_bytes(body[2 * 2**20 : 3 * 2**20])).cid
        leaf = block_path(api, str(third_leaf))
        flip_a_byte(leaf)
        caplog.set_level(logging.ERROR, logger="provena.ipfs.gateway")
        received = bytearray()
        with pytest.raises(httpx.RemoteProtocolError):
            await read_into(client, f"/ipfs/{cid}", received)
    assert len(received) <= 2 * 2**20
    assert received == body[: len(received)]  # never a byte of the corrupt block
    assert any("aborting GET" in r.getMessage() for r in caplog.records)


async def test_a_corrupt_object_is_never_downloaded(
    api: RunningApi, caplog: pytest.LogCaptureFixture
) -> None:
    body = os.urandom(200_000)
    async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
        cid = await upload(client, api, body, "object-rots.bin")
        sha256 = hashlib.sha256(body).hexdigest()
        flip_a_byte(api.settings.data_dir / "objects" / "sha256" / sha256, at=150_000)
        link = await client.get(f"/api/v1/documents/{cid}/url", headers=auth(api))
        caplog.set_level(logging.ERROR, logger="provena.api.routes.storage")
        answer = await client.get(link.json()["url"])
    assert answer.status_code == 502
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert body[:64] not in answer.content
    assert any("corrupt" in r.getMessage() and sha256 in r.getMessage() for r in caplog.records)


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with seaweed_s3(tmp_path_factory.mktemp("seaweed")) as server:
        yield server


async def s3_leftovers(server: S3Server, bucket: str) -> tuple[list[str], list[str]]:
    """The bucket's objects and its pending multipart uploads."""
    async with s3_client(server) as client:
        listed = await client.list_objects_v2(Bucket=bucket)
        pending = await client.list_multipart_uploads(Bucket=bucket)
    objects = [item["Key"] for item in listed.get("Contents", [])]
    return objects, [upload["Key"] for upload in pending.get("Uploads", [])]


def cut_off(api: RunningApi, head: str, first: bytes) -> None:
    """Send `head` and the start of a body, then vanish."""
    answer = raw_request(api, head, [first], timeout=0.5)
    assert answer.status is None  # the server had nothing to say before the client left


@pytest.mark.parametrize("backend", ["local", "s3"])
async def test_an_interrupted_upload_leaves_nothing(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    overrides: dict[str, object] = {}
    bucket = f"cut-{uuid.uuid4().hex[:8]}"
    server: S3Server | None = None
    if backend == "s3":
        server = request.getfixturevalue("s3")
        await ensure_bucket(server, bucket)
        overrides = s3_settings(server, bucket)
    async with running_api(tmp_path, **overrides) as api:
        token = api.token("tomas.herrera")
        before = stored_files(tmp_path)
        raw = (
            f"POST /api/v1/documents?name=cut.bin HTTP/1.1\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/octet-stream\r\nContent-Length: 9000000"
        )
        await asyncio.to_thread(cut_off, api, raw, os.urandom(3_000_000))
        form_head = (
            f"POST /api/v1/documents HTTP/1.1\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 9000000"
        )
        form_start = (
            b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="cut.pdf"\r\n'
            b"Content-Type: application/pdf\r\n\r\n" + os.urandom(3_000_000)
        )
        await asyncio.to_thread(cut_off, api, form_head, form_start)
        await asyncio.sleep(1.0)  # let the server notice and clean up
        assert stored_files(tmp_path) == before
        assert await document_count(api) == 0
        if server is not None:
            assert await s3_leftovers(server, bucket) == ([], [])


async def test_the_object_store_going_away_mid_upload_gives_503_and_loses_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "weed").mkdir()
    weed = Seaweed(tmp_path / "weed")
    await asyncio.to_thread(weed.start)
    try:
        bucket = "outage"
        await ensure_bucket(weed.server, bucket)
        async with running_api(tmp_path / "api", **s3_settings(weed.server, bucket)) as api:
            async with httpx.AsyncClient(base_url=api.url, timeout=120) as client:
                kept = {
                    await upload(client, api, body, f"kept-{n}.bin"): body
                    for n, body in enumerate(os.urandom(100_000 + n) for n in range(3))
                }
                lost = os.urandom(9 * 2**20)  # past one part: a multipart upload to S3

                async def body_while_the_store_dies() -> AsyncIterator[bytes]:
                    yield lost[: 2**20]
                    await asyncio.to_thread(weed.stop)
                    yield lost[2**20 :]

                failed = await post_document(
                    client, api, body_while_the_store_dies(), name="lost.bin"
                )
                assert failed.status_code == 503, failed.text
                assert failed.headers["content-type"] == "application/problem+json"
                assert failed.json()["detail"] == (
                    "the object store is unavailable: try again later"
                )
                lost_cid = str((await add_bytes(lost)).cid)
                missing = await client.get(f"/api/v1/documents/{lost_cid}", headers=auth(api))
                assert missing.status_code == 404
                await asyncio.to_thread(weed.start)
                for cid, body in kept.items():
                    link = await client.get(f"/api/v1/documents/{cid}/url", headers=auth(api))
                    assert link.status_code == 200, link.text
                    download = await settled_get(client, link.json()["url"])
                    assert download.content == body, download.text[:400]
                    served = await client.get(f"/ipfs/{cid}")
                    assert served.content == body
                again = await post_document(client, api, lost, name="lost.bin")
                assert again.status_code == 201, again.text
                assert again.json()["cid"] == lost_cid
            assert await document_count(api) == 4
            assert not any((tmp_path / "api" / "spool").glob("*"))
    finally:
        weed.stop()


async def settled_get(client: httpx.AsyncClient, url: str) -> httpx.Response:
    """GET `url` once the restarted store serves reads again (its S3 gateway answers a
    little before its volumes have rejoined the master)."""
    deadline = time.monotonic() + 60
    while True:
        response = await client.get(url)
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.5)


class DyingKubo:
    """A loopback "Kubo" that reads the start of each request, then drops the connection."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.requests = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                try:
                    connection.recv(4096)  # the request line, headers, a little body
                except OSError:
                    continue
                self.requests += 1
                # Linger 0: the close resets the connection, as a crashing process's does.
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def close(self) -> None:
        self._listener.close()


async def test_kubo_dying_mid_request_gives_503_and_records_nothing(tmp_path: Path) -> None:
    kubo = DyingKubo()
    try:
        async with running_api(tmp_path, ipfs_kubo_url=kubo.url) as api:
            before = stored_files(tmp_path)
            async with httpx.AsyncClient(base_url=api.url, timeout=60) as client:
                started = time.monotonic()
                response = await post_document(client, api, os.urandom(500_000), name="to-kubo.bin")
            assert response.status_code == 503, response.text
            assert time.monotonic() - started < 30
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["detail"] == "the IPFS node is unavailable: try again later"
            assert kubo.requests >= 1
            assert await document_count(api) == 0
            assert stored_files(tmp_path) == before  # no object, no spool file
    finally:
        kubo.close()
