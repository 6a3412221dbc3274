"""Stores for the contract tests: local, S3 on SeaweedFS, OCI on a signature-checking fake."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiobotocore.session import get_session
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from provena.storage import LocalObjectStore, ObjectStore
from provena.storage.oci import OciObjectStore, oci_client
from provena.storage.s3 import S3ObjectStore
from tests.storage.oci_server import FakeObjectStorage
from tests.storage.seaweed import S3Server, seaweed_s3

MAX_SIZE = 12 * 1024 * 1024
PART_SIZE = 5 * 1024 * 1024


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with seaweed_s3(tmp_path_factory.mktemp("seaweed")) as server:
        yield server


async def ensure_bucket(server: S3Server, bucket: str) -> None:
    session = get_session()
    async with session.create_client(
        "s3",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id=server.access_key,
        aws_secret_access_key=server.secret_key,
    ) as client:
        try:
            await client.create_bucket(Bucket=bucket)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
                raise


@pytest.fixture
def fake_oci(tmp_path: Path) -> Iterator[tuple[FakeObjectStorage, Path, str]]:
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


@pytest.fixture(params=["local", "s3", "oci"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStore]:
    kind = request.param
    built: ObjectStore
    if kind == "local":
        built = LocalObjectStore(tmp_path / "objects", max_size=MAX_SIZE)
    elif kind == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        bucket = "provena"
        await ensure_bucket(server, bucket)
        built = S3ObjectStore(
            bucket=bucket,
            endpoint_url=server.endpoint,
            region="us-east-1",
            access_key_id=server.access_key,
            secret_access_key=server.secret_key,
            max_size=MAX_SIZE,
            part_size=PART_SIZE,
        )
    else:
        storage, config, url = request.getfixturevalue("fake_oci")
        client = oci_client("api_key", config_file=str(config), endpoint=url)
        built = OciObjectStore(
            client,
            namespace=storage.namespace,
            bucket=storage.bucket,
            max_size=MAX_SIZE,
            part_size=PART_SIZE,
        )
    try:
        yield built
    finally:
        await built.aclose()
