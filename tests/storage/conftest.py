"""Stores for the contract tests: local, S3 on SeaweedFS, OCI on a signature-checking fake."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from aiobotocore.session import get_session
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from provena.api.routes.storage import storage_router
from provena.storage import LocalObjectStore, ObjectStore
from provena.storage.oci import OciObjectStore, oci_client
from provena.storage.s3 import S3ObjectStore
from tests.storage.oci_server import FakeObjectStorage
from tests.storage.seaweed import S3Server, seaweed_s3
from tests.support.server import free_port, serve

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client

MAX_SIZE = 12 * 1024 * 1024
PART_SIZE = 5 * 1024 * 1024


async def pieces(total: int, piece: int = 1024 * 1024) -> AsyncIterator[bytes]:
    """`total` patterned bytes in `piece`-sized chunks, as a client would stream them."""
    for offset in range(0, total, piece):
        n = min(piece, total - offset)
        yield bytes((offset // piece + i) % 251 for i in range(256)) * (n // 256) + b"\x07" * (
            n % 256
        )


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with seaweed_s3(tmp_path_factory.mktemp("seaweed")) as server:
        yield server


@asynccontextmanager
async def s3_client(server: S3Server) -> AsyncIterator[S3Client]:
    """A client of `server`, signing with its key pair."""
    async with get_session().create_client(
        "s3",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id=server.access_key,
        aws_secret_access_key=server.secret_key,
    ) as client:
        yield client


async def ensure_bucket(server: S3Server, bucket: str) -> None:
    async with s3_client(server) as client:
        try:
            await client.create_bucket(Bucket=bucket)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
                raise


@pytest.fixture
def fake_oci(tmp_path: Path) -> Iterator[FakeOci]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "oci_api_key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    tenancy = "ocid1.tenancy.oc1..aaaatenancy"
    user = "ocid1.user.oc1..aaaauser"
    fingerprint = "12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0"
    config = tmp_path / "oci_config"
    config.write_text(
        f"[DEFAULT]\nuser={user}\nfingerprint={fingerprint}\ntenancy={tenancy}\n"
        f"region=eu-frankfurt-1\nkey_file={key_file}\n"
    )
    storage = FakeObjectStorage(f"{tenancy}/{user}/{fingerprint}", key.public_key())
    server, url = storage.serve()
    try:
        yield storage, config, url
    finally:
        server.shutdown()
        server.server_close()


FakeOci = tuple[FakeObjectStorage, Path, str]
#: What a store keeps of failed uploads under a key prefix: pending multipart uploads, or
#: the local store's stray hidden files (which name no key: each test has its own directory).
Leftovers = Callable[[str], Awaitable[list[str]]]


@dataclass(frozen=True)
class Backend:
    """A store, and a way to see what failed uploads left behind in it."""

    store: ObjectStore
    leftovers: Leftovers


@contextmanager
def served_local_store(root: Path) -> Iterator[LocalObjectStore]:
    """A local store whose read URLs are served, as the API serves them, on a loopback port."""
    port = free_port()
    local = LocalObjectStore(root, max_size=MAX_SIZE, url_base=f"http://127.0.0.1:{port}/storage")
    app = FastAPI()
    app.include_router(storage_router(local))
    with serve(app, port):
        yield local


def local_leftovers(root: Path) -> Leftovers:
    """Every hidden file of the store that belongs to no object: temporaries, stray sidecars."""

    def stray() -> list[str]:
        hidden = [p for p in root.rglob(".*") if p.is_file()]
        return [
            str(p)
            for p in hidden
            if not p.name.startswith(".content-type-")
            or not p.with_name(p.name.removeprefix(".content-type-")).is_file()
        ]

    async def leftovers(prefix: str) -> list[str]:
        return await asyncio.to_thread(stray)

    return leftovers


async def s3_store(server: S3Server, bucket: str = "provena") -> S3ObjectStore:
    await ensure_bucket(server, bucket)
    return S3ObjectStore(
        bucket=bucket,
        endpoint_url=server.endpoint,
        region="us-east-1",
        access_key_id=server.access_key,
        secret_access_key=server.secret_key,
        max_size=MAX_SIZE,
        part_size=PART_SIZE,
    )


def s3_leftovers(server: S3Server, bucket: str = "provena") -> Leftovers:
    """The keys of multipart uploads still pending (S3 ListMultipartUploads)."""

    async def leftovers(prefix: str) -> list[str]:
        async with s3_client(server) as client:
            answer = await client.list_multipart_uploads(Bucket=bucket, Prefix=prefix)
        return [upload["Key"] for upload in answer.get("Uploads", [])]

    return leftovers


def oci_store(fake: FakeOci) -> OciObjectStore:
    storage, config, url = fake
    return OciObjectStore(
        oci_client("api_key", config_file=str(config), endpoint=url),
        namespace=storage.namespace,
        bucket=storage.bucket,
        max_size=MAX_SIZE,
        part_size=PART_SIZE,
    )


def oci_leftovers(fake: FakeOci) -> Leftovers:
    """The objects of multipart uploads still pending (OCI ListMultipartUploads)."""
    storage, config, url = fake

    async def leftovers(prefix: str) -> list[str]:
        client = oci_client("api_key", config_file=str(config), endpoint=url)
        try:
            call = functools.partial(
                client.list_multipart_uploads, storage.namespace, storage.bucket
            )
            answer = await asyncio.to_thread(call)
        finally:
            client.base_client.session.close()
        return [u.object for u in answer.data if u.object.startswith(prefix)]

    return leftovers


@pytest.fixture(params=["local", "s3", "oci"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    """Each backend in turn: a directory, S3 on SeaweedFS, OCI on the loopback fake."""
    with contextlib.ExitStack() as stack:
        if request.param == "local":
            root = tmp_path / "objects"
            built: Backend = Backend(
                stack.enter_context(served_local_store(root)), local_leftovers(root)
            )
        elif request.param == "s3":
            server: S3Server = request.getfixturevalue("s3_server")
            built = Backend(await s3_store(server), s3_leftovers(server))
        else:
            fake: FakeOci = request.getfixturevalue("fake_oci")
            built = Backend(oci_store(fake), oci_leftovers(fake))
        try:
            yield built
        finally:
            await built.store.aclose()


@pytest.fixture
def store(backend: Backend) -> ObjectStore:
    return backend.store
