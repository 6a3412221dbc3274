"""Backend specifics: OCI request signing and refused parts, local read URLs and content
types, configuration errors."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from provena.storage import (
    BackendError,
    InvalidKeyError,
    LocalObjectStore,
    ObjectNotFoundError,
    StorageConfigError,
)
from provena.storage.oci import OciObjectStore, oci_client
from tests.storage.conftest import PART_SIZE, FakeOci, oci_leftovers, oci_store, pieces


async def test_oci_requests_are_signed(fake_oci: FakeOci) -> None:
    storage, config, url = fake_oci
    store = OciObjectStore(
        oci_client("api_key", config_file=str(config), endpoint=url),
        namespace=storage.namespace,
        bucket=storage.bucket,
    )
    await store.put("signed.txt", b"x")
    await store.read_url("signed.txt", expires_in=timedelta(minutes=1))
    await store.aclose()
    assert storage.rejected == []
    assert all({"date", "(request-target)", "host"} <= set(h) for h in storage.signed_headers)
    assert any("x-content-sha256" in h for h in storage.signed_headers)  # the PAR's POST
    async with httpx.AsyncClient() as http:
        unsigned = await http.get(f"{url}/n/{storage.namespace}/b/{storage.bucket}/o/signed.txt")
    assert unsigned.status_code == 401


async def test_oci_wrong_key_is_refused(fake_oci: FakeOci, tmp_path: Path) -> None:
    storage, config, url = fake_oci
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "impostor.pem"
    key_file.write_bytes(
        impostor.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    text = config.read_text().replace(
        next(line for line in config.read_text().splitlines() if line.startswith("key_file")),
        f"key_file={key_file}",
    )
    forged = tmp_path / "forged_config"
    forged.write_text(text)
    store = OciObjectStore(
        oci_client("api_key", config_file=str(forged), endpoint=url),
        namespace=storage.namespace,
        bucket=storage.bucket,
    )
    with pytest.raises(BackendError, match="401"):
        await store.put("nope.txt", b"x")
    await store.aclose()
    assert storage.rejected == ["signature does not verify"]


def test_oci_principal_auth_outside_oci_is_a_config_error() -> None:
    with pytest.raises(StorageConfigError, match="resource_principal"):
        oci_client("resource_principal")


async def test_local_read_url_is_signed_and_expires(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path, url_secret=b"k" * 32)
    await store.put("docs/a.txt", b"a")
    url = await store.read_url("docs/a.txt", expires_in=timedelta(minutes=1))
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    key = unquote(parts.path.removeprefix("/storage/"))
    assert store.verify_read_url(key, int(query["expires"]), query["signature"])
    assert not store.verify_read_url("docs/b.txt", int(query["expires"]), query["signature"])
    assert not store.verify_read_url(
        key, int(time.time()) - 1, store._sign(key, int(time.time()) - 1)
    )


async def test_oci_refused_part_aborts_the_upload(fake_oci: FakeOci) -> None:
    storage = fake_oci[0]
    storage.refused_parts.add(2)
    store = oci_store(fake_oci)
    with pytest.raises(BackendError, match="InvalidParameter"):
        await store.put("refused", pieces(PART_SIZE * 2 + 1))
    with pytest.raises(ObjectNotFoundError):
        await store.head("refused")
    await store.aclose()
    assert await oci_leftovers(fake_oci)("") == []


async def test_local_content_type_lives_and_dies_with_its_object(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    await store.put("docs/scan", b"%PDF", content_type="application/pdf")
    assert (await store.head("docs/scan")).content_type == "application/pdf"
    assert [(i.key, i.content_type) async for i in store.list()] == [
        ("docs/scan", "application/pdf")
    ]
    await store.put("docs/scan", b"plain")  # replaced without a type: the old one goes
    assert (await store.head("docs/scan")).content_type is None
    await store.put("docs/scan", b"%PDF", content_type="application/pdf")
    await store.delete("docs/scan")
    assert [p.name for p in (tmp_path / "docs").iterdir()] == []


@pytest.mark.parametrize(
    "key", [".content-type-scan", "docs/.content-type-scan", ".partial-x", ".content-type-d/a"]
)
async def test_local_keys_cannot_reach_the_stores_own_files(tmp_path: Path, key: str) -> None:
    store = LocalObjectStore(tmp_path)
    await store.put("docs/scan", b"%PDF", content_type="application/pdf")
    with pytest.raises(InvalidKeyError, match="the store's own files"):
        await store.put(key, b"text/html")
    with pytest.raises(InvalidKeyError):
        await store.head(key)
    assert (await store.head("docs/scan")).content_type == "application/pdf"
